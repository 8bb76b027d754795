/**
 * The memory of an SAE fit: scratch arrays reused across steps and, where the WebAssembly kernels' memory exists,
 * pinned in it (the kernels then read and write them in place: no copies in and out). A workspace is opened at the
 * start of a fit ({@link SaeWorkspace.open}) and closed in its `finally` ({@link SaeWorkspace.close}), which
 * copies the parameters moved into the kernels' memory back out and releases the pins.
 */
import { Csr } from '../compute/csr';
import { WasmMemoryFull, WasmPins, wasmOffset, wasmPins } from '../compute/wasm';
import { AdamSlot } from '../compute/adam';

/** The parameters a workspace may move into the kernels' memory: encoder E and decoder D (N×M each). */
export interface SaeParams { E: Float32Array; D: Float32Array }

/** Scratch arrays of a fit (plain arrays outside a fit, pinned ones inside). */
export class SaeWorkspace {
  private work = new Map<string, Float32Array>();
  private pins: WasmPins | null = null;
  /** CSR of the codes with room for B·N entries (pinned), reused by each step; undefined outside a fit. */
  csr: Csr | undefined;

  /**
   * Open the workspace of a fit with batches of B over N features: pins, a CSR of the codes with room for B·N,
   * and E, D and their Adam moments (`slots.E`, `slots.D`, replaced in place) moved into the kernels' memory.
   */
  open(params: SaeParams, B: number, N: number, slots: Record<string, AdamSlot>): void {
    this.close(params);
    this.pins = wasmPins();
    const n = B * N;
    this.csr = this.pinned((p) => ({ ptr: p.i32(B + 1), idx: p.i32(n), val: p.f32(n), nnz: 0 })) ?? undefined;
    for (const k of ['E', 'D'] as const) {
      const moved = this.pinned((p) => ({ w: p.f32(params[k].length), m: p.f32(params[k].length), v: p.f32(params[k].length) }));
      if (!moved) continue;
      moved.w.set(params[k]); moved.m.set(slots[k].m); moved.v.set(slots[k].v);
      params[k] = moved.w; slots[k] = { m: moved.m, v: moved.v };
    }
  }

  /**
   * A scratch array of `n` entries (contents undefined at first and left from the last step after: fill if
   * needed); pinned inside a fit, a plain array kept until the next fit outside one.
   */
  scratch(name: string, n: number): Float32Array {
    let a = this.work.get(name);
    if (!a || a.length !== n) { a = this.pinned((p) => p.f32(n)) ?? new Float32Array(n); this.work.set(name, a); }
    return a;
  }

  /** `make` on the fit's pins, or null without them or when the kernels' memory is full (4 GiB: plain arrays then). */
  private pinned<T>(make: (p: WasmPins) => T): T | null {
    if (!this.pins) return null;
    try { return make(this.pins); } catch (e) { if (e instanceof WasmMemoryFull) return null; throw e; }
  }

  /** Close: copy E and D out of the kernels' memory (into `params`), drop the scratch, release the pins. */
  close(params: SaeParams): void {
    if (wasmOffset(params.E) !== null) params.E = params.E.slice();
    if (wasmOffset(params.D) !== null) params.D = params.D.slice();
    this.work.clear(); this.csr = undefined;
    this.pins?.release(); this.pins = null;
  }
}
