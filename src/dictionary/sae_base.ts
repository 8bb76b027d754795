/**
 * Shared base of the sparse autoencoders (SAELens-style: one file per activation over this base). This file is the
 * model — configuration, parameters, forward/backward ({@link SparseAutoencoder.trainStep}), encode/decode,
 * save/load; its optimisation is {@link SaeTrainer} (sae_trainer.ts) driven by the one training loop
 * ({@link trainLoop}), and the memory of a fit is an {@link SaeWorkspace} (sae_workspace.ts).
 *
 * Model, for data X (B×M): pre = (X − b_dec)·Eᵀ + b_enc (B×N), Z = act(pre) (B×N), X̂ = Z·D + b_dec (B×M).
 * `E` (N×M, encoder filters in rows) and `D` (N×M, decoder atoms in rows, kept unit-norm) are stored as
 * Float32Arrays; loss = mean_b ‖x_b − x̂_b‖² + penalty(Z). Gradients are written by hand on typed arrays
 * (tfjs autograd of matMul uses transposed products that are 10–40× slower on wasm): big dense products run in
 * a WebAssembly SIMD GEMM on two threads, sparse codes use sparse kernels, small problems stay in JS,
 * and the fused Adam step runs on the typed arrays. Decoder gradients are projected
 * onto the tangent of the unit sphere and rows renormalised after each step, so the decoder-norm-weighted
 * penalty λ·Σ_i z_i‖d_i‖ equals λ·Σ_i z_i.
 */
import { Rng } from '../core/rng';
import { Matrix, matrix } from '../core/matrix';
import { Csr, csrOf, sampledDots, sampledDotValues, spmmAdd, spmmTAdd } from '../compute/csr';
import { addRowVector, columnSums, normaliseRowsInPlace, residualRows } from '../compute/rows';
import { mm, mmNT, tr } from '../compute/dense';
import { dispatchPolicy } from '../compute/dispatch';
import { checkInt, checkMatrix, checkNumber } from '../core/validate';
import { DataFileError, ValueError } from '../core/errors';
import { TrainingDivergedError } from '../training/errors';
import { trainLoop } from '../training/loop';
import { AdamSlot, adamSlot } from '../compute/adam';
import { readModelDir, writeModelDir } from './persist';
import { ScheduleConfig } from './optim';
import { SaeWorkspace } from './sae_workspace';
import { BatchSource, SaeTrainer } from './sae_trainer';
import { readSaeCheckpoint, SaeCheckpoint, writeSaeCheckpoint } from './sae_checkpoint';
import type { EvalMetrics, Trainer } from '../training/loop';
import { AUXK_ALPHA, AuxKInput, AuxKOptions, auxkLossGrad } from './sae_auxk';

/** Kinds of SAE. */
export type SaeKind = 'relu' | 'topk' | 'batchtopk' | 'jumprelu' | 'matryoshka';

/** Hyper-parameters fixed at construction (saved with the model). */
export interface SaeConfig {
  /** N: number of features (dictionary atoms). */
  features: number;
  /** λ: sparsity penalty (ReLU: L1 weight; JumpReLU: L0 weight). */
  lambda?: number;
  /** K: active features per sample (TopK) or mean per sample (BatchTopK). */
  k?: number;
  /** Use encoder and decoder biases (default true; the amortisation-gap paper's SAE has none). */
  bias?: boolean;
  /** Seed of the initialisation and of batch order. */
  seed?: number;
}

