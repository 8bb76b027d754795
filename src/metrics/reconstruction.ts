/**
 * Reconstruction quality of X̂ against X (both B×M): MSE, fraction of variance unexplained, explained
 * variance, scikit-learn's R² score, and the FVU of the best k-term approximation in a basis.
 */
import { Matrix, MatrixLike } from '../core/matrix';
import { ShapeError, ValueError } from '../core/errors';
import { checkInt } from '../core/validate';
import { colMeans } from '../core/decompositions';
import { checkMatrix64 } from './input';

/** Validate a (target, estimate) pair of equal shape. @internal */
export function checkPair(fn: string, x: MatrixLike, xHat: MatrixLike, names: [string, string] = ['x', 'xHat']): [Matrix, Matrix] {
  const X = checkMatrix64(`${names[0]} (B×M targets)`, x, { names: ['B', 'M'] });
  const Xh = checkMatrix64(`${names[1]} (B×M estimates)`, xHat, { names: ['B', 'M'] });
  if (X.rows !== Xh.rows || X.cols !== Xh.cols) {
    throw new ShapeError(`${fn}: ${names[0]} is ${X.rows}×${X.cols} but ${names[1]} is ${Xh.rows}×${Xh.cols}; they must have the same shape`);
  }
  if (X.rows === 0 || X.cols === 0) throw new ValueError(`${fn}: empty input (${X.rows}×${X.cols})`);
  return [X, Xh];
}

/** Mean squared error over all B·M entries: (1/(B·M)) Σ (x − x̂)². Units: squared data units. */
export function mse(x: MatrixLike, xHat: MatrixLike): number {
  const [X, Xh] = checkPair('mse', x, xHat);
  let s = 0;
  for (let k = 0; k < X.data.length; k++) { const d = X.data[k] - Xh.data[k]; s += d * d; }
  return s / X.data.length;
}

/**
 * Fraction of variance unexplained: Σ‖x_b − x̂_b‖² / Σ‖x_b − x̄‖², with x̄ the mean row of X (B×M).
 * 0 = perfect, 1 = no better than predicting the mean. Pools all dimensions (variance-weighted).
 * Throws if X is constant (the ratio is undefined).
 */
export function fvu(x: MatrixLike, xHat: MatrixLike): number {
  const [X, Xh] = checkPair('fvu', x, xHat);
  const { rows, cols } = X;
  const mean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += X.data[i * cols + j];
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  let res = 0, tot = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = X.data[i * cols + j];
      const d = v - Xh.data[i * cols + j], c = v - mean[j];
      res += d * d; tot += c * c;
    }
  }
  if (!(tot > 0)) throw new ValueError('fvu: x has zero variance, so the fraction of variance unexplained is undefined');
  return res / tot;
}

/**
 * {@link fvu}, mean L0 and feature use accumulated over blocks of samples, for data streamed from disk (larger
 * than memory): add each block's targets X (b×M), reconstructions X̂ (b×M) and codes Z (b×N) with {@link add}.
 * The result equals {@link fvu} on the whole data up to float64 rounding: the total variance is accumulated
 * about the first block's column means (a shifted sum of squares, so a large mean does not cancel the variance).
 */
export class ReconstructionAccumulator {
  /** Samples added so far. */
  rows = 0;
  /** Non-zero codes added so far. */
  nonzeros = 0;
  private res = 0;
  private shift: Float64Array | null = null;
  private readonly s1: Float64Array;
  private readonly s2: Float64Array;
  /** Whether feature j was non-zero on any sample. */
  private readonly used: Uint8Array;

  /** @param cols M, entries per sample; @param features N, codes per sample (0 when no codes are added) */
  constructor(readonly cols: number, readonly features = 0) {
    this.s1 = new Float64Array(cols);
    this.s2 = new Float64Array(cols);
    this.used = new Uint8Array(features);
  }

  /** Add b samples: X and X̂ (b×M row-major, b = X.length / M) and, when features > 0, their codes Z (b×N). */
  add(X: ArrayLike<number>, Xhat: ArrayLike<number>, Z?: ArrayLike<number>): void {
    const M = this.cols, b = X.length / M;
    if (!Number.isInteger(b) || Xhat.length !== X.length) throw new ShapeError(`ReconstructionAccumulator.add: X has ${X.length} entries and X̂ ${Xhat.length}; both must be b×${M}`);
    if (this.features > 0 && (!Z || Z.length !== b * this.features)) throw new ShapeError(`ReconstructionAccumulator.add: codes must be ${b}×${this.features}, got ${Z?.length ?? 0} entries`);
    if (b === 0) return;
    if (!this.shift) {
      const c = new Float64Array(M);
      for (let i = 0; i < b; i++) for (let j = 0; j < M; j++) c[j] += X[i * M + j];
      for (let j = 0; j < M; j++) c[j] /= b;
      this.shift = c;
    }
    const c = this.shift, s1 = this.s1, s2 = this.s2;
    for (let i = 0; i < b; i++) {
      for (let j = 0; j < M; j++) {
        const v = X[i * M + j], d = v - Xhat[i * M + j], u = v - c[j];
        this.res += d * d; s1[j] += u; s2[j] += u * u;
      }
    }
    if (Z) {
      const N = this.features;
      for (let q = 0; q < b * N; q++) if (Z[q] !== 0) { this.nonzeros++; this.used[q % N] = 1; }
    }
    this.rows += b;
  }

