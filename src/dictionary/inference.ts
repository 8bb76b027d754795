/**
 * Sparse inference used by the dictionary learners: the one adapter between `dictionary/` and `sparse/`
 * (OMP with Cholesky updates, FISTA, coordinate-descent lasso).
 */
import { Matrix, matrix } from '../core/matrix';
import { lassoCD } from '../sparse/cd';
import { omp } from '../sparse/omp';
import { fista } from '../sparse/proximal';
import { SparseCodeResult } from '../sparse/types';

/** Options of {@link inferCodes}. */
export interface InferOptions {
  /** 'omp' (≤ k atoms), 'lasso' (coordinate descent) or 'fista' (both ℓ1 with penalty λ). */
  method: 'omp' | 'lasso' | 'fista';
  /** Atoms per sample for OMP. */
  k?: number;
  /** λ for the lasso (objective ½‖x − zD‖² + λ‖z‖₁). */
  lambda?: number;
  /** Non-negative codes (default true). */
  nonneg?: boolean;
  /** Max iterations of the lasso solvers (default 200 for CD, 1000 for FISTA). */
  maxIter?: number;
  /** Lasso tolerance (default 1e-4 for CD, 1e-6 for FISTA). */
  tol?: number;
  /** Warm start for the lasso (B×N). */
  init?: Matrix;
}

/** Sparse codes with the solver's report (iterations, convergence). X: B×M, D: N×M, codes B×N float32. */
export function inferCodesResult(X: Matrix, D: Matrix, o: InferOptions): SparseCodeResult & { codes: Matrix<Float32Array> } {
  const nonneg = o.nonneg ?? true;
  let r: SparseCodeResult;
  if (o.method === 'omp') r = omp(X, D, { k: o.k ?? 1, nonneg });
  else if (o.method === 'fista') {
    r = fista(X, D, { lambda: o.lambda ?? 0.05, nonneg, maxIter: o.maxIter ?? 1000, tol: o.tol ?? 1e-6, init: o.init, progress: false });
  } else {
    r = lassoCD(X, D, { lambda: o.lambda ?? 0.05, nonneg, maxIter: o.maxIter ?? 200, tol: o.tol ?? 1e-4, init: o.init, progress: false });
  }
  const c = r.codes;
  const codes = c.data instanceof Float32Array ? (c as Matrix<Float32Array>) : matrix(c.rows, c.cols, Float32Array.from(c.data));
  return { ...r, codes };
}

/** Codes Z (B×N, float32) of X (B×M) on dictionary D (N×M). */
export function inferCodes(X: Matrix, D: Matrix, o: InferOptions): Matrix<Float32Array> {
  return inferCodesResult(X, D, o).codes;
}
