/**
 * The WebAssembly SIMD kernels of src/compute/wasm/kernels.wat (a dense product, products with a sparse CSR
 * factor, an Adam step, the toy models' data draws and elementwise pass, batch norm + leaky ReLU, row passes over
 * codes: a row vector added, ReLU/TopK codes, their CSR), instantiated once over a shared memory, a bump arena in that memory, and arrays pinned in
 * it for the length of a fit. Plain JS
 * typed-array loops run these products at ~0.25 G multiply-adds/s here; 128-bit SIMD in wasm is an order of
 * magnitude faster. The memory is shared so that a worker thread can run the same kernels on other rows of the
 * same arrays ({@link ./threads}).
 */
import v8 from 'node:v8';
import { KERNELS_WASM, KERNELS_WASM_FMA } from './wasm_binary';

/** The little of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
export interface WasmMemory { readonly buffer: ArrayBufferLike; grow(pages: number): number }
/** A compiled module (opaque here; it can be posted to a worker). */
export type WasmModule = object;
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
};

/**
 * Exports of the kernel module; pointers are byte offsets into the memory. Every kernel works on a range
 * [lo, hi) of rows (or columns) given by its last two arguments, so that threads can split it; each output
 * entry is computed the same way whatever the range, so a split result is bitwise the whole one.
 */
