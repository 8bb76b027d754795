/**
 * Orthogonal matching pursuit, batched over samples, on the Gram matrix with Cholesky updates (the algorithm
 * of scikit-learn's `orthogonal_mp_gram`): per step, pick the atom most correlated with the residual, extend
 * the Cholesky factor of G_SS by one row, re-solve the least-squares coefficients on the support, and update
 * the correlations α = c − G_{:,S}·γ (N·|S| flops). Stops at k atoms or when ‖r‖² ≤ tol.
 */
import { ValueError } from '../core/errors';
import { MatrixLike, matrix } from '../core/matrix';
import { checkInt, checkNumber } from '../core/validate';
import { checkXD, prepare } from './problem';
import { GreedyOptions, SparseCodeResult } from './types';

/** Validate the greedy options common to OMP and IHT. */
export function checkGreedy(fn: string, opts: GreedyOptions, N: number): { k: number; nonneg: boolean } {
  if (!opts || typeof opts !== 'object') throw new ValueError(`${fn}: pass options, e.g. { k: 5 }`);
  if (opts.k === undefined) throw new ValueError(`${fn}: option k (atoms per sample) is required`);
  if (Number.isInteger(opts.k) && opts.k > N) {
    throw new ValueError(`${fn}: k = ${opts.k} exceeds the number of atoms N = ${N}; choose 1 ≤ k ≤ N`);
  }
  return { k: checkInt(`${fn}: k`, opts.k, 1, N), nonneg: Boolean(opts.nonneg) };
}

/** Non-negative least squares on a small system (min ½γᵀAγ − bᵀγ, γ ≥ 0) by coordinate descent. */
function nnlsSmall(A: Float64Array, b: Float64Array, s: number, g: Float64Array): void {
  for (let it = 0; it < 500; it++) {
    let maxD = 0, maxG = 0;
    for (let i = 0; i < s; i++) {
      let r = b[i];
      for (let j = 0; j < s; j++) if (j !== i) r -= A[i * s + j] * g[j];
      const ng = Math.max(0, r / A[i * s + i]);
      maxD = Math.max(maxD, Math.abs(ng - g[i]));
      g[i] = ng;
      maxG = Math.max(maxG, ng);
    }
    if (maxD <= 1e-12 * Math.max(maxG, 1e-300)) break;
  }
}

/**
 * Orthogonal matching pursuit (batched; Cholesky updates on the Gram matrix).
 * @param X data, B×M; @param D dictionary, N×M (one atom per row; unit norm not required — selection
 * uses raw correlations, like scikit-learn's `orthogonal_mp_gram`, which assumes normalised atoms).
 * @param opts `k` atoms per sample (1 ≤ k ≤ N), optional `tol` (stop once ‖x − zD‖² ≤ tol), `nonneg`
 * (select only positive correlations; coefficients by non-negative least squares on the support).
 * @returns codes Z (B×N) with at most k non-zeros per row; objective = mean ½‖x − zD‖²; iterations = the
 * most atoms any sample selected.
 */
