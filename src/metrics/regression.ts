/**
 * Regressors used to read latents out of a representation: ridge (linear, closed form) and k-nearest
 * neighbours (nonlinear baseline). Estimator-like: `fit(X, Y)` then `predict(X)`. Float64 inside.
 */
import { Matrix, MatrixLike, matrix } from '../core/matrix';
import { checkInt, checkNumber } from '../core/validate';
import { ShapeError, ValueError } from '../core/errors';
import { checkMatrix64 } from './input';
import { columnsAsRows, dotRows } from './vectors';
import { solveSpd } from '../core/decompositions';

function checkXY(who: string, x: MatrixLike, y: MatrixLike): [Matrix, Matrix] {
  const X = checkMatrix64(`${who}: X (B×p inputs)`, x, { names: ['B', 'p'] });
  const Y = checkMatrix64(`${who}: Y (B×q targets)`, y, { names: ['B', 'q'] });
  if (X.rows !== Y.rows) throw new ShapeError(`${who}: X has ${X.rows} samples (rows) but Y has ${Y.rows}; one row per sample in both`);
  if (X.rows < 1 || X.cols < 1 || Y.cols < 1) throw new ValueError(`${who}: empty input (X ${X.rows}×${X.cols}, Y ${Y.rows}×${Y.cols})`);
  return [X, Y];
}

function colMeans(m: Matrix): Float64Array {
  const mu = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) mu[j] += m.data[i * m.cols + j];
  for (let j = 0; j < m.cols; j++) mu[j] /= m.rows;
  return mu;
}

/**
 * Ridge regression with intercept, as scikit-learn's `Ridge(alpha, fit_intercept=True)`:
 * minimise ‖Y − X·W − 1·bᵀ‖²_F + alpha·‖W‖²_F (intercept not penalised). Closed form on centred data:
 * W = (XcᵀXc + alpha·I)⁻¹ XcᵀYc, b = ȳ − Wᵀx̄. `coef` is p×q (inputs × targets; scikit-learn's
 * `coef_` is its transpose), `intercept` has length q. alpha ≥ 0 (default 1, like scikit-learn);
 * alpha = 0 is ordinary least squares and needs XcᵀXc invertible.
 */
export class RidgeRegression {
  readonly alpha: number;
  coef: Matrix<Float64Array> | null = null;
  intercept: Float64Array | null = null;

  constructor(opts: { alpha?: number } = {}) {
    this.alpha = checkNumber('RidgeRegression: alpha', opts.alpha ?? 1, 0);
  }

  /** Fit on X (B×p) and Y (B×q). Returns this. */
  fit(x: MatrixLike, y: MatrixLike): this {
    const [X, Y] = checkXY('RidgeRegression.fit', x, y);
    const B = X.rows, p = X.cols, q = Y.cols;
    const mx = colMeans(X), my = colMeans(Y);
    const xt = columnsAsRows(X), yt = columnsAsRows(Y);
    for (let j = 0; j < p; j++) for (let i = 0; i < B; i++) xt[j * B + i] -= mx[j];
    for (let j = 0; j < q; j++) for (let i = 0; i < B; i++) yt[j * B + i] -= my[j];
    const G = dotRows(xt, p, xt, p, B); // XcᵀXc, p×p
    for (let j = 0; j < p; j++) G[j * p + j] += this.alpha;
    const R = dotRows(xt, p, yt, q, B); // XcᵀYc, p×q
    let W: Float64Array;
    try {
      W = solveSpd(G, p, R, q);
    } catch (e) {
      throw new ValueError(`RidgeRegression.fit: XᵀX + alpha·I is singular (alpha = ${this.alpha}, ${p} inputs, ${B} samples; constant or collinear inputs?); use alpha > 0`);
    }
    const b = new Float64Array(q);
    for (let c = 0; c < q; c++) {
      let s = my[c];
      for (let j = 0; j < p; j++) s -= mx[j] * W[j * q + c];
      b[c] = s;
    }
    this.coef = matrix(p, q, W);
    this.intercept = b;
    return this;
  }

