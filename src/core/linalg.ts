/**
 * Fast dense kernels for the hot paths: C = A·Bᵀ (the X·Dᵀ correlations and the D·Dᵀ Gram matrix of sparse
 * inference) and C = A·B.
 *
 * Two implementations, chosen per call:
 * - **tfjs** (float32): when a fast tfjs backend (`wasm` or `tensorflow`) is already active — call
 *   `await initBackend()` once beforehand — large products go through a plain `tf.matMul` of A and a
 *   materialised Bᵀ (transposed in JS: on wasm, `transposeB` is ~10× slower than a plain product).
 *   Measured here: ~15–18 GFLOP/s on wasm versus ~1–2 GFLOP/s for the typed-array loops.
 * - **typed arrays** (float64 accumulation): small products, or when no fast backend is active (the kernels
 *   are synchronous and never start a backend themselves), or when `precision: 'float64'` is asked for.
 * Both return float64 arrays so callers can accumulate in double precision; the tfjs path has float32
 * rounding (relative error ~1e-7·√k per entry).
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from './errors';
import { asFloat32, FloatArray, Matrix, transpose } from './matrix';

/** Options of the dense kernels. */
export interface KernelOptions {
  /** 'auto' (default): tfjs float32 when fast and the product is big; 'float64': typed-array loops only. */
  precision?: 'auto' | 'float64';
}

/** Products with fewer multiply-adds than this stay in typed arrays (tfjs call overhead dominates). */
const TF_MIN_WORK = 2e6;

/** Name of the active tfjs backend if it is a fast one (wasm / tensorflow), else null. Never initialises one. */
export function fastBackend(): string | null {
  const eng = tf.engine() as unknown as { backendName?: string | null; pendingBackendInit?: unknown };
  const name = eng.backendName ?? null;
  if (eng.pendingBackendInit) return null;
  return name === 'wasm' || name === 'tensorflow' ? name : null;
}

function useTf(work: number, opts?: KernelOptions): boolean {
  return (opts?.precision ?? 'auto') === 'auto' && work >= TF_MIN_WORK && fastBackend() !== null;
}

function asF32(a: FloatArray): Float32Array {
  return a instanceof Float32Array ? a : Float32Array.from(a);
}

function tfMatMul(a: Float32Array, n: number, k: number, b: Float32Array, m: number): Float64Array {
  const ta = tf.tensor2d(a, [n, k], 'float32');
  const tb = tf.tensor2d(b, [k, m], 'float32');
  const tc = tf.matMul(ta, tb);
  const out = Float64Array.from(tc.dataSync() as Float32Array);
  ta.dispose(); tb.dispose(); tc.dispose();
  return out;
}

/**
 * C = A·Bᵀ for A (n×k) and B (m×k): C[i][j] = ⟨row i of A, row j of B⟩. Returns an n×m float64 matrix.
 * Used for X·Dᵀ (B×N correlations) and D·Dᵀ (N×N Gram).
 */
export function gemmNT(a: Matrix, b: Matrix, opts?: KernelOptions): Matrix<Float64Array> {
  if (a.cols !== b.cols) {
    throw new ShapeError(`gemmNT: A is ${a.rows}×${a.cols} and B is ${b.rows}×${b.cols}; both need the same number of columns`);
  }
  const n = a.rows, k = a.cols, m = b.rows;
  if (useTf(n * k * m, opts)) {
    return { rows: n, cols: m, data: tfMatMul(asF32(a.data), n, k, transpose(asFloat32(b)).data, m) };
  }
  const out = new Float64Array(n * m);
  const A = a.data, B = b.data;
  // 4 rows of B at a time: each row of A is loaded once per 4 dot products.
  for (let i = 0; i < n; i++) {
    const ai = i * k;
    let j = 0;
    for (; j + 4 <= m; j += 4) {
      const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0; p < k; p++) {
        const v = A[ai + p];
        s0 += v * B[b0 + p]; s1 += v * B[b1 + p]; s2 += v * B[b2 + p]; s3 += v * B[b3 + p];
      }
      const o = i * m + j;
      out[o] = s0; out[o + 1] = s1; out[o + 2] = s2; out[o + 3] = s3;
    }
    for (; j < m; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[ai + p] * B[bj + p];
      out[i * m + j] = s;
    }
  }
  return { rows: n, cols: m, data: out };
}

/** The Gram matrix G = D·Dᵀ (N×N, float64) of the rows of D (N×M). Exactly symmetric. */
export function gram(d: Matrix, opts?: KernelOptions): Matrix<Float64Array> {
  const g = gemmNT(d, d, opts);
  const n = d.rows, G = g.data;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (G[i * n + j] + G[j * n + i]);
      G[i * n + j] = v; G[j * n + i] = v;
    }
  }
  return g;
}

/** C = A·B for A (n×k) and B (k×m); float64 result. Skips zero entries of A (cheap for sparse A). */
export function gemm(a: Matrix, b: Matrix, opts?: KernelOptions): Matrix<Float64Array> {
  if (a.cols !== b.rows) {
    throw new ShapeError(`gemm: A is ${a.rows}×${a.cols} and B is ${b.rows}×${b.cols}; A's columns must equal B's rows`);
  }
  const n = a.rows, k = a.cols, m = b.cols;
  if (useTf(n * k * m, opts)) {
    return { rows: n, cols: m, data: tfMatMul(asF32(a.data), n, k, asF32(b.data), m) };
  }
  const out = new Float64Array(n * m);
  const A = a.data, B = b.data;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    for (let p = 0; p < k; p++) {
      const v = A[i * k + p];
      if (v === 0) continue;
      const bo = p * m;
      for (let j = 0; j < m; j++) out[o + j] += v * B[bo + j];
    }
  }
  return { rows: n, cols: m, data: out };
}

/**
 * ‖A‖₂², the largest eigenvalue of A·Aᵀ (equivalently Aᵀ·A), for A (n×k) by power iteration on Aᵀ·A
 * (2·n·k flops per iteration, float64). Returns the Rayleigh quotient, a lower bound that converges to the
 * true value; callers needing an upper bound (step sizes) should add a safety margin.
 */
export function opNormSquared(a: Matrix, iters = 200, tol = 1e-9): number {
  const n = a.rows, k = a.cols, A = a.data;
  if (n === 0 || k === 0) return 0;
  let u = new Float64Array(k);
  const w = new Float64Array(n);
  // Deterministic start with no special structure.
  for (let j = 0; j < k; j++) u[j] = 1 + 0.5 * Math.sin(3 * j + 1);
  let lam = 0;
  for (let it = 0; it < iters; it++) {
    let nu = 0;
    for (let j = 0; j < k; j++) nu += u[j] * u[j];
    nu = Math.sqrt(nu);
    if (nu === 0) return 0;
    for (let j = 0; j < k; j++) u[j] /= nu;
    let ray = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const o = i * k;
      for (let j = 0; j < k; j++) s += A[o + j] * u[j];
      w[i] = s;
      ray += s * s;
    }
    const v = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const s = w[i];
      if (s === 0) continue;
      const o = i * k;
      for (let j = 0; j < k; j++) v[j] += s * A[o + j];
    }
    const done = Math.abs(ray - lam) <= tol * ray;
    lam = ray;
    u = v;
    if (done) break;
  }
  return lam;
}

/** The k-th largest of a[0..n) (1 ≤ k ≤ n); reorders a[0..n) in place (pass a scratch copy). Quickselect, expected O(n). */
export function kthLargest(a: FloatArray, n: number, k: number): number {
  let lo = 0, hi = n - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target];
  }
  return a[target];
}
