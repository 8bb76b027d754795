/**
 * The engine's optimiser: a fused Adam (AdamW) step on typed arrays — one pass per parameter: moments, bias
 * correction and update together; in the WebAssembly kernel on both threads when the arrays live in the kernels'
 * memory, else a JS loop doing the same operations in the same order (bitwise the same result).
 */
import { dispatchPolicy } from './dispatch';
import { wasmArena, wasmOffset } from './wasm';
import { runKernel } from './threads';

/** Adam hyper-parameters. */
export interface AdamConfig {
  /** β₁ (default 0.9). */
  beta1?: number;
  /** β₂ (default 0.999). */
  beta2?: number;
  /** ε (default 1e-8). */
  eps?: number;
  /**
   * Decoupled weight decay (AdamW, PyTorch semantics: p ← p·(1 − lr·wd) before the Adam update; default 0).
   * A separate pass, so the Adam update itself is the same with or without it.
   */
  weightDecay?: number;
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
  const wd = cfg.weightDecay ?? 0;
  if (wd !== 0) { const f = 1 - lr * wd; for (let i = 0; i < p.length; i++) p[i] *= f; }
  if (p.length >= dispatchPolicy().adamMinEntries && g instanceof Float32Array && g.length === p.length) {
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
