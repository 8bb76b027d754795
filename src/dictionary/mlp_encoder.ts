/** MLP encoder: x (M) → ReLU layers (hidden widths) → ReLU output (N codes), with a decoder D (N×M). */
import { tf } from '../core/backend';
import { linear } from './linear';
import { Rng } from '../core/rng';
import { readModelDir } from './persist';
import { AmortisedEncoder, ParamInit } from './amortised_base';

/** `new MlpEncoder(N, [256], seed).fit(X, { decoder: D })` — see {@link AmortisedEncoder} for the regimes. */
export class MlpEncoder extends AmortisedEncoder {
  readonly kind = 'mlp';
  readonly hidden: number[];
  constructor(features: number, hidden: number[] = [256], seed = 0) {
    super(features, seed);
    this.hidden = hidden.slice();
  }

  protected initParams(M: number, rng: Rng): Record<string, ParamInit> {
    const sizes = [M, ...this.hidden, this.features];
    const p: Record<string, ParamInit> = {};
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [a, b] = [sizes[l], sizes[l + 1]];
      p[`W${l}`] = { shape: [a, b], data: rng.fillNormal(new Float32Array(a * b), 0, Math.sqrt(2 / a)) };
      p[`b${l}`] = { shape: [1, b], data: new Float32Array(b) };
    }
    return p;
  }

  protected forward(x: tf.Tensor2D, p: Record<string, tf.Tensor2D>): tf.Tensor2D {
    let h = x;
    for (let l = 0; l <= this.hidden.length; l++) h = tf.relu(tf.add(linear(h, p[`W${l}`]), p[`b${l}`])) as tf.Tensor2D;
    return h;
  }

  flopsPerSample(): number {
    const sizes = [this.dim, ...this.hidden, this.features];
    let f = 0;
    for (let l = 0; l + 1 < sizes.length; l++) f += 2 * sizes[l] * sizes[l + 1];
    return f;
  }

  protected extraConfig(): Record<string, unknown> { return { hidden: this.hidden }; }

  /** Load an MLP encoder saved with `save(dir)`. */
  static load(dir: string): MlpEncoder {
    const { meta } = readModelDir(dir);
    const c = meta.config as { features: number; seed: number; hidden: number[] };
    return new MlpEncoder(c.features, c.hidden, c.seed).loadInto(dir);
  }
}
