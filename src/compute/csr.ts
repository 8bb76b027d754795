/**
 * Products with a sparse left factor held in CSR form — codes Z with few non-zeros, so the cost is ∝ nnz·M instead
 * of B·N·M: out += Z·D, G += Zᵀ·Y and the sampled dots ⟨g_b, d_i⟩ at Z's non-zeros. WebAssembly SIMD kernels on
 * both threads when available, JS loops otherwise (same sums in the same order per output entry).
 */
import { elementwiseOnWasm, wasmKernelsOn } from './dispatch';
import { WasmArena, fetchBack, place, wasmArena, wasmOffset } from './wasm';
import { ROW_CHUNKS, runKernel } from './threads';

/**
 * Non-zero positions of Z (B×N) as CSR index lists, ascending within each row; `val`, when present, holds Z's
 * values at those positions (a snapshot taken by {@link csrOf}). Row b spans [ptr[b], ptr[b+1]) — or, when `end`
 * is given, [ptr[b], end[b]): rows kept in fixed slots with room to spare, so that each row can be written on its
 * own (by either thread); `nnz` is then the extent of idx/val in use (the last slot's end).
 */
export interface Csr { ptr: Int32Array; idx: Int32Array; nnz: number; val?: Float32Array; end?: Int32Array }

/** End of row b of `s` (exclusive). */
function rowEnd(s: Csr, b: number): number {
  return s.end ? s.end[b] : s.ptr[b + 1];
}

/** Rows of `s`. */
function rowsOf(s: Csr): number {
  return s.end ? s.end.length : s.ptr.length - 1;
}

/**
 * CSR structure (and values, when `into.val` can hold B·N entries) of the non-zeros of z (B×N); reuses `into`'s
 * arrays when big enough — with B·N entries, they are written in place (no scratch, no copy). From the dispatch
 * policy's `elementwiseMinEntries` up, the wasm kernels count each row's non-zeros and then write the rows, both
 * on two threads; the result is the same.
 */