/** Options of {@link SparseAutoencoder.fit}. */
export interface SaeTrainOptions extends ScheduleConfig {
  /** Optimisation steps (takes precedence over `samples` and `epochs`). */
  steps?: number;
  /**
   * Passes over the training rows (ignored if steps is given). When `steps` or `epochs` is given the run has that
   * length and, unless `holdout` says otherwise, trains on every row with no held-out split.
   */
  epochs?: number;
  /**
   * Sample budget: train on this many samples (steps = ⌈samples / batch⌉; ignored if steps or epochs is given).
   * The default when none of steps/epochs/samples is given is {@link DEFAULT_SAE_SAMPLES} (measured: 2M samples
   * take a TopK SAE from best cosine 0.54 at 10 epochs to ≥ 0.95 on the planted N=300, M=60, K=5 problem).
   */
  samples?: number;
  /**
   * Fraction of the rows held out (not trained on) to measure the loss every `evalEvery` steps, for the plateau
   * stop and the `converged` verdict (default 0.1 with a sample budget, 0 when steps or epochs is given; at most
   * 8192 rows are held out).
   */
  holdout?: number;
  /** Batch size B (default min(1024, samples)). */
  batch?: number;
  /** Peak Adam learning rate (default 1e-3). */
  lr?: number;
  /** Keep the decoder fixed to this N×M dictionary (the "known D" regime; rows are normalised). */
  fixedDecoder?: Matrix;
  /** Decoder-bias initialisation (default 'mean'; 'median' is coordinate-wise). */
  decoderBiasInit?: 'mean' | 'median' | 'zero';
  /**
   * Resample features that fired on no sample for this many steps (0 = never; default: 0 when the auxiliary-K loss
   * is on, else steps/8).
   */
  resampleEvery?: number;
  /**
   * The auxiliary-K loss against dead latents ({@link AuxKOptions}; α = 1/32, k_aux = M/2 by default); on by default
   * for TopK, BatchTopK and Matryoshka SAEs, `false` turns it off. Not used with a fixed decoder.
   */
  auxk?: AuxKOptions | false;
  /**
   * Stop when the loss (the held-out loss when there is a held-out split, else the smoothed training loss), checked
   * every `evalEvery` steps, has not improved by `minDelta` (relative) `patience` times in a row (default: 10 with a
   * held-out split, else 0 = never; not before 25 % of the steps with a held-out split, 10 % without).
   */
  patience?: number;
  /** Relative improvement that counts (default 1e-3 with a held-out split, else 1e-4). */
  minDelta?: number;
  /** Check interval for plateau detection and history (default max(1, steps/100)). */
  evalEvery?: number;
  /** Show progress (default true). */
  progress?: boolean;
  /**
   * Write a checkpoint of the fit (parameters, Adam moments, batch order, random-stream positions, the loop's record)
   * to this directory every `checkpointEvery` samples, atomically (in-memory data, or a streamed source that can {@link BatchSource.skip} to where the checkpoint was).
   */
  checkpoint?: string;
  /** Samples between checkpoints (default: a tenth of the run, at least one batch). */
  checkpointEvery?: number;
  /**
   * Continue the fit saved by `checkpoint` in this directory; with the same data and options it ends with bitwise the
   * model of an uninterrupted fit (on the same number of threads).
   */
  resume?: string;
  /**
   * Start from the model's current parameters (after a fit or load; same M) instead of a fresh initialisation:
   * fine-tuning, or continuing a fit with new options. The Adam moments start at zero.
   */
  warmStart?: boolean;
}

/** Sample budget of a fit given neither steps, epochs nor samples (see {@link SaeTrainOptions.samples}). */
export const DEFAULT_SAE_SAMPLES = 2_000_000;

/** Relative fall of the held-out loss over the last quarter of a run below which it counts as converged. */
export const CONVERGED_TOLERANCE = 0.01;

/** One history point (`heldout`: the held-out loss, when there is a held-out split). */
export interface SaeHistoryPoint { step: number; loss: number; mse: number; l0: number; heldout?: number }

/** What training did. */
export interface SaeTrainReport {
  steps: number;
  seconds: number;
  samplesPerSecond: number;
  /** Final training loss and mean squared reconstruction error per sample (EMA over recent steps). */
  loss: number;
  mse: number;
  /** Mean number of active features per sample (recent steps). */
  meanL0: number;
  /** Fraction of features that fired on no sample in the last `resampleEvery` (or 1000) steps. */
  deadFraction: number;
  resampled: number;
  stoppedEarly: boolean;
  /** Held-out loss at the end (NaN without a held-out split). */
  heldoutLoss: number;
  /**
   * Whether training converged: it stopped on a plateau of the held-out loss, or the held-out loss fell by less than
   * {@link CONVERGED_TOLERANCE} (relative) over the last quarter of the steps. Without a held-out split, the same
   * test on the smoothed training loss.
   */
  converged: boolean;
  history: SaeHistoryPoint[];
}

/** Thrown when training diverges (loss NaN/Inf or exploding); defined with the training loop. */
export { TrainingDivergedError };


/** The shared SAE machinery; subclasses define the activation. */
export abstract class SparseAutoencoder {
  abstract readonly kind: SaeKind;
  /** N. */
  readonly features: number;
  /** M (set by fit or load). */
  dim = 0;
  readonly config: Required<Pick<SaeConfig, 'features' | 'lambda' | 'k' | 'bias' | 'seed'>>;
  /** Encoder filters E, N×M row-major. */
  E: Float32Array = new Float32Array(0);
  /** Encoder bias, N. */
  bEnc: Float32Array = new Float32Array(0);
  /** Decoder atoms D, N×M row-major, unit-norm rows. */
  D: Float32Array = new Float32Array(0);
  /** Decoder bias, M. */
  bDec: Float32Array = new Float32Array(0);
  /** Last training report. */
  report: SaeTrainReport | null = null;
  /** Whether the decoder was kept fixed in the last fit (the "known D" regime). */
  fixedDecoder = false;
  /** Scratch memory of the running fit (plain arrays outside a fit). */
  protected readonly workspace = new SaeWorkspace();

  constructor(cfg: SaeConfig) {
    checkInt('features (N)', cfg.features, 1);
    this.features = cfg.features;
    this.config = {
      features: cfg.features,
      lambda: checkNumber('lambda (λ)', cfg.lambda ?? 0, 0),
      k: cfg.k ?? 0,
      bias: cfg.bias ?? true,
      seed: cfg.seed ?? 0,
    };
  }

  /** A scratch array of `n` entries of the workspace (see {@link SaeWorkspace.scratch}). */
  protected scratch(name: string, n: number): Float32Array { return this.workspace.scratch(name, n); }

  /** Extra learned arrays (saved, optimised with Adam when `extra` gradients of the same name are returned). */
  extraParams(): Record<string, Float32Array> { return {}; }

