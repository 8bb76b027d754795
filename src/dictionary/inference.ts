/**
 * Sparse inference used by the dictionary learners: the adapter between `dictionary/` and `sparse/`.
 * Lasso codes come from `sparse/` (coordinate descent on the Gram matrix). Batched OMP is implemented here
 * until `sparse/omp` lands (then this file forwards to it): Gram-based OMP with incremental Cholesky
 * (Rubinstein et al. 2008, "batch-OMP"), optionally non-negative.
 */
import { Matrix, matrix } from '../core/matrix';
import { gemmNT, gram } from '../core/linalg';
import { lassoCD } from '../sparse/cd';

/** Options of {@link inferCodes}. */
export interface InferOptions {
  /** 'omp' (exactly ≤ k atoms) or 'lasso' (ℓ1 with penalty λ). */
  method: 'omp' | 'lasso';
  /** Atoms per sample for OMP. */
  k?: number;
  /** λ for the lasso (objective ½‖x − zD‖² + λ‖z‖₁). */
  lambda?: number;
  /** Non-negative codes (default true). */
  nonneg?: boolean;
  /** Max iterations of the lasso solver (default 200). */
  maxIter?: number;
  /** Lasso tolerance (default 1e-4). */
  tol?: number;
  /** Warm start for the lasso (B×N). */
  init?: Matrix;
}

/** Codes Z (B×N, float32) of X (B×M) on dictionary D (N×M). */
export function inferCodes(X: Matrix, D: Matrix, o: InferOptions): Matrix<Float32Array> {
  if (o.method === 'omp') return batchOmp(X, D, o.k ?? 1, o.nonneg ?? true);
  const r = lassoCD(X, D, {
    lambda: o.lambda ?? 0.05, nonneg: o.nonneg ?? true, maxIter: o.maxIter ?? 200, tol: o.tol ?? 1e-4, init: o.init,
  });
  const c = r.codes;
  return c.data instanceof Float32Array ? (c as Matrix<Float32Array>) : matrix(c.rows, c.cols, Float32Array.from(c.data));
}

/**
 * Batch OMP: for each sample, K greedy steps choosing the atom most correlated with the residual
 * (largest positive correlation if `nonneg`), least-squares refit on the support via an incrementally
 * updated Cholesky factor of the Gram sub-matrix. Non-negative refits clip negative coefficients to 0
 * (an approximation of NNLS that is exact when the support's LS solution is already non-negative).
 * Works on the Gram G = D·Dᵀ and correlations X·Dᵀ only: O(B·K·N + N²·M) after one B×M×N product.
 */
export function batchOmp(X: Matrix, D: Matrix, k: number, nonneg = true): Matrix<Float32Array> {
  const B = X.rows, N = D.rows;
  const K = Math.min(k, N, D.cols);
  const alpha = gemmNT(X, D).data; // B×N
  const G = gram(D).data; // N×N
  const Z = new Float32Array(B * N);
  const L = new Float64Array(K * K);
  const S = new Int32Array(K);
  const corr = new Float64Array(N);
  const coef = new Float64Array(K);
  const tmp = new Float64Array(K);
  for (let b = 0; b < B; b++) {
    const a = alpha.subarray(b * N, (b + 1) * N);
    corr.set(a);
    let s = 0;
    for (; s < K; s++) {
      let best = -1, bv = 1e-10;
      for (let i = 0; i < N; i++) {
        const v = nonneg ? corr[i] : Math.abs(corr[i]);
        if (v > bv) { bv = v; best = i; }
      }
      if (best < 0) break;
      let dup = false;
      for (let t = 0; t < s; t++) if (S[t] === best) dup = true;
      if (dup) break;
      // Cholesky update: new row w = L⁻¹ G[S, best]
      if (s > 0) {
        for (let t = 0; t < s; t++) {
          let v = G[S[t] * N + best];
          for (let u = 0; u < t; u++) v -= L[t * K + u] * tmp[u];
          tmp[t] = v / L[t * K + t];
        }
        let d = G[best * N + best];
        for (let t = 0; t < s; t++) d -= tmp[t] * tmp[t];
        if (d <= 1e-10) break; // atom (nearly) in the span of the support
        for (let t = 0; t < s; t++) L[s * K + t] = tmp[t];
        L[s * K + s] = Math.sqrt(d);
      } else {
        L[0] = Math.sqrt(G[best * N + best]);
      }
      S[s] = best;
      // solve L Lᵀ c = a_S
      const n = s + 1;
      for (let t = 0; t < n; t++) {
        let v = a[S[t]];
        for (let u = 0; u < t; u++) v -= L[t * K + u] * coef[u];
        coef[t] = v / L[t * K + t];
      }
      for (let t = n - 1; t >= 0; t--) {
        let v = coef[t];
        for (let u = t + 1; u < n; u++) v -= L[u * K + t] * coef[u];
        coef[t] = v / L[t * K + t];
      }
      // residual correlations: corr = a − G[:, S]·c
      corr.set(a);
      for (let t = 0; t < n; t++) {
        const c = coef[t], go = S[t] * N;
        for (let i = 0; i < N; i++) corr[i] -= c * G[go + i];
      }
      for (let t = 0; t < n; t++) corr[S[t]] = 0;
    }
    for (let t = 0; t < s; t++) {
      const v = coef[t];
      Z[b * N + S[t]] = nonneg ? Math.max(0, v) : v;
    }
  }
  return matrix(B, N, Z);
}
