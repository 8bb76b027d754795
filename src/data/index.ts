/** Synthetic data generators (planted sparse problems). */
export * from './synthetic';
