/**
 * Correlation matrices between the columns of two sample matrices (float64), Pearson or Spearman.
 */
import { Matrix, MatrixLike, matrix } from '../core/matrix';
import { gemmNT } from '../compute/dense';

import { ShapeError, ValueError } from '../core/errors';
import { checkMatrix64, rescaled } from './input';
import { columnsAsRows, countNonzero, dotRows, rankRows, sparseColumns, sparseCorrelation, standardizeRows } from './vectors';

/** Which correlation coefficient: Pearson's r, or Spearman's ρ (Pearson on average ranks). */
export type CorrelationMethod = 'pearson' | 'spearman';

/**
 * Arithmetic of the dense correlation kernel: 'float64' (default) is exact to ~1e-15 but runs at
 * ~1–3 GFLOP/s in plain JS (about 12 s for 16k×1024 against 16k×1024 dense codes); 'auto' sends the
 * product of standardised columns through the engine's float32 product (compute/dense) when a fast backend is
 * active (call `await initBackend()` first) — several times faster, with errors ~1e-6 in r. Sparse
 * codes use an exact float64 sparse kernel either way.
 */
export type CorrelationPrecision = 'float64' | 'auto';

/**
 * Cross-correlation matrix R (N×N̂, float64) between the columns of `a` (B×N) and `b` (B×N̂):
 * R[i][j] = corr(a[:, i], b[:, j]). A constant column (zero variance, e.g. a dead feature) has no
 * defined correlation; it is given correlation 0 with everything, so it never counts as recovered.
 * Cost O(B·N·N̂).
 */
export function crossCorrelation(a: MatrixLike, b: MatrixLike, method: CorrelationMethod = 'pearson', opts: { precision?: CorrelationPrecision } = {}): Matrix<Float64Array> {
  const A = rescaled(checkMatrix64('a (samples×features)', a), 'col');
  const Bm = rescaled(checkMatrix64('b (samples×features)', b), 'col');
  if (A.rows !== Bm.rows) {
    throw new ShapeError(`crossCorrelation: a has ${A.rows} samples (rows) but b has ${Bm.rows}; pass codes of the same samples in the same order`);
  }
  return crossCorrelationUnchecked(A, Bm, method, 'auto', checkPrecision('crossCorrelation', opts.precision));
}

/** Validate a {@link CorrelationPrecision} option. @internal */
export function checkPrecision(fn: string, p: CorrelationPrecision | undefined): CorrelationPrecision {
  if (p !== undefined && p !== 'float64' && p !== 'auto') throw new ValueError(`${fn}: precision must be 'float64' or 'auto', got '${p}'`);
  return p ?? 'float64';
}

/**
 * {@link crossCorrelation} without validation (internal). `path` forces the dense (blocked two-pass)
 * or the sparse (raw moments over off-baseline entries) kernel; 'auto' picks sparse when the codes
 * have few enough non-zeros for it to be clearly cheaper (SAE and planted codes usually are).
 */
export function crossCorrelationUnchecked(A: Matrix, Bm: Matrix, method: CorrelationMethod, path: 'auto' | 'dense' | 'sparse' = 'auto', precision: CorrelationPrecision = 'float64'): Matrix<Float64Array> {
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
    r = precision === 'auto'
      ? gemmNT(matrix(A.cols, n, at), matrix(Bm.cols, n, bt), { precision: 'auto' }).data
      : dotRows(at, A.cols, bt, Bm.cols, n);
  }
  // Round-off can push |r| a hair above 1 for identical columns; clip.
  for (let k = 0; k < r.length; k++) r[k] = Math.max(-1, Math.min(1, r[k]));
  return matrix(A.cols, Bm.cols, r);
}
