/** Experiments: one function per paper experiment, returning plain data and histories (no plotting). */
export * from './toy';
export * from './identifiability';
export * from './compressed_sensing';
export * from './amortisation';
export * from './interpretability';
export * from './unit_sets';
export * from './unit_scores';
export * from './notebook04';
export * from './fashion_network';
export * from './activation_set';
export * from './frontier';
export * from './real_units';
export * from './composites';
export * from './sae_analysis';
export * from './checks';
