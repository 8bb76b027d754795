/** Metrics: MCC, dictionary recovery, reconstruction, sparsity, identifiability, interpretability scores. */
export { linearSumAssignment, type Assignment } from './hungarian';
export { crossCorrelation, type CorrelationMethod, type CorrelationPrecision } from './correlation';
export { mcc, matchedSimilarity, type MccResult } from './mcc';
export * from './dictionary';
export { mse, fvu, explainedVariance, r2Score, kTermFvu, ReconstructionAccumulator } from './reconstruction';
export { bootstrapMeanCi, nanMean, type BootstrapCi } from './bootstrap';
export * from './sparsity';
export * from './split';
export * from './regression';
export * from './identifiability';
export { cosineSimilarity, labelSimilarity, type Similarity } from './similarity';
export * from './selectivity';
export * from './probing';
export * from './psychophysics';
export * from './universality';
