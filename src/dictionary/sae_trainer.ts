/**
 * The optimisation of an SAE under the one training loop ({@link trainLoop}): {@link SaeTrainer} implements
 * {@link Trainer} — it draws the next batch of X (shuffled without replacement, a new permutation per pass),
 * asks the model for the loss and its gradients (the model's forward/backward, {@link SparseAutoencoder.trainStep}),
 * applies Adam on the engine's typed arrays, keeps the decoder rows unit-norm (tangent projection, then
 * renormalisation), adds the auxiliary-K loss on dead latents, and resamples dead features when asked. The loop owns the schedule, history, divergence and early stop.
 */
import { Rng } from '../core/rng';
import { Matrix } from '../core/matrix';
import { AdamSlot, adamStep } from '../compute/adam';
import { Trainer } from '../training/loop';
import { ScheduleConfig, penaltyFactor } from './optim';
import { normaliseRowsInPlace, projectRowsTangent } from '../compute/rows';
import type { SparseAutoencoder } from './sae_base';
import type { AuxKInput } from './sae_auxk';

/**
 * Training rows streamed from data larger than memory (e.g. the `ActivationStore` of src/data), for
 * {@link SparseAutoencoder.fit}: the fit takes its held-out rows with `holdOut` (once, before any batch), initialises
 * the decoder bias on `peek`, and draws every batch with `next`.
 */
export interface BatchSource {
  /** M: entries per row. */
  readonly dim: number;
  /** Training rows per pass (after the held-out rows are taken). */
  readonly rows: number;
  /** Fill `out` (B×M, row-major) with the next B training rows. */
  next(out: Float32Array, B: number): void;
  /** Take `n` rows (n×M) out of the stream for the held-out loss; they are never handed out by `next`. */
  holdOut(n: number): Matrix;
  /** Up to `n` of the next training rows (k×M, k ≤ n), not consumed. */
  peek(n: number): Matrix;
  /** Pass over the next `n` training rows as `next` would hand them out (to continue a fit from a checkpoint). */
  skip(n: number): void;
}

/** Settings of an {@link SaeTrainer}, fixed for a fit. */
export interface SaeTrainerConfig {
  /** Batch size B (≤ rows of X). */
  batch: number;
  /** Total steps of the fit (the penalty warm-up and the resampling window are fractions of it). */
  total: number;
  /** Resample features dead for this many steps (0 = never). */
  resampleEvery: number;
  /** Penalty warm-up (fraction of the steps). */
  schedule: ScheduleConfig;
  /** Adam moments of every optimised array, by parameter name (E, bEnc, D, bDec and the model's extras). */
  slots: Record<string, AdamSlot>;
  /** Random stream of the batch order. */
  order: Rng;
  /** Random stream of the resampling. */
  rng: Rng;
  /** The auxiliary-K loss on latents dead for `deadSteps` steps (null: off). */
  auxk: { alpha: number; k: number; deadSteps: number } | null;
}

/** One SAE's optimisation: batching, Adam, decoder renormalisation, resampling, running statistics. */
export class SaeTrainer implements Trainer {
  /** Step (0-based) at which each feature last fired on a sample of its batch. */
  readonly lastActive: Int32Array;
  /** Features re-initialised so far. */
  resampled = 0;
  /** Exponential moving averages of the batch loss, reconstruction MSE and L0 (NaN before the first step). */
  ema = NaN; emaMse = NaN; emaL0 = NaN;
  private readonly xb: Float32Array;
  private readonly dead: Uint8Array;
  private perm: Int32Array | number[];
  private pos = 0;
  /** Rows drawn from a streamed source so far (a checkpoint's position in the stream). */
  private drawn = 0;
  /** How far the random streams have advanced: permutations drawn from `order`, uniforms from `rng` (for resuming). */
  private perms = 0; private uniforms = 0;