export function omp(X: MatrixLike, D: MatrixLike, opts: GreedyOptions): SparseCodeResult {
  const t0 = performance.now();
  const { X: x, D: d } = checkXD('omp', X, D);
  const { k: K, nonneg } = checkGreedy('omp', opts, d.rows);
  const tol = opts.tol === undefined ? -1 : checkNumber('omp: tol', opts.tol, 0);
  const p = prepare(x, d);
  const { B, N, M, G, C, xx } = p;
  const Z = new Float32Array(B * N);
  const L = new Float64Array(K * K);      // lower Cholesky factor of G_SS, row-major K×K
  const S = new Int32Array(K);
  const inS = new Uint8Array(N);
  const cS = new Float64Array(K), gam = new Float64Array(K), w = new Float64Array(K), GS = new Float64Array(K * K);
  const alpha = new Float64Array(N), r = new Float64Array(M);
  const Xd = x.data, Dd = d.data;
  let maxSteps = 0, objective = 0;
  for (let b = 0; b < B; b++) {
    const co = b * N;
    alpha.set(C.subarray(co, co + N));
    let s = 0;
    let rr = xx[b];
    // 1. atom most correlated with the residual (later steps: found while updating α, step 4)
    let best = argmaxFree(alpha, inS, N, nonneg), bv = best < 0 ? 0 : nonneg ? alpha[best] : Math.abs(alpha[best]);
    while (s < K) {
      if (tol >= 0 && rr <= tol) break;
      if (best < 0 || bv * bv < 1e-300) break;
      // 2. Cholesky update: L w = G[S, best], L_ss = sqrt(G_bb − ‖w‖²)
      const go = best * N;
      let ww = 0;
      for (let i = 0; i < s; i++) {
        let v = G[go + S[i]];
        for (let j = 0; j < i; j++) v -= L[i * K + j] * w[j];
        v /= L[i * K + i];
        w[i] = v; ww += v * v;
      }
      const diag = G[go + best] - ww;
      if (!(diag > 1e-12 * G[go + best])) break; // atom (numerically) in the span of the support
      for (let i = 0; i < s; i++) L[s * K + i] = w[i];
      L[s * K + s] = Math.sqrt(diag);
      S[s] = best; inS[best] = 1; cS[s] = C[co + best];
      s++;
      // 3. γ = (L Lᵀ)⁻¹ c_S
      for (let i = 0; i < s; i++) {
        let v = cS[i];
        for (let j = 0; j < i; j++) v -= L[i * K + j] * w[j];
        w[i] = v / L[i * K + i];
      }
      for (let i = s - 1; i >= 0; i--) {
        let v = w[i];
        for (let j = i + 1; j < s; j++) v -= L[j * K + i] * gam[j];
        gam[i] = v / L[i * K + i];
      }
      if (nonneg) {
        let neg = false;
        for (let i = 0; i < s; i++) if (gam[i] < 0) neg = true;
        if (neg) {
          for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) GS[i * s + j] = G[S[i] * N + S[j]];
          for (let i = 0; i < s; i++) gam[i] = Math.max(0, gam[i]);
          nnlsSmall(GS, cS, s, gam);
        }
      }
      // The last step needs neither the correlations nor ‖r‖² (nothing reads them after the loop).
      if (s === K) break;
      // 4. correlations with the new residual α = c − G_{S,:}ᵀγ (one pass, with the next step's best atom),
      // and ‖r‖² = ‖x‖² − 2γ·c_S + γᵀG_SSγ
      let gc = 0;
      for (let i = 0; i < s; i++) gc += gam[i] * cS[i];
      alpha.set(C.subarray(co, co + N));
      let last = s - 1;
      while (last >= 0 && gam[last] === 0) last--;
      for (let i = 0; i < last; i++) {
        const gi = gam[i];
        if (gi === 0) continue;
        const ro = S[i] * N;
        for (let j = 0; j < N; j++) alpha[j] -= gi * G[ro + j];
      }
      if (last >= 0) {
        best = -1; bv = 0;
        const gi = gam[last], ro = S[last] * N;
        for (let j = 0; j < N; j++) {
          const a = alpha[j] - gi * G[ro + j];
          alpha[j] = a;
          if (inS[j]) continue;
          const v = nonneg ? a : Math.abs(a);
          if (v > bv) { bv = v; best = j; }
        }
      } else {
        best = argmaxFree(alpha, inS, N, nonneg);
      }
      bv = best < 0 ? 0 : nonneg ? alpha[best] : Math.abs(alpha[best]);
      // γ·(G_SS γ) = γ·(c_S − α_S)
      let gGg = 0;
      for (let i = 0; i < s; i++) gGg += gam[i] * (cS[i] - alpha[S[i]]);
      rr = xx[b] - 2 * gc + gGg;
    }
    // codes (float32) and the objective ½‖x − zD‖² of exactly those codes, from the support
    const xo = b * M;
    for (let j = 0; j < M; j++) r[j] = Xd[xo + j];
    for (let i = 0; i < s; i++) {
      const zi = Math.fround(gam[i]), o = S[i] * M;
      Z[co + S[i]] = zi; inS[S[i]] = 0;
      if (zi !== 0) for (let j = 0; j < M; j++) r[j] -= zi * Dd[o + j];
    }
    let e = 0;
    for (let j = 0; j < M; j++) e += r[j] * r[j];
    objective += 0.5 * e;
    if (s > maxSteps) maxSteps = s;
  }
  return { codes: matrix(B, N, Z), objective: B ? objective / B : 0, iterations: maxSteps, converged: true, seconds: (performance.now() - t0) / 1000 };
}

/** Index of the largest α_j (|α_j| unless nonneg) over atoms not in the support; −1 if none is positive. */
function argmaxFree(alpha: Float64Array, inS: Uint8Array, N: number, nonneg: boolean): number {
  let best = -1, bv = 0;
  for (let j = 0; j < N; j++) {
    if (inS[j]) continue;
    const v = nonneg ? alpha[j] : Math.abs(alpha[j]);
    if (v > bv) { bv = v; best = j; }
  }
  return best;
}
