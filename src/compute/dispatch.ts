/**
 * The engine's one dispatch policy: which implementation runs a product or an optimiser step — the project's
 * WebAssembly SIMD kernels ({@link ./wasm}, on {@link ./threads}), tfjs (when its native TensorFlow backend is
 * active: multi-threaded BLAS), or plain typed-array loops — and the thresholds that decide it. Every product,
 * solver and trainer asks here; nothing else holds a threshold.
 */
import { tf } from '../core/backend';

/** The thresholds of the policy. */
export interface DispatchPolicy {
  /**
   * A float32 product with at least this many multiply-adds leaves the JS loop for the wasm GEMM (or tfjs-node):
   * a 1024×16·16×32 product (524k MACs) takes 0.58 ms in the kernels and 2.7 ms in the JS loop; below ~32k MACs
   * the per-call overhead (~0.1 ms) wins.
   */
  denseMinMacs: number;
  /**
   * A product asked for in float64 (`gemm`, `gemmNT`, `gram`: sparse solvers, metrics) accepts float32
   * rounding (relative error ~1e-7·√k) from this many multiply-adds up; smaller ones stay exact in float64 loops.
   */
  float32MinMacs: number;
  /** An Adam step on at least this many entries runs in the wasm kernel (when its arrays live in the kernels' memory). */
  adamMinEntries: number;
  /**
   * Codes denser than this fraction of B·N take dense products instead of the sparse (CSR) ones. Measured at
   * M=256, N=1024, B=1024: the sparse path is ~15 % faster at 40–47 % density and even at ~50 %; at 3 % (TopK,
   * K=32) 2.3×. 0 = always dense.
   */
  sparseMaxDensity: number;
  /**
   * On the sparse path, a gradient support under this fraction of B·N is walked entry by entry for per-latent sums
   * (which latents fired, the encoder-bias gradient), and dL/dZ is not cleared off it; denser ones take column sums
   * on the kernels over a cleared dL/dZ. At M=256, N=1024, B=1024 the TopK codes (3 %) save ~1 ms a step this way.
   */
  fewNonZerosMaxDensity: number;
  /**
   * A pass over the entries of an array (a row vector added, ReLU/TopK codes, the CSR of codes, column sums) runs in
   * the wasm kernels on both threads from this many entries up; below, the JS loop is as fast as a call.
   */
  elementwiseMinEntries: number;
}

const DEFAULTS: DispatchPolicy = { denseMinMacs: 1 << 15, float32MinMacs: 2e6, adamMinEntries: 4096, sparseMaxDensity: 0.5, fewNonZerosMaxDensity: 1 / 8, elementwiseMinEntries: 1 << 14 };
let policy: DispatchPolicy = { ...DEFAULTS };
let wasmOn = true;

/** The policy in force (read-only; change it with {@link setDispatchPolicy}). */
export function dispatchPolicy(): Readonly<DispatchPolicy> {
  return policy;
}

/** Change thresholds of the policy (benchmarks, experiments); `setDispatchPolicy()` restores the defaults. */
export function setDispatchPolicy(p?: Partial<DispatchPolicy>): void {
  policy = p ? { ...policy, ...p } : { ...DEFAULTS };
}

/** Use the WebAssembly kernels when available (default true; false = JS loops and tfjs only, to compare). */
export function setWasmKernels(on: boolean): void { wasmOn = on; }

/** Whether the WebAssembly kernels may be used. */
export function wasmKernelsOn(): boolean { return wasmOn; }

/** Name of the active tfjs backend if it is a fast one (wasm / tensorflow), else null. Never initialises one. */
export function fastBackend(): string | null {
  const eng = tf.engine() as unknown as { backendName?: string | null; pendingBackendInit?: unknown };
  const name = eng.backendName ?? null;
  if (eng.pendingBackendInit) return null;
  return name === 'wasm' || name === 'tensorflow' ? name : null;
}

/** Whether a pass over `entries` entries runs in the wasm kernels (else the JS loop); see `elementwiseMinEntries`. */
export function elementwiseOnWasm(entries: number): boolean {
  return wasmOn && entries >= policy.elementwiseMinEntries;
}

/** Where a dense float32 product of `macs` multiply-adds runs. */
export function denseRoute(macs: number): 'wasm' | 'tfjs' | 'js' {
  if (macs < policy.denseMinMacs) return 'js';
  const fast = fastBackend();
  if (fast === 'tensorflow') return 'tfjs';
  if (wasmOn) return 'wasm';
  return fast ? 'tfjs' : 'js';
}
