/** superposition-workbook: the one public entry. */
export * from './core/rng';
export * from './core/errors';
export * from './core/matrix';
export * from './core/validate';
export * from './core/backend';
