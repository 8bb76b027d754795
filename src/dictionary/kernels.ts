/**
 * Float32 kernels of the SAE hot loop on typed arrays: dense products (the WebAssembly SIMD GEMM on two threads,
 * tfjs where its native backend is active, JS loops for small products), a blocked transpose, and products with
 * a sparse left factor (codes with few non-zeros: cost ∝ nnz·M instead of B·N·M).
 */
import { tf } from '../core/backend';
import { fastBackend, gemm, kthLargest as coreKthLargest } from '../core/linalg';
import { matrix, transpose } from '../core/matrix';
import { WasmArena, packPanels, wasmArena, wasmOffset } from './wasm_kernels';
import { runKernel } from './kernel_threads';

/**
 * Products with at least this many multiply-adds leave the JS loop: a 1024×16·16×32 product (524k MACs) takes
 * 0.58 ms in tfjs-wasm and 2.7 ms in the JS loop; below ~32k MACs the per-call overhead (~0.1 ms) wins.
 */
export const TF_MIN_MACS = 1 << 15;

/** C = A·B for A (n×k) and B (k×m), float32, row-major; into `out` (n×m) if given. */
export function mm(a: Float32Array, n: number, k: number, b: Float32Array, m: number, out?: Float32Array): Float32Array {
  return product(a, n, k, b, m, false, out);
}

/** C = A·Bᵀ for A (n×k) and B (m×k), float32, row-major (no transposed copy of B is made); into `out` if given. */
export function mmNT(a: Float32Array, n: number, k: number, b: Float32Array, m: number, out?: Float32Array): Float32Array {
  return product(a, n, k, b, m, true, out);
}

/**
 * The dense product: the wasm GEMM (4×8 register tiles over packed panels of B, rows split over two threads;
 * 1024×256·256×1024 in ~14 ms on one thread here against ~20 ms for tfjs-wasm's matMul, bitwise the same
 * result: both sum over k in order without fused multiply-adds), tfjs when its native backend is active
 * (multi-threaded BLAS), else float64 JS loops.
 */
function product(a: Float32Array, n: number, k: number, b: Float32Array, m: number, bT: boolean, out?: Float32Array): Float32Array {
  const into = (c: Float32Array): Float32Array => { if (!out) return c; out.set(c); return out; };
  if (n * k * m >= TF_MIN_MACS) {
    const fast = fastBackend();
    const w = fast !== 'tensorflow' && useWasmKernels ? wasmArena() : null;
    if (w) return wasmGemm(w, a, n, k, b, m, bT, out ?? new Float32Array(n * m));
    if (fast) return into(tfMm(a, n, k, bT ? tr(b, m, k) : b, m));
  }
  return into(Float32Array.from(gemm(matrix(n, k, a), bT ? transpose(matrix(m, k, b)) : matrix(k, m, b), { precision: 'float64' }).data));
}