export interface WasmKernels {
  /**
   * out (R×M) += S·X for rows [r0, R) of out, S sparse R×(rows of X) in CSR (row r spans [ptr[r], pend[r]) of
   * idx/val; pend = ptr + 4 for a compact CSR), X with rows of M.
   */
  gacc(ptr: number, pend: number, idx: number, val: number, X: number, M: number, out: number, r0: number, R: number): void;
  /** Rows [i0, i1) of X += Sᵀ·Y, S sparse R×(rows of X) in CSR (ptr/pend/idx/val, ascending idx in each row), Y R×M. */
  scat(ptr: number, pend: number, idx: number, val: number, R: number, Y: number, M: number, X: number, i0: number, i1: number): void;
  /**
   * val[p] = ⟨Y_b, D_idx[p]⟩ at every non-zero position p of rows b ∈ [b0, B) of ptr/pend/idx; when N ≠ 0 also
   * written to the dense B×N array at dz (dz[b][idx[p]]).
   */
  sdots(ptr: number, pend: number, idx: number, val: number, Y: number, D: number, M: number, dz: number, N: number, b0: number, B: number): void;
  /**
   * C = A·B for rows [r0, R): A R×K (AT = 0) or given transposed as Aᵀ, K×AT row-major (AT = the rows of A), B K×M
   * packed in NP/8 panels of 8 columns ({@link packPanels}, NP = M rounded up to 8), C R×M; S: scratch of R×8 floats
   * for a partial last panel (unused when NP = M); when nb ≠ 0, the row vector at bias (NP f32) is added to every
   * row of C.
   */
  gemm(A: number, Bp: number, C: number, K: number, NP: number, M: number, S: number, AT: number, bias: number, nb: number, r0: number, R: number): void;
  /** Column sums (f64 at out) of a (rows×cols, cols even), column pairs in [j0, j1) (even), rows ascending. */
  colsum(a: number, rows: number, cols: number, out: number, j0: number, j1: number): void;
  /** Panels [q0, q1) of B (k×m) packed for {@link WasmKernels.gemm} into out: {@link packPanels} (not transposed). */
  pack(b: number, k: number, m: number, out: number, q0: number, q1: number): void;
  /** Panels [q0, q1) of B packed as by `pack`, from b = Bᵀ (m×k, row-major). */
  packt(b: number, k: number, m: number, out: number, q0: number, q1: number): void;
  /** One Adam step on entries [i0, i1) of p, g, m, v; f64 constants at hp (β₁, β₂, 1−β₁, 1−β₂, c₁, c₂, lr, ε). */
  adam(p: number, g: number, m: number, v: number, hp: number, i0: number, i1: number): void;
  /**
   * Toy-model data, features [i0, i1) of one instance (the draws of src/toy/data.ts): key (4 i32), cut (activity
   * threshold per feature, u32), x (n×B, feature-major) and each feature's non-zeros in its slots [i·B, end[i]).
   */
  toydata(key: number, cut: number, B: number, x: number, idx: number, val: number, end: number, i0: number, i1: number): void;
  /**
   * Toy-model elementwise pass, features [i0, i1) of one instance (src/toy/trainer.ts): from outT, xT (n×B), b and
   * (w, c·w) f64 pairs, G's non-zeros in slots [i·B, end[i]) of idx/val, gb (f32) and the loss per feature (f64).
   */
  toyelem(outT: number, xT: number, bias: number, wc: number, B: number, relu: number, idx: number, val: number, end: number,
    gb: number, loss: number, i0: number, i1: number): void;
  /**
   * Batch norm (training) + leaky ReLU over the rows of x (B×F, F even), columns [j0, j1) (even): x̂, y, act (f32);
   * μ, σ², 1/√(σ²+ε) f64 at st (3 blocks of F); f64 slope, ε at hp (src/nn/batchnorm.ts).
   */
  bnfwd(x: number, xhat: number, y: number, act: number, B: number, F: number, gamma: number, beta: number, st: number, hp: number, j0: number, j1: number): void;
  /** Backward of bnfwd, columns [j0, j1): dx from dy, y, x̂, inv (f64); Σdd, Σdd·x̂ f64 at st; f64 slope at hp. */
  bnbwd(dy: number, y: number, xhat: number, dx: number, B: number, F: number, gamma: number, inv: number, st: number, hp: number, j0: number, j1: number): void;
  /** Rows [r0, r1) of out = a + v (a − v when sub ≠ 0), a and out rows of `cols` f32, v one row (src/compute/rows.ts). */
  addrow(a: number, v: number, sub: number, out: number, cols: number, r0: number, r1: number): void;
  /**
   * Rows [r0, r1) of z = TopK_k(ReLU(pre)) (ReLU when k = 0 or k ≥ N), rows of N f32; f64 row sums of z at sum in
   * four lanes (src/compute/rows.ts); z's rows are the selection's scratch.
   */
  act(pre: number, z: number, sum: number, N: number, k: number, r0: number, r1: number): void;
  /** cnt[b] (i32) = non-zero entries of rows [r0, r1) of z (rows of N f32). */
  rownnz(z: number, N: number, cnt: number, r0: number, r1: number): void;
  /** Rows [r0, r1) of z's non-zeros written as CSR at [ptr[b], ptr[b+1]) of idx/val (columns ascending). */
  csrrows(z: number, N: number, ptr: number, idx: number, val: number, r0: number, r1: number): void;
  /**
   * Rows [r0, r1) of a (rows of `cols` f32) in place: a ← (a + bias) − x when shift ≠ 0, g ← c·a (c: the f32
   * with bits cbits), f64 row sums of a² at sum in four lanes (src/compute/rows.ts).
   */
  resid(a: number, bias: number, x: number, shift: number, cbits: number, g: number, sum: number, cols: number, r0: number, r1: number): void;
  /** Rows [r0, r1) of g ← g − (⟨g, p⟩/⟨p, p⟩)·p (rows of `cols` f32; f64 arithmetic, zero rows of p skipped). */
  tangent(g: number, p: number, cols: number, r0: number, r1: number): void;
  /** Rows [r0, r1) of p scaled to unit norm (rows of `cols` f32; f64 arithmetic, zero rows skipped). */
  rownorm(p: number, cols: number, r0: number, r1: number): void;
  /** val[p] = z[b][idx[p]] at the positions of rows [r0, r1) of a CSR structure (z: rows of N f32). */
  csrgather(ptr: number, pend: number, idx: number, z: number, N: number, val: number, r0: number, r1: number): void;
  /** Entries [i0, i1): dz ← dz + c where pre > 0, else +0 (c: the f32 with bits cbits). */
  reluback(dz: number, pre: number, cbits: number, i0: number, i1: number): void;
  /**
   * Softmax cross-entropy of rows [r0, r1) of logits (rows of C f32) against labels (i32): the gradient (f32, may
   * be logits), the exponentials (f64 rows at ex), and per row the largest logit, the sum of exponentials and the
   * label's logit (three f64 at st).
   */
  smce(logits: number, C: number, labels: number, grad: number, ex: number, st: number, B: number, r0: number, r1: number): void;
}

/**
 * Which build of the kernels runs: 'default' (the GEMM multiplies and adds in two roundings) or 'fma' (the
 * GEMM's multiply-adds as f32x4.relaxed_madd, one rounding where the CPU has FMA; opt-in with `WORKBOOK_FMA=1`).
 */
export type KernelVariant = 'default' | 'fma';

/** The module, its shared memory, the instance of this thread, and which variant it is. */
export interface KernelModule { module: WasmModule; memory: WasmMemory; kernels: WasmKernels; variant: KernelVariant }

/** The V8 flag that lets Node 20 compile relaxed SIMD (process-wide; set before compiling, as the worker also does). */
export const RELAXED_SIMD_FLAG = '--experimental-wasm-relaxed-simd';