  /** Hook: reset per-fit state of a subclass (`warm`: a warm start, which keeps learned state). */
  protected onFitStart(_warm: boolean): void { /* nothing by default */ }

  /** Extra learned state that is saved but not optimised by Adam (e.g. BatchTopK's threshold). */
  extraState(): Record<string, Float32Array> { return {}; }

  /** Set extra arrays (params and state) after load. */
  protected setExtra(_p: Record<string, Float32Array>): void { /* none by default */ }

  /** Extra constructor options to save (e.g. JumpReLU bandwidth). */
  protected extraConfig(): Record<string, unknown> { return {}; }

  /** Factories of the SAE kinds, filled by each subclass module (used by {@link SparseAutoencoder.load}). */
  static readonly registry: Partial<Record<SaeKind, (cfg: SaeConfig, extra: Record<string, unknown>) => SparseAutoencoder>> = {};

  /** Save to a directory: model.json + E.npy, bEnc.npy, D.npy, bDec.npy (+ extras). */
  save(dir: string): void {
    this.requireTrained();
    const N = this.features, M = this.dim;
    const arrays: Record<string, { shape: [number, number]; data: Float32Array }> = {
      E: { shape: [N, M], data: this.E }, bEnc: { shape: [1, N], data: this.bEnc },
      D: { shape: [N, M], data: this.D }, bDec: { shape: [1, M], data: this.bDec },
    };
    for (const [k, v] of Object.entries({ ...this.extraParams(), ...this.extraState() })) arrays[k] = { shape: [1, v.length], data: v };
    writeModelDir(dir, {
      kind: `sae-${this.kind}`, config: { ...this.config, fixedDecoder: this.fixedDecoder, extra: this.extraConfig() },
      dim: M, report: this.report ? { ...this.report, history: undefined } : undefined,
    }, arrays);
  }

  /** Load an SAE saved with {@link SparseAutoencoder.save} (any kind; the class is picked from model.json). */
  static load(dir: string): SparseAutoencoder {
    const { meta, arrays } = readModelDir(dir);
    const kind = meta.kind.replace(/^sae-/, '') as SaeKind;
    const make = SparseAutoencoder.registry[kind];
    if (!make) throw new ValueError(`${dir}: model kind '${meta.kind}' is not an SAE (known: ${Object.keys(SparseAutoencoder.registry).map((k) => `sae-${k}`).join(', ')})`);
    const cfg = meta.config as unknown as SaeConfig & { fixedDecoder: boolean; extra: Record<string, unknown> };
    const m = make(cfg, cfg.extra ?? {});
    m.dim = meta.dim;
    m.E = arrays.E; m.bEnc = arrays.bEnc; m.D = arrays.D; m.bDec = arrays.bDec;
    m.fixedDecoder = Boolean(cfg.fixedDecoder);
    m.setExtra(arrays);
    return m;
  }

  /** Decoder as an N×M matrix (a copy; atoms in rows). */
  get dictionary(): Matrix<Float32Array> {
    return matrix(this.features, this.dim, this.D.slice());
  }

  /** Initialise parameters for data of dimension M (decoder random unit rows, encoder = decoder). */
  protected init(X: Matrix, opts: SaeTrainOptions, rng: Rng): void {
    const N = this.features, M = X.cols;
    this.dim = M;
    this.D = new Float32Array(N * M);
    if (opts.fixedDecoder) {
      const fd = checkMatrix('fixedDecoder (N×M)', opts.fixedDecoder, { rows: N, cols: M, names: ['N', 'M'] });
      this.D.set(fd.data);
      this.fixedDecoder = true;
    } else {
      rng.fillNormal(this.D);
      this.fixedDecoder = false;
    }
    normaliseRowsInPlace(this.D, N, M);
    this.E = this.D.slice();
    this.bEnc = new Float32Array(N);
    this.bDec = new Float32Array(M);
    const how = this.config.bias ? opts.decoderBiasInit ?? 'mean' : 'zero';
    if (how !== 'zero') {
      const S = Math.min(X.rows, 8192);
      const col = new Float64Array(S);
      for (let j = 0; j < M; j++) {
        for (let s = 0; s < S; s++) col[s] = X.data[s * M + j];
        if (how === 'mean') this.bDec[j] = col.reduce((a, b) => a + b, 0) / S;
        else { col.sort(); this.bDec[j] = S % 2 ? col[(S - 1) >> 1] : 0.5 * (col[S / 2 - 1] + col[S / 2]); }
      }
    }
  }

  /** Check that a warm start can continue from the current parameters on data of M columns. */
  private requireWarmStart(M: number, opts: SaeTrainOptions): void {
    if (this.dim === 0) throw new ValueError(`warmStart: this SAE-${this.kind} has no parameters yet; fit or load it first, or drop warmStart`);
    if (this.dim !== M) throw new ValueError(`warmStart: the model was trained on M=${this.dim} columns but X has ${M}; pass data of the same dimension`);
    if (opts.fixedDecoder) throw new ValueError('warmStart with fixedDecoder: the decoder is the current one already; drop fixedDecoder');
  }