  /** Fraction of variance unexplained of everything added (see {@link fvu}); throws if the data are constant. */
  get fvu(): number {
    let tot = 0;
    for (let j = 0; j < this.cols; j++) tot += this.s2[j] - (this.s1[j] * this.s1[j]) / this.rows;
    if (!(tot > 0)) throw new ValueError('fvu: x has zero variance, so the fraction of variance unexplained is undefined');
    return this.res / tot;
  }

  /** Mean number of non-zero codes per sample. */
  get meanL0(): number { return this.rows ? this.nonzeros / this.rows : 0; }

  /** Fraction of the N features that were zero on every sample added. */
  get deadFraction(): number {
    let dead = 0;
    for (let j = 0; j < this.features; j++) if (!this.used[j]) dead++;
    return this.features ? dead / this.features : 0;
  }
}

/** Explained variance 1 − {@link fvu} (pooled over dimensions; can be negative for bad estimates). */
export function explainedVariance(x: MatrixLike, xHat: MatrixLike): number {
  return 1 - fvu(x, xHat);
}

/**
 * Coefficient of determination as scikit-learn's `r2_score(y, yHat)` with columns as outputs (B×M):
 * per column R²_j = 1 − SS_res,j / SS_tot,j; `multioutput: 'uniform_average'` (default) averages the
 * R²_j, `'variance_weighted'` pools them (= 1 − FVU), `'raw_values'` returns them all. A constant
 * target column scores 1 if predicted exactly, else 0 (scikit-learn's force_finite behaviour).
 */
export function r2Score(y: MatrixLike, yHat: MatrixLike, opts: { multioutput: 'raw_values' }): Float64Array;
export function r2Score(y: MatrixLike, yHat: MatrixLike, opts?: { multioutput?: 'uniform_average' | 'variance_weighted' }): number;
export function r2Score(y: MatrixLike, yHat: MatrixLike, opts: { multioutput?: 'uniform_average' | 'variance_weighted' | 'raw_values' } = {}): number | Float64Array {
  const [Y, Yh] = checkPair('r2Score', y, yHat, ['y', 'yHat']);
  return r2Unchecked(Y, Yh, opts.multioutput ?? 'uniform_average');
}

/** @internal */
export function r2Unchecked(Y: Matrix, Yh: Matrix, multioutput: 'uniform_average' | 'variance_weighted' | 'raw_values'): number | Float64Array {
  const { rows, cols } = Y;
  const mean = new Float64Array(cols), res = new Float64Array(cols), tot = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += Y.data[i * cols + j];
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = Y.data[i * cols + j];
      const d = v - Yh.data[i * cols + j], c = v - mean[j];
      res[j] += d * d; tot[j] += c * c;
    }
  }
  const raw = new Float64Array(cols);
  for (let j = 0; j < cols; j++) raw[j] = tot[j] > 0 ? 1 - res[j] / tot[j] : res[j] === 0 ? 1 : 0;
  if (multioutput === 'raw_values') return raw;
  if (multioutput === 'variance_weighted') {
    let r = 0, t = 0;
    for (let j = 0; j < cols; j++) { r += res[j]; t += tot[j]; }
    return t > 0 ? 1 - r / t : r === 0 ? 1 : 0;
  }
  let s = 0;
  for (let j = 0; j < cols; j++) s += raw[j];
  return s / cols;
}

/**
 * FVU of the best k-term approximation of X (B×M) around `mean` in an orthonormal `basis` (M×M, rows;
 * `null` = the neuron basis, i.e. the identity): per example, the k coefficients of x − μ with the largest
 * magnitude are kept. With k = M the FVU is 0.
 */
export function kTermFvu(X: Matrix, mean: ArrayLike<number>, basis: Matrix | null, k: number): number {
  const B = X.rows, M = X.cols;
  checkInt('k', k, 0, M);
  if (mean.length !== M) throw new ValueError(`kTermFvu: mean has ${mean.length} entries for ${M} columns`);
  if (basis && (basis.rows !== M || basis.cols !== M)) throw new ValueError(`kTermFvu: basis must be ${M}×${M}, got ${basis.rows}×${basis.cols}`);
  const c = new Float64Array(M), mag = new Float64Array(M);
  let res = 0, tot = 0;
  const colMean = colMeans(X);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < M; j++) { const v = X.data[b * M + j]; tot += (v - colMean[j]) ** 2; }
    for (let u = 0; u < M; u++) {
      if (!basis) { c[u] = X.data[b * M + u] - mean[u]; continue; }
      let s = 0;
      for (let j = 0; j < M; j++) s += (X.data[b * M + j] - mean[j]) * basis.data[u * M + j];
      c[u] = s;
    }
    // the energy left out = the sum of the M − k smallest squared coefficients (orthonormal basis)
    for (let u = 0; u < M; u++) mag[u] = c[u] * c[u];
    mag.sort();
    for (let u = 0; u < M - k; u++) res += mag[u];
  }
  return tot > 0 ? res / tot : NaN;
}