/** Largest memory of the kernels (pages of 64 KiB): 4 GiB, the wasm32 limit (reserved, not committed). */
const MAX_PAGES = 65536;

/** The variant asked for by the environment: 'fma' for `WORKBOOK_FMA=1`, else 'default' (other values warn). */
export function requestedVariant(env: Record<string, string | undefined> = process.env, warn = stderrWarn): KernelVariant {
  const v = env.WORKBOOK_FMA;
  if (v === '1') return 'fma';
  if (v !== undefined && v !== '' && v !== '0') warn(`WORKBOOK_FMA=${v} is not understood: set WORKBOOK_FMA=1 for the fused multiply-add kernels or unset it; using the default kernels`);
  return 'default';
}

function stderrWarn(message: string): void {
  process.stderr.write(`superposition-workbook: ${message}\n`);
}

/**
 * Compile the kernels of `variant` from base64 `binaries`: the FMA variant after enabling relaxed SIMD in V8; when
 * it does not compile, the default one after one warning through `warn`. Throws when the default does not compile
 * (no WebAssembly SIMD).
 */
export function compileKernels(variant: KernelVariant, binaries = { default: KERNELS_WASM, fma: KERNELS_WASM_FMA },
  warn = stderrWarn): { module: WasmModule; variant: KernelVariant } {
  if (variant === 'fma') {
    try {
      v8.setFlagsFromString(RELAXED_SIMD_FLAG);
      return { module: new WebAssembly.Module(Buffer.from(binaries.fma, 'base64')), variant: 'fma' };
    } catch (e) {
      warn(`WORKBOOK_FMA=1: the fused multiply-add kernels (relaxed SIMD) do not compile here (${(e as Error).message}); using the default kernels`);
    }
  }
  return { module: new WebAssembly.Module(Buffer.from(binaries.default, 'base64')), variant: 'default' };
}

let loaded: KernelModule | null | undefined;

/**
 * The kernel module over its shared memory, or null where WebAssembly SIMD or shared memory is unavailable. The
 * variant is chosen once per process from `WORKBOOK_FMA` ({@link requestedVariant}).
 */