function wasmGemm(w: WasmArena, a: Float32Array, n: number, k: number, b: Float32Array, m: number, bT: boolean, out: Float32Array): Float32Array {
  const NP = 8 * Math.ceil(m / 8), direct = NP === m && wasmOffset(out) !== null;
  const [A] = place(w, [a.subarray(0, n * k)], [true]);
  const P = w.alloc(k * NP), C = direct ? wasmOffset(out)! : w.alloc(n * NP);
  packPanels(b, k, m, bT, w.f32(P, k * NP));
  runKernel(w.kernels, 'gemm', [A, P, C, k, NP], n, 4, n >= 64 ? 8 : 1);
  if (direct) return out;
  const c = w.f32(C, n * NP);
  if (NP === m) out.set(c);
  else for (let r = 0; r < n; r++) out.set(c.subarray(r * NP, r * NP + m), r * m);
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

/** Pieces a sparse kernel's rows are cut into for the two threads (claimed from a shared counter). */
const ROW_CHUNKS = 8;

/** Transpose of a rows×cols float32 array (a new cols×rows array). */
export function tr(a: Float32Array, rows: number, cols: number): Float32Array {
  return transpose(matrix(rows, cols, a)).data as Float32Array;
}

/**
 * Non-zero positions of Z (B×N) as CSR index lists, ascending within each row; `val`, when present, holds Z's
 * values at those positions (a snapshot taken by {@link csrOf}).
 */
export interface Csr { ptr: Int32Array; idx: Int32Array; nnz: number; val?: Float32Array }

/**
 * CSR structure (and values, when `into.val` can hold B·N entries) of the non-zeros of z (B×N); reuses `into`'s
 * arrays when big enough — with B·N entries, they are written in place (no scratch, no copy).
 */
export function csrOf(z: Float32Array, B: number, N: number, into?: Csr): Csr {
  const ptr = into?.ptr.length === B + 1 ? into.ptr : new Int32Array(B + 1);
  const full = into && into.idx.length >= B * N ? into.idx : null;
  const vals = into?.val && into.val.length >= B * N ? into.val : null;
  // one branch-free pass into an array of the largest possible size (then the exact-size copy, unless in place)
  if (!full && csrScratch.length < B * N) csrScratch = new Int32Array(B * N);
  const all = full ?? csrScratch;
  let p = 0;
  for (let b = 0; b < B; b++) {
    ptr[b] = p;
    const o = b * N;
    if (vals) for (let i = 0; i < N; i++) { const v = z[o + i]; all[p] = i; vals[p] = v; p += +(v !== 0); }
    else for (let i = 0; i < N; i++) { all[p] = i; p += +(z[o + i] !== 0); }
  }
  ptr[B] = p;
  let idx = full;
  if (!idx) {
    idx = into && into.idx.length >= p ? into.idx : new Int32Array(Math.max(p, 1));
    idx.set(all.subarray(0, p));
  }
  return vals ? { ptr, idx, nnz: p, val: vals } : { ptr, idx, nnz: p };
}
let csrScratch = new Int32Array(0);

/** The values of the non-zeros: s.val when z is null (an error if it has none). */
function csrValues(z: Float32Array | null, s: Csr): Float32Array | null {
  if (!z && !s.val) throw new Error('this CSR structure carries no values (build it with csrOf into a val array, or pass z)');
  return z ? null : s.val!;
}

/** out (B×M) += Z·D for sparse Z (B×N, structure `s`; values from z, or from s.val when z is null) and D (N×M). */
export function spmmAdd(z: Float32Array | null, s: Csr, N: number, D: Float32Array, M: number, out: Float32Array): void {
  const B = s.ptr.length - 1;
  const w = wasmCsr(z, s, N);
  if (w) {
    const [d, o] = place(w, [D, out], [true, true]);
    runKernel(w.kernels, 'gacc', [w.ptr, w.idx, w.val, d, M, o], B, 1, ROW_CHUNKS);
    fetchBack(w, out, o);
    return;
  }
  const sv = csrValues(z, s);
  for (let b = 0; b < B; b++) {
    const o = b * M;
    for (let p = s.ptr[b]; p < s.ptr[b + 1]; p++) {
      const i = s.idx[p], v = sv ? sv[p] : z![b * N + i], d = i * M;
      for (let j = 0; j < M; j++) out[o + j] += v * D[d + j];
    }
  }
}

/** G (N×M) += Zᵀ·Y for sparse Z (B×N, structure `s`; values from z, or s.val when z is null) and Y (B×M). */
export function spmmTAdd(z: Float32Array | null, s: Csr, N: number, Y: Float32Array, M: number, G: Float32Array): void {
  const B = s.ptr.length - 1;
  const w = wasmCsr(z, s, N);
  if (w) {
    const [y, g] = place(w, [Y.subarray(0, B * M), G], [true, true]);
    // every row of G may receive from every row of Y: threads split G's rows (atoms), each finding its entries
    // in every CSR row by binary search (csrOf's indices ascend). Splitting columns instead was 3× slower on two
    // threads than on one: both threads then write the same rows at the same time.
    runKernel(w.kernels, 'scat', [w.ptr, w.idx, w.val, B, y, M, g], N, 1, ROW_CHUNKS);
    fetchBack(w, G, g);
    return;
  }
  const sv = csrValues(z, s);
  for (let b = 0; b < B; b++) {
    const o = b * M;
    for (let p = s.ptr[b]; p < s.ptr[b + 1]; p++) {
      const i = s.idx[p], v = sv ? sv[p] : z![b * N + i], d = i * M;
      if (v === 0) continue;
      for (let j = 0; j < M; j++) G[d + j] += v * Y[o + j];
    }
  }
}

/** dz[b,i] = ⟨g_b, d_i⟩ at the positions of `s` only (other entries left as they are). */
export function sampledDots(g: Float32Array, s: Csr, N: number, D: Float32Array, M: number, dz: Float32Array): void {
  const B = s.ptr.length - 1;
  const w = wasmCsr(null, s, N, false);
  if (w) {
    const [y, d] = place(w, [g.subarray(0, B * M), D], [true, true]);
    runKernel(w.kernels, 'sdots', [w.ptr, w.idx, w.val, y, d, M], B, 1, ROW_CHUNKS);
    const val = w.f32(w.val, s.nnz), ptr = s.ptr, idx = s.idx;
    for (let b = 0; b < B; b++) { const o = b * N; for (let p = ptr[b]; p < ptr[b + 1]; p++) dz[o + idx[p]] = val[p]; }
    return;
  }
  for (let b = 0; b < B; b++) {
    const o = b * M;
    for (let p = s.ptr[b]; p < s.ptr[b + 1]; p++) {
      const i = s.idx[p], d = i * M;
      let acc = 0;
      for (let j = 0; j < M; j++) acc += g[o + j] * D[d + j];
      dz[b * N + i] = acc;
    }
  }
}

/**
 * Offsets of the CSR structure `s` and of its values in a fresh arena of the SIMD kernels' memory: in place
 * where they are views of that memory ({@link wasmPins}), else copied in; values gathered from z when given,
 * else s.val (or, when `values` is false, a fresh region for a kernel to write). Null when WebAssembly SIMD is
 * unavailable or switched off ({@link setWasmSparse}).
 */
function wasmCsr(z: Float32Array | null, s: Csr, N: number, values = true): (WasmArena & { ptr: number; idx: number; val: number }) | null {
  if (!useWasmKernels) return null;
  const w = wasmArena();
  if (!w) return null;
  const B = s.ptr.length - 1, nnz = s.nnz;
  const fromVal = values && csrValues(z, s) !== null;
  const [ptr, idx] = place(w, [s.ptr, s.idx.subarray(0, nnz)], [true, true]);
  const val = fromVal ? place(w, [s.val!.subarray(0, nnz)], [true])[0] : w.alloc(nnz);
  if (z) {
    const v = w.f32(val, nnz), sp = s.ptr, si = s.idx;
    for (let b = 0; b < B; b++) { const o = b * N; for (let p = sp[b]; p < sp[b + 1]; p++) v[p] = z[o + si[p]]; }
  }
  return Object.assign(w, { ptr, idx, val });
}

/**
 * Offsets of the arrays in the arena: in place for views of the kernels' memory, else fresh regions (all
 * allocated before any is written), copied in where `copyIn` says.
 */
function place(w: WasmArena, arrays: (Float32Array | Int32Array)[], copyIn: boolean[]): number[] {
  const at = arrays.map((a) => wasmOffset(a) ?? w.alloc(a.length));
  arrays.forEach((a, i) => {
    if (copyIn[i] && wasmOffset(a) === null) (a instanceof Int32Array ? w.i32(at[i], a.length) : w.f32(at[i], a.length)).set(a);
  });
  return at;
}

/** Copy a kernel's output at `at` back into `a`, unless `a` is that memory already. */
function fetchBack(w: WasmArena, a: Float32Array, at: number): void {
  if (wasmOffset(a) === null) a.set(w.f32(at, a.length));
}

let useWasmKernels = true;

/**
 * Use the WebAssembly SIMD kernels (sparse products and the dense GEMM) when available (default true; false =
 * plain JS loops for the sparse products and tfjs for the dense ones, to compare).
 */
export function setWasmSparse(on: boolean): void { useWasmKernels = on; }

/** The value of rank r (0-based, descending) in `a` (core quickselect on a scratch copy; `a` is not changed). */
export function kthLargest(a: Float32Array, r: number, scratch?: Float32Array): number {
  const v = scratch && scratch.length >= a.length ? scratch.subarray(0, a.length) : new Float32Array(a.length);
  v.set(a);
  return coreKthLargest(v, v.length, r + 1);
}
