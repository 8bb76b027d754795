/**
 * The toy models' trainer on the compute engine: hand-written forward and backward of x' = ReLU(x·W·Wᵀ + b)
 * (or the linear x·W·Wᵀ + b) with the importance-weighted squared error, for many independent instances per
 * step, and one fused AdamW step over all instances' parameters. It is a {@link Trainer} of the one training
 * loop ({@link trainLoop}).
 *
 * Per instance and step (x sparse B×n, W n×m, h = x·W B×m, G = ∂loss/∂pre B×n; x, pre and G held transposed,
 * feature by feature, as the data generator writes x):
 *   h = x·W (sparse: x's non-zeros feature by feature, straight from the data generator),
 *   preᵀ = W·hᵀ + b (dense GEMM), G = (2/B)·I·(x' − x)·[pre > 0] (elementwise pass that also writes G's non-zeros),
 *   ∂W = Gᵀ·h + xᵀ·(G·W) and ∂b = Σ_b G (both factors sparse: under ReLU most of G is zero at high sparsity).
 * The data draws and the elementwise pass are SIMD kernels split by features over both threads (JS loops doing the
 * same without WebAssembly); x's and G's non-zeros are kept in fixed slots per feature, so that any feature can be
 * written by either thread. Where the dispatch policy sends a B×n×m product to plain JS (small models, or no
 * WebAssembly), one fused JS loop per sample does it all in float64 instead.
 *
 * Reproducible: every product is the engine's deterministic one (bitwise the same on one or two threads), and
 * the instances are processed in order, so a seed gives bitwise the same W on 1 and 2 threads.
 */
import { Rng } from '../core/rng';
import { spmmAdd, spmmTAdd } from '../compute/csr';
import { mmNT } from '../compute/dense';
import { adamStep, AdamSlot } from '../compute/adam';
import { denseRoute, wasmKernelsOn } from '../compute/dispatch';
import { WasmKernels, WasmPins, wasmKernels, wasmOffset, wasmPins } from '../compute/wasm';
import { ROW_CHUNKS, runKernel } from '../compute/threads';
import { Trainer } from '../training/loop';
import { FeatureSlots, activityCut, fillSparseInstance, fillSparseSlots } from './data';

/** Shapes and per-instance constants of a {@link ToyTrainer}. */
export interface ToyTrainerConfig {
  /** Instances trained together. */
  instances: number;
  /** Features n. */
  n: number;
  /** Hidden dimensions m. */
  m: number;
  /** Batch size B. */
  batch: number;
  /** Feature probabilities, flat [instance·n + feature]. */
  prob: Float64Array;
  /** Importances, flat [instance·n + feature]. */
  importance: Float64Array;
  activation: 'relu' | 'linear';
  /** AdamW decoupled weight decay (applied to W and b). */
  weightDecay: number;
  /** Initial W of all instances, [instance][feature][hidden] (I·n·m). */
  W0: Float32Array;
}

/** Which implementation computes the gradients: engine products, or one fused JS loop (small models, no wasm). */
export type ToyRoute = 'engine' | 'js';

/** The route the dispatch policy gives a B×n×m toy model. */
export function toyRoute(batch: number, n: number, m: number): ToyRoute {
  return denseRoute(batch * n * m) === 'js' ? 'js' : 'engine';
}

/**
 * Trains I toy models at once. Its arrays live in the kernels' memory when available ({@link wasmPins}):
 * call {@link ToyTrainer.release} when done (after copying the parameters out).
 */