export function kernelModule(): KernelModule | null {
  if (loaded === undefined) {
    try {
      const { module, variant } = compileKernels(requestedVariant());
      const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
      const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmKernels;
      loaded = { module, memory, kernels, variant };
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/** Which variant of the kernels this process runs ({@link KernelVariant}), or null without WebAssembly SIMD. */
export function kernelVariant(): KernelVariant | null {
  return kernelModule()?.variant ?? null;
}

/** The kernels of this thread, or null where WebAssembly SIMD is unavailable. */
export function wasmKernels(): WasmKernels | null {
  return kernelModule()?.kernels ?? null;
}

/**
 * A bump allocator over the kernels' memory above the pinned arrays, reset by {@link wasmArena}: allocate every
 * region first, then take views (growing the memory makes a new buffer; views taken before still see the old size).
 */
export interface WasmArena {
  kernels: WasmKernels;
  /**
   * Byte offset of a fresh region of `n` 4-byte elements, aligned to a cache line (64 bytes): threads that
   * write neighbouring parts of one array then never share a line.
   */
  alloc(n: number): number;
  f32(at: number, n: number): Float32Array;
  i32(at: number, n: number): Int32Array;
  /** A view of `n` f64 values at `at` (a region of 2·n elements; regions are 64-byte aligned). */
  f64(at: number, n: number): Float64Array;
}

/** Bytes at the bottom of the memory held by pinned arrays ({@link pinF32}); arenas start above. */
let floor = 0;
/** Every buffer object the memory has had (each growth makes a new one; views of all of them stay valid). */
const buffers = new WeakSet<object>();

function bufferOf(mem: WasmMemory): ArrayBufferLike {
  const b = mem.buffer;
  buffers.add(b);
  return b;
}

/** Thrown when the kernels would need more than the 4 GiB a wasm32 memory can have. */
export class WasmMemoryFull extends RangeError {
  constructor(bytes: number) {
    super(`the WebAssembly kernels need ${(bytes / 2 ** 30).toFixed(1)} GiB, over the 4 GiB limit of wasm32; use smaller batches`);
    this.name = 'WasmMemoryFull';
  }
}

/** Make the memory at least `top` bytes long (or throw {@link WasmMemoryFull}). */
function ensure(mem: WasmMemory, top: number): void {
  const have = mem.buffer.byteLength;
  if (top <= have) return;
  const pages = Math.ceil((top - have) / 65536);
  if (have / 65536 + pages > MAX_PAGES) throw new WasmMemoryFull(top);
  mem.grow(pages);
}

/** An empty arena over the kernels' memory (invalidates regions of earlier arenas), or null without wasm SIMD. */
export function wasmArena(): WasmArena | null {
  const km = kernelModule();
  if (!km) return null;
  const mem = km.memory;
  let top = floor;
  return {
    kernels: km.kernels,
    alloc(n: number): number {
      const at = (top + 63) & ~63;
      top = at + 4 * n;
      ensure(mem, top);
      return at;
    },
    f32: (at, n) => new Float32Array(bufferOf(mem), at, n),
    i32: (at, n) => new Int32Array(bufferOf(mem), at, n),
    f64: (at, n) => new Float64Array(bufferOf(mem), at, n),
  };
}

/**
 * Arrays that live in the kernels' memory ("pinned"), so that kernels read and write them in place instead of
 * copying them in and out; null without wasm SIMD. Pin a step's working arrays once per fit and
 * {@link WasmPins.release} them at its end (pins are a stack: release in the opposite order of creation).
 */
export interface WasmPins {
  f32(n: number): Float32Array;
  i32(n: number): Int32Array;
  /** Free every array of these pins (and of pins made after them); the arrays must not be used afterwards. */
  release(): void;
}

/** A new set of pinned arrays above the current ones, or null without wasm SIMD. */
export function wasmPins(): WasmPins | null {
  const km = kernelModule();
  if (!km) return null;
  const mem = km.memory, mark = floor;
  const take = (n: number): number => {
    const at = (floor + 63) & ~63;
    ensure(mem, at + 4 * Math.max(n, 1));
    floor = at + 4 * Math.max(n, 1);
    return at;
  };
  return {
    // take (which may grow the memory) before reading the buffer: an older buffer object is too short
    f32: (n) => { const at = take(n); return new Float32Array(bufferOf(mem), at, n); },
    i32: (n) => { const at = take(n); return new Int32Array(bufferOf(mem), at, n); },
    release: () => { floor = Math.min(floor, mark); },
  };
}

/** Byte offset of `a` in the kernels' memory when it is a view of that memory (pinned or arena), else null. */
export function wasmOffset(a: ArrayBufferView): number | null {
  return buffers.has(a.buffer) ? a.byteOffset : null;
}

/**
 * B (k×m, row-major; or its transpose given as m×k rows when `transposed`) packed for {@link WasmKernels.gemm}:
 * ⌈m/8⌉ panels of k×8 (panel q, row p holds B[p][8q … 8q+7], zeros past m), written into `out` (k·8·⌈m/8⌉).
 */
export function packPanels(b: Float32Array, k: number, m: number, transposed: boolean, out: Float32Array): void {
  const nq = Math.ceil(m / 8);
  for (let q = 0; q < nq; q++) {
    const base = q * k * 8, c1 = Math.min(8, m - 8 * q);
    if (transposed) {
      // rows 8q … 8q+7 of Bᵀ (m×k) are columns of B: interleave them
      for (let c = 0; c < 8; c++) {
        if (c >= c1) { for (let p = 0; p < k; p++) out[base + p * 8 + c] = 0; continue; }
        const row = (8 * q + c) * k;
        for (let p = 0; p < k; p++) out[base + p * 8 + c] = b[row + p];
      }
    } else {
      for (let p = 0; p < k; p++) {
        const o = base + p * 8, src = p * m + 8 * q;
        for (let c = 0; c < c1; c++) out[o + c] = b[src + c];
        for (let c = c1; c < 8; c++) out[o + c] = 0;
      }
    }
  }
}

/**
 * Offsets of the arrays in the arena: in place for views of the kernels' memory, else fresh regions (all
 * allocated before any is written), copied in where `copyIn` says.
 */
export function place(w: WasmArena, arrays: (Float32Array | Int32Array)[], copyIn: boolean[]): number[] {
  const at = arrays.map((a) => wasmOffset(a) ?? w.alloc(a.length));
  arrays.forEach((a, i) => {
    if (copyIn[i] && wasmOffset(a) === null) (a instanceof Int32Array ? w.i32(at[i], a.length) : w.f32(at[i], a.length)).set(a);
  });
  return at;
}

/** Copy a kernel's output at `at` back into `a`, unless `a` is that memory already. */
export function fetchBack(w: WasmArena, a: Float32Array | Int32Array, at: number): void {
  if (wasmOffset(a) === null) a.set(a instanceof Int32Array ? w.i32(at, a.length) : w.f32(at, a.length));
}
