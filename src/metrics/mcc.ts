/**
 * Mean correlation coefficient (MCC) between true and estimated codes, as in the amortisation-gap work
 * (O'Neill, Gumran, Klindt 2025) and the identifiability literature.
 */
import { Matrix, MatrixLike } from '../core/matrix';

import { ShapeError, ValueError } from '../core/errors';
import { checkMatrix64, rescaled } from './input';
import { CorrelationMethod, CorrelationPrecision, checkPrecision, crossCorrelationUnchecked } from './correlation';
import { assign } from './hungarian';

/** Result of {@link mcc}. */
export interface MccResult {
  /** Mean over the N true features of |corr| with the matched estimate, in [0, 1]. */
  mcc: number;
  /** matching[i] = column of the estimate matched to true feature i, or −1 if none was left (N > N̂). */
  matching: Int32Array;
  /** perFeature[i] = |corr(true i, estimate matching[i])| (0 when unmatched or constant). */
  perFeature: Float64Array;
  /** signs[i] = sign of that correlation (+1/−1; 0 when it is 0): the estimate may be flipped. */
  signs: Int8Array;
  /** The full N×N̂ correlation matrix (signed), for plots. */
  correlation: Matrix<Float64Array>;
}

/**
 * Constant (zero-variance) columns found by {@link mcc}. Their correlation with anything is undefined; `mcc`
 * counts it as 0, so a true feature that never varies on these samples pulls the MCC down even when the
 * estimate is perfect. These fields say how many there were and give the mean over the features that vary.
 */
export interface ConstantColumns {
  /** Indices of the true features (columns of zTrue) that are constant over the B samples. */
  constantTrue: Int32Array;
  /** Indices of the estimated features (columns of zPred) that are constant over the B samples. */
  constantPred: Int32Array;
  /** Mean of perFeature over the true features that vary (constant ones excluded); NaN when none varies. */
  mccVarying: number;
}

/** Indices of the columns of `m` whose entries are all equal. */
function constantColumns(m: Matrix): Int32Array {
  const { rows: B, cols: N, data } = m;
  const out: number[] = [];
  for (let j = 0; j < N; j++) {
    const v0 = data[j];
    let b = 1;
    while (b < B && data[b * N + j] === v0) b++;
    if (b === B) out.push(j);
  }
  return Int32Array.from(out);
}

/**
 * MCC between true codes `zTrue` (B×N) and estimated codes `zPred` (B×N̂), same B samples in the same
 * order. Definition: let R[i][j] = corr(zTrue[:, i], zPred[:, j]) (Pearson, or Spearman with
 * `method: 'spearman'`). Choose the one-to-one matching π of true features to distinct estimated
 * features maximising Σ_i |R[i][π(i)]| (exact Hungarian assignment); MCC = (1/N) Σ_i |R[i][π(i)]|.
 *
 * - Sign and scale do not matter (|r|), nor does the order of the estimates: a permuted, rescaled,
 *   sign-flipped copy has MCC 1.
 * - N̂ > N (more estimates, e.g. an overcomplete SAE): every true feature gets a distinct estimate; the
 *   spare estimates are ignored. N̂ < N: only N̂ true features can be matched; the others score 0 and
 *   still count in the mean over N (so a model with too few features cannot reach 1).
 * - A constant column (zero variance) on either side has correlation 0 with everything (documented
 *   choice: an undefined correlation counts as not recovered). The result lists the constant columns of both
 *   sides and `mccVarying`, the mean over the true features that vary (see {@link ConstantColumns}).
 * - `precision: 'auto'` allows the float32 tfjs product for large dense codes (see
 *   {@link CorrelationPrecision}); the default is exact float64.
 * Values in [0, 1]; chance level for independent codes is ≈ the expected best-matched |r| of noise,
 * roughly √(2 ln N̂ / B) — small for large B, not 0.
 */
export function mcc(zTrue: MatrixLike, zPred: MatrixLike, opts: { method?: CorrelationMethod; precision?: CorrelationPrecision } = {}): MccResult & ConstantColumns {
  const method = opts.method ?? 'pearson';
  if (method !== 'pearson' && method !== 'spearman') throw new ValueError(`mcc: method must be 'pearson' or 'spearman', got '${method}'`);
  const T = rescaled(checkMatrix64('zTrue (B×N true codes)', zTrue, { names: ['B', 'N'] }), 'col');
  const P = rescaled(checkMatrix64('zPred (B×N̂ estimated codes)', zPred, { names: ['B', 'N̂'] }), 'col');
  if (T.rows !== P.rows) {
    throw new ShapeError(`mcc: zTrue has ${T.rows} samples (rows) but zPred has ${P.rows}; codes must be of the same samples, one row each` +
      (T.rows === P.cols || T.cols === P.rows ? ' — is one of them transposed?' : ''));
  }
  if (T.rows < 2) throw new ValueError(`mcc: need at least 2 samples to correlate, got ${T.rows}`);
  if (T.cols === 0) throw new ValueError('mcc: zTrue has no columns (features)');
  const precision = checkPrecision('mcc', opts.precision);
  const r = matchedSimilarity(crossCorrelationUnchecked(T, P, method, 'auto', precision));
  const constantTrue = constantColumns(T), constantPred = constantColumns(P);
  let sum = 0;
  for (let i = 0; i < r.perFeature.length; i++) sum += r.perFeature[i];
  for (const i of constantTrue) sum -= r.perFeature[i];
  const varying = T.cols - constantTrue.length;
  return { ...r, constantTrue, constantPred, mccVarying: varying ? sum / varying : NaN };
}

/**
 * The matching step of {@link mcc} on a precomputed signed similarity matrix S (N×N̂): maximise
 * Σ |S[i][π(i)]| over one-to-one π; the mean is over all N rows (unmatched rows score 0).
 * Also used for dictionaries (S = cosines of atoms).
 */
export function matchedSimilarity(S: Matrix<Float64Array>): MccResult {
  const N = S.rows, Nh = S.cols;
  const absS = { rows: N, cols: Nh, data: S.data.map(Math.abs) };
  const { rowInd, colInd } = assign(absS, true);
  const matching = new Int32Array(N).fill(-1);
  const perFeature = new Float64Array(N);
  const signs = new Int8Array(N);
  let sum = 0;
  for (let k = 0; k < rowInd.length; k++) {
    const i = rowInd[k], j = colInd[k];
    const r = S.data[i * Nh + j];
    matching[i] = j;
    perFeature[i] = Math.abs(r);
    signs[i] = r > 0 ? 1 : r < 0 ? -1 : 0;
    sum += Math.abs(r);
  }
  return { mcc: N === 0 ? 0 : sum / N, matching, perFeature, signs, correlation: S };
}
