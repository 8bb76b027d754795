/**
 * Dictionary recovery: how well estimated atoms (rows of D̂) match true atoms (rows of D), up to
 * permutation, sign and scale.
 */
import { Matrix, MatrixLike, matrix } from '../core/matrix';

import { ShapeError, ValueError } from '../core/errors';
import { checkMatrix64, rescaled } from './input';
import { dotRows, normalizeRowSet, rowsAsRows } from './vectors';
import { matchedSimilarity } from './mcc';

/** Result of {@link dictionaryRecovery}. */
export interface DictionaryRecovery {
  /** (1/N) Σ_i max_j |cos(d_i, d̂_j)|: each true atom's best estimate (estimates may be reused). */
  meanBestCos: number;
  /** (1/N̂) Σ_j max_i |cos(d_i, d̂_j)|: each estimated atom's best true atom (how many estimates are "real"). */
  meanBestCosPred: number;
  /** Mean over the N true atoms of |cos| after an optimal one-to-one (Hungarian) matching; unmatched atoms score 0. */
  matchedCos: number;
  /** matching[i] = estimated atom matched to true atom i (−1 if N > N̂ left it unmatched). */
  matching: Int32Array;
  /** |cos| of each true atom with its matched estimate. */
  perAtom: Float64Array;
  /** Signed cosine matrix N×N̂. */
  cosine: Matrix<Float64Array>;
}

/**
 * Pairwise cosine similarities (N×N̂, float64, signed) between the rows of `a` (N×M) and `b` (N̂×M).
 * A zero row has no direction: its cosine with everything is defined as 0 (a dead atom recovers nothing).
 */
export function cosineMatrix(a: MatrixLike, b: MatrixLike): Matrix<Float64Array> {
  const A = checkMatrix64('a (rows are vectors)', a);
  const Bm = checkMatrix64('b (rows are vectors)', b);
  if (A.cols !== Bm.cols) throw new ShapeError(`cosineMatrix: a has ${A.cols} columns but b has ${Bm.cols}; both must live in the same space (same M)`);
  return cosineUnchecked(A, Bm);
}

function cosineUnchecked(A: Matrix, Bm: Matrix): Matrix<Float64Array> {
  const a = rowsAsRows(A), b = rowsAsRows(Bm);
  normalizeRowSet(a, A.rows, A.cols);
  normalizeRowSet(b, Bm.rows, Bm.cols);
  const c = dotRows(a, A.rows, b, Bm.rows, A.cols);
  for (let k = 0; k < c.length; k++) c[k] = Math.max(-1, Math.min(1, c[k]));
  return matrix(A.rows, Bm.rows, c);
}

/**
 * Dictionary recovery between a true dictionary `dTrue` (N×M, one atom per row) and an estimate
 * `dPred` (N̂×M). Uses absolute cosines, since an atom and its code can flip sign together, and atom
 * norms are irrelevant. Reports both directions of "mean best cosine" (see {@link DictionaryRecovery})
 * and the Hungarian-matched mean (each estimate used at most once — the stricter, MCC-like score that
 * the amortisation-gap work calls "dictionary MCC"). All in [0, 1]; 1 = recovered up to
 * permutation/sign/scale. Zero rows are allowed and score 0.
 */
export function dictionaryRecovery(dTrue: MatrixLike, dPred: MatrixLike): DictionaryRecovery {
  const D = rescaled(checkMatrix64('dTrue (N×M true dictionary, one atom per row)', dTrue, { names: ['N', 'M'] }), 'row');
  const Dh = rescaled(checkMatrix64('dPred (N̂×M estimated dictionary, one atom per row)', dPred, { names: ['N̂', 'M'] }), 'row');
  if (D.cols !== Dh.cols) {
    throw new ShapeError(`dictionaryRecovery: dTrue atoms have ${D.cols} dims (M) but dPred atoms have ${Dh.cols}` +
      (D.cols === Dh.rows ? ' — dPred looks transposed (atoms must be rows, D is N×M)' : ''));
  }
  if (D.rows === 0 || Dh.rows === 0) throw new ValueError('dictionaryRecovery: both dictionaries need at least one atom (row)');
  const cos = cosineUnchecked(D, Dh);
  const N = D.rows, Nh = Dh.rows;
  const bestRow = new Float64Array(N), bestCol = new Float64Array(Nh);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < Nh; j++) {
      const v = Math.abs(cos.data[i * Nh + j]);
      if (v > bestRow[i]) bestRow[i] = v;
      if (v > bestCol[j]) bestCol[j] = v;
    }
  }
  const m = matchedSimilarity(cos);
  return {
    meanBestCos: mean(bestRow),
    meanBestCosPred: mean(bestCol),
    matchedCos: m.mcc,
    matching: m.matching,
    perAtom: m.perFeature,
    cosine: cos,
  };
}

function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return a.length ? s / a.length : 0;
}
