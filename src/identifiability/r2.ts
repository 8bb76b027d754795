/**
 * Held-out linear (ridge) R² from a representation to latents — a private helper of the identifiability
 * experiments until `src/metrics/` provides its own (then this will delegate to it).
 */
import { Matrix } from '../core/matrix';
import { ShapeError } from '../core/errors';
import { solveDense } from './mixing';

/** Result of {@link ridgeR2}: mean R² over latent dimensions and the per-dimension values. */
export interface R2Result { r2: number; perDim: number[] }

/**
 * Fit y ≈ x·β + β₀ by ridge regression (penalty `lambda` × mean diagonal of the centred XᵀX, no penalty on
 * the intercept) on rows [0, split) and score R² = 1 − SS_res/SS_tot per column of Y on rows [split, B);
 * report the uniform average (scikit-learn's r2_score default). X is B×p, Y is B×q. Float64.
 */
export function ridgeR2(X: Matrix, Y: Matrix, split = Math.floor(X.rows / 2), lambda = 1e-6): R2Result {
  if (X.rows !== Y.rows) throw new ShapeError(`ridgeR2: X has ${X.rows} rows but Y has ${Y.rows}; rows must be paired samples`);
  const p = X.cols, q = Y.cols, B = X.rows;
  if (split < 2 || B - split < 2) throw new ShapeError(`ridgeR2: need ≥ 2 rows for fitting and for scoring, got ${split} and ${B - split}`);
  const mx = new Float64Array(p), my = new Float64Array(q);
  for (let i = 0; i < split; i++) {
    for (let j = 0; j < p; j++) mx[j] += X.data[i * p + j];
    for (let j = 0; j < q; j++) my[j] += Y.data[i * q + j];
  }
  for (let j = 0; j < p; j++) mx[j] /= split;
  for (let j = 0; j < q; j++) my[j] /= split;
  const G = new Float64Array(p * p), R = new Float64Array(p * q);
  const xc = new Float64Array(p);
  for (let i = 0; i < split; i++) {
    for (let j = 0; j < p; j++) xc[j] = X.data[i * p + j] - mx[j];
    for (let a = 0; a < p; a++) {
      const xa = xc[a];
      for (let b = a; b < p; b++) G[a * p + b] += xa * xc[b];
      for (let b = 0; b < q; b++) R[a * q + b] += xa * (Y.data[i * q + b] - my[b]);
    }
  }
  let tr = 0;
  for (let a = 0; a < p; a++) { for (let b = 0; b < a; b++) G[a * p + b] = G[b * p + a]; tr += G[a * p + a]; }
  const reg = lambda * Math.max(tr / p, 1e-12);
  for (let a = 0; a < p; a++) G[a * p + a] += reg;
  const beta = new Float64Array(p * q);
  const col = new Float64Array(p);
  for (let b = 0; b < q; b++) {
    for (let a = 0; a < p; a++) col[a] = R[a * q + b];
    const s = solveDense(G, col, p);
    for (let a = 0; a < p; a++) beta[a * q + b] = s[a];
  }
  const ssr = new Float64Array(q), sst = new Float64Array(q), mt = new Float64Array(q);
  for (let i = split; i < B; i++) for (let b = 0; b < q; b++) mt[b] += Y.data[i * q + b];
  for (let b = 0; b < q; b++) mt[b] /= B - split;
  for (let i = split; i < B; i++) {
    for (let j = 0; j < p; j++) xc[j] = X.data[i * p + j] - mx[j];
    for (let b = 0; b < q; b++) {
      let pred = my[b];
      for (let a = 0; a < p; a++) pred += xc[a] * beta[a * q + b];
      const y = Y.data[i * q + b];
      ssr[b] += (y - pred) ** 2;
      sst[b] += (y - mt[b]) ** 2;
    }
  }
  const perDim = Array.from(ssr, (s, b) => (sst[b] > 0 ? 1 - s / sst[b] : 0));
  return { r2: perDim.reduce((a, c) => a + c, 0) / q, perDim };
}