  /**
   * Train on X (B×M). Deterministic for a given seed. Throws {@link TrainingDivergedError} naming the step
   * if the loss becomes NaN/Inf or explodes.
   */
  fit(Xin: Matrix | number[][] | BatchSource, opts: SaeTrainOptions = {}): SaeTrainReport {
    // a BatchSource streams the rows (data larger than memory): held-out rows taken from the stream, bias from a peek
    const stream = !Array.isArray(Xin) && 'next' in Xin ? Xin : null;
    const ck = opts.resume !== undefined ? readSaeCheckpoint(opts.resume) : null;
    const Xall: Matrix = stream ? { rows: stream.rows, cols: stream.dim, data: new Float32Array(0) } : checkMatrix('X (data, B×M)', Xin as Matrix | number[][], { names: ['B', 'M'] });
    if (Xall.rows < 1) throw new ValueError('X has no rows; pass at least one sample');
    const rng = new Rng(this.config.seed);
    const budget = opts.steps === undefined && opts.epochs === undefined;
    const holdout = checkNumber('holdout', opts.holdout ?? (budget ? 0.1 : 0), 0, 0.5);
    const nHeld = holdout > 0 ? Math.min(8192, Math.floor(holdout * Xall.rows)) : 0;
    const { train: X, held } = stream ? { held: nHeld > 0 && Xall.rows - nHeld >= 1 ? stream.holdOut(nHeld) : null, train: stream.peek(8192) }
      : nHeld > 0 && Xall.rows - nHeld >= 1 ? splitRows(Xall, nHeld, new Rng(holdoutSeed(this.config.seed))) : { train: Xall, held: null };
    const initRng = rng.fork();
    if (opts.warmStart) this.requireWarmStart(X.cols, opts);
    else this.init(X, opts, initRng);
    this.onFitStart(Boolean(opts.warmStart) || ck !== null);
    const order = rng.fork();
    const N = this.features, M = this.dim, S = stream ? stream.rows : X.rows;
    const B = Math.min(checkInt('batch', opts.batch ?? 1024, 1), S);
    const perEpoch = Math.max(1, Math.floor(S / B));
    const total = opts.steps ?? (opts.epochs !== undefined ? Math.max(1, Math.round(opts.epochs * perEpoch))
      : Math.max(1, Math.ceil(checkNumber('samples', opts.samples ?? DEFAULT_SAE_SAMPLES, 1) / B)));
    const lr0 = checkNumber('lr', opts.lr ?? 1e-3, 0);
    const auxk = this.auxkSettings(opts, total, B);
    const resampleEvery = opts.fixedDecoder ? 0 : opts.resampleEvery ?? (auxk ? 0 : Math.max(0, Math.floor(total / 8)));
    const evalEvery = opts.evalEvery ?? Math.max(1, Math.floor(total / 100));
    const patience = opts.patience ?? (held ? 10 : 0);
    const slots: Record<string, AdamSlot> = {
      E: adamSlot(N * M), bEnc: adamSlot(N), D: adamSlot(N * M), bDec: adamSlot(M),
    };
    for (const [k, v] of Object.entries(this.extraParams())) slots[k] = adamSlot(v.length);
    const fitKey = { kind: this.kind, features: N, dim: M, seed: this.config.seed, rows: S, batch: B, total };
    if (ck) this.restoreCheckpoint(ck, fitKey, slots, String(opts.resume));
    this.workspace.open(this, B, N, slots);
    const trainer = new SaeTrainer(this, stream ?? X, { batch: B, total, resampleEvery, schedule: opts, slots, order, rng, auxk });
    // the loop's record so far: batch losses and evaluations (a resumed fit replays them, then trains on)
    const losses: number[] = ck ? (ck.meta.losses as number[]) : [];
    const evals: Record<string, EvalMetrics> = ck ? (ck.meta.evals as Record<string, EvalMetrics>) : {};
    const replayed = losses.length;
    if (ck) trainer.restore({ meta: ck.meta.trainer as Record<string, number>, arrays: { perm: ck.arrays.perm as Int32Array, lastActive: ck.arrays.lastActive as Int32Array } });
    const every = opts.checkpoint !== undefined ? Math.max(1, Math.round(checkNumber('checkpointEvery', opts.checkpointEvery ?? Math.max(B, (total * B) / 10), 1) / B)) : 0;
    const driver: Trainer = {
      update: (step, lr) => {
        if (step <= replayed) return losses[step - 1];
        const loss = trainer.update(step, lr);
        losses.push(loss);
        if (every > 0 && (step % every === 0 || step === total) && Number.isFinite(loss)) {
          writeSaeCheckpoint(String(opts.checkpoint), this.checkpointOf(fitKey, slots, trainer, losses, evals));
        }
        return loss;
      },
    };
    let run;
    try {
      run = trainLoop(driver, {
        steps: total, lr: lr0, schedule: { warmup: opts.warmup ?? 0.05, decay: opts.decay ?? 0.2 },
        evalEvery, logEvery: evalEvery, name: `SAE-${this.kind} training`,
        progress: { label: `SAE-${this.kind}`, enabled: opts.progress ?? true },
        onEval: (step) => {
          if (evals[step] && step <= replayed) return evals[step];
          return (evals[step] = { loss: trainer.ema, mse: trainer.emaMse, l0: trainer.emaL0, ...(held ? { heldout: this.loss(held) } : {}) });
        },
        // the plateau of the held-out loss (else of the smoothed training loss), after the warm-up of the run
        earlyStop: patience > 0 ? {
          patience, minDelta: opts.minDelta ?? (held ? 1e-3 : 1e-4), metric: held ? 'heldout' : 'loss',
          after: held ? Math.floor(0.25 * total) : Math.floor(0.1 * total + 1) + 1,
        } : undefined,
      });
    } finally {
      this.workspace.close(this);
    }
    const t = run.steps;
    const dead = trainer.deadCount(t, resampleEvery > 0 ? resampleEvery : Math.min(1000, t));
    const history: SaeHistoryPoint[] = run.history.map((r) => ({ step: r.step, loss: r.loss, mse: r.mse, l0: r.l0, ...(held ? { heldout: r.heldout } : {}) }));
    this.report = {
      steps: t, seconds: run.seconds, samplesPerSecond: (t * B) / run.seconds, loss: trainer.ema, mse: trainer.emaMse,
      meanL0: trainer.emaL0, deadFraction: dead / N, resampled: trainer.resampled, stoppedEarly: run.stoppedEarly,
      heldoutLoss: held ? history[history.length - 1].heldout! : NaN,
      converged: (run.stoppedEarly && held !== null) || lastQuarterFlat(history, held ? 'heldout' : 'loss'),
      history,
    };
    return this.report;
  }