export class ToyTrainer implements Trainer {
  readonly cfg: ToyTrainerConfig;
  readonly route: ToyRoute;
  /** Parameters of all instances: W [instance][feature][hidden], b [instance][feature]. */
  readonly W: Float32Array;
  readonly b: Float32Array;
  /** Gradients of the last step (same layout as W and b). */
  readonly gW: Float32Array;
  readonly gb: Float32Array;
  /** Batch loss of each instance at the last step (mean over the batch of Σ_i I_i (x_i − x'_i)²). */
  readonly losses: Float64Array;
  private pins: WasmPins | null;
  private readonly kernels: WasmKernels | null;
  // x (n×B, feature-major) and its non-zeros; G's non-zeros feature by feature; h, dh (B×m); pre − b (n×B)
  private readonly x: Float32Array;
  private readonly fm: FeatureSlots;
  private readonly gcsr: FeatureSlots;
  // the instance's data key, activity thresholds [instance·n + feature], (w, (2/B)·w) pairs, loss per feature
  private readonly key: Int32Array;
  private readonly cut: Int32Array;
  private readonly wc: Float64Array;
  private readonly featureLoss: Float64Array;
  private readonly h: Float32Array;
  private readonly out: Float32Array;
  private readonly dh: Float32Array;
  private readonly slotW: AdamSlot;
  private readonly slotB: AdamSlot;
  private readonly scratch: { h: Float64Array; dh: Float64Array; gW: Float64Array; gb: Float64Array };

  constructor(cfg: ToyTrainerConfig, route: ToyRoute = toyRoute(cfg.batch, cfg.n, cfg.m)) {
    this.cfg = cfg;
    this.route = route;
    const { instances: I, n, m, batch: B } = cfg;
    // arrays in the kernels' memory (products and Adam then work on them in place), else plain arrays
    const pins = wasmKernelsOn() ? wasmPins() : null;
    this.pins = pins;
    const ws = {
      f32: (k: number): Float32Array => { const a = pins ? pins.f32(k) : new Float32Array(k); a.fill(0); return a; },
      i32: (k: number): Int32Array => (pins ? pins.i32(k) : new Int32Array(k)),
      copy: (a: Float32Array): Float32Array => { const c = ws.f32(a.length); c.set(a); return c; },
    };
    this.W = ws.copy(cfg.W0);
    this.b = ws.f32(I * n);
    this.gW = ws.f32(I * n * m);
    this.gb = ws.f32(I * n);
    this.slotW = { m: ws.f32(I * n * m), v: ws.f32(I * n * m) };
    this.slotB = { m: ws.f32(I * n), v: ws.f32(I * n) };
    this.losses = new Float64Array(I);
    this.x = ws.f32(B * n);
    const engine = route === 'engine';
    this.kernels = engine && pins ? wasmKernels() : null;
    const slots = (): FeatureSlots => {
      if (!engine) return { ptr: new Int32Array(1), end: new Int32Array(0), idx: new Int32Array(0), val: new Float32Array(0), nnz: 0 };
      const ptr = ws.i32(n + 1);
      for (let i = 0; i <= n; i++) ptr[i] = i * B;
      return { ptr, end: ws.i32(n), idx: ws.i32(B * n), val: ws.f32(B * n), nnz: B * n };
    };
    // f64 arrays in the kernels' memory: views of f32 regions of twice the length (64-byte aligned)
    const f64 = (k: number): Float64Array => { const a = ws.f32(2 * k); return new Float64Array(a.buffer, a.byteOffset, k); };
    this.fm = slots();
    this.gcsr = slots();
    this.key = engine ? ws.i32(4) : new Int32Array(4);
    this.cut = engine ? ws.i32(I * n) : new Int32Array(0);
    this.wc = engine ? f64(2 * I * n) : new Float64Array(0);
    this.featureLoss = engine ? f64(n) : new Float64Array(0);
    if (engine) {
      for (let k = 0; k < I * n; k++) {
        this.cut[k] = activityCut(cfg.prob[k]) | 0;
        this.wc[2 * k] = cfg.importance[k];
        this.wc[2 * k + 1] = (2 / B) * cfg.importance[k];
      }
    }
    this.h = engine ? ws.f32(B * m) : new Float32Array(0);
    this.out = engine ? ws.f32(B * n) : new Float32Array(0);
    this.dh = engine ? ws.f32(B * m) : new Float32Array(0);
    this.scratch = { h: new Float64Array(m), dh: new Float64Array(m), gW: new Float64Array(n * m), gb: new Float64Array(n) };
  }

