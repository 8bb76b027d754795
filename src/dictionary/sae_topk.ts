/** TopK SAE (Gao et al. 2024): keep the K largest pre-activations per sample (then ReLU). No penalty. */
import { tf } from '../core/backend';
import { ValueError } from '../core/errors';
import { ActivationResult, SaeConfig, SparseAutoencoder } from './sae_base';

/** Mask of the K largest entries per row of `pre` (B×N) that are also > 0. */
export function topkMask(pre: tf.Tensor2D, k: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [B] = pre.shape;
    const vals = tf.topk(pre, k, false).values;
    const thr = tf.slice(vals, [0, k - 1], [B, 1]);
    return tf.cast(tf.logicalAnd(tf.greaterEqual(pre, thr), tf.greater(pre, 0)), 'float32') as tf.Tensor2D;
  });
}

/**
 * Z = TopK_K(ReLU(pre)); loss = mean_b ‖x_b − x̂_b‖². `new TopKSae({ features: N, k: K, seed }).fit(X)`.
 */
export class TopKSae extends SparseAutoencoder {
  readonly kind = 'topk' as const;
  constructor(cfg: SaeConfig) {
    super(cfg);
    if (!(cfg.k && cfg.k >= 1 && cfg.k <= cfg.features)) {
      throw new ValueError(`TopK SAE needs 1 ≤ k ≤ features (${cfg.features}), got k=${cfg.k}; pass { k: K }`);
    }
  }

  protected activation(pre: tf.Tensor2D, ctx: { lambda: number; batch: number; train: boolean }): ActivationResult {
    const mask = topkMask(pre, this.config.k);
    const z = tf.mul(pre, mask) as tf.Tensor2D;
    return { z, penalty: 0, backward: (dz) => ({ dpre: tf.mul(dz, mask) as tf.Tensor2D }) };
  }
}
