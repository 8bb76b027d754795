/**
 * The WebAssembly SIMD kernels of src/dictionary/wasm/sparse_kernels.wat (products with a sparse CSR factor),
 * instantiated once, and a bump arena in their memory. Plain JS typed-array loops run these products at
 * ~0.25 G multiply-adds/s here; 128-bit SIMD in wasm is an order of magnitude faster.
 */
import { SPARSE_KERNELS_WASM } from './sparse_wasm_module';

/** The little of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

/** Exports of the kernel module; pointers are byte offsets into `memory`. */
export interface SparseKernels {
  memory: WasmMemory;
  /** out (R×M) += S·X, S sparse R×(rows of X) in CSR (ptr/idx/val), X with rows of M. */
  gacc(ptr: number, idx: number, val: number, R: number, X: number, M: number, out: number): void;
  /** X += Sᵀ·Y, S sparse R×(rows of X) in CSR (ptr/idx/val), Y R×M. */
  scat(ptr: number, idx: number, val: number, R: number, Y: number, M: number, X: number): void;
  /** val[p] = ⟨Y_b, D_idx[p]⟩ at every non-zero position p (row b) of ptr/idx. */
  sdots(ptr: number, idx: number, val: number, B: number, Y: number, D: number, M: number): void;
}

/**
 * A bump allocator over the kernels' memory, reset by {@link wasmArena}: allocate every region first,
 * then take views (growing the memory detaches earlier views).
 */
export interface WasmArena {
  kernels: SparseKernels;
  /** Byte offset of a fresh 16-byte-aligned region of `n` 4-byte elements. */
  alloc(n: number): number;
  f32(at: number, n: number): Float32Array;
  i32(at: number, n: number): Int32Array;
}

let kernels: SparseKernels | null | undefined;

/** The kernel module, or null where WebAssembly SIMD is unavailable. */
export function sparseKernels(): SparseKernels | null {
  if (kernels === undefined) {
    try {
      const mod = new WebAssembly.Module(Buffer.from(SPARSE_KERNELS_WASM, 'base64'));
      kernels = new WebAssembly.Instance(mod, {}).exports as unknown as SparseKernels;
    } catch {
      kernels = null;
    }
  }
  return kernels;
}

/** An empty arena over the kernels' memory (invalidates regions of earlier arenas), or null without wasm SIMD. */
export function wasmArena(): WasmArena | null {
  const k = sparseKernels();
  if (!k) return null;
  let top = 0;
  return {
    kernels: k,
    alloc(n: number): number {
      const at = (top + 15) & ~15;
      top = at + 4 * n;
      const have = k.memory.buffer.byteLength;
      if (top > have) k.memory.grow(Math.ceil((top - have) / 65536));
      return at;
    },
    f32: (at, n) => new Float32Array(k.memory.buffer, at, n),
    i32: (at, n) => new Int32Array(k.memory.buffer, at, n),
  };
}
