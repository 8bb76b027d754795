/**
 * Row passes over B×N float32 arrays: a row vector added to every row ({@link addRowVector}) and the sparse codes
 * of pre-activations, ReLU or TopK per row ({@link sparseCodes}). The wasm kernels run them on both threads (rows
 * split) from the dispatch policy's `elementwiseMinEntries` up, else the JS loops here; both compute every entry
 * and every sum in the same order, so the results are bitwise the same on either path and on one or two threads.
 */
import { elementwiseOnWasm } from './dispatch';
import { kthLargest } from './select';
import { runKernel } from './threads';
import { fetchBack, place, wasmArena } from './wasm';

/** Pieces the rows are cut into for the two threads (claimed from a shared counter). */
const ROW_CHUNKS = 8;

/**
 * out[r] = a[r] + v, or a[r] − v when `subtract`, for every row r of a (rows×cols, row-major) and v (cols);
 * `out` (rows×cols) may be `a`. Returns out.
 */
export function addRowVector(a: Float32Array, rows: number, cols: number, v: Float32Array, out: Float32Array, subtract = false): Float32Array {
  const n = rows * cols;
  const w = elementwiseOnWasm(n) ? wasmArena() : null;
  if (w) {
    const inPlace = out === a;
    const [pa, pv] = place(w, [a.subarray(0, n), v.subarray(0, cols)], [true, true]);
    const po = inPlace ? pa : place(w, [out.subarray(0, n)], [false])[0];
    runKernel(w.kernels, 'addrow', [pa, pv, subtract ? 1 : 0, po, cols], rows, 1, ROW_CHUNKS);
    fetchBack(w, out.subarray(0, n), po);
    return out;
  }
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (subtract) for (let j = 0; j < cols; j++) out[o + j] = a[o + j] - v[j];
    else for (let j = 0; j < cols; j++) out[o + j] = a[o + j] + v[j];
  }
  return out;
}

/**
 * Sparse codes of pre-activations pre (B×N) into z (B×N): per row, TopK_k(ReLU(pre)) — the values ≥ the row's
 * k-th largest that are > 0, every tie at the k-th kept — or ReLU(pre) when k = 0 (or k ≥ N). Returns the row sums
 * of z (B, float64), each summed in four lanes (entries i mod 4) added as ((s₀ + s₁) + s₂) + s₃, then the last
 * N mod 4 entries in order: the order of the wasm kernel, so both paths give the same sums.
 */
export function sparseCodes(pre: Float32Array, B: number, N: number, k: number, z: Float32Array): Float64Array {
  if (!(Number.isInteger(k) && k >= 0)) throw new RangeError(`sparseCodes: k=${k} must be an integer ≥ 0 (0 = ReLU)`);
  const topk = k > 0 && k < N, n = B * N;
  const w = elementwiseOnWasm(n) ? wasmArena() : null;
  if (w) {
    const [p, zz] = place(w, [pre.subarray(0, n), z.subarray(0, n)], [true, false]);
    const sums = w.alloc(2 * B), bins = topk ? w.alloc(256 * B) : 0;
    runKernel(w.kernels, 'act', [p, zz, sums, bins, N, topk ? k : 0], B, 1, ROW_CHUNKS);
    fetchBack(w, z.subarray(0, n), zz);
    return w.f64(sums, B).slice();
  }
  const out = new Float64Array(B), scratch = topk ? new Float32Array(N) : null;
  for (let b = 0; b < B; b++) {
    const o = b * N;
    const thr = scratch ? kthLargest(pre, k, { offset: o, length: N }, scratch) : -Infinity;
    for (let i = 0; i < N; i++) { const v = pre[o + i]; z[o + i] = v >= thr && v > 0 ? v : 0; }
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
    for (; i + 4 <= N; i += 4) { s0 += z[o + i]; s1 += z[o + i + 1]; s2 += z[o + i + 2]; s3 += z[o + i + 3]; }
    let s = ((s0 + s1) + s2) + s3;
    for (; i < N; i++) s += z[o + i];
    out[b] = s;
  }
  return out;
}