  /** Per-fit counters of a subclass that a checkpoint must keep (BatchTopK's threshold average). */
  protected fitState(): Record<string, number> { return {}; }

  /** Restore {@link SparseAutoencoder.fitState}. */
  protected setFitState(_s: Record<string, number>): void { /* none by default */ }

  /** The checkpoint of a running fit after `losses.length` steps. */
  private checkpointOf(key: Record<string, unknown>, slots: Record<string, AdamSlot>, trainer: SaeTrainer, losses: number[], evals: Record<string, EvalMetrics>): SaeCheckpoint {
    const arrays: Record<string, Float32Array | Int32Array> = {};
    const params: Record<string, Float32Array> = { E: this.E, bEnc: this.bEnc, D: this.D, bDec: this.bDec, ...this.extraParams(), ...this.extraState() };
    for (const [k, v] of Object.entries(params)) arrays[`param.${k}`] = v.slice();
    for (const [k, v] of Object.entries(slots)) { arrays[`adam.${k}.m`] = v.m.slice(); arrays[`adam.${k}.v`] = v.v.slice(); }
    const st = trainer.state();
    Object.assign(arrays, st.arrays);
    return { meta: { key, fixedDecoder: this.fixedDecoder, fitState: this.fitState(), trainer: st.meta, losses: losses.slice(), evals: { ...evals } }, arrays };
  }

