/** MLP encoder: x (M) → ReLU layers (hidden widths) → ReLU output (N codes), with a decoder D (N×M). */
import { denseBackward, denseForward } from '../nn/dense';
import { leakyReluBackward, leakyReluForward } from '../nn/activations';
import { Workspace } from '../nn/workspace';
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

  protected forward(x: Float32Array, B: number, p: Record<string, Float32Array>, ws: Workspace): Float32Array {
    const sizes = [this.dim, ...this.hidden, this.features];
    let h = x;
    for (let l = 0; l + 1 < sizes.length; l++) {
      // ReLU in place: the layer's output is also what backward needs (its sign gives ReLU's derivative)
      h = denseForward(h, B, sizes[l], p[`W${l}`], sizes[l + 1], p[`b${l}`], ws.scratch(`mlp.h${l + 1}`, B * sizes[l + 1]));
      leakyReluForward(h, 0, h);
    }
    return h;
  }

  protected backward(x: Float32Array, B: number, p: Record<string, Float32Array>, dz: Float32Array,
    grads: Record<string, Float32Array>, ws: Workspace): void {
    const sizes = [this.dim, ...this.hidden, this.features];
    let d = dz;
    for (let l = sizes.length - 2; l >= 0; l--) {
      const out = ws.scratch(`mlp.h${l + 1}`, B * sizes[l + 1]);
      leakyReluBackward(out, d, 0, d);
      const inp = l === 0 ? x : ws.scratch(`mlp.h${l}`, B * sizes[l]);
      const dx = l > 0 ? ws.scratch(`mlp.d${l}`, B * sizes[l]) : null;
      denseBackward(inp, B, sizes[l], p[`W${l}`], sizes[l + 1], d, grads[`W${l}`], grads[`b${l}`], dx);
      if (dx) d = dx;
    }
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
