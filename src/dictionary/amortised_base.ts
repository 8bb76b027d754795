/**
 * Shared base of the learned (amortised) encoders between SAEs and sparse coding — MLP encoders and LISTA —
 * with hand-written forward and backward passes on typed arrays (products on the engine, Adam in its fused
 * kernel, parameters pinned in a {@link Workspace} for the fit), driven by the one training loop.
 *
 * Regimes (O'Neill, Gumran & Klindt 2025):
 * - known D: `fit(X, { decoder: D })`, loss = mean_b ‖x_b − ẑ_b·D‖² + λ·mean_b ‖ẑ_b‖₁ (D fixed);
 * - known Z: `fit(X, { targets: Z })`, loss = mean_b ‖z_b − ẑ_b‖² (supervised);
 * - unknown D and Z: `fit(X)`, same loss as known D with a learned decoder whose rows are renormalised to
 *   unit norm after every step.
 * Shapes: X B×M, codes B×N, D N×M.
 */
import { Rng } from '../core/rng';
import { Matrix, matrix } from '../core/matrix';
import { checkInt, checkMatrix, checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';
import { mm, mmNT } from '../compute/dense';
import { Param, adamUpdate, param } from '../nn/mlp';
import { transposeInto } from '../nn/dense';
import { Workspace } from '../nn/workspace';
import { trainLoop } from '../training/loop';
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
  /**
   * Codes (B×N) from x (B×M) with parameters `p`; arrays kept for {@link backward} go into `ws` scratch (the
   * returned codes may be one of them, valid until the next forward).
   */
  protected abstract forward(x: Float32Array, B: number, p: Record<string, Float32Array>, ws: Workspace): Float32Array;
  /**
   * Gradients of every parameter (into `grads`, same keys as p) from dz = ∂loss/∂codes (B×N) of the last
   * {@link forward} on x (dz may be overwritten).
   */
  protected abstract backward(x: Float32Array, B: number, p: Record<string, Float32Array>, dz: Float32Array,
    grads: Record<string, Float32Array>, ws: Workspace): void;
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
    for (const [k, v] of Object.entries(init)) this.shapes[k] = v.shape;
    const ws = new Workspace();
    const full = B === S;
    let perm = rOrder.permutation(S), pos = 0;
    try {
      const vars: Record<string, Param> = {};
      for (const [k, v] of Object.entries(init)) vars[k] = param(v.data, ws);
      const Dv = param(this.D, ws);
      const list = [...Object.values(vars), ...(learnD ? [Dv] : [])];
      const p: Record<string, Float32Array> = {}, grads: Record<string, Float32Array> = {};
      for (const [k, v] of Object.entries(vars)) { p[k] = v.p; grads[k] = v.g; }
      const xb = ws.f32(B * M), tb = T ? ws.f32(B * N) : null;
      if (full) { xb.set(X.data); tb?.set(T!.data); }
      const r = trainLoop({
        update: (t, lr) => {
          if (!full) {
            if (pos + B > S) { perm = rOrder.permutation(S); pos = 0; }
            for (let i = 0; i < B; i++) {
              xb.set(X.data.subarray(perm[pos + i] * M, (perm[pos + i] + 1) * M), i * M);
              if (tb && T) tb.set(T.data.subarray(perm[pos + i] * N, (perm[pos + i] + 1) * N), i * N);
            }
            pos += B;
          }
          const z = this.forward(xb, B, p, ws);
          const dz = ws.scratch('loss.dz', B * N);
          const loss = tb ? squaredError(z, tb, B, dz) : this.reconstructionLoss(xb, z, B, Dv, lam, learnD, dz, ws);
          this.backward(xb, B, p, dz, grads, ws);
          adamUpdate(list, lr, t);
          if (learnD) normRows(Dv.p, N, M, 1e-12);
          return loss;
        },
      }, {
        steps, lr: checkNumber('lr', opts.lr ?? 1e-3, 0), evalEvery: 50, name: `${this.kind} encoder training`,
        progress: { label: `${this.kind} encoder`, enabled: opts.progress ?? true },
      });
      for (const [k, v] of Object.entries(vars)) this.params[k] = v.p.slice();
      this.D = Dv.p.slice();
      this.report = { steps, seconds: r.seconds, samplesPerSecond: (steps * B) / r.seconds, loss: r.lastLoss };
      return this.report;
    } finally {
      ws.release();
    }
  }

  /**
   * mean_b ‖z_b·D − x_b‖² + λ·mean_b ‖z_b‖₁ with ∂/∂z into dz (sign(0) = 0) and, when `learnD`, ∂/∂D into D.g.
   */
  private reconstructionLoss(x: Float32Array, z: Float32Array, B: number, D: Param, lam: number, learnD: boolean,
    dz: Float32Array, ws: Workspace): number {
    const N = this.features, M = this.dim;
    const res = mm(z, B, N, D.p, M, ws.scratch('loss.r', B * M));
    let se = 0, l1 = 0;
    for (let i = 0; i < B * M; i++) { const d = res[i] - x[i]; res[i] = (2 / B) * d; se += d * d; }
    mmNT(res, B, M, D.p, N, dz);
    for (let i = 0; i < B * N; i++) { const v = z[i]; l1 += Math.abs(v); dz[i] += (lam / B) * Math.sign(v); }
    if (learnD) mm(transposeInto(z, B, N, ws.scratch('loss.zT', B * N)), N, B, res, M, D.g);
    return se / B + (lam * l1) / B;
  }

  /** Codes Z (B×N, float32) of X (B×M). */
  encode(Xin: Matrix | number[][]): Matrix<Float32Array> {
    if (this.dim === 0) throw new ValueError(`this ${this.kind} encoder has not been trained or loaded; call fit(X) first`);
    const X = checkMatrix('X (data, B×M)', Xin, { cols: this.dim, names: ['B', 'M'] });
    const ws = new Workspace(false);
    const z = this.forward(Float32Array.from(X.data), X.rows, this.params, ws);
    return matrix(X.rows, this.features, z.slice());
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

/** Scale the rows of d (n×m) to unit norm, dividing by max(norm, floor) (zero rows stay zero). */
function normRows(d: Float32Array, n: number, m: number, floor = 0): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += d[i * m + j] ** 2;
    const nr = Math.max(Math.sqrt(s), floor);
    const inv = nr > 0 ? 1 / nr : 0;
    for (let j = 0; j < m; j++) d[i * m + j] *= inv;
  }
}

/** Σ(z − t)²/B with ∂/∂z = 2(z − t)/B into dz. */
function squaredError(z: Float32Array, t: Float32Array, B: number, dz: Float32Array): number {
  let s = 0;
  for (let i = 0; i < z.length; i++) { const d = z[i] - t[i]; s += d * d; dz[i] = (2 / B) * d; }
  return s / B;
}
