/**
 * Memory of a fit: the parameters, gradients, Adam moments and per-step scratch of a small network, pinned in
 * the WebAssembly kernels' memory ({@link wasmPins}) so that products and Adam steps run on them in place, or
 * plain Float32Arrays where the kernels are unavailable (the engine then runs JS loops on them: same results).
 */
import { WasmPins, wasmPins } from '../compute/wasm';
import { wasmKernelsOn } from '../compute/dispatch';

/** Arrays for the length of one fit; {@link Workspace.release} frees them (workspaces are a stack: newest first). */
export class Workspace {
  private pins: WasmPins | null;
  private bufs = new Map<string, Float32Array>();

  /** @param pin put the arrays in the kernels' memory when it exists (default true) */
  constructor(pin = true) {
    this.pins = pin && wasmKernelsOn() ? wasmPins() : null;
  }

  /** Whether the arrays live in the kernels' memory. */
  get pinned(): boolean { return this.pins !== null; }

  /** A fresh zeroed array of `n` floats. */
  f32(n: number): Float32Array {
    if (!this.pins) return new Float32Array(n);
    const a = this.pins.f32(n);
    a.fill(0);
    return a;
  }

  /** A copy of `a` in this workspace. */
  copy(a: Float32Array): Float32Array {
    const p = this.f32(a.length);
    p.set(a);
    return p;
  }

  /**
   * A scratch array of `n` floats named `name`, reused across steps (contents not cleared; grown when a larger
   * one is asked for).
   */
  scratch(name: string, n: number): Float32Array {
    let b = this.bufs.get(name);
    if (!b || b.length < n) { b = this.f32(n); this.bufs.set(name, b); }
    return b.length === n ? b : b.subarray(0, n);
  }

  /** Free every array of this workspace (and of workspaces made after it); none may be used afterwards. */
  release(): void {
    this.pins?.release();
    this.pins = null;
    this.bufs.clear();
  }
}
