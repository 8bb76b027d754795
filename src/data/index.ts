/** Synthetic data generators (planted sparse problems, planted labelled data with images). */
export * from './synthetic';
export * from './labelled';
export * from './activation_store';
