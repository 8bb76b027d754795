/** The one training loop ({@link trainLoop}), its schedules and its divergence error. */
export * from './errors';
export * from './schedule';
export * from './loop';
