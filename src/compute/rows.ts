/**
 * Row passes over rows×cols float32 arrays: a row vector added to every row ({@link addRowVector}), the sparse
 * codes of pre-activations, ReLU or TopK per row ({@link sparseCodes}), a reconstruction residual and its gradient
 * ({@link residualRows}), the unit-norm row constraint of dictionaries ({@link projectRowsTangent},
 * {@link normaliseRowsInPlace}), column sums ({@link columnSums}, columns split) and the ReLU's backward pass
 * ({@link reluBackward}, entries split). The wasm kernels run them on both threads (rows split) from the dispatch policy's
 * `elementwiseMinEntries` up, else the JS loops here; both compute every entry and every sum in the same order, so
 * the results are bitwise the same on either path and on one or two threads. Row sums are kept in four f64 lanes
 * (entries j mod 4) added as ((s₀ + s₁) + s₂) + s₃, then the last cols mod 4 entries in order.
 */
import { elementwiseOnWasm } from './dispatch';
import { kthLargest } from './select';
import { KernelOp, ROW_CHUNKS, runKernel } from './threads';
import { WasmArena, fetchBack, place, wasmArena, wasmOffset } from './wasm';

/**
 * Kernel `op` over [0, total) (pieces aligned to `align`, split over the threads) on `arrays` — each copied into the
 * kernels' memory unless it lives there — with `args` after their offsets; the first array is written back.
 */
function inPlaceOnKernels(w: WasmArena, op: KernelOp, arrays: Float32Array[], args: number[], total: number, align: number): void {
  const at = place(w, arrays, arrays.map(() => true));
  runKernel(w.kernels, op, [...at, ...args], total, align, ROW_CHUNKS);
  fetchBack(w, arrays[0], at[0]);
}

/** The bits of the float32 rounding of c, as an i32 (how a kernel takes a float32 constant). */
function f32Bits(c: number): number {
  return new Int32Array(new Float32Array([c]).buffer)[0];
}

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
    const sums = w.alloc(2 * B);
    runKernel(w.kernels, 'act', [p, zz, sums, N, topk ? k : 0], B, 1, ROW_CHUNKS);
    fetchBack(w, z.subarray(0, n), zz);
    return w.f64(sums, B).slice();
  }
  const out = new Float64Array(B), scratch = topk ? new Float32Array(N) : null;
  for (let b = 0; b < B; b++) {
    const o = b * N;
    const thr = scratch ? kthLargest(pre, k, { offset: o, length: N }, scratch) : -Infinity;
    for (let i = 0; i < N; i++) { const v = pre[o + i]; z[o + i] = v >= thr && v > 0 ? v : 0; }
    out[b] = laneSum(z, z, o, N, false);
  }
  return out;
}

/** Σ_j x[o+j]·y[o+j] (or Σ_j x[o+j] when !products) over n entries, in the kernels' four-lane order, in f64. */
function laneSum(x: Float32Array, y: Float32Array, o: number, n: number, products: boolean): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, j = 0;
  if (products) for (; j + 4 <= n; j += 4) { s0 += x[o + j] * y[o + j]; s1 += x[o + j + 1] * y[o + j + 1]; s2 += x[o + j + 2] * y[o + j + 2]; s3 += x[o + j + 3] * y[o + j + 3]; }
  else for (; j + 4 <= n; j += 4) { s0 += x[o + j]; s1 += x[o + j + 1]; s2 += x[o + j + 2]; s3 += x[o + j + 3]; }
  let s = ((s0 + s1) + s2) + s3;
  if (products) for (; j < n; j++) s += x[o + j] * y[o + j];
  else for (; j < n; j++) s += x[o + j];
  return s;
}

/**
 * The residual of a reconstruction and the gradient of its squared norm, in one pass over a (rows×cols), in place:
 * a ← (a + bias) − x when `shift` is given (bias: cols, the same for every row; x: rows×cols), then g ← c·a
 * (rows×cols), each in float32. Returns Σ_j a² of every row (rows, float64; in the four-lane order).
 * E.g. a = Z·D, shift = {bias: b_dec, x: X} gives the residual X̂ − X and, with c = 2/B, the gradient of
 * mean_b ‖x̂_b − x_b‖² with respect to X̂.
 */
