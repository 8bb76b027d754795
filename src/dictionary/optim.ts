/**
 * Optimiser and schedules for the dictionary models: a fused Adam step on typed arrays (one pass per
 * parameter: moments, bias correction and update together) and the learning-rate / penalty schedules.
 *
 * Parameters live in JS Float32Arrays (not tfjs variables): the step is deterministic on every backend,
 * and row constraints (unit-norm decoder atoms) are applied in the same pass.
 */
import { wasmArena, wasmOffset } from './wasm_kernels';
import { runKernel } from './kernel_threads';

/** Adam hyper-parameters. */
export interface AdamConfig {
  /** β₁ (default 0.9). */
  beta1?: number;
  /** β₂ (default 0.999). */
  beta2?: number;
  /** ε (default 1e-8). */
  eps?: number;
}

/** Adam state of one parameter array: first and second moments. */
export interface AdamSlot {
  m: Float32Array;
  v: Float32Array;
}

/** Fresh zero moments for a parameter of `n` entries. */
export function adamSlot(n: number): AdamSlot {
  return { m: new Float32Array(n), v: new Float32Array(n) };
}

/** Arrays with at least this many entries take the WebAssembly kernel when all four live in its memory. */
const WASM_MIN = 4096;

/**
 * One fused Adam update in place: p ← p − lr·m̂/(√v̂ + ε). When p, g and the moments are all arrays of the
 * kernels' memory ({@link wasmPins}, as during an SAE fit), a WebAssembly kernel does it on both threads, in f64
 * operation for operation as the JS loop here: bitwise the same result.
 * @param t the step number, starting at 1 (for bias correction)
 * @returns which implementation ran
 */
export function adamStep(p: Float32Array, g: ArrayLike<number>, s: AdamSlot, lr: number, t: number, cfg: AdamConfig = {}): 'wasm' | 'js' {
  const b1 = cfg.beta1 ?? 0.9, b2 = cfg.beta2 ?? 0.999, eps = cfg.eps ?? 1e-8;
  const c1 = 1 / (1 - Math.pow(b1, t)), c2 = 1 / (1 - Math.pow(b2, t));
  const m = s.m, v = s.v, a1 = 1 - b1, a2 = 1 - b2;
  if (p.length >= WASM_MIN && g instanceof Float32Array && g.length === p.length) {
    const at = [p, g, m, v].map(wasmOffset);
    const w = at.every((o) => o !== null) ? wasmArena() : null;
    if (w) {
      const hp = w.alloc(16); // 8 f64 constants
      w.f64(hp, 8).set([b1, b2, a1, a2, c1, c2, lr, eps]);
      runKernel(w.kernels, 'adam', [...(at as number[]), hp], p.length, 16, 8);
      return 'wasm';
    }
  }
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    const mi = b1 * m[i] + a1 * gi;
    const vi = b2 * v[i] + a2 * gi * gi;
    m[i] = mi; v[i] = vi;
    p[i] -= lr * (mi * c1) / (Math.sqrt(vi * c2) + eps);
  }
  return 'js';
}

/** Remove from each row of the gradient G (rows×cols) its component along the matching (unit) row of P. */
export function projectRowsTangent(g: Float32Array, p: Float32Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let dot = 0, nn = 0;
    for (let j = 0; j < cols; j++) { dot += g[o + j] * p[o + j]; nn += p[o + j] * p[o + j]; }
    if (nn === 0) continue;
    const c = dot / nn;
    for (let j = 0; j < cols; j++) g[o + j] -= c * p[o + j];
  }
}

/** Scale each row of P (rows×cols) to unit Euclidean norm (zero rows stay zero). */
export function normaliseRowsInPlace(p: Float32Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let nn = 0;
    for (let j = 0; j < cols; j++) nn += p[o + j] * p[o + j];
    if (nn === 0) continue;
    const inv = 1 / Math.sqrt(nn);
    for (let j = 0; j < cols; j++) p[o + j] *= inv;
  }
}

/** Learning-rate and penalty schedules, as fractions of the total number of steps. */
export interface ScheduleConfig {
  /** Linear LR warm-up from 0 over this fraction of the steps (default 0.05). */
  warmup?: number;
  /** Linear LR decay to 0 over the last fraction of the steps (default 0.2). */
  decay?: number;
  /** Linear penalty (λ) warm-up from 0 over this fraction of the steps (default 0.05). */
  penaltyWarmup?: number;
}

/** LR multiplier in [0, 1] at step t (0-based) of `total`. */
export function lrFactor(t: number, total: number, cfg: ScheduleConfig = {}): number {
  const w = Math.floor((cfg.warmup ?? 0.05) * total), d = Math.floor((cfg.decay ?? 0.2) * total);
  if (w > 0 && t < w) return (t + 1) / w;
  if (d > 0 && t >= total - d) return Math.max(0, (total - t) / d);
  return 1;
}

/** Penalty multiplier in [0, 1] at step t (0-based) of `total`. */
export function penaltyFactor(t: number, total: number, cfg: ScheduleConfig = {}): number {
  const w = Math.floor((cfg.penaltyWarmup ?? 0.05) * total);
  return w > 0 && t < w ? (t + 1) / w : 1;
}
