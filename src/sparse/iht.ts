/**
 * Iterative hard thresholding (top-K), batched over samples, on the Gram matrix. By default the step is the
 * normalised-IHT step of Blumensath & Davies (2010): μ = ‖g_S‖² / (g_Sᵀ G_SS g_S) on the current support,
 * halved until the objective decreases when the support changes; with `step` given, a fixed step μ.
 */
import { ValueError } from '../core/errors';
import { MatrixLike } from '../core/matrix';
import { checkInt, checkNumber } from '../core/validate';
import { checkGreedy } from './omp';
import { kthLargest } from '../compute/select';
import { checkInit, checkXD, greedyResult, prepare } from './problem';
import { GreedyOptions, SparseCodeResult } from './types';

/** Keep the k entries of v with the largest |v| (nonneg: largest positive v), zero the rest; writes into out. */
function hardThreshold(v: Float64Array, k: number, nonneg: boolean, out: Float64Array, scratch: Float64Array): void {
  const n = v.length;
  for (let j = 0; j < n; j++) scratch[j] = nonneg ? Math.max(0, v[j]) : Math.abs(v[j]);
  // threshold = k-th largest magnitude
  const thr = kthLargest(scratch, k, { length: n });
  let kept = 0;
  for (let j = 0; j < n; j++) {
    if (scratch[j] > 0 && scratch[j] > thr && kept < k) { out[j] = nonneg ? Math.max(0, v[j]) : v[j]; kept++; } else out[j] = 0;
  }
  for (let j = 0; j < n && kept < k; j++) {
    if (scratch[j] > 0 && scratch[j] === thr && out[j] === 0) { out[j] = nonneg ? Math.max(0, v[j]) : v[j]; kept++; }
  }
}

/**
 * Iterative hard thresholding with at most k non-zeros per sample.
 * @param X data, B×M; @param D dictionary, N×M (one atom per row).
 * @param opts `k` (1 ≤ k ≤ N), `tol` (relative change, default 1e-6), `maxIter` (default 1000), `nonneg`,
 * `step` (fixed step μ > 0; default: normalised IHT's adaptive step), `init` (warm start B×N; its top-k entries
 * per row are kept).
 * @returns codes Z (B×N); objective = mean ½‖x − zD‖².
 */
export function iht(X: MatrixLike, D: MatrixLike, opts: GreedyOptions & { step?: number; init?: MatrixLike }): SparseCodeResult {
  const t0 = performance.now();
  const { X: x, D: d } = checkXD('iht', X, D);
  const { k: K, nonneg } = checkGreedy('iht', opts, d.rows);
  const tol = checkNumber('iht: tol', opts.tol ?? 1e-6, 0);
  const maxIter = checkInt('iht: maxIter', opts.maxIter ?? 1000, 1);
  const fixed = opts.step === undefined ? 0 : checkNumber('iht: step', opts.step, 0);
  if (opts.step !== undefined && !(fixed > 0)) throw new ValueError('iht: step must be > 0');
  const p = prepare(x, d);
  const { B, N, G, C } = p;
  const Z = checkInit('iht', opts.init, B, N, nonneg);
  const q = new Float64Array(N), v = new Float64Array(N), zn = new Float64Array(N), sc = new Float64Array(N);
  let maxIt = 0, allConv = true;
  const idx = new Int32Array(N);
  // f(z) − ½‖x‖² = −z·c + ½ zᵀGz, on the support of z
  const fval = (z: Float64Array, c: Float64Array): number => {
    let n = 0;
    for (let i = 0; i < N; i++) if (z[i] !== 0) idx[n++] = i;
    let s = 0;
    for (let a = 0; a < n; a++) {
      const i = idx[a];
      let gi = 0;
      for (let e = 0; e < n; e++) gi += G[i * N + idx[e]] * z[idx[e]];
      s += z[i] * (0.5 * gi - c[i]);
    }
    return s;
  };
  for (let b = 0; b < B; b++) {
    const c = C.subarray(b * N, (b + 1) * N);
    const z = Z.subarray(b * N, (b + 1) * N);
    let it = 0, conv = false;
    if (opts.init !== undefined) { // warm start: keep its top-k entries
      hardThreshold(z, K, nonneg, zn, sc);
      z.set(zn);
    }
    let f = fval(z, c);
    while (it < maxIter) {
      it++;
      // q = c − G z (negative gradient)
      q.set(c);
      for (let i = 0; i < N; i++) {
        const zi = z[i];
        if (zi === 0) continue;
        const ro = i * N;
        for (let j = 0; j < N; j++) q[j] -= zi * G[ro + j];
      }
      let mu = fixed;
      if (!mu) {
        // support for the step: current support, or the top-K of the gradient at the start
        let any = false;
        for (let j = 0; j < N; j++) if (z[j] !== 0) { any = true; break; }
        if (!any) hardThreshold(q, K, nonneg, zn, v); // zn = top-K of the gradient
        const sel = any ? z : zn;
        let n = 0;
        for (let i = 0; i < N; i++) if (sel[i] !== 0) idx[n++] = i;
        let gg = 0, gGg = 0;
        for (let a = 0; a < n; a++) {
          const i = idx[a];
          gg += q[i] * q[i];
          for (let e = 0; e < n; e++) gGg += q[i] * G[i * N + idx[e]] * q[idx[e]];
        }
        mu = gGg > 0 ? gg / gGg : 1;
      }
      let maxDz = 0, maxZ = 0;
      for (let tries = 0; tries < 30; tries++) {
        for (let j = 0; j < N; j++) v[j] = z[j] + mu * q[j];
        hardThreshold(v, K, nonneg, zn, sc);
        if (fixed) break;
        const fn = fval(zn, c);
        if (fn <= f + 1e-15 * Math.abs(f)) { f = fn; break; }
        mu *= 0.5;
        if (tries === 29) { zn.set(z); }
      }
      for (let j = 0; j < N; j++) {
        const dz = Math.abs(zn[j] - z[j]);
        if (dz > maxDz) maxDz = dz;
        const a = Math.abs(zn[j]);
        if (a > maxZ) maxZ = a;
      }
      z.set(zn);
      if (maxDz <= tol * maxZ) { conv = true; break; }
    }
    if (it > maxIt) maxIt = it;
    if (!conv) allConv = false;
  }
  return greedyResult(x, d, Z, maxIt, allConv, t0);
}
