/**
 * Coordinate descent for the lasso on the Gram matrix (the algorithm of scikit-learn's `lasso_cd` with a
 * precomputed Gram), per sample, with a working set: cycle only over the current support plus the worst
 * KKT violators, keeping q = c − G·z on the working set in a small dense block; then refresh q everywhere
 * (N·|changed| flops), add new violators, repeat until no coordinate outside the working set violates
 * the optimality conditions.
 */
import { MatrixLike } from '../core/matrix';
import { KernelCall, runLasso, soft } from './lasso';
import { kthLargest } from '../core/linalg';
import { LassoOptions, SparseCodeResult } from './types';

function cdKernel(k: KernelCall): void {
  const { p, lambda, nonneg, Z, Q, samples, tolRel, budget, converged } = k;
  const { N, G } = p;
  const W = new Int32Array(N);
  const viol = new Float64Array(N);
  const cand = new Int32Array(N);
  const sv = new Float64Array(N);
  let cap = 64;
  let GW = new Float64Array(cap * cap);
  const zW = new Float64Array(N), zW0 = new Float64Array(N), qW = new Float64Array(N), dW = new Float64Array(N);
  const kkt = lambda * 1e-9 + 1e-14;
  for (let si = 0; si < samples.length; si++) {
    const b = samples[si];
    const z = Z.subarray(b * N, (b + 1) * N);
    const q = Q.subarray(b * N, (b + 1) * N);
    let ok = false;
    while (budget[b] > 0) {
      // 1. Working set: support ∪ the worst violators outside it.
      let nw = 0, nc = 0;
      for (let j = 0; j < N; j++) {
        if (z[j] !== 0) { W[nw++] = j; continue; }
        const v = (nonneg ? q[j] : Math.abs(q[j])) - lambda;
        if (v > kkt) { viol[j] = v; cand[nc++] = j; }
      }
      if (nc === 0 && ok) break; // inner converged and KKT holds everywhere
      if (nc === 0 && nw === 0) { ok = true; break; } // z = 0 is optimal
      const take = Math.min(nc, Math.max(10, nw));
      if (take < nc) {
        // the `take` largest violations: threshold by quickselect on a scratch copy
        for (let t = 0; t < nc; t++) sv[t] = viol[cand[t]];
        const thr = kthLargest(sv, nc, take);
        let added = 0;
        for (let t = 0; t < nc && added < take; t++) if (viol[cand[t]] >= thr) { W[nw++] = cand[t]; added++; }
      } else {
        for (let t = 0; t < nc; t++) W[nw++] = cand[t];
      }
      // 2. Gather the dense block G_WW and local state.
      if (nw > cap) { cap = Math.max(nw, 2 * cap); GW = new Float64Array(cap * cap); }
      for (let a = 0; a < nw; a++) {
        const ja = W[a], ro = ja * N, o = a * nw;
        for (let c = 0; c < nw; c++) GW[o + c] = G[ro + W[c]];
        zW[a] = z[ja]; zW0[a] = z[ja]; qW[a] = q[ja]; dW[a] = GW[o + a];
      }
      // 3. Cyclic CD on the working set.
      ok = false;
      while (budget[b] > 0) {
        budget[b]--;
        let maxDz = 0, maxZ = 0;
        for (let a = 0; a < nw; a++) {
          const za = zW[a], daa = dW[a];
          const nz = soft(qW[a] + daa * za, lambda, nonneg) / daa;
          const dz = nz - za;
          if (dz !== 0) {
            zW[a] = nz;
            const o = a * nw;
            for (let c = 0; c < nw; c++) qW[c] -= dz * GW[o + c];
            const adz = Math.abs(dz);
            if (adz > maxDz) maxDz = adz;
          }
          const an = Math.abs(nz);
          if (an > maxZ) maxZ = an;
        }
        if (maxDz <= tolRel * maxZ) { ok = true; break; }
      }
      // 4. Refresh q everywhere from the changes, then restore the exactly maintained working-set entries.
      refresh(q, G, N, W, nw, zW, zW0);
      for (let a = 0; a < nw; a++) {
        const ja = W[a];
        z[ja] = zW[a]; q[ja] = qW[a];
      }
    }
    converged[b] = ok ? 1 : 0;
    k.tick(si + 1);
  }
}

/**
 * Lasso by coordinate descent on the Gram matrix, batched over samples (as scikit-learn's
 * `sparse_encode(algorithm='lasso_cd')`, with working sets).
 * @param X data, B×M; @param D dictionary, N×M (one atom per row; unit norm not required).
 * @returns codes Z (B×N) minimising ½‖x − zD‖² + λ‖z‖₁ per sample (z ≥ 0 with `nonneg`); `iterations`
 * counts coordinate sweeps over the working set.
 */
export function lassoCD(X: MatrixLike, D: MatrixLike, opts: LassoOptions): SparseCodeResult {
  return runLasso('lassoCD', X, D, opts, cdKernel);
}

/** q −= Σ_a (zW[a] − zW0[a]) · G[W[a], :] (the rows of the Gram matrix of the changed coordinates). */
function refresh(q: Float64Array, G: Float64Array, N: number, W: Int32Array, nw: number, zW: Float64Array, zW0: Float64Array): void {
  for (let a = 0; a < nw; a++) {
    const dz = zW[a] - zW0[a];
    if (dz === 0) continue;
    const ro = W[a] * N;
    for (let j = 0; j < N; j++) q[j] -= dz * G[ro + j];
  }
}
