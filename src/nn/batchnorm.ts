/**
 * Batch normalisation over the rows of a B×F float32 array, PyTorch's BatchNorm1d: training mode normalises with
 * the batch mean and biased variance, y = γ·(x − μ)/√(σ² + ε) + β, and moves the running statistics by momentum
 * 0.1 (running variance from the unbiased batch variance); evaluation mode uses the running statistics. Every
 * statistic is a column reduction in a fixed order (rows ascending, float64 accumulators): bitwise reproducible.
 */

/** ε of the normalisation (PyTorch's default). */
export const BN_EPS = 1e-5;
/** Momentum of the running statistics (PyTorch's default). */
export const BN_MOMENTUM = 0.1;

/** Parameters and running statistics of one batch-norm layer (each of length F). */
export interface BatchNormParams { gamma: Float32Array; beta: Float32Array; mean: Float32Array; variance: Float32Array }

/** What the backward pass needs from a training forward pass: x̂ (B×F) and 1/√(σ² + ε) (F). */
export interface BatchNormCache { xhat: Float32Array; invStd: Float64Array }

/**
 * Training forward of x (B×F, B ≥ 2) into y; updates p.mean and p.variance (running statistics) in place and
 * writes x̂ into cache.xhat.
 */
export function batchNormTrain(x: Float32Array, B: number, F: number, p: BatchNormParams, y: Float32Array, cache: BatchNormCache): void {
  const mu = new Float64Array(F), va = new Float64Array(F), xhat = cache.xhat, inv = cache.invStd;
  for (let r = 0; r < B; r++) { const o = r * F; for (let j = 0; j < F; j++) mu[j] += x[o + j]; }
  for (let j = 0; j < F; j++) mu[j] /= B;
  for (let r = 0; r < B; r++) { const o = r * F; for (let j = 0; j < F; j++) { const d = x[o + j] - mu[j]; va[j] += d * d; } }
  for (let j = 0; j < F; j++) { va[j] /= B; inv[j] = 1 / Math.sqrt(va[j] + BN_EPS); }
  const g = p.gamma, be = p.beta;
  for (let r = 0; r < B; r++) {
    const o = r * F;
    for (let j = 0; j < F; j++) { const h = (x[o + j] - mu[j]) * inv[j]; xhat[o + j] = h; y[o + j] = g[j] * h + be[j]; }
  }
  const corr = B / (B - 1), m = BN_MOMENTUM;
  for (let j = 0; j < F; j++) {
    p.mean[j] = (1 - m) * p.mean[j] + m * mu[j];
    p.variance[j] = (1 - m) * p.variance[j] + m * va[j] * corr;
  }
}

/** Evaluation forward of x (B×F) into y with the running statistics. */
export function batchNormEval(x: Float32Array, B: number, F: number, p: BatchNormParams, y: Float32Array): void {
  const s = new Float64Array(F), t = new Float64Array(F);
  for (let j = 0; j < F; j++) { s[j] = p.gamma[j] / Math.sqrt(p.variance[j] + BN_EPS); t[j] = p.beta[j] - p.mean[j] * s[j]; }
  for (let r = 0; r < B; r++) { const o = r * F; for (let j = 0; j < F; j++) y[o + j] = x[o + j] * s[j] + t[j]; }
}

/**
 * Backward of a training forward: from dy (B×F) the parameter gradients dγ = Σ dy·x̂, dβ = Σ dy and
 * dx = (1/√(σ²+ε))·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) with dx̂ = γ·dy (dx may be dy: in place).
 */
export function batchNormBackward(dy: Float32Array, B: number, F: number, gamma: Float32Array, cache: BatchNormCache,
  dGamma: Float32Array, dBeta: Float32Array, dx: Float32Array): void {
  const xhat = cache.xhat, inv = cache.invStd;
  const sg = new Float64Array(F), sb = new Float64Array(F);
  for (let r = 0; r < B; r++) {
    const o = r * F;
    for (let j = 0; j < F; j++) { const d = dy[o + j]; sb[j] += d; sg[j] += d * xhat[o + j]; }
  }
  dGamma.set(sg); dBeta.set(sb);
  // mean(dx̂) = γ·Σdy/B, mean(dx̂·x̂) = γ·Σ dy·x̂/B
  const a = new Float64Array(F), c = new Float64Array(F), k = new Float64Array(F);
  for (let j = 0; j < F; j++) { k[j] = gamma[j] * inv[j]; a[j] = sb[j] / B; c[j] = sg[j] / B; }
  for (let r = 0; r < B; r++) {
    const o = r * F;
    for (let j = 0; j < F; j++) dx[o + j] = k[j] * (dy[o + j] - a[j] - xhat[o + j] * c[j]);
  }
}