  constructor(private readonly model: SparseAutoencoder, private readonly X: Matrix | BatchSource, private readonly cfg: SaeTrainerConfig) {
    this.lastActive = new Int32Array(model.features);
    this.dead = new Uint8Array(model.features);
    this.xb = new Float32Array(cfg.batch * model.dim);
    this.perm = 'next' in X ? [] : cfg.order.permutation(X.rows);
    if (!('next' in X)) this.perms = 1;
  }

  /** Copy the next B rows of the shuffled X into the batch (a new permutation when a pass is used up). */
  private nextBatch(): Float32Array {
    if ('next' in this.X) { this.X.next(this.xb, this.cfg.batch); this.drawn += this.cfg.batch; return this.xb; }
    const B = this.cfg.batch, M = this.model.dim, S = this.X.rows, Xd = this.X.data;
    if (this.pos + B > S) { this.perm = this.cfg.order.permutation(S); this.pos = 0; this.perms++; }
    for (let i = 0; i < B; i++) { const r = this.perm[this.pos + i]; this.xb.set(Xd.subarray(r * M, (r + 1) * M), i * M); }
    this.pos += B;
    return this.xb;
  }

  /** One step (step counts from 1) with learning rate `lr`; returns the batch loss before the update. */
  update(step: number, lr: number): number {
    const m = this.model, { batch: B, total, resampleEvery, slots } = this.cfg;
    const N = m.features, M = m.dim, t = step - 1;
    const xb = this.nextBatch();
    const lam = m.config.lambda * penaltyFactor(t, total, this.cfg.schedule);
    const wantResid = resampleEvery > 0 && t > 0 && t % resampleEvery === 0 && t < 0.75 * total;
    const out = m.trainStep(xb, B, lam, wantResid, this.auxkInput(t));
    if (!Number.isFinite(out.loss)) return out.loss; // the loop stops with a divergence error
    for (let i = 0; i < N; i++) if (out.active[i] > 0) this.lastActive[i] = t;
    adamStep(m.E, out.dE, slots.E, lr, step);
    if (m.config.bias) {
      adamStep(m.bEnc, out.dbEnc, slots.bEnc, lr, step);
      if (!m.fixedDecoder) adamStep(m.bDec, out.dbDec, slots.bDec, lr, step);
    }
    if (!m.fixedDecoder) {
      projectRowsTangent(out.dD, m.D, N, M);
      adamStep(m.D, out.dD, slots.D, lr, step);
      normaliseRowsInPlace(m.D, N, M);
    }
    const extra = m.extraParams();
    for (const [k, g] of Object.entries(out.extra)) adamStep(extra[k], g, slots[k], lr, step);
    if (wantResid && out.resid) this.resampled += this.resample(t, out.resid);
    const a = t < 20 ? 0.5 : 0.05;
    this.ema = Number.isNaN(this.ema) ? out.loss : (1 - a) * this.ema + a * out.loss;
    this.emaMse = Number.isNaN(this.emaMse) ? out.mse : (1 - a) * this.emaMse + a * out.mse;
    this.emaL0 = Number.isNaN(this.emaL0) ? out.l0 : (1 - a) * this.emaL0 + a * out.l0;
    return out.loss;
  }

  /** The dead latents for the auxiliary-K loss at step t (0-based), or undefined when it is off or none is dead. */
  private auxkInput(t: number): AuxKInput | undefined {
    const a = this.cfg.auxk;
    if (!a) return undefined;
    let any = false;
    for (let i = 0; i < this.dead.length; i++) { const d = t - this.lastActive[i] >= a.deadSteps ? 1 : 0; this.dead[i] = d; any ||= d === 1; }
    return any ? { dead: this.dead, alpha: a.alpha, k: a.k } : undefined;
  }