  /** Predictions X·W + b (B×q, float64) for X (B×p). */
  predict(x: MatrixLike): Matrix<Float64Array> {
    if (!this.coef || !this.intercept) throw new ValueError('RidgeRegression.predict: call fit(X, Y) first');
    const X = checkMatrix64('RidgeRegression.predict: X (B×p)', x, { cols: this.coef.rows, names: ['B', 'p'] });
    const p = this.coef.rows, q = this.coef.cols, W = this.coef.data;
    const out = new Float64Array(X.rows * q);
    for (let i = 0; i < X.rows; i++) {
      const o = i * q;
      for (let c = 0; c < q; c++) out[o + c] = this.intercept[c];
      for (let j = 0; j < p; j++) {
        const v = X.data[i * p + j];
        if (v === 0) continue;
        for (let c = 0; c < q; c++) out[o + c] += v * W[j * q + c];
      }
    }
    return matrix(X.rows, q, out);
  }
}

/**
 * k-nearest-neighbour regression, as scikit-learn's `KNeighborsRegressor(n_neighbors=k)` (uniform
 * weights, Euclidean distance, brute force): the prediction for x is the mean target of the k training
 * samples nearest to x. Distance ties are broken by training index (lower first). O(B_test·B_train·p).
 */
export class KnnRegressor {
  readonly k: number;
  private xTrain: Float64Array | null = null;
  private yTrain: Matrix | null = null;
  private p = 0;

  constructor(opts: { k?: number } = {}) {
    this.k = checkInt('KnnRegressor: k', opts.k ?? 5, 1);
  }

  /** Store the training set X (B×p), Y (B×q). Returns this. */
  fit(x: MatrixLike, y: MatrixLike): this {
    const [X, Y] = checkXY('KnnRegressor.fit', x, y);
    if (X.rows < this.k) throw new ValueError(`KnnRegressor.fit: k = ${this.k} neighbours but only ${X.rows} training samples`);
    this.xTrain = Float64Array.from(X.data);
    this.yTrain = Y;
    this.p = X.cols;
    return this;
  }

  /** Predictions (B×q, float64) for X (B×p). */
  predict(x: MatrixLike): Matrix<Float64Array> {
    if (!this.xTrain || !this.yTrain) throw new ValueError('KnnRegressor.predict: call fit(X, Y) first');
    const X = checkMatrix64('KnnRegressor.predict: X (B×p)', x, { cols: this.p, names: ['B', 'p'] });
    const nTr = this.yTrain.rows, p = this.p, q = this.yTrain.cols, k = this.k;
    const xq = Float64Array.from(X.data);
    const sqTr = new Float64Array(nTr);
    for (let i = 0; i < nTr; i++) { let s = 0; for (let j = 0; j < p; j++) s += this.xTrain[i * p + j] ** 2; sqTr[i] = s; }
    const out = new Float64Array(X.rows * q);
    const blk = 256;
    const bestD = new Float64Array(k), bestI = new Int32Array(k);
    for (let r0 = 0; r0 < X.rows; r0 += blk) {
      const nb = Math.min(blk, X.rows - r0);
      const dots = dotRows(xq.subarray(r0 * p, (r0 + nb) * p), nb, this.xTrain, nTr, p);
      for (let r = 0; r < nb; r++) {
        let sq = 0;
        for (let j = 0; j < p; j++) sq += xq[(r0 + r) * p + j] ** 2;
        // Keep the k smallest (distance, index) pairs by insertion; k is small.
        let filled = 0;
        for (let i = 0; i < nTr; i++) {
          const d = sq + sqTr[i] - 2 * dots[r * nTr + i];
          if (filled === k && d >= bestD[k - 1]) continue;
          let pos = filled < k ? filled++ : k - 1;
          while (pos > 0 && bestD[pos - 1] > d) { bestD[pos] = bestD[pos - 1]; bestI[pos] = bestI[pos - 1]; pos--; }
          bestD[pos] = d; bestI[pos] = i;
        }
        const o = (r0 + r) * q;
        for (let t = 0; t < k; t++) {
          const yo = bestI[t] * q;
          for (let c = 0; c < q; c++) out[o + c] += this.yTrain.data[yo + c];
        }
        for (let c = 0; c < q; c++) out[o + c] /= k;
      }
    }
    return matrix(X.rows, q, out);
  }
}