  /**
   * Gradients of every instance on its next batch drawn from `rng` (instance after instance, the draws of
   * {@link fillSparseInstance}), into gW and gb; per-instance batch losses into `losses`. Returns their mean.
   */
  gradients(rng: Rng): number {
    const { instances: I, n, batch: B } = this.cfg;
    let total = 0;
    for (let s = 0; s < I; s++) {
      const engine = this.route === 'engine';
      if (engine) fillSparseSlots(rng, this.x, B, n, this.cut, s * n, this.fm, this.key, this.kernels);
      else fillSparseInstance(rng, this.x, B, n, this.cfg.prob, s * n, undefined, true);
      const loss = engine ? this.instanceEngine(s) : this.instanceJs(s);
      this.losses[s] = loss;
      total += loss;
    }
    return total / I;
  }

  /** {@link Trainer.update}: gradients on the next batch, then AdamW on all instances. Returns the mean batch loss. */
  update(step: number, lr: number): number {
    const loss = this.gradients(this.dataRng);
    const wd = this.cfg.weightDecay;
    adamStep(this.W, this.gW, this.slotW, lr, step, { weightDecay: wd });
    adamStep(this.b, this.gb, this.slotB, lr, step, { weightDecay: wd });
    return loss;
  }

  /** The data stream of {@link update} (set before training). */
  dataRng: Rng = new Rng(0);

  /** Free the workspace; W, b and the gradients must not be used afterwards (copy them out first). */
  release(): void { this.pins?.release(); this.pins = null; }

  /**
   * One instance on the engine, feature-major throughout (x, pre and G are n×B: a feature's samples are
   * contiguous, as the data generator writes them): data draws, sparse and dense products, the elementwise pass.
   */
  private instanceEngine(s: number): number {
    const { n, m, batch: B } = this.cfg;
    const W = this.W.subarray(s * n * m, (s + 1) * n * m), gW = this.gW.subarray(s * n * m, (s + 1) * n * m);
    const h = this.h, out = this.out, dh = this.dh, fm = this.fm, g = this.gcsr;
    // h = x·W: with xᵀ as CSR (n rows over B columns), h (B×m) += (xᵀ)ᵀ·W
    h.fill(0);
    spmmTAdd(null, fm, B, W, m, h);
    // preᵀ − b = W·hᵀ (n×B)
    mmNT(W, n, m, h, B, out);
    const bo = s * n;
    const loss = toyElementwise({ outT: out, xT: this.x, bias: this.b.subarray(bo, bo + n), wc: this.wc.subarray(2 * bo, 2 * bo + 2 * n),
      n, batch: B, relu: this.cfg.activation === 'relu', g, gb: this.gb.subarray(bo, bo + n), featureLoss: this.featureLoss }, this.kernels);
    // dh = G·W = (Gᵀ)ᵀ·W, ∂W = Gᵀ·h + xᵀ·dh (Gᵀ, xᵀ as CSR over features)
    dh.fill(0);
    spmmTAdd(null, g, B, W, m, dh);
    gW.fill(0);
    spmmAdd(null, g, B, h, m, gW);
    spmmAdd(null, fm, B, dh, m, gW);
    return loss;
  }

  /** One instance in one fused JS loop per sample (float64 sums). */
  private instanceJs(s: number): number {
    const { n, m, batch: B } = this.cfg;
    const relu = this.cfg.activation === 'relu';
    const W = this.W, bias = this.b, imp = this.cfg.importance, x = this.x;
    const wo = s * n * m, bo = s * n, c = 2 / B;
    const { h, dh, gW, gb } = this.scratch;
    gW.fill(0); gb.fill(0);
    let loss = 0;
    for (let r = 0; r < B; r++) {
      h.fill(0);
      for (let i = 0; i < n; i++) {
        const xv = x[i * B + r];
        if (xv === 0) continue;
        for (let k = 0; k < m; k++) h[k] += xv * W[wo + i * m + k];
      }
      dh.fill(0);
      for (let i = 0; i < n; i++) {
        let pre = bias[bo + i];
        const wi = wo + i * m;
        for (let k = 0; k < m; k++) pre += h[k] * W[wi + k];
        const on = !relu || pre > 0;
        const d = (on ? pre : 0) - x[i * B + r];
        loss += imp[bo + i] * d * d;
        if (!on || d === 0) continue;
        const gv = c * imp[bo + i] * d;
        gb[i] += gv;
        for (let k = 0; k < m; k++) { dh[k] += gv * W[wi + k]; gW[i * m + k] += gv * h[k]; }
      }
      for (let i = 0; i < n; i++) {
        const xv = x[i * B + r];
        if (xv === 0) continue;
        for (let k = 0; k < m; k++) gW[i * m + k] += xv * dh[k];
      }
    }
    this.gW.set(gW, wo);
    this.gb.set(gb, bo);
    return loss / B;
  }
}

