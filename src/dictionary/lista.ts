/**
 * LISTA (Gregor & LeCun 2010): T unrolled ISTA iterations with learned weights,
 * z₀ = ReLU(x·W − θ), z_{t+1} = ReLU(x·W + z_t·S − θ) (non-negative soft threshold; weights shared across
 * iterations). Initialised as ISTA on the decoder D: W = Dᵀ/L, S = I − D·Dᵀ/L, θ = λ/L (L = ‖D·Dᵀ‖₂).
 */
import { tf } from '../core/backend';
import { linear } from './linear';
import { Rng } from '../core/rng';
import { matrix } from '../core/matrix';
import { gram, opNormSquared } from '../compute/dense';
import { readModelDir } from './persist';
import { AmortisedEncoder, ParamInit } from './amortised_base';

/** `new Lista(N, { iterations: T, lambda }, seed).fit(X, { decoder: D })`. */
export class Lista extends AmortisedEncoder {
  readonly kind = 'lista';
  readonly iterations: number;
  readonly initLambda: number;
  constructor(features: number, opts: { iterations?: number; lambda?: number } = {}, seed = 0) {
    super(features, seed);
    this.iterations = opts.iterations ?? 5;
    this.initLambda = opts.lambda ?? 0.01;
  }

  protected initParams(M: number, _rng: Rng, D0: Float32Array): Record<string, ParamInit> {
    const N = this.features;
    const G = gram(matrix(N, M, D0)).data;
    const L = Math.max(opNormSquared(matrix(N, M, D0)), 1e-6);
    const W = new Float32Array(M * N), S = new Float32Array(N * N), th = new Float32Array(N).fill(this.initLambda / L);
    for (let i = 0; i < N; i++) for (let j = 0; j < M; j++) W[j * N + i] = D0[i * M + j] / L;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) S[i * N + j] = (i === j ? 1 : 0) - G[i * N + j] / L;
    return { W: { shape: [M, N], data: W }, S: { shape: [N, N], data: S }, theta: { shape: [1, N], data: th } };
  }

  protected forward(x: tf.Tensor2D, p: Record<string, tf.Tensor2D>): tf.Tensor2D {
    const c = tf.sub(linear(x, p.W), p.theta);
    let z = tf.relu(c) as tf.Tensor2D;
    for (let t = 0; t < this.iterations; t++) z = tf.relu(tf.add(c, linear(z, p.S))) as tf.Tensor2D;
    return z;
  }

  flopsPerSample(): number { return 2 * this.dim * this.features + this.iterations * 2 * this.features * this.features; }

  protected extraConfig(): Record<string, unknown> { return { iterations: this.iterations, lambda: this.initLambda }; }

  /** Load a LISTA encoder saved with `save(dir)`. */
  static load(dir: string): Lista {
    const { meta } = readModelDir(dir);
    const c = meta.config as { features: number; seed: number; iterations: number; lambda: number };
    return new Lista(c.features, { iterations: c.iterations, lambda: c.lambda }, c.seed).loadInto(dir);
  }
}