export function csrOf(z: Float32Array, B: number, N: number, into?: Csr): Csr {
  const ptr = into?.ptr.length === B + 1 ? into.ptr : new Int32Array(B + 1);
  const vals = into?.val && into.val.length >= B * N ? into.val : null;
  const w = elementwiseOnWasm(B * N) ? wasmArena() : null;
  if (w) return wasmCsrOf(w, z, B, N, ptr, vals, into);
  const full = into && into.idx.length >= B * N ? into.idx : null;
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

/** {@link csrOf} on the kernels: row counts (`rownnz`), their prefix sums here, then the rows (`csrrows`). */
function wasmCsrOf(w: WasmArena, z: Float32Array, B: number, N: number, ptr: Int32Array, vals: Float32Array | null, into?: Csr): Csr {
  const [zz] = place(w, [z.subarray(0, B * N)], [true]);
  const cnt = w.alloc(B);
  runKernel(w.kernels, 'rownnz', [zz, N, cnt], B, 1, ROW_CHUNKS);
  const counts = w.i32(cnt, B);
  let p = 0;
  for (let b = 0; b < B; b++) { ptr[b] = p; p += counts[b]; }
  ptr[B] = p;
  const idx = into && into.idx.length >= p ? into.idx : new Int32Array(Math.max(p, 1));
  const [pp, pi] = place(w, [ptr, idx.subarray(0, p)], [true, false]);
  const pv = vals ? place(w, [vals.subarray(0, p)], [false])[0] : w.alloc(p);
  runKernel(w.kernels, 'csrrows', [zz, N, pp, pi, pv], B, 1, ROW_CHUNKS);
  fetchBack(w, idx.subarray(0, p), pi);
  if (vals) fetchBack(w, vals.subarray(0, p), pv);
  return vals ? { ptr, idx, nnz: p, val: vals } : { ptr, idx, nnz: p };
}

/** The values of the non-zeros: s.val when z is null (an error if it has none). */
function csrValues(z: Float32Array | null, s: Csr): Float32Array | null {
  if (!z && !s.val) throw new Error('this CSR structure carries no values (build it with csrOf into a val array, or pass z)');
  return z ? null : s.val!;
}

/** out (B×M) += Z·D for sparse Z (B×N, structure `s`; values from z, or from s.val when z is null) and D (N×M). */
export function spmmAdd(z: Float32Array | null, s: Csr, N: number, D: Float32Array, M: number, out: Float32Array): void {
  const B = rowsOf(s);
  const w = wasmCsr(z, s, N);
  if (w) {
    const [d, o] = place(w, [D, out], [true, true]);
    runKernel(w.kernels, 'gacc', [w.ptr, w.end, w.idx, w.val, d, M, o], B, 1, ROW_CHUNKS);
    fetchBack(w, out, o);
    return;
  }
  const sv = csrValues(z, s);
  for (let b = 0; b < B; b++) {
    const o = b * M;
    for (let p = s.ptr[b], pe = rowEnd(s, b); p < pe; p++) {
      const i = s.idx[p], v = sv ? sv[p] : z![b * N + i], d = i * M;
      for (let j = 0; j < M; j++) out[o + j] += v * D[d + j];
    }
  }
}

/** G (N×M) += Zᵀ·Y for sparse Z (B×N, structure `s`; values from z, or s.val when z is null) and Y (B×M). */
export function spmmTAdd(z: Float32Array | null, s: Csr, N: number, Y: Float32Array, M: number, G: Float32Array): void {
  const B = rowsOf(s);
  const w = wasmCsr(z, s, N);
  if (w) {
    const [y, g] = place(w, [Y.subarray(0, B * M), G], [true, true]);
    // every row of G may receive from every row of Y: threads split G's rows (atoms), each finding its entries
    // in every CSR row by binary search (csrOf's indices ascend). Splitting columns instead was 3× slower on two
    // threads than on one: both threads then write the same rows at the same time.
    runKernel(w.kernels, 'scat', [w.ptr, w.end, w.idx, w.val, B, y, M, g], N, 1, ROW_CHUNKS);
    fetchBack(w, G, g);
    return;
  }
  const sv = csrValues(z, s);
  for (let b = 0; b < B; b++) {
    const o = b * M;
    for (let p = s.ptr[b], pe = rowEnd(s, b); p < pe; p++) {
      const i = s.idx[p], v = sv ? sv[p] : z![b * N + i], d = i * M;
      if (v === 0) continue;
      for (let j = 0; j < M; j++) G[d + j] += v * Y[o + j];
    }
  }
}

/**
 * dz[b,i] = ⟨g_b, d_i⟩ at the positions of `s` only (other entries of dz, B×N, left as they are). A dz in the
 * kernels' memory is written by the kernel itself; else the values come from {@link sampledDotValues}.
 */
export function sampledDots(g: Float32Array, s: Csr, N: number, D: Float32Array, M: number, dz: Float32Array): void {
  const dzAt = wasmOffset(dz);
  const w = dzAt !== null ? wasmCsr(null, s, 0, false) : null;
  if (w) { runSdots(w, g, s, D, M, dzAt!, N); return; }
  const val = sampledDotValues(g, s, D, M), ptr = s.ptr, idx = s.idx, B = rowsOf(s);
  for (let b = 0; b < B; b++) { const o = b * N; for (let p = ptr[b], pe = rowEnd(s, b); p < pe; p++) dz[o + idx[p]] = val[p]; }
}

/**
 * The dots ⟨g_b, d_i⟩ (g: B×M, D: N×M) at the positions (b, i) of `s`, in its order: entry p of the result
 * (s.nnz entries, or `out`) belongs to position p of s.idx — values for a CSR of the same structure.
 */
export function sampledDotValues(g: Float32Array, s: Csr, D: Float32Array, M: number, out?: Float32Array): Float32Array {
  const B = rowsOf(s), res = out ?? new Float32Array(s.nnz);
  const w = wasmCsr(null, s, 0, false);
  if (w) {
    runSdots(w, g, s, D, M, 0, 0);
    res.set(w.f32(w.val, s.nnz));
    return res;
  }
  for (let b = 0; b < B; b++) {
    const o = b * M;
    for (let p = s.ptr[b], pe = rowEnd(s, b); p < pe; p++) {
      const d = s.idx[p] * M;
      let acc = 0;
      for (let j = 0; j < M; j++) acc += g[o + j] * D[d + j];
      res[p] = acc;
    }
  }
  return res;
}

/** The `sdots` kernel on both threads: the dots into w.val and, when N ≠ 0, into the dense B×N array at dzAt. */
function runSdots(w: WasmArena & { ptr: number; end: number; idx: number; val: number }, g: Float32Array, s: Csr, D: Float32Array, M: number, dzAt: number, N: number): void {
  const B = rowsOf(s);
  const [y, d] = place(w, [g.subarray(0, B * M), D], [true, true]);
  runKernel(w.kernels, 'sdots', [w.ptr, w.end, w.idx, w.val, y, d, M, dzAt, N], B, 1, ROW_CHUNKS);
}

/**
 * Offsets of the CSR structure `s` and of its values in a fresh arena of the SIMD kernels' memory: in place
 * where they are views of that memory ({@link wasmPins}), else copied in; values gathered from z when given,
 * else s.val (or, when `values` is false, a fresh region for a kernel to write). Null when WebAssembly SIMD is
 * unavailable or switched off ({@link setWasmKernels}).
 */
function wasmCsr(z: Float32Array | null, s: Csr, N: number, values = true): (WasmArena & { ptr: number; end: number; idx: number; val: number }) | null {
  if (!wasmKernelsOn()) return null;
  const w = wasmArena();
  if (!w) return null;
  const B = rowsOf(s), nnz = s.nnz;
  const fromVal = values && csrValues(z, s) !== null;
  const [ptr, idx] = place(w, [s.ptr, s.idx.subarray(0, nnz)], [true, true]);
  // a compact CSR's row ends are its starts shifted by one entry
  const end = s.end ? place(w, [s.end], [true])[0] : ptr + 4;
  const val = fromVal ? place(w, [s.val!.subarray(0, nnz)], [true])[0] : w.alloc(nnz);
  if (z) {
    const zAt = elementwiseOnWasm(B * N) ? wasmOffset(z) : null;
    if (zAt !== null) runKernel(w.kernels, 'csrgather', [ptr, end, idx, zAt, N, val], B, 1, ROW_CHUNKS);
    else {
      const v = w.f32(val, nnz), sp = s.ptr, si = s.idx;
      for (let b = 0; b < B; b++) { const o = b * N; for (let p = sp[b], pe = rowEnd(s, b); p < pe; p++) v[p] = z[o + si[p]]; }
    }
  }
  return Object.assign(w, { ptr, end, idx, val });
}
