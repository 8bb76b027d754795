/**
 * Float32 kernels of the SAE hot loop on typed arrays: a dense product that sends big products to tfjs
 * (plain matMul, no transpose flags) and keeps small ones in JS, a blocked transpose, and products with a
 * sparse left factor (codes with few non-zeros: cost ∝ nnz·M instead of B·N·M).
 */
import { fastBackend, gemm, kthLargest as coreKthLargest } from '../core/linalg';
import { matrix, transpose } from '../core/matrix';
import { WasmArena, wasmArena } from './sparse_wasm';
import { matmulThreads, splitMm, tfMm } from './mm_worker';

/**
 * Products with at least this many multiply-adds go to tfjs when a fast backend is active. Measured on wasm:
 * a 1024×16·16×32 product (524k MACs) takes 0.58 ms in tfjs and 2.7 ms in the JS loop; below ~32k MACs the
 * per-call overhead (~0.1 ms) wins.
 */
export const TF_MIN_MACS = 1 << 15;

/**
 * Products with at least this many multiply-adds are split over two threads on the wasm backend
 * ({@link splitMm}); 1024×256·256×1024 (268M) takes ~30 ms on one thread.
 */
export const SPLIT_MIN_MACS = 1 << 24;

/** C = A·B for A (n×k) and B (k×m), float32, row-major. */
export function mm(a: Float32Array, n: number, k: number, b: Float32Array, m: number): Float32Array {
  const fast = n * k * m >= TF_MIN_MACS ? fastBackend() : null;
  if (fast) {
    if (fast === 'wasm' && n * k * m >= SPLIT_MIN_MACS && m >= 64 && matmulThreads() > 1) return splitMm(a, n, k, b, m);
    return tfMm(a, n, k, b, m);
  }
  return Float32Array.from(gemm(matrix(n, k, a), matrix(k, m, b), { precision: 'float64' }).data);
}

/** Transpose of a rows×cols float32 array (a new cols×rows array). */
export function tr(a: Float32Array, rows: number, cols: number): Float32Array {
  return transpose(matrix(rows, cols, a)).data as Float32Array;
}

/** Non-zero positions of Z (B×N) as CSR index lists (values read from Z). */
export interface Csr { ptr: Int32Array; idx: Int32Array; nnz: number }

/** CSR structure of the non-zeros of z (B×N); reuses `into` if big enough. */
export function csrOf(z: Float32Array, B: number, N: number, into?: Csr): Csr {
  const ptr = into?.ptr.length === B + 1 ? into.ptr : new Int32Array(B + 1);
  // one branch-free pass into a scratch of the largest possible size, then the exact-size copy
  if (csrScratch.length < B * N) csrScratch = new Int32Array(B * N);
  const all = csrScratch;
  let p = 0;
  for (let b = 0; b < B; b++) {
    ptr[b] = p;
    const o = b * N;
    for (let i = 0; i < N; i++) { all[p] = i; p += +(z[o + i] !== 0); }
  }
  ptr[B] = p;
  const idx = into && into.idx.length >= p ? into.idx : new Int32Array(Math.max(p, 1));
  idx.set(all.subarray(0, p));
  return { ptr, idx, nnz: p };
}
let csrScratch = new Int32Array(0);

/** out (B×M) += Z·D for sparse Z (B×N, structure `s`) and D (N×M). */
export function spmmAdd(z: Float32Array, s: Csr, N: number, D: Float32Array, M: number, out: Float32Array): void {
  const B = s.ptr.length - 1;
  const w = wasmCsr(z, s, N);
  if (w) {
    const [d, o] = upload(w, D, out);
    w.kernels.gacc(w.ptr, w.idx, w.val, B, d, M, o);
    out.set(w.f32(o, out.length));
    return;
  }
  for (let b = 0; b < B; b++) {
    const o = b * M;
    for (let p = s.ptr[b]; p < s.ptr[b + 1]; p++) {
      const i = s.idx[p], v = z[b * N + i], d = i * M;
      for (let j = 0; j < M; j++) out[o + j] += v * D[d + j];
    }
  }
}

/** G (N×M) += Zᵀ·Y for sparse Z (B×N, structure `s`) and Y (B×M). */
export function spmmTAdd(z: Float32Array, s: Csr, N: number, Y: Float32Array, M: number, G: Float32Array): void {
  const B = s.ptr.length - 1;
  const w = wasmCsr(z, s, N);
  if (w) {
    const [y, g] = upload(w, Y.subarray(0, B * M), G);
    w.kernels.scat(w.ptr, w.idx, w.val, B, y, M, g);
    G.set(w.f32(g, G.length));
    return;
  }
  for (let b = 0; b < B; b++) {
    const o = b * M;
    for (let p = s.ptr[b]; p < s.ptr[b + 1]; p++) {
      const i = s.idx[p], v = z[b * N + i], d = i * M;
      if (v === 0) continue;
      for (let j = 0; j < M; j++) G[d + j] += v * Y[o + j];
    }
  }
}

/** dz[b,i] = ⟨g_b, d_i⟩ at the positions of `s` only (other entries left as they are). */
export function sampledDots(g: Float32Array, s: Csr, N: number, D: Float32Array, M: number, dz: Float32Array): void {
  const B = s.ptr.length - 1;
  const w = wasmCsr(null, s, N);
  if (w) {
    const [y, d] = upload(w, g.subarray(0, B * M), D);
    w.kernels.sdots(w.ptr, w.idx, w.val, B, y, d, M);
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
 * The CSR structure `s` (and, given z, its values) copied into a fresh arena of the SIMD kernels' memory,
 * or null when WebAssembly SIMD is unavailable or switched off ({@link setWasmSparse}).
 */
function wasmCsr(z: Float32Array | null, s: Csr, N: number): (WasmArena & { ptr: number; idx: number; val: number }) | null {
  if (!useWasmSparse) return null;
  const w = wasmArena();
  if (!w) return null;
  const B = s.ptr.length - 1, nnz = s.nnz;
  const ptr = w.alloc(B + 1), idx = w.alloc(nnz), val = w.alloc(nnz);
  w.i32(ptr, B + 1).set(s.ptr);
  w.i32(idx, nnz).set(s.idx.subarray(0, nnz));
  if (z) {
    const v = w.f32(val, nnz), sp = s.ptr, si = s.idx;
    for (let b = 0; b < B; b++) { const o = b * N; for (let p = sp[b]; p < sp[b + 1]; p++) v[p] = z[o + si[p]]; }
  }
  return Object.assign(w, { ptr, idx, val });
}

/** Copy the arrays into fresh regions of the arena (all allocated before any is written); their offsets. */
function upload(w: WasmArena, ...arrays: Float32Array[]): number[] {
  const at = arrays.map((a) => w.alloc(a.length));
  arrays.forEach((a, i) => w.f32(at[i], a.length).set(a));
  return at;
}

let useWasmSparse = true;

/** Use the WebAssembly SIMD sparse kernels when available (default true; false = the plain JS loops, to compare). */
export function setWasmSparse(on: boolean): void { useWasmSparse = on; }

/** The value of rank r (0-based, descending) in `a` (core quickselect on a scratch copy; `a` is not changed). */
export function kthLargest(a: Float32Array, r: number, scratch?: Float32Array): number {
  const v = scratch && scratch.length >= a.length ? scratch.subarray(0, a.length) : new Float32Array(a.length);
  v.set(a);
  return coreKthLargest(v, v.length, r + 1);
}
