/**
 * Shared base of the learned (amortised) encoders between SAEs and sparse coding — MLP encoders and LISTA —
 * trained with tfjs autograd and Adam. The models are small (N ≤ a few hundred), where the per-op overhead,
 * not the transposed products, dominates; the big-SAE hot path is {@link SparseAutoencoder}.
 *
 * Regimes (O'Neill, Gumran & Klindt 2025):
 * - known D: `fit(X, { decoder: D })`, loss = mean_b ‖x_b − ẑ_b·D‖² + λ·mean_b ‖ẑ_b‖₁ (D fixed);
 * - known Z: `fit(X, { targets: Z })`, loss = mean_b ‖z_b − ẑ_b‖² (supervised);
 * - unknown D and Z: `fit(X)`, same loss as known D with a learned decoder whose rows are renormalised to
 *   unit norm after every step.
 * Shapes: X B×M, codes B×N, D N×M.
 */
import { tf } from '../core/backend';
import { linear } from './linear';
import { Rng } from '../core/rng';
import { Matrix, matrix } from '../core/matrix';
import { checkInt, checkMatrix, checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';
import { createProgress } from '../core/progress';
import { TrainingDivergedError } from './sae_base';
import { readModelDir, writeModelDir } from './persist';

/** A parameter array with its shape. */
export interface ParamInit { shape: [number, number]; data: Float32Array }

/** Options of {@link AmortisedEncoder.fit}. */
export interface EncoderTrainOptions {
  /** Fixed decoder D (N×M): the known-D regime. */
  decoder?: Matrix;
  /** Target codes Z (B×N): the known-Z (supervised) regime. */
  targets?: Matrix;
  /** λ of the L1 penalty on codes (default 0.01·M/N, the paper's λ = 0.01 on per-element means). */
  lambda?: number;
  /** Adam steps (default 5000). */
  steps?: number;
  /** Batch size (default min(1024, B)). */
  batch?: number;
  /** Adam learning rate (default 1e-3, constant). */
  lr?: number;
  progress?: boolean;
}

/** What training did. */
export interface EncoderTrainReport { steps: number; seconds: number; samplesPerSecond: number; loss: number }

/** Base class: subclasses define parameters, the forward pass and its FLOPs. */
export abstract class AmortisedEncoder {
  abstract readonly kind: string;
  readonly features: number;
  readonly seed: number;
  dim = 0;
  /** Decoder D, N×M (fixed or learned). */
  D: Float32Array = new Float32Array(0);
  protected params: Record<string, Float32Array> = {};
  protected shapes: Record<string, [number, number]> = {};
  report: EncoderTrainReport | null = null;

  constructor(features: number, seed = 0) {
    this.features = checkInt('features (N)', features, 1);
    this.seed = seed;
  }

  /** Initial parameters for dimension M given the initial decoder D0 (N×M). */
  protected abstract initParams(M: number, rng: Rng, D0: Float32Array): Record<string, ParamInit>;
  /** Codes (B×N) from x (B×M) with parameter tensors `p`. */
  protected abstract forward(x: tf.Tensor2D, p: Record<string, tf.Tensor2D>): tf.Tensor2D;
  /** Multiply-adds ×2 per sample of one encode. */
  abstract flopsPerSample(): number;
  /** Constructor options to save. */
  protected abstract extraConfig(): Record<string, unknown>;

  /** Decoder as N×M matrix (a copy). */
  get dictionary(): Matrix<Float32Array> { return matrix(this.features, this.dim, this.D.slice()); }

  /** Train (see the module comment for the regimes). Deterministic in the seed. */
  fit(Xin: Matrix | number[][], opts: EncoderTrainOptions = {}): EncoderTrainReport {
    const X = checkMatrix('X (data, B×M)', Xin, { names: ['B', 'M'] });
    const N = this.features, M = X.cols, S = X.rows;
    this.dim = M;
    const rng = new Rng(this.seed);
    const rInit = rng.fork(), rOrder = rng.fork();
    const learnD = !opts.decoder && !opts.targets;
    if (opts.decoder) {
      this.D = Float32Array.from(checkMatrix('decoder (N×M)', opts.decoder, { rows: N, cols: M, names: ['N', 'M'] }).data);
    } else {
      this.D = new Float32Array(N * M);
      rInit.fillNormal(this.D);
      normRows(this.D, N, M);
    }
    const T = opts.targets ? checkMatrix('targets (B×N)', opts.targets, { rows: S, cols: N, names: ['B', 'N'] }) : null;
    const lam = checkNumber('lambda', opts.lambda ?? (0.01 * M) / N, 0);
    const steps = checkInt('steps', opts.steps ?? 5000, 0);
    const B = Math.min(opts.batch ?? 1024, S);
    const init = this.initParams(M, rInit, this.D);
    this.shapes = {};
    const vars: Record<string, tf.Variable> = {};
    for (const [k, v] of Object.entries(init)) { this.shapes[k] = v.shape; vars[k] = tf.tidy(() => tf.variable(tf.tensor2d(v.data, v.shape), true)); }
    const Dv = tf.tidy(() => tf.variable(tf.tensor2d(this.D, [N, M]), learnD));
    const opt = tf.train.adam(opts.lr ?? 1e-3);
    const varList = [...Object.values(vars), ...(learnD ? [Dv] : [])];
    const prog = createProgress({ total: steps, label: `${this.kind} encoder`, unit: 'steps', enabled: opts.progress ?? true });
    const full = B === S;
    const Xall = full ? tf.tensor2d(Float32Array.from(X.data), [S, M]) : null;
    const Tall = full && T ? tf.tensor2d(Float32Array.from(T.data), [S, N]) : null;
    const xb = new Float32Array(B * M), tb = T ? new Float32Array(B * N) : null;
    let perm = rOrder.permutation(S), pos = 0, loss = NaN;
    const t0 = performance.now();
    try {
      for (let t = 0; t < steps; t++) {
        let x: tf.Tensor2D, tz: tf.Tensor2D | null = null;
        if (full) { x = Xall!; tz = Tall; } else {
          if (pos + B > S) { perm = rOrder.permutation(S); pos = 0; }
          for (let i = 0; i < B; i++) {
            xb.set(X.data.subarray(perm[pos + i] * M, (perm[pos + i] + 1) * M), i * M);
            if (tb && T) tb.set(T.data.subarray(perm[pos + i] * N, (perm[pos + i] + 1) * N), i * N);
          }
          pos += B;
          x = tf.tensor2d(xb, [B, M]);
          if (tb) tz = tf.tensor2d(tb, [B, N]);
        }
        const cost = opt.minimize(() => {
          const z = this.forward(x, vars as unknown as Record<string, tf.Tensor2D>);
          if (tz) return tf.sum(tf.square(tf.sub(z, tz))).div(B) as tf.Scalar;
          const r = tf.sub(linear(z, Dv), x);
          return tf.add(tf.sum(tf.square(r)).div(B), tf.sum(tf.abs(z)).mul(lam / B)) as tf.Scalar;
        }, true, varList);
        if (!full) { x.dispose(); tz?.dispose(); }
        if (learnD) tf.tidy(() => { Dv.assign(tf.div(Dv, tf.maximum(tf.norm(Dv, 'euclidean', 1, true), 1e-12))); });
        if (t % 50 === 0 || t === steps - 1) {
          loss = cost!.dataSync()[0];
          if (!Number.isFinite(loss)) {
            throw new TrainingDivergedError(`${this.kind} encoder training diverged at step ${t} (loss ${loss}); lower the learning rate (now ${opts.lr ?? 1e-3}) or rescale X`);
          }
          prog.update(t + 1, `loss ${loss.toExponential(3)}`);
        }
        cost!.dispose();
      }
    } finally {
      for (const [k, v] of Object.entries(vars)) { this.params[k] = Float32Array.from(v.dataSync() as Float32Array); v.dispose(); }
      this.D = Float32Array.from(Dv.dataSync() as Float32Array);
      Dv.dispose(); opt.dispose(); Xall?.dispose(); Tall?.dispose();
    }
    const seconds = (performance.now() - t0) / 1000;
    prog.finish(`loss ${loss.toExponential(3)}`);
    this.report = { steps, seconds, samplesPerSecond: (steps * B) / seconds, loss };
    return this.report;
  }

  /** Codes Z (B×N, float32) of X (B×M). */
  encode(Xin: Matrix | number[][]): Matrix<Float32Array> {
    if (this.dim === 0) throw new ValueError(`this ${this.kind} encoder has not been trained or loaded; call fit(X) first`);
    const X = checkMatrix('X (data, B×M)', Xin, { cols: this.dim, names: ['B', 'M'] });
    const out = tf.tidy(() => {
      const p: Record<string, tf.Tensor2D> = {};
      for (const [k, v] of Object.entries(this.params)) p[k] = tf.tensor2d(v, this.shapes[k]);
      return this.forward(tf.tensor2d(Float32Array.from(X.data), [X.rows, this.dim]), p);
    });
    const data = out.dataSync() as Float32Array;
    out.dispose();
    return matrix(X.rows, this.features, Float32Array.from(data));
  }

  /** X̂ = Z·D (B×M). */
  decode(Zin: Matrix | number[][]): Matrix<Float32Array> {
    const Z = checkMatrix('Z (codes, B×N)', Zin, { cols: this.features, names: ['B', 'N'] });
    const N = this.features, M = this.dim, out = new Float32Array(Z.rows * M);
    for (let b = 0; b < Z.rows; b++) {
      for (let i = 0; i < N; i++) {
        const v = Z.data[b * N + i];
        if (v !== 0) for (let j = 0; j < M; j++) out[b * M + j] += v * this.D[i * M + j];
      }
    }
    return matrix(Z.rows, M, out);
  }

  /** Save to a directory (model.json + one .npy per parameter + D.npy). */
  save(dir: string): void {
    const arrays: Record<string, { shape: [number, number]; data: Float32Array }> = { D: { shape: [this.features, this.dim], data: this.D } };
    for (const [k, v] of Object.entries(this.params)) arrays[`p_${k}`] = { shape: this.shapes[k], data: v };
    writeModelDir(dir, { kind: this.kind, config: { features: this.features, seed: this.seed, ...this.extraConfig() }, dim: this.dim, report: this.report ?? undefined }, arrays);
  }

  /** Restore parameters from a directory written by {@link AmortisedEncoder.save} into this (same-kind) model. */
  protected loadInto(dir: string): this {
    const { meta, arrays } = readModelDir(dir);
    if (meta.kind !== this.kind) throw new ValueError(`${dir}: model kind '${meta.kind}' is not '${this.kind}'`);
    this.dim = meta.dim;
    this.D = arrays.D;
    for (const [k, shape] of Object.entries(meta.arrays)) {
      if (!k.startsWith('p_')) continue;
      this.params[k.slice(2)] = arrays[k];
      this.shapes[k.slice(2)] = shape;
    }
    return this;
  }
}

function normRows(d: Float32Array, n: number, m: number): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += d[i * m + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < m; j++) d[i * m + j] *= inv;
  }
}
