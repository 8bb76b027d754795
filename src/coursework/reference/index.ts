/**
 * Reference implementations of the exercises, callable from notebooks as `sw.coursework.reference.*` (the
 * fallback when an exercise is unsolved). Where the library already has the function, it is re-exported
 * in the exercise's shape; the rest are small float64 implementations in this folder.
 */
import { MatrixLike } from '../../core/matrix';
import { mcc } from '../../metrics/mcc';
import { RidgeRegression } from '../../metrics/regression';
import { r2Score } from '../../metrics/reconstruction';
import { donohoTannerRho as dtRho } from '../../sparse/theory';
import { featureDimensionality as fd, featureSuperposition as fs } from '../../toy/analysis';

export { softThreshold, istaStep, fistaMomentum, lassoGradient } from './sparse';
export { saeLoss } from './dictionary';
export { ridgeFit } from './ridge';
export { twoAfcUnit, rankDescending } from './psychophysics';
export { normalCdf, normalPdf } from './normal';

/** Hungarian-matched MCC of true codes zTrue (B×N) and estimates zPred (B×N̂): the library's `mcc(…).mcc`. */
export function matchedMcc(zTrue: MatrixLike, zPred: MatrixLike): number {
  return mcc(zTrue, zPred).mcc;
}

/** Feature dimensionality D_i of a toy model W (n×m, one feature per row): the library's `featureDimensionality`. */
export function featureDimensionality(W: MatrixLike): number[] {
  return Array.from(fd(W));
}

/**
 * Superposition of each feature with the others, Σ_{j≠i} (Ŵ_i·W_j)² (Ŵ_i = W_i/‖W_i‖; 0 for a zero row), of a
 * toy model W (n×m, one feature per row): the library's `featureSuperposition`. Length n.
 */
export function superposition(W: MatrixLike): number[] {
  return Array.from(fs(W));
}

/** Donoho–Tanner weak threshold ρ(δ) (the library's `donohoTannerRho`); δ = M/N ∈ (0, 1]. */
export function donohoTannerRho(delta: number, kind: 'signed' | 'nonneg'): number {
  return dtRho(delta, kind);
}

/**
 * In-sample linear-identifiability R² of latents (B×N) from a representation rep (B×M): least squares with
 * intercept (the library's RidgeRegression with alpha 0), then scikit-learn's r2_score averaged uniformly
 * over the N latents (the library's `r2Score`).
 */
export function linearR2(rep: MatrixLike, latents: MatrixLike): number {
  const pred = new RidgeRegression({ alpha: 0 }).fit(rep, latents).predict(rep);
  return r2Score(latents, pred);
}