  /** Set the parameters, Adam moments and per-fit state from a checkpoint of the same fit (`key`), else say what differs. */
  private restoreCheckpoint(ck: SaeCheckpoint, key: Record<string, unknown>, slots: Record<string, AdamSlot>, dir: string): void {
    const saved = ck.meta.key as Record<string, unknown>;
    for (const [k, v] of Object.entries(key)) {
      if (saved?.[k] !== v) throw new ValueError(`${dir}: the checkpoint is of another fit (${k} ${JSON.stringify(saved?.[k])} there, ${JSON.stringify(v)} now); resume with the same data, method, features, seed, batch and budget`);
    }
    const get = (name: string, n: number): Float32Array => {
      const a = ck.arrays[name];
      if (!(a instanceof Float32Array) || a.length !== n) throw new DataFileError(`${dir}: checkpoint array '${name}' is missing or has the wrong size: the checkpoint is damaged`);
      return a;
    };
    this.E = get('param.E', this.E.length); this.bEnc = get('param.bEnc', this.bEnc.length);
    this.D = get('param.D', this.D.length); this.bDec = get('param.bDec', this.bDec.length);
    const extras: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries({ ...this.extraParams(), ...this.extraState() })) extras[k] = get(`param.${k}`, v.length);
    this.setExtra(extras);
    for (const [k, v] of Object.entries(slots)) { v.m.set(get(`adam.${k}.m`, v.m.length)); v.v.set(get(`adam.${k}.v`, v.v.length)); }
    this.fixedDecoder = Boolean(ck.meta.fixedDecoder);
    this.setFitState((ck.meta.fitState ?? {}) as Record<string, number>);
  }

  /** Whether the auxiliary-K loss is on by default (TopK-style SAEs, whose dead latents get no gradient). */
  protected get auxkByDefault(): boolean { return false; }

  /** The auxiliary-K settings of a fit of `total` steps of batch B (null: off). */
  private auxkSettings(opts: SaeTrainOptions, total: number, B: number): { alpha: number; k: number; deadSteps: number } | null {
    if (opts.fixedDecoder || opts.auxk === false || (opts.auxk === undefined && !this.auxkByDefault)) return null;
    const a = opts.auxk ?? {};
    const deadSamples = checkNumber('auxk.deadSamples', a.deadSamples ?? Math.min(10_000_000, Math.max(B, Math.floor((total * B) / 50))), 1);
    return {
      alpha: checkNumber('auxk.alpha', a.alpha ?? AUXK_ALPHA, 0),
      k: checkInt('auxk.k', a.k ?? Math.max(1, Math.floor(this.dim / 2)), 1),
      deadSteps: Math.max(1, Math.ceil(deadSamples / B)),
    };
  }

  /**
   * The loss of the current model on data X (B×M) in inference mode: mean_b ‖x_b − x̂_b‖² + the penalty at the
   * full λ (the held-out loss of a fit).
   */
  loss(Xin: Matrix | number[][]): number {
    this.requireTrained();
    const X = checkMatrix('X (data, B×M)', Xin, { cols: this.dim, names: ['B', 'M'] });
    const N = this.features, M = this.dim, chunk = 4096;
    let se = 0, pen = 0;
    for (let s = 0; s < X.rows; s += chunk) {
      const b = Math.min(chunk, X.rows - s);
      const xb = Float32Array.from(X.data.subarray(s * M, (s + b) * M));
      const { pre } = this.preActivations(xb, b);
      const z = new Float32Array(b * N);
      pen += b * this.act(pre, b, z, { lambda: this.config.lambda, train: false });
      const r = mm(z, b, N, this.D, M);
      for (let q = 0; q < b * M; q++) { const v = r[q] + (this.config.bias ? this.bDec[q % M] : 0) - xb[q]; se += v * v; }
    }
    return (se + pen) / X.rows;
  }

  /** Pre-activations (X − b_dec)·Eᵀ + b_enc (B×N) and the centred input (B×M); in scratch arrays when `reuse`. */
  protected preActivations(xb: Float32Array, B: number, reuse = false): { pre: Float32Array; xc: Float32Array } {
    const N = this.features, M = this.dim;
    const bias = this.config.bias, bDec = this.bDec, bEnc = this.bEnc;
    const xc = bias ? (reuse ? this.scratch('xc', B * M) : new Float32Array(B * M)) : xb;
    if (bias) addRowVector(xb, B, M, bDec, xc, true);
    const pre = mmNT(xc, B, M, this.E, N, reuse ? this.scratch('pre', B * N) : undefined, bias ? bEnc : undefined);
    return { pre, xc };
  }

  /**
   * One forward/backward pass on a batch (B×M, row-major); returns gradients and statistics.
   * Dense products go to the wasm GEMM ({@link mm}, {@link mmNT}); when the codes are sparse
   * (density below the dispatch policy's `sparseMaxDensity`, e.g. TopK) the decoder product, dL/dZ (only where needed),
   * dD and dE use sparse kernels costing ∝ nnz·M.
   */
  trainStep(xb: Float32Array, B: number, lam: number, wantResid: boolean, auxk?: AuxKInput): StepOut {
    const N = this.features, M = this.dim;
    const { pre, xc } = this.preActivations(xb, B, true);
    const z = this.scratch('z', B * N); // every activation writes all of z
    const penalty = this.act(pre, B, z, { lambda: lam, train: true });
    const sz = this.workspace.csr = csrOf(z, B, N, this.workspace.csr);
    const support = this.gradSupport(pre, z, B, sz);
    const sparse = support.nnz < dispatchPolicy().sparseMaxDensity * B * N;
    // with the codes' values in the CSR (csrOf into the fit's scratch), the kernels read them there (z = null)
    const zv = sz.val ? null : z;
    const { r, g, dz, dzAt, dD, recLoss, mse } = this.reconstructionGrad(xb, B, z, zv, sz, support, sparse);
    // dL/dz at the support only (dzAt, in its order): the activation's backward is its mask, so that is dL/dpre
    const extra = dzAt ? {} : this.actBackward(dz!, pre, z, B, lam, sparse ? support : undefined);
    const dpre = dz as Float32Array; // null only with dzAt, which each use below tests first
    let dE: Float32Array;
    if (dzAt) {
      dE = this.scratch('dE', N * M).fill(0); spmmTAdd(null, { ...support, val: dzAt }, N, xc, M, dE);
    } else if (sparse) {
      // dpre is read at the gradient support only
      dE = this.scratch('dE', N * M).fill(0); spmmTAdd(dpre, support, N, xc, M, dE);
    } else {
      // Transpose the thin B×M factors, not the B×N codes: dEᵀ = xcᵀ·dpre (M×N).
      dE = tr(mm(tr(xc, B, M), M, B, dpre, N), M, N);
    }
    // which latents fired (codes are ≥ 0: a column sum is > 0 iff the latent fired) and the b_enc gradient (the sum
    // of dpre over the gradient support): over the non-zeros when they are few, else column sums on the kernels
    // (dpre is then zero off the support: dz was cleared, and the activations that read all of it zero it there)
    const dbEnc = new Float32Array(N), dbDec = new Float32Array(M), active = new Float32Array(N);
    const E = this.E;
    if (dzAt) {
      for (let p = 0; p < sz.nnz; p++) active[sz.idx[p]] = 1;
      const idx = support.idx;
      for (let p = 0; p < support.nnz; p++) dbEnc[idx[p]] += dzAt[p];
    } else if (sparse && fewNonZeros(support, B, N)) {
      for (let p = 0; p < sz.nnz; p++) active[sz.idx[p]] = 1;
      const ptr = support.ptr, idx = support.idx;
      for (let b = 0; b < B; b++) { const o = b * N; for (let p = ptr[b]; p < ptr[b + 1]; p++) dbEnc[idx[p]] += dpre[o + idx[p]]; }
    } else {
      columnSums(z, B, N, active);
      columnSums(dpre, B, N, dbEnc);
    }
    columnSums(g, B, M, dbDec);
    // the auxiliary-K loss on dead latents (its gradient reaches E, b_enc, D and, through the centred input, b_dec)
    const aux = auxk ? auxkLossGrad(pre, xc, r, B, N, M, this.D, auxk, { dE, dD: this.fixedDecoder ? null : dD, dbEnc }, (name, n) => this.scratch(name, n)) : 0;
    // b_dec also enters through the centred input: d/db_dec of pre = −dbEnc·E (a 1×N·N×M product on the engine)
    const viaEnc = mm(dbEnc, 1, N, E, M);
    for (let j = 0; j < M; j++) dbDec[j] -= viaEnc[j];
    return {
      loss: recLoss + penalty + aux, mse, l0: sz.nnz / B, active, dE, dD, dbEnc, dbDec, extra, resid: wantResid ? r : null,
    };
  }

  /**
   * The reconstruction term of the loss and its gradients: x̂ = z·D + b_dec, loss mean_b ‖x̂_b − x_b‖². Returns the
   * residual r = x̂ − x (B×M, scratch), g = dL/dx̂ (B×M; its column sums are the b_dec gradient), dz = dL/dz at the
   * gradient support (B×N; dense path: everywhere), dD = dL/dD (N×M; empty with a fixed decoder), the loss and
   * the MSE of the full reconstruction. `zv` is z, or null when the CSR `sz` holds the values. When the support has
   * few entries and the activation's backward is its mask ({@link maskBackward}), dL/dz comes as `dzAt` instead:
   * its values at the support, in the support's order (support.nnz entries), and dz is null. Subclasses with
   * another reconstruction loss (Matryoshka's nested prefixes) override it.
   */
  protected reconstructionGrad(xb: Float32Array, B: number, z: Float32Array, zv: Float32Array | null, sz: Csr, support: Csr, sparse: boolean):
    { r: Float32Array; g: Float32Array; dz: Float32Array | null; dzAt?: Float32Array; dD: Float32Array; recLoss: number; mse: number } {
    const N = this.features, M = this.dim;
    let r: Float32Array;
    if (sparse) { r = this.scratch('r', B * M).fill(0); spmmAdd(zv, sz, N, this.D, M, r); } else r = mm(z, B, N, this.D, M, this.scratch('r', B * M));
    // r ← z·D + b_dec − x, g = (2/B)·r, and the squared norm of each residual row
    const g = this.scratch('g', B * M);
    const rowSq = residualRows(r, B, M, { bias: this.config.bias ? this.bDec : this.scratch('zeroM', M).fill(0), x: xb }, 2 / B, g);
    let mse = 0;
    for (let b = 0; b < B; b++) mse += rowSq[b];
    mse /= B;
    let dz: Float32Array | null = null, dzAt: Float32Array | undefined;
    if (sparse && this.maskBackward && fewNonZeros(support, B, N)) {
      dzAt = sampledDotValues(g, support, this.D, M, this.scratch('dzAt', B * N).subarray(0, support.nnz));
    } else if (sparse) {
      // with few non-zeros, nothing reads dz off the support (see trainStep): no pass over all of it
      dz = this.scratch('dz', B * N);
      if (!fewNonZeros(support, B, N)) dz.fill(0);
      sampledDots(g, support, N, this.D, M, dz);
    } else dz = mmNT(g, B, M, this.D, N, this.scratch('dz', B * N));
    let dD: Float32Array;
    if (this.fixedDecoder) dD = new Float32Array(0);
    else if (sparse) { dD = this.scratch('dD', N * M).fill(0); spmmTAdd(zv, sz, N, g, M, dD); }
    else dD = tr(mm(tr(g, B, M), M, B, z, N), M, N); // dDᵀ = gᵀ·z: transpose the thin B×M factor, not the B×N codes
    return { r, g, dz, dzAt, dD, recLoss: mse, mse };
  }

  /** Fill codes z (B×N) from pre-activations; returns the penalty (batch mean). */
  protected abstract act(pre: Float32Array, B: number, z: Float32Array, ctx: { lambda: number; train: boolean }): number;

  /**
   * Turn dL/dZ (reconstruction part, valid at the gradient support) into dL/dpre in place, adding the
   * penalty's gradient; return gradients of extra parameters. When `support` is given (the sparse path), dz is
   * valid at the support only (zero, or left from an earlier step, elsewhere): an activation whose support is its
   * non-zero codes may visit only those entries; one that writes all of dpre must write 0 where z = 0.
   */
  protected abstract actBackward(dz: Float32Array, pre: Float32Array, z: Float32Array, B: number, lambda: number, support?: Csr): Record<string, Float32Array>;

  /**
   * Whether the activation's backward is its mask: dL/dpre = dL/dz at the gradient support, zero elsewhere, with no
   * gradients of its own and nothing else read (TopK, BatchTopK). The sparse path then keeps dL/dz at the support
   * only, in the support's order, and does not call {@link actBackward}.
   */
  protected get maskBackward(): boolean { return false; }

  /** Positions (b, i) where dL/dz_bi is needed: by default the non-zero codes. */
  protected gradSupport(_pre: Float32Array, _z: Float32Array, _B: number, nonzero: Csr): Csr { return nonzero; }

  /** Codes Z (B×N, float32) of data X (B×M) with the trained encoder (inference mode). */
  encode(Xin: Matrix | number[][]): Matrix<Float32Array> {
    this.requireTrained();
    const X = checkMatrix('X (data, B×M)', Xin, { cols: this.dim, names: ['B', 'M'] });
    const N = this.features, M = this.dim, out = new Float32Array(X.rows * N);
    const chunk = 4096;
    for (let s = 0; s < X.rows; s += chunk) {
      const b = Math.min(chunk, X.rows - s);
      const { pre } = this.preActivations(Float32Array.from(X.data.subarray(s * M, (s + b) * M)), b);
      this.act(pre, b, out.subarray(s * N, (s + b) * N), { lambda: this.config.lambda, train: false });
    }
    return matrix(X.rows, N, out);
  }

  /** Reconstruction X̂ = Z·D + b_dec (B×M) from codes Z (B×N). */
  decode(Zin: Matrix | number[][]): Matrix<Float32Array> {
    this.requireTrained();
    const Z = checkMatrix('Z (codes, B×N)', Zin, { cols: this.features, names: ['B', 'N'] });
    const N = this.features, M = this.dim;
    const out = mm(Float32Array.from(Z.data), Z.rows, N, this.D, M);
    if (this.config.bias) for (let b = 0; b < Z.rows; b++) for (let j = 0; j < M; j++) out[b * M + j] += this.bDec[j];
    return matrix(Z.rows, M, out);
  }

  protected requireTrained(): void {
    if (this.dim === 0) throw new ValueError(`this SAE-${this.kind} has not been trained or loaded; call fit(X) or load() first`);
  }
}

