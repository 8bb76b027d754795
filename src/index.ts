/** superposition-workbook: the one public entry. */
export * from './core/rng';
export * from './core/errors';
export * from './core/matrix';
export * from './core/validate';
export * from './core/backend';
export * from './core/results';
export * from './core/progress';
export { projectRoot } from './core/paths';
export * from './compute';
export { colMeans, principalDirections } from './core/decompositions';
export * from './io/files';
export * from './io/npy';
export * from './io/npy_stream';
export * from './io/safetensors';
export * from './io/idx';
export * from './io/datasets';
export * from './sparse';
export * from './viz';
export * from './metrics';
export * from './training';
export * from './dictionary';
export * from './data';
export * from './toy';
export * from './identifiability';
export * from './experiments';
export * as coursework from './coursework';

/** Version of the workbook library. */
export const VERSION: string = require('../package.json').version;
