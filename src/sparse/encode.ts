/** One entry point for every sparse encoder, selected by name (used by the CLI and by dictionary learning). */
import { ValueError } from '../core/errors';
import { MatrixLike } from '../core/matrix';
import { lassoCD } from './cd';
import { iht } from './iht';
import { omp } from './omp';
import { fista, ista } from './proximal';
import { LassoOptions, SparseCodeResult, SparseEncodeOptions } from './types';

/** Names accepted by {@link sparseEncode}. */
export const SPARSE_METHODS = ['ista', 'fista', 'cd', 'omp', 'iht'] as const;

/**
 * Sparse codes of X (B×M) on the dictionary D (N×M, atoms in rows) with the named method:
 * 'ista' | 'fista' | 'cd' (lasso; need `lambda`) or 'omp' | 'iht' (need `k`). Returns codes B×N.
 */
export function sparseEncode(X: MatrixLike, D: MatrixLike, opts: SparseEncodeOptions): SparseCodeResult {
  const m = opts?.method;
  if (m === 'omp' || m === 'iht') {
    if (opts.k === undefined) throw new ValueError(`sparseEncode: method '${m}' needs k (atoms per sample)`);
    const g = { k: opts.k, tol: opts.tol, nonneg: opts.nonneg, maxIter: opts.maxIter };
    return m === 'omp' ? omp(X, D, g) : iht(X, D, { ...g, step: opts.step, init: opts.init });
  }
  if (m === 'ista' || m === 'fista' || m === 'cd') {
    if (opts.lambda === undefined) throw new ValueError(`sparseEncode: method '${m}' needs lambda (the ℓ1 penalty)`);
    const l: LassoOptions = { lambda: opts.lambda, nonneg: opts.nonneg, tol: opts.tol, stop: opts.stop,
      maxIter: opts.maxIter, init: opts.init, progress: opts.progress };
    return m === 'cd' ? lassoCD(X, D, l) : m === 'ista' ? ista(X, D, l) : fista(X, D, { ...l, restart: opts.restart });
  }
  throw new ValueError(`sparseEncode: unknown method '${String(m)}'; use one of ${SPARSE_METHODS.join(', ')}`);
}
