/** ReLU SAE with an L1 penalty weighted by decoder norms (unit-norm decoder rows, so λ·Σ_i z_i). */
import { reluBackward, sparseCodes } from '../compute/rows';
import { SaeConfig, SparseAutoencoder } from './sae_base';

/**
 * Z = ReLU((X − b_dec)·Eᵀ + b_enc); loss = mean_b ‖x_b − x̂_b‖² + λ·mean_b Σ_i z_bi‖d_i‖ (‖d_i‖ = 1).
 * `new ReluSae({ features: N, lambda, seed }).fit(X)`.
 */
export class ReluSae extends SparseAutoencoder {
  readonly kind = 'relu' as const;
  constructor(cfg: SaeConfig) { super(cfg); }

  protected act(pre: Float32Array, B: number, z: Float32Array, ctx: { lambda: number }): number {
    const rows = sparseCodes(pre, B, this.features, 0, z);
    let s = 0;
    for (let b = 0; b < B; b++) s += rows[b];
    return (ctx.lambda * s) / B;
  }

  protected actBackward(dz: Float32Array, pre: Float32Array, _z: Float32Array, B: number, lambda: number): Record<string, Float32Array> {
    // dL/dpre = (dL/dz + λ/B)·[pre > 0], over all of dz: off the support (pre ≤ 0) dz may be stale, and is zeroed there
    reluBackward(dz, pre, B * this.features, lambda / B);
    return {};
  }
}

SparseAutoencoder.registry.relu = (cfg) => new ReluSae(cfg);