/** Output of one training step (the gradient arrays are scratch of the fit: valid until the next step). */
export interface StepOut {
  loss: number;
  mse: number;
  l0: number;
  /** Per latent (N), Σ_b z_bi: the codes are non-negative, so > 0 exactly when the latent fired in the batch. */
  active: Float32Array;
  dE: Float32Array;
  dD: Float32Array;
  dbEnc: Float32Array;
  dbDec: Float32Array;
  extra: Record<string, Float32Array>;
  resid: Float32Array | null;
}

/**
 * Whether the gradient support holds under the dispatch policy's `fewNonZerosMaxDensity` of the B·N entries: passes
 * over its entries then beat dense passes over B×N, and dL/dZ is not cleared off the support (nothing reads it there).
 */
function fewNonZeros(support: Csr, B: number, N: number): boolean {
  return support.nnz < dispatchPolicy().fewNonZerosMaxDensity * B * N;
}

/** Seed of the held-out split: its own stream, apart from the initialisation, batch order and resampling streams. */
function holdoutSeed(seed: number): number { return (seed ^ 0x6a09e667) >>> 0; }

/** Rows of X split into a training part and `nHeld` held-out rows drawn at random (each part in the original order). */
function splitRows(X: Matrix, nHeld: number, rng: Rng): { train: Matrix; held: Matrix } {
  const S = X.rows, M = X.cols, perm = rng.permutation(S);
  const isHeld = new Uint8Array(S);
  for (let i = 0; i < nHeld; i++) isHeld[perm[i]] = 1;
  const train = new Float32Array((S - nHeld) * M), held = new Float32Array(nHeld * M);
  let a = 0, h = 0;
  for (let r = 0; r < S; r++) {
    const row = X.data.subarray(r * M, (r + 1) * M);
    if (isHeld[r]) held.set(row, (h++) * M); else train.set(row, (a++) * M);
  }
  return { train: matrix(S - nHeld, M, train), held: matrix(nHeld, M, held) };
}

/** Whether `key` of the history fell by less than {@link CONVERGED_TOLERANCE} (relative) over the last quarter of the steps. */
function lastQuarterFlat(history: SaeHistoryPoint[], key: 'loss' | 'heldout'): boolean {
  if (history.length < 2) return false;
  const last = history[history.length - 1], from = last.step * 0.75;
  const ref = history.find((r) => r.step >= from) ?? history[0];
  const a = ref[key]!, b = last[key]!;
  if (!Number.isFinite(a) || !Number.isFinite(b) || ref === last) return false;
  return a - b < CONVERGED_TOLERANCE * Math.abs(a);
}