/** Operands of {@link toyElementwise} (one instance). */
export interface ToyElementwiseArgs {
  /** (pre − b)ᵀ and x, n×batch, feature-major. */
  outT: Float32Array;
  xT: Float32Array;
  /** The instance's bias (n). */
  bias: Float32Array;
  /** (w_i, (2/batch)·w_i) pairs, w = importance (2n). */
  wc: Float64Array;
  n: number;
  batch: number;
  relu: boolean;
  /** Receives G's non-zeros feature by feature (fixed slots). */
  g: FeatureSlots;
  /** Receives ∂b = Σ_b G (n). */
  gb: Float32Array;
  /** Receives w_i·Σ_b (x'_i − x_i)² per feature (n). */
  featureLoss: Float64Array;
}

/**
 * The toy model's elementwise pass of one instance: from outT = (pre − b)ᵀ and xT (n×B), G = (2/B)·I·(act(pre) −
 * x)·act′(pre) (∂loss/∂pre), its non-zeros in the fixed slots of `g` feature by feature, ∂b = Σ_b G, and the
 * batch loss (returned). Float64 arithmetic, each G entry rounded once to float32; the sums over the batch in two
 * partial sums (even and odd samples). The SIMD kernel `toyelem` on both threads (split by features) when
 * `kernels` is given and every array lives in the kernels' memory, else the JS loop below: the same operations in
 * the same order, bitwise the same result (an entry is written at its slot, and the slot moves on past the non-zero
 * ones: no branch on the value).
 */
export function toyElementwise(a: ToyElementwiseArgs, kernels: WasmKernels | null): number {
  const { outT, xT, bias, wc, n, batch: B, relu, g, gb, featureLoss: fl } = a;
  const at = kernels ? [outT, xT, bias, wc, g.idx, g.val, g.end, gb, fl].map(wasmOffset) : [];
  if (kernels && at.every((o) => o !== null)) {
    const [o, x, b, w, idx, val, end, gbo, lo] = at as number[];
    runKernel(kernels, 'toyelem', [o, x, b, w, B, relu ? 1 : 0, idx, val, end, gbo, lo], n, 1, ROW_CHUNKS);
  } else {
    const idx = g.idx, val = g.val;
    for (let i = 0; i < n; i++) {
      const o = i * B, bi = bias[i], cw = wc[2 * i + 1];
      // partial sums over even and odd samples, added at the end (the kernel's two f64 lanes)
      let sq0 = 0, sq1 = 0, gs0 = 0, gs1 = 0, q = o;
      for (let r = 0; r < B; r++) {
        const pre = outT[o + r] + bi;
        const d = (relu ? Math.max(pre, 0) : pre) - xT[o + r];
        const gv = relu && !(pre > 0) ? 0 : Math.fround(cw * d);
        idx[q] = r; val[q] = gv; q += +(gv !== 0);
        if (r & 1) { sq1 += d * d; gs1 += gv; } else { sq0 += d * d; gs0 += gv; }
      }
      fl[i] = wc[2 * i] * (sq0 + sq1);
      gb[i] = gs0 + gs1;
      g.end[i] = q;
    }
  }
  let loss = 0;
  for (let i = 0; i < n; i++) loss += fl[i];
  return loss / B;
}
