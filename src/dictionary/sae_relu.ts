/** ReLU SAE with an L1 penalty weighted by decoder norms (unit-norm decoder rows, so λ·Σ_i z_i). */
import { tf } from '../core/backend';
import { ActivationResult, SaeConfig, SparseAutoencoder } from './sae_base';

/**
 * Z = ReLU((X − b_dec)·Eᵀ + b_enc); loss = mean_b ‖x_b − x̂_b‖² + λ·mean_b Σ_i z_bi‖d_i‖.
 * `new ReluSae({ features: N, lambda, seed }).fit(X)`.
 */
export class ReluSae extends SparseAutoencoder {
  readonly kind = 'relu' as const;
  constructor(cfg: SaeConfig) { super(cfg); }

  protected activation(pre: tf.Tensor2D, ctx: { lambda: number; batch: number; train: boolean }): ActivationResult {
    const z = tf.relu(pre) as tf.Tensor2D;
    if (!ctx.train) return { z, penalty: 0, backward: () => { throw new Error('inference only'); } };
    const lam = ctx.lambda;
    return {
      z,
      penalty: tf.sum(z).mul(lam / ctx.batch) as tf.Scalar,
      backward: (dz) => {
        const mask = tf.cast(tf.greater(pre, 0), 'float32');
        return { dpre: tf.mul(lam > 0 ? tf.add(dz, lam / ctx.batch) : dz, mask) as tf.Tensor2D };
      },
    };
  }
}