export function residualRows(a: Float32Array, rows: number, cols: number, shift: { bias: Float32Array; x: Float32Array } | null,
  c: number, g: Float32Array): Float64Array {
  const n = rows * cols, cf = Math.fround(c);
  const w = elementwiseOnWasm(n) ? wasmArena() : null;
  if (w) {
    const [pa, pg] = place(w, [a.subarray(0, n), g.subarray(0, n)], [true, false]);
    const [pb, px] = shift ? place(w, [shift.bias.subarray(0, cols), shift.x.subarray(0, n)], [true, true]) : [0, 0];
    const sums = w.alloc(2 * rows);
    runKernel(w.kernels, 'resid', [pa, pb, px, shift ? 1 : 0, f32Bits(cf), pg, sums, cols], rows, 1, ROW_CHUNKS);
    if (shift) fetchBack(w, a.subarray(0, n), pa);
    fetchBack(w, g.subarray(0, n), pg);
    return w.f64(sums, rows).slice();
  }
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (shift) {
      const { bias, x } = shift;
      for (let j = 0; j < cols; j++) a[o + j] = Math.fround(a[o + j] + bias[j]) - x[o + j];
    }
    for (let j = 0; j < cols; j++) g[o + j] = cf * a[o + j];
    out[r] = laneSum(a, a, o, cols, true);
  }
  return out;
}

/**
 * Remove from each row of the gradient g (rows×cols) its component along the matching row of p:
 * g ← g − (⟨g, p⟩/⟨p, p⟩)·p, in float64 (rows of p that are zero are skipped). For unit-norm atoms p this keeps
 * a gradient step on the sphere to first order.
 */
export function projectRowsTangent(g: Float32Array, p: Float32Array, rows: number, cols: number): void {
  const n = rows * cols;
  const w = elementwiseOnWasm(n) ? wasmArena() : null;
  if (w) {
    inPlaceOnKernels(w, 'tangent', [g.subarray(0, n), p.subarray(0, n)], [cols], rows, 1);
    return;
  }
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    const nn = laneSum(p, p, o, cols, true);
    if (nn === 0) continue;
    const c = laneSum(g, p, o, cols, true) / nn;
    for (let j = 0; j < cols; j++) g[o + j] -= c * p[o + j];
  }
}

/** Scale each row of p (rows×cols) to unit Euclidean norm, in float64 (zero rows stay zero). */
export function normaliseRowsInPlace(p: Float32Array, rows: number, cols: number): void {
  const n = rows * cols;
  const w = elementwiseOnWasm(n) ? wasmArena() : null;
  if (w) {
    inPlaceOnKernels(w, 'rownorm', [p.subarray(0, n)], [cols], rows, 1);
    return;
  }
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    const nn = laneSum(p, p, o, cols, true);
    if (nn === 0) continue;
    const inv = 1 / Math.sqrt(nn);
    for (let j = 0; j < cols; j++) p[o + j] *= inv;
  }
}

/**
 * out (cols) = column sums of a (rows×cols), rows in ascending order, accumulated in float64: the `colsum` kernel
 * on both threads (column pairs) when a lives in the kernels' memory, cols is even and a is large enough, else the
 * JS loop (bitwise the same).
 */
export function columnSums(a: Float32Array, rows: number, cols: number, out: Float32Array | Float64Array): void {
  const at = cols % 2 === 0 && elementwiseOnWasm(rows * cols) ? wasmOffset(a) : null;
  const w = at !== null ? wasmArena() : null;
  if (w && at !== null) {
    const s = w.alloc(2 * cols);
    runKernel(w.kernels, 'colsum', [at, rows, cols, s], cols, 2, ROW_CHUNKS);
    out.set(w.f64(s, cols));
    return;
  }
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) { const o = r * cols; for (let j = 0; j < cols; j++) acc[j] += a[o + j]; }
  out.set(acc);
}

/**
 * The backward pass of a ReLU with a constant added to the gradient (an L1 penalty's λ/B), in place over n
 * entries: dz ← dz + c where pre > 0, else 0, in float32 (c rounded to float32).
 */
export function reluBackward(dz: Float32Array, pre: Float32Array, n: number, c: number): void {
  const cf = Math.fround(c);
  const w = elementwiseOnWasm(n) ? wasmArena() : null;
  if (w) {
    inPlaceOnKernels(w, 'reluback', [dz.subarray(0, n), pre.subarray(0, n)], [f32Bits(cf)], n, 4);
    return;
  }
  for (let q = 0; q < n; q++) dz[q] = pre[q] > 0 ? dz[q] + cf : 0;
}
