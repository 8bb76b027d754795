/** Sparse inference: lasso solvers (ISTA, FISTA, coordinate descent), OMP, IHT, and recovery theory. */
export * from './types';
export { lassoCD } from './cd';
export { ista, fista } from './proximal';
export { omp } from './omp';
export { iht } from './iht';
export { sparseEncode, SPARSE_METHODS } from './encode';
export { lassoObjective, dualityGap } from './objective';
export { donohoTannerRho, dtMaxFeatures, mutualCoherence, ripConstantEstimate, RipEstimate } from './theory';
export { plantedSparseProblem, PlantedProblem, PlantedProblemOptions } from './synthetic';
