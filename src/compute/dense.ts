/**
 * Dense products, the engine's one matmul: float32 C = A·B and A·Bᵀ on typed arrays ({@link mm}, {@link mmNT}),
 * and the float64-returning {@link gemm}, {@link gemmNT}, {@link gram} used by the sparse solvers and metrics.
 * Where a product runs is the dispatch policy's decision ({@link ./dispatch}): the WebAssembly SIMD GEMM (4×8
 * register tiles over packed panels, rows split over two threads; bitwise tfjs-wasm's matMul: both sum over k in
 * order without fused multiply-adds), tfjs when its native backend is active (multi-threaded BLAS), or typed-array
 * loops in float64 for small products and when float64 is asked for. With `WORKBOOK_FMA=1` the wasm GEMM fuses its
 * multiply-adds (relaxed SIMD, {@link ./wasm}): one rounding per step, so results differ from the default in the
 * last bits, still bitwise the same on one and two threads.
 */
import { tf } from '../core/backend';
import { ShapeError } from '../core/errors';
import { FloatArray, Matrix, matrix, transpose } from '../core/matrix';
import { denseRoute, dispatchPolicy, fastBackend } from './dispatch';
import { WasmArena, packPanels, place, wasmArena, wasmOffset } from './wasm';
import { runKernel } from './threads';

/** Options of the float64-returning products. */
export interface KernelOptions {
  /** 'auto' (default): float32 engine products from the policy's size up; 'float64': typed-array loops only. */
  precision?: 'auto' | 'float64';
}

function useFloat32(work: number, opts?: KernelOptions): boolean {
  return (opts?.precision ?? 'auto') === 'auto' && work >= dispatchPolicy().float32MinMacs && denseRoute(work) !== 'js';
}

function asF32(a: FloatArray): Float32Array {
  return a instanceof Float32Array ? a : Float32Array.from(a);
}

/**
 * C = A·B for A (n×k) and B (k×m), float32, row-major; into `out` (n×m) if given. With `bias` (m), C = A·B + bias
 * on every row (each entry the f32 sum of the product's entry and the bias: the same as adding it after).
 */
export function mm(a: Float32Array, n: number, k: number, b: Float32Array, m: number, out?: Float32Array, bias?: Float32Array): Float32Array {
  return product(a, n, k, b, m, false, out, bias);
}

/**
 * C = A·Bᵀ for A (n×k) and B (m×k), float32, row-major (no transposed copy of B is made); into `out` if given; plus
 * `bias` (m) on every row as in {@link mm}.
 */
export function mmNT(a: Float32Array, n: number, k: number, b: Float32Array, m: number, out?: Float32Array, bias?: Float32Array): Float32Array {
  return product(a, n, k, b, m, true, out, bias);
}

/**
 * C = Aᵀ·B for A (k×n) and B (k×m), float32, row-major: C (n×m) sums over the k rows of both (e.g. a weight gradient
 * xᵀ·dy). The kernels read A's columns in place (no transposed copy); other routes transpose A first. Into `out`
 * (n×m) if given.
 */
export function mmTN(a: Float32Array, k: number, n: number, b: Float32Array, m: number, out?: Float32Array): Float32Array {
  const w = denseRoute(n * k * m) === 'wasm' ? wasmArena() : null;
  if (w) return wasmGemm(w, a, n, k, b, m, false, out ?? new Float32Array(n * m), true);
  return product(tr(a, k, n), n, k, b, m, false, out);
}

/**
 * The dense product: the wasm GEMM (4×8 register tiles over packed panels of B, rows split over two threads;
 * 1024×256·256×1024 in ~14 ms on one thread here against ~20 ms for tfjs-wasm's matMul, bitwise the same
 * result: both sum over k in order without fused multiply-adds), tfjs when its native backend is active
 * (multi-threaded BLAS), else float64 JS loops.
 */
function product(a: Float32Array, n: number, k: number, b: Float32Array, m: number, bT: boolean, out?: Float32Array, bias?: Float32Array): Float32Array {
  const into = (c: Float32Array): Float32Array => {
    const o = out ?? c;
    if (out) out.set(c);
    if (bias) for (let r = 0; r < n; r++) for (let j = 0; j < m; j++) o[r * m + j] += bias[j];
    return o;
  };
  const route = denseRoute(n * k * m);
  const w = route === 'wasm' ? wasmArena() : null;
  if (w) return wasmGemm(w, a, n, k, b, m, bT, out ?? new Float32Array(n * m), false, bias);
  if (route !== 'js' && fastBackend()) return into(tfMm(a, n, k, bT ? tr(b, m, k) : b, m));
  return into(Float32Array.from(gemm(matrix(n, k, a), bT ? transpose(matrix(m, k, b)) : matrix(k, m, b), { precision: 'float64' }).data));
}

/** From this many entries a B (or Bᵀ) already in the kernels' memory is packed by the kernel (both threads), else in JS. */
const PACK_MIN = 1 << 14;

/**
 * The wasm GEMM: C = A·B (A n×k row-major, or given as Aᵀ k×n when `aT`), B k×m (or given as Bᵀ m×k when `bT`),
 * plus `bias` (m) on every row when given.
 */
function wasmGemm(w: WasmArena, a: Float32Array, n: number, k: number, b: Float32Array, m: number, bT: boolean, out: Float32Array, aT = false, bias?: Float32Array): Float32Array {
  const NP = 8 * Math.ceil(m / 8), direct = wasmOffset(out) !== null;
  const [A] = place(w, [a.subarray(0, n * k)], [true]);
  const P = w.alloc(k * NP), C = direct ? wasmOffset(out)! : w.alloc(n * m), S = NP === m ? 0 : w.alloc(n * 8);
  const bAt = k * m < PACK_MIN ? null : wasmOffset(b);
  if (bAt !== null) runKernel(w.kernels, bT ? 'packt' : 'pack', [bAt, k, m, P], NP / 8, 1, NP >= 64 ? 8 : 1);
  else packPanels(b, k, m, bT, w.f32(P, k * NP));
  const pb = bias ? w.alloc(NP) : 0;
  if (bias) { const v = w.f32(pb, NP); v.set(bias.subarray(0, m)); v.fill(0, m); }
  runKernel(w.kernels, 'gemm', [A, P, C, k, NP, m, S, aT ? n : 0, pb, bias ? 1 : 0], n, 4, n >= 64 ? 8 : 1);
  if (!direct) out.set(w.f32(C, n * m));
  return out;
}

/** One plain tfjs matMul of float32 row-major operands. */
export function tfMm(a: Float32Array, n: number, k: number, b: Float32Array, m: number): Float32Array {
  const ta = tf.tensor2d(a, [n, k]), tb = tf.tensor2d(b, [k, m]);
  const tc = tf.matMul(ta, tb);
  const out = tc.dataSync() as Float32Array;
  ta.dispose(); tb.dispose(); tc.dispose();
  return out;
}

/** Transpose of a rows×cols float32 array (a new cols×rows array). */
export function tr(a: Float32Array, rows: number, cols: number): Float32Array {
  return transpose(matrix(rows, cols, a)).data as Float32Array;
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
  if (useFloat32(n * k * m, opts)) {
    return { rows: n, cols: m, data: Float64Array.from(mmNT(asF32(a.data), n, k, asF32(b.data), m)) };
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
  if (useFloat32(n * k * m, opts)) {
    return { rows: n, cols: m, data: Float64Array.from(mm(asF32(a.data), n, k, asF32(b.data), m)) };
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
