/**
 * Shared set-up of the sparse solvers (internal): input validation, the Gram matrix G = D·Dᵀ (N×N), the
 * correlations C = X·Dᵀ (B×N), and the exact evaluation of objective and duality gap from residuals.
 */
import { ShapeError, ValueError } from '../core/errors';
import { gemm, gemmNT, gram } from '../compute/dense';
import { FloatArray, Matrix, MatrixLike, matrix } from '../core/matrix';
import { checkMatrix, checkNoZeroRows, checkNumber } from '../core/validate';

/** A validated problem with the products every solver needs. */
export interface Problem {
  X: Matrix;
  D: Matrix;
  B: number;
  N: number;
  M: number;
  /** G = D·Dᵀ, N×N row-major, float64. */
  G: Float64Array;
  /** C = X·Dᵀ, B×N row-major, float64. */
  C: Float64Array;
  /** ‖x_b‖² per sample (float64). */
  xx: Float64Array;
}

/** Validate X (B×M) and D (N×M) for `fn`: shapes agree, entries finite, no zero atom. */
export function checkXD(fn: string, X: MatrixLike, D: MatrixLike): { X: Matrix; D: Matrix } {
  const d = checkMatrix(`${fn}: D (dictionary, N×M, one atom per row)`, D, { names: ['N', 'M'] });
  const x = checkMatrix(`${fn}: X (data, B×M)`, X, { names: ['B', 'M'] });
  if (x.cols !== d.cols) {
    const hint = x.cols === d.rows ? ' — D looks transposed (atoms must be rows)' :
      x.rows === d.cols ? ' — X looks transposed (samples must be rows)' : '';
    throw new ShapeError(`${fn}: X has ${x.cols} columns but D has ${d.cols}; X must be B×M and D N×M with the same M${hint}`);
  }
  if (d.rows === 0) throw new ShapeError(`${fn}: D has no atoms (0 rows)`);
  checkNoZeroRows(`${fn}: D (dictionary)`, d);
  return { X: x, D: d };
}

/** Validate λ. */
export function checkLambda(fn: string, lambda: number): number {
  if (lambda === undefined) throw new ValueError(`${fn}: option lambda is required (the ℓ1 penalty, ≥ 0)`);
  return checkNumber(`${fn}: lambda`, lambda, 0);
}

/** Validate a warm start: B×N, finite; returns float64 copy (clipped at 0 when nonneg). */
export function checkInit(fn: string, init: MatrixLike | undefined, B: number, N: number, nonneg: boolean): Float64Array {
  const out = new Float64Array(B * N);
  if (init === undefined) return out;
  const z = checkMatrix(`${fn}: init (warm-start codes, B×N)`, init, { rows: B, cols: N, names: ['B', 'N'] });
  for (let i = 0; i < out.length; i++) out[i] = nonneg ? Math.max(0, z.data[i]) : z.data[i];
  return out;
}

/** Build the problem: G, C and ‖x‖². */
export function prepare(X: Matrix, D: Matrix): Problem {
  const B = X.rows, N = D.rows, M = D.cols;
  const G = gram(D).data;
  const C = gemmNT(X, D).data;
  const xx = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let j = 0; j < M; j++) { const v = X.data[b * M + j]; s += v * v; }
    xx[b] = s;
  }
  return { X, D, B, N, M, G, C, xx };
}

/** Residuals R = X − Z·D (B×M, float64); the product skips zero codes (cost B·nnz·M). */
export function residuals(X: Matrix, D: Matrix, Z: FloatArray): Float64Array {
  const R = gemm(matrix(X.rows, D.rows, Z), D, { precision: 'float64' }).data;
  for (let i = 0; i < R.length; i++) R[i] = X.data[i] - R[i];
  return R;
}

/** Per-sample lasso primal, dual and gap from exact residuals. */
export interface LassoEval {
  primal: Float64Array;
  gap: Float64Array;
  /** D·r per sample (B×N), r the dual residual — the negative gradient at Zdual, reused to refresh solver state. */
  Q: Float64Array;
  /** Residuals x − z_dual·D (B×M, float64) behind the dual point and Q. */
  R: Float64Array;
  meanPrimal: number;
  meanGap: number;
}

