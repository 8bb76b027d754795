/**
 * Batch normalisation over the rows of a B×F float32 array, PyTorch's BatchNorm1d: training mode normalises with
 * the batch mean and biased variance, y = γ·(x − μ)/√(σ² + ε) + β, and moves the running statistics by momentum
 * 0.1 (running variance from the unbiased batch variance); evaluation mode uses the running statistics. Every
 * statistic is a column reduction in a fixed order (rows ascending, float64 accumulators): bitwise reproducible.
 * {@link batchNormLeakyTrain} and {@link batchNormLeakyBackward} fuse a following leaky ReLU and run as SIMD kernels
 * split by columns over both threads when the arrays live in the kernels' memory (bitwise the JS loops' result).
 */
import { leakyReluBackward, leakyReluForward } from './activations';
import { WasmArena, wasmArena, wasmOffset } from '../compute/wasm';
import { wasmKernelsOn } from '../compute/dispatch';
import { runKernel } from '../compute/threads';

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
  updateRunning(p, B, mu, va);
}

/** Move the running statistics towards the batch mean and (unbiased) variance. */
function updateRunning(p: BatchNormParams, B: number, mu: Float64Array, va: Float64Array): void {
  const corr = B / (B - 1), m = BN_MOMENTUM;
  for (let j = 0; j < p.mean.length; j++) {
    p.mean[j] = (1 - m) * p.mean[j] + m * mu[j];
    p.variance[j] = (1 - m) * p.variance[j] + m * va[j] * corr;
  }
}

/** Arena and offsets of `arrays` when the kernels may run on them in place (all in the kernels' memory, F even). */
function kernelPlace(F: number, arrays: Float32Array[]): { w: WasmArena; at: number[] } | null {
  if (F % 2 !== 0 || !wasmKernelsOn()) return null;
  const at = arrays.map(wasmOffset);
  if (at.some((o) => o === null)) return null;
  const w = wasmArena();
  return w ? { w, at: at as number[] } : null;
}

/**
 * Pieces of the column split over the two threads: 2, one contiguous half of the columns each. Split by columns, the
 * threads read every row and write into the cache lines of each row of x̂, y and act where their pieces meet, and such
 * lines travel between the cores: with 8 pieces (7 meeting points per row) both passes ran slower than on one
 * thread; with 2, faster (README, Speed).
 */
const BN_CHUNKS = 2;

/**
 * Training forward of batch norm followed by a leaky ReLU: y = batchNormTrain(x) and act = leakyReluForward(y)
 * (x, y, act B×F; running statistics updated, cache written), bitwise as those two; one SIMD kernel over column
 * pairs ({@link BN_CHUNKS}) when every array lives in the kernels' memory and F is even.
 */
export function batchNormLeakyTrain(x: Float32Array, B: number, F: number, p: BatchNormParams, slope: number,
  y: Float32Array, act: Float32Array, cache: BatchNormCache): void {
  const k = kernelPlace(F, [x, cache.xhat, y, act, p.gamma, p.beta]);
  if (!k) { batchNormTrain(x, B, F, p, y, cache); leakyReluForward(y, slope, act); return; }
  const { w, at } = k, st = w.alloc(6 * F), hp = w.alloc(4);
  w.f64(hp, 2).set([slope, BN_EPS]);
  runKernel(w.kernels, 'bnfwd', [at[0], at[1], at[2], at[3], B, F, at[4], at[5], st, hp], F, 2, BN_CHUNKS);
  const stats = w.f64(st, 3 * F);
  cache.invStd.set(stats.subarray(2 * F, 3 * F));
  updateRunning(p, B, stats.subarray(0, F), stats.subarray(F, 2 * F));
}

/**
 * Backward of {@link batchNormLeakyTrain}: from dy = ∂L/∂act (B×F) and the forward's y, dx = ∂L/∂x (dx may be
 * dy), dγ and dβ — bitwise leakyReluBackward then batchNormBackward; one SIMD kernel over column pairs
 * ({@link BN_CHUNKS}) when every array lives in the kernels' memory and F is even.
 */
export function batchNormLeakyBackward(dy: Float32Array, y: Float32Array, B: number, F: number, gamma: Float32Array, slope: number,
  cache: BatchNormCache, dGamma: Float32Array, dBeta: Float32Array, dx: Float32Array): void {
  const k = kernelPlace(F, [dy, y, cache.xhat, dx, gamma]);
  if (!k) {
    leakyReluBackward(y, dy, slope, dx);
    batchNormBackward(dx, B, F, gamma, cache, dGamma, dBeta, dx);
    return;
  }
  const { w, at } = k, inv = w.alloc(2 * F), st = w.alloc(4 * F), hp = w.alloc(2);
  w.f64(inv, F).set(cache.invStd);
  w.f64(hp, 1)[0] = slope;
  runKernel(w.kernels, 'bnbwd', [at[0], at[1], at[2], at[3], B, F, at[4], inv, st, hp], F, 2, BN_CHUNKS);
  const sums = w.f64(st, 2 * F);
  dBeta.set(sums.subarray(0, F));
  dGamma.set(sums.subarray(F, 2 * F));
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
