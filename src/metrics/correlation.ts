/**
 * Correlation matrices between the columns of two sample matrices (float64), Pearson or Spearman.
 */
import { Matrix, MatrixLike, matrix } from '../core/matrix';

import { ShapeError } from '../core/errors';
import { checkMatrix64 } from './input';
import { columnsAsRows, countNonzero, dotRows, rankRows, sparseColumns, sparseCorrelation, standardizeRows } from './kernels';

/** Which correlation coefficient: Pearson's r, or Spearman's ρ (Pearson on average ranks). */
export type CorrelationMethod = 'pearson' | 'spearman';

/**
 * Cross-correlation matrix R (N×N̂, float64) between the columns of `a` (B×N) and `b` (B×N̂):
 * R[i][j] = corr(a[:, i], b[:, j]). A constant column (zero variance, e.g. a dead feature) has no
 * defined correlation; it is given correlation 0 with everything, so it never counts as recovered.
 * Cost O(B·N·N̂).
 */
export function crossCorrelation(a: MatrixLike, b: MatrixLike, method: CorrelationMethod = 'pearson'): Matrix<Float64Array> {
  const A = checkMatrix64('a (samples×features)', a);
  const Bm = checkMatrix64('b (samples×features)', b);
  if (A.rows !== Bm.rows) {
    throw new ShapeError(`crossCorrelation: a has ${A.rows} samples (rows) but b has ${Bm.rows}; pass codes of the same samples in the same order`);
  }
  return crossCorrelationUnchecked(A, Bm, method);
}

/**
 * {@link crossCorrelation} without validation (internal). `path` forces the dense (blocked two-pass)
 * or the sparse (raw moments over off-baseline entries) kernel; 'auto' picks sparse when the codes
 * have few enough non-zeros for it to be clearly cheaper (SAE and planted codes usually are).
 */
export function crossCorrelationUnchecked(A: Matrix, Bm: Matrix, method: CorrelationMethod, path: 'auto' | 'dense' | 'sparse' = 'auto'): Matrix<Float64Array> {
  const n = A.rows;
  let sparse = path === 'sparse';
  if (path === 'auto') {
    // Sparse cost ≈ nnzA·nnzB/B scattered updates (~8× a blocked multiply-add) vs B·N·N̂ dense.
    sparse = 8 * (countNonzero(A) / n) * countNonzero(Bm) < 0.5 * n * A.cols * Bm.cols;
  }
  let r: Float64Array;
  if (sparse) {
    r = sparseCorrelation(sparseColumns(A, method === 'spearman'), sparseColumns(Bm, method === 'spearman'));
  } else {
    const at = columnsAsRows(A), bt = columnsAsRows(Bm);
    if (method === 'spearman') { rankRows(at, A.cols, n); rankRows(bt, Bm.cols, n); }
    standardizeRows(at, A.cols, n);
    standardizeRows(bt, Bm.cols, n);
    r = dotRows(at, A.cols, bt, Bm.cols, n);
  }
  // Round-off can push |r| a hair above 1 for identical columns; clip.
  for (let k = 0; k < r.length; k++) r[k] = Math.max(-1, Math.min(1, r[k]));
  return matrix(A.cols, Bm.cols, r);
}
