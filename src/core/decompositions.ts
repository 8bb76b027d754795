/**
 * Small dense float64 decompositions (p×p systems with p up to a few hundred), shared by metrics,
 * dictionary learning and the experiments:
 * Cholesky factorisation and solves, one-sided Jacobi SVD, column means and principal directions (PCA).
 * Row-major Float64Arrays.
 */
import { ValueError } from './errors';
import { Matrix, matrix } from './matrix';
import { checkInt } from './validate';

/** Lower-triangular L with A = L·Lᵀ for symmetric positive definite A (n×n); throws if not SPD. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= L[j * n + k] * L[j * n + k];
    if (!(d > 0)) throw new ValueError(`cholesky: matrix is not positive definite (pivot ${j} = ${d}); add regularisation (a larger alpha/eps)`);
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

/** In place: solve L·X = B for X (B is n×m, row-major), L lower triangular n×n. */
export function solveLower(L: Float64Array, n: number, b: Float64Array, m: number): void {
  substitute(L, n, b, m, false);
}

/** In place: solve Lᵀ·X = B for X (B is n×m), L lower triangular n×n. */
export function solveUpperT(L: Float64Array, n: number, b: Float64Array, m: number): void {
  substitute(L, n, b, m, true);
}

/** Forward (L) or backward (Lᵀ) substitution, in place on the n×m right-hand sides. */
function substitute(L: Float64Array, n: number, b: Float64Array, m: number, transposed: boolean): void {
  for (let t = 0; t < n; t++) {
    const i = transposed ? n - 1 - t : t;
    const k0 = transposed ? i + 1 : 0, k1 = transposed ? n : i;
    for (let k = k0; k < k1; k++) {
      const l = transposed ? L[k * n + i] : L[i * n + k];
      if (l === 0) continue;
      for (let c = 0; c < m; c++) b[i * m + c] -= l * b[k * m + c];
    }
    const inv = 1 / L[i * n + i];
    for (let c = 0; c < m; c++) b[i * m + c] *= inv;
  }
}

/** Solve A·X = B for SPD A (n×n) and B (n×m); returns X (n×m). */
export function solveSpd(a: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  const L = cholesky(a, n);
  const x = b.slice();
  solveLower(L, n, x, m);
  solveUpperT(L, n, x, m);
  return x;
}

/** Thin SVD A = U·diag(s)·Vᵀ of an r×c matrix: U r×k, s (k, descending), V c×k, k = min(r, c). */
export interface Svd { u: Float64Array; s: Float64Array; v: Float64Array; k: number }

/**
 * Thin SVD by one-sided Jacobi (Hestenes) rotations on the columns; accurate to ~1e-14 relative.
 * O(sweeps·r·c²); fine for the small matrices of CCA and Procrustes. For a zero singular value the
 * matching column of U is zero (not completed to an orthonormal basis).
 */
export function svd(a: Float64Array, r: number, c: number): Svd {
  if (r < c) {
    // SVD of Aᵀ, then swap U and V.
    const t = new Float64Array(r * c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = a[i * c + j];
    const s = svd(t, c, r);
    return { u: s.v, s: s.s, v: s.u, k: s.k };
  }
  // Work on columns stored as rows (column j of A = row j of W) for contiguous access.
  const W = new Float64Array(c * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) W[j * r + i] = a[i * c + j];
  const V = new Float64Array(c * c);
  for (let j = 0; j < c; j++) V[j * c + j] = 1; // rows of V here are columns of the final V
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < c - 1; p++) {
      for (let q = p + 1; q < c; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        const op = p * r, oq = q * r;
        for (let i = 0; i < r; i++) { const x = W[op + i], y = W[oq + i]; alpha += x * x; beta += y * y; gamma += x * y; }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t), sn = cs * t;
        for (let i = 0; i < r; i++) { const x = W[op + i], y = W[oq + i]; W[op + i] = cs * x - sn * y; W[oq + i] = sn * x + cs * y; }
        const vp = p * c, vq = q * c;
        for (let i = 0; i < c; i++) { const x = V[vp + i], y = V[vq + i]; V[vp + i] = cs * x - sn * y; V[vq + i] = sn * x + cs * y; }
      }
    }
    if (!rotated) break;
  }
  const norms = new Float64Array(c);
  for (let j = 0; j < c; j++) { let s = 0; for (let i = 0; i < r; i++) s += W[j * r + i] ** 2; norms[j] = Math.sqrt(s); }
  const order = Array.from({ length: c }, (_, j) => j).sort((x, y) => norms[y] - norms[x]);
  const k = c;
  const U = new Float64Array(r * k), S = new Float64Array(k), Vout = new Float64Array(c * k);
  for (let kk = 0; kk < k; kk++) {
    const j = order[kk];
    S[kk] = norms[j];
    const inv = norms[j] > 0 ? 1 / norms[j] : 0;
    for (let i = 0; i < r; i++) U[i * k + kk] = W[j * r + i] * inv;
    for (let i = 0; i < c; i++) Vout[i * k + kk] = V[j * c + i];
  }
  return { u: U, s: S, v: Vout, k };
}

/** Column means (length M) of X (B×M). */
export function colMeans(X: Matrix): Float64Array {
  const mu = new Float64Array(X.cols);
  for (let b = 0; b < X.rows; b++) for (let j = 0; j < X.cols; j++) mu[j] += X.data[b * X.cols + j] / X.rows;
  return mu;
}

/**
 * Principal directions of X (B×M): the top `count` right singular vectors of the centred data, as rows
 * (count×M, float64, unit norm, by decreasing variance), and the column means.
 */
export function principalDirections(X: Matrix, count: number): { directions: Matrix<Float64Array>; mean: Float64Array; variance: Float64Array } {
  const B = X.rows, M = X.cols;
  checkInt('count (components)', count, 1, M);
  const mean = colMeans(X);
  const a = new Float64Array(B * M);
  for (let b = 0; b < B; b++) for (let j = 0; j < M; j++) a[b * M + j] = X.data[b * M + j] - mean[j];
  const s = svd(a, B, M);
  const order = Array.from({ length: s.k }, (_, i) => i).sort((i, j) => s.s[j] - s.s[i]).slice(0, count);
  const dirs = new Float64Array(count * M), variance = new Float64Array(count);
  order.forEach((c, r) => {
    for (let j = 0; j < M; j++) dirs[r * M + j] = s.v[j * s.k + c];
    variance[r] = (s.s[c] * s.s[c]) / (B - 1);
  });
  return { directions: matrix(count, M, dirs), mean, variance };
}