  /** The trainer's state for a checkpoint: batch order and position, activity, running averages, stream positions. */
  state(): { meta: Record<string, number>; arrays: Record<string, Int32Array> } {
    return {
      meta: { pos: this.pos, drawn: this.drawn, ema: this.ema, emaMse: this.emaMse, emaL0: this.emaL0, resampled: this.resampled, perms: this.perms, uniforms: this.uniforms },
      arrays: { perm: Int32Array.from(this.perm), lastActive: this.lastActive.slice() },
    };
  }

  /** Continue from {@link SaeTrainer.state} of the same fit: advances the random streams as far as they had gone. */
  restore(st: { meta: Record<string, number>; arrays: Record<string, Int32Array> }): void {
    for (let p = this.perms; p < st.meta.perms; p++) this.cfg.order.permutation(this.perm.length);
    for (let u = this.uniforms; u < st.meta.uniforms; u++) this.cfg.rng.uniform();
    this.perms = st.meta.perms; this.uniforms = st.meta.uniforms;
    this.perm = st.arrays.perm.slice(); this.lastActive.set(st.arrays.lastActive);
    this.pos = st.meta.pos; this.resampled = st.meta.resampled;
    if ('next' in this.X) { this.X.skip((st.meta.drawn ?? 0) - this.drawn); this.drawn = st.meta.drawn ?? 0; }
    this.ema = st.meta.ema; this.emaMse = st.meta.emaMse; this.emaL0 = st.meta.emaL0;
  }

  /** Features that fired on no sample in the `window` steps before `steps` steps were done. */
  deadCount(steps: number, window: number): number {
    let dead = 0;
    for (let i = 0; i < this.model.features; i++) if (steps - 1 - this.lastActive[i] >= window) dead++;
    return dead;
  }

  /**
   * Re-initialise features dead for `resampleEvery` steps towards residual directions of high-error samples
   * (drawn with probability ∝ squared residual), encoder rows scaled to 0.2 × the mean live encoder norm, their
   * Adam moments reset. `resid` is the batch residual X̂ − X (B×M). Returns how many were resampled.
   */
  private resample(t: number, resid: Float32Array): number {
    const m = this.model, { batch: B, resampleEvery: window, slots, rng } = this.cfg;
    const N = m.features, M = m.dim, lastActive = this.lastActive;
    const dead: number[] = [];
    for (let i = 0; i < N; i++) if (t - lastActive[i] >= window) dead.push(i);
    if (dead.length === 0) return 0;
    const w = new Float64Array(B);
    let tot = 0;
    for (let b = 0; b < B; b++) {
      let s = 0;
      for (let j = 0; j < M; j++) s += resid[b * M + j] ** 2;
      tot += s; w[b] = tot;
    }
    // mean encoder-row norm of live features, to scale the new encoder rows
    let alive = 0, normSum = 0;
    for (let i = 0; i < N; i++) {
      if (t - lastActive[i] >= window) continue;
      let s = 0;
      for (let j = 0; j < M; j++) s += m.E[i * M + j] ** 2;
      normSum += Math.sqrt(s); alive++;
    }
    const encNorm = alive ? (0.2 * normSum) / alive : 0.2;
    for (const i of dead) {
      const u = rng.uniform() * tot;
      this.uniforms++;
      let lo = 0, hi = B - 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (w[mid] < u) lo = mid + 1; else hi = mid; }
      let s = 0;
      for (let j = 0; j < M; j++) s += resid[lo * M + j] ** 2;
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let j = 0; j < M; j++) {
        // residual r = x̂ − x: the missing direction is −r
        const v = -resid[lo * M + j] * inv;
        m.D[i * M + j] = v;
        m.E[i * M + j] = v * encNorm;
      }
      m.bEnc[i] = 0;
      for (const k of ['E', 'D'] as const) {
        slots[k].m.fill(0, i * M, (i + 1) * M); slots[k].v.fill(0, i * M, (i + 1) * M);
      }
      slots.bEnc.m[i] = 0; slots.bEnc.v[i] = 0;
      lastActive[i] = t;
    }
    return dead.length;
  }
}
