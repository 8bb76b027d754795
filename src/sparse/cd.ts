/**
 * Coordinate descent for the lasso on the Gram matrix (the algorithm of scikit-learn's `lasso_cd` with a
 * precomputed Gram), per sample, on working sets (support plus worst violators; see `workingset.ts`):
 * cyclic coordinate updates on the small dense block G_WW, keeping q = c − G·z exact on the set.
 */
import { MatrixLike } from '../core/matrix';
import { runLasso, soft } from './lasso';
import { LassoOptions, SparseCodeResult } from './types';
import { Budget, workingSetKernel } from './workingset';

/** Cyclic coordinate descent on the working set; one sweep = one iteration. */
function cdInner(GW: Float64Array, nw: number, zW: Float64Array, qW: Float64Array, lambda: number, nonneg: boolean,
  tolRel: number, budget: Budget): boolean {
  while (budget.left > 0) {
    budget.left--;
    let maxDz = 0, maxZ = 0;
    for (let a = 0; a < nw; a++) {
      const za = zW[a], o = a * nw, daa = GW[o + a];
      const nz = soft(qW[a] + daa * za, lambda, nonneg) / daa;
      const dz = nz - za;
      if (dz !== 0) {
        zW[a] = nz;
        for (let c = 0; c < nw; c++) qW[c] -= dz * GW[o + c];
        const adz = Math.abs(dz);
        if (adz > maxDz) maxDz = adz;
      }
      const an = Math.abs(nz);
      if (an > maxZ) maxZ = an;
    }
    if (maxDz <= tolRel * maxZ) return true;
  }
  return false;
}

/**
 * Lasso by coordinate descent on the Gram matrix, batched over samples (as scikit-learn's
 * `sparse_encode(algorithm='lasso_cd')`, with working sets).
 * @param X data, B×M; @param D dictionary, N×M (one atom per row; unit norm not required).
 * @returns codes Z (B×N) minimising ½‖x − zD‖² + λ‖z‖₁ per sample (z ≥ 0 with `nonneg`); `iterations`
 * counts coordinate sweeps over the working sets.
 */
export function lassoCD(X: MatrixLike, D: MatrixLike, opts: LassoOptions): SparseCodeResult {
  return runLasso('lassoCD', X, D, opts, workingSetKernel(cdInner));
}
