/**
 * Proximal-gradient lasso solvers: ISTA and FISTA (Beck & Teboulle 2009) with the adaptive gradient restart
 * of O'Donoghue & Candès (2015). Per sample on working sets (support plus worst violators, see
 * `workingset.ts`): the proximal-gradient iterations run on the small dense block G_WW with step 1/L_W, where
 * L_W is the Gershgorin bound max_a Σ_c |G_ac| ≥ λ_max(G_WW) (a guaranteed Lipschitz constant of the
 * restricted gradient, much smaller than ‖D‖₂² when the set is small).
 */
import { MatrixLike } from '../core/matrix';
import { runLasso, soft } from './lasso';
import { LassoOptions, SparseCodeResult } from './types';
import { Budget, InnerSolver, workingSetKernel } from './workingset';

function proxGradInner(accelerated: boolean, restart: boolean): InnerSolver {
  let cap = 0;
  let cW = new Float64Array(0), y = new Float64Array(0), zOld = new Float64Array(0), g = new Float64Array(0);
  return (GW: Float64Array, nw: number, zW: Float64Array, qW: Float64Array, lambda: number, nonneg: boolean,
    tolRel: number, budget: Budget): boolean => {
    if (nw > cap) {
      cap = Math.max(nw, 2 * cap);
      cW = new Float64Array(cap); y = new Float64Array(cap); zOld = new Float64Array(cap); g = new Float64Array(cap);
    }
    // linear term c_W = q_W + G_WW z_W, and the Gershgorin Lipschitz bound
    let L = 0;
    for (let a = 0; a < nw; a++) {
      let s = qW[a], r = 0;
      const o = a * nw;
      for (let c = 0; c < nw; c++) { s += GW[o + c] * zW[c]; r += Math.abs(GW[o + c]); }
      cW[a] = s;
      if (r > L) L = r;
      y[a] = zW[a];
    }
    const step = 1 / L, thr = lambda * step;
    let t = 1, ok = false;
    while (budget.left > 0) {
      budget.left--;
      // gradient at y: G_WW y − c_W
      for (let a = 0; a < nw; a++) {
        let s = -cW[a];
        const o = a * nw;
        for (let c = 0; c < nw; c++) s += GW[o + c] * y[c];
        g[a] = s;
      }
      let maxDz = 0, maxZ = 0, dot = 0;
      for (let a = 0; a < nw; a++) {
        zOld[a] = zW[a];
        const nz = soft(y[a] - step * g[a], thr, nonneg);
        zW[a] = nz;
        const dz = nz - zOld[a];
        const adz = Math.abs(dz), an = Math.abs(nz);
        if (adz > maxDz) maxDz = adz;
        if (an > maxZ) maxZ = an;
        dot += (y[a] - nz) * dz;
      }
      if (accelerated) {
        if (restart && dot > 0) t = 1; // gradient restart: the momentum points uphill
        const tn = 0.5 * (1 + Math.sqrt(1 + 4 * t * t));
        const beta = (t - 1) / tn;
        t = tn;
        for (let a = 0; a < nw; a++) y[a] = zW[a] + beta * (zW[a] - zOld[a]);
      } else {
        for (let a = 0; a < nw; a++) y[a] = zW[a];
      }
      if (maxDz <= tolRel * maxZ) { ok = true; break; }
    }
    // q_W = c_W − G_WW z_W for the outer loop
    for (let a = 0; a < nw; a++) {
      let s = cW[a];
      const o = a * nw;
      for (let c = 0; c < nw; c++) s -= GW[o + c] * zW[c];
      qW[a] = s;
    }
    return ok;
  };
}

/**
 * ISTA (proximal gradient) for the lasso, batched over samples, on working sets.
 * @param X data, B×M; @param D dictionary, N×M (one atom per row).
 * @returns codes Z (B×N) for ½‖x − zD‖² + λ‖z‖₁ (z ≥ 0 with `nonneg`). ISTA converges slowly; the
 * relative-change rule can stop it early on ill-conditioned problems — prefer `stop: 'gap'`, FISTA or CD.
 */
export function ista(X: MatrixLike, D: MatrixLike, opts: LassoOptions): SparseCodeResult {
  return runLasso('ista', X, D, opts, workingSetKernel(proxGradInner(false, false)));
}

/**
 * FISTA for the lasso, batched over samples, on working sets, with adaptive gradient restart (default on;
 * `restart: false` for plain FISTA).
 * @param X data, B×M; @param D dictionary, N×M (one atom per row).
 * @returns codes Z (B×N) for ½‖x − zD‖² + λ‖z‖₁ (z ≥ 0 with `nonneg`); `iterations` counts proximal-gradient
 * steps (summed over the working sets of a sample).
 */
export function fista(X: MatrixLike, D: MatrixLike, opts: LassoOptions & { restart?: boolean }): SparseCodeResult {
  return runLasso('fista', X, D, opts, workingSetKernel(proxGradInner(true, opts?.restart ?? true)));
}