/** Dual objective of sample b at ν = s·r (r = row b of Rd, scaled into the dual feasible set by its correlations Q[b]). */
function rowDual(X: Matrix, Rd: Float64Array, Q: Float64Array, b: number, N: number, lambda: number, nonneg: boolean): number {
  const M = X.cols;
  let rr = 0, xr = 0, qmax = 0;
  for (let m = 0; m < M; m++) {
    const r = Rd[b * M + m];
    rr += r * r; xr += X.data[b * M + m] * r;
  }
  for (let j = 0; j < N; j++) {
    const q = nonneg ? Q[b * N + j] : Math.abs(Q[b * N + j]);
    if (q > qmax) qmax = q;
  }
  const s = qmax > lambda ? lambda / qmax : 1;
  // ½‖x‖² − ½‖x − s r‖² = s x·r − ½ s² ‖r‖²
  return s * xr - 0.5 * s * s * rr;
}

/**
 * Exact lasso evaluation of codes Z: P = ½‖x − zD‖² + λ‖z‖₁ per sample; dual point ν = s·r with r the residual
 * of `Zdual` (default Z) scaled into {ν : |D ν| ≤ λ} (non-negative: D ν ≤ λ); dual ½‖x‖² − ½‖x − ν‖²;
 * gap = P − dual ≥ 0 (any dual-feasible ν gives a valid bound; the solvers pass their float64 iterate as
 * `Zdual` so that rounding the returned codes to float32 does not inflate the gap). The correlations D·r use
 * the fast (float32) product when available; {@link refineRows} redoes chosen rows in float64.
 */
export function evalLasso(X: Matrix, D: Matrix, Z: FloatArray, lambda: number, nonneg: boolean, Zdual: FloatArray = Z): LassoEval {
  const B = X.rows, N = D.rows, M = D.cols;
  const Rp = residuals(X, D, Z);
  const R = Zdual === Z ? Rp : residuals(X, D, Zdual);
  const Q = gemmNT(matrix(B, M, R), D).data;
  const primal = new Float64Array(B), gap = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let rr = 0, l1 = 0;
    for (let m = 0; m < M; m++) { const r = Rp[b * M + m]; rr += r * r; }
    for (let j = 0; j < N; j++) l1 += Math.abs(Z[b * N + j]);
    primal[b] = 0.5 * rr + lambda * l1;
    gap[b] = Math.max(0, primal[b] - rowDual(X, R, Q, b, N, lambda, nonneg));
  }
  const ev = { primal, gap, Q, R, meanPrimal: 0, meanGap: 0 };
  updateMeans(ev);
  return ev;
}

function updateMeans(ev: LassoEval): void {
  const B = ev.primal.length;
  let sp = 0, sg = 0;
  for (let b = 0; b < B; b++) { sp += ev.primal[b]; sg += ev.gap[b]; }
  ev.meanPrimal = B ? sp / B : 0;
  ev.meanGap = B ? sg / B : 0;
}

/** Recompute the correlations D·r of the listed samples in float64 (N·M flops each) and their gaps, in place. */
export function refineRows(ev: LassoEval, X: Matrix, D: Matrix, lambda: number, nonneg: boolean, rows: ArrayLike<number>): void {
  const N = D.rows, M = D.cols, Dd = D.data, R = ev.R, Q = ev.Q;
  for (let t = 0; t < rows.length; t++) {
    const b = rows[t], ro = b * M;
    for (let j = 0; j < N; j++) {
      let s = 0;
      const o = j * M;
      for (let m = 0; m < M; m++) s += R[ro + m] * Dd[o + m];
      Q[b * N + j] = s;
    }
    ev.gap[b] = Math.max(0, ev.primal[b] - rowDual(X, R, Q, b, N, lambda, nonneg));
  }
  updateMeans(ev);
}

/** Batch-mean ½‖x − zD‖² (float64). */
export function meanHalfResidual(X: Matrix, D: Matrix, Z: FloatArray): number {
  const R = residuals(X, D, Z);
  let s = 0;
  for (let i = 0; i < R.length; i++) s += R[i] * R[i];
  return X.rows ? 0.5 * s / X.rows : 0;
}

/** The result of a greedy encoder (objective = mean ½‖x − zD‖² of the float32 codes returned). */
export function greedyResult(X: Matrix, D: Matrix, Z: Float64Array, iterations: number, converged: boolean, t0: number) {
  const codes = toCodes(Z, X.rows, D.rows);
  return { codes, objective: meanHalfResidual(X, D, codes.data), iterations, converged, seconds: (performance.now() - t0) / 1000 };
}

/** Float64 codes → float32 B×N matrix. */
export function toCodes(Z: Float64Array, B: number, N: number): Matrix {
  return matrix(B, N, Float32Array.from(Z));
}
