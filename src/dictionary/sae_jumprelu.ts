/**
 * JumpReLU SAE (Rajamanoharan et al. 2024): z = pre·H(pre − θ) with a learned per-feature threshold θ > 0
 * (stored as log θ) and an L0 penalty λ·mean_b ‖z_b‖₀. H has no useful gradient; θ is trained with the
 * straight-through estimator of the paper: ∂H(pre−θ)/∂θ ≈ −(1/ε)·rect((pre−θ)/ε), bandwidth ε.
 */
import { tf } from '../core/backend';
import { ActivationResult, SaeConfig, SparseAutoencoder } from './sae_base';

/** `new JumpReluSae({ features: N, lambda, seed }, { bandwidth, initThreshold }).fit(X)`. */
export class JumpReluSae extends SparseAutoencoder {
  readonly kind = 'jumprelu' as const;
  /** log θ, one per feature. */
  logTheta: Float32Array;
  readonly bandwidth: number;

  constructor(cfg: SaeConfig, opts: { bandwidth?: number; initThreshold?: number } = {}) {
    super(cfg);
    this.bandwidth = opts.bandwidth ?? 0.05;
    this.logTheta = new Float32Array(cfg.features).fill(Math.log(opts.initThreshold ?? 0.1));
  }

  override extraParams(): Record<string, Float32Array> { return { logTheta: this.logTheta }; }
  protected override setExtraParams(p: Record<string, Float32Array>): void { if (p.logTheta) this.logTheta = p.logTheta; }

  protected activation(pre: tf.Tensor2D, ctx: { lambda: number; batch: number; train: boolean }): ActivationResult {
    const theta = tf.exp(tf.tensor1d(this.logTheta));
    const mask = tf.cast(tf.greater(pre, theta), 'float32');
    const z = tf.mul(pre, mask) as tf.Tensor2D;
    if (!ctx.train) return { z, penalty: 0, backward: () => { throw new Error('inference only'); } };
    const eps = this.bandwidth, lam = ctx.lambda, B = ctx.batch;
    return {
      z,
      penalty: tf.sum(mask).mul(lam / B) as tf.Scalar,
      backward: (dz) => {
        const rect = tf.cast(tf.less(tf.abs(tf.sub(pre, theta)), eps / 2), 'float32');
        // dL/dθ_i = Σ_b rect_bi·(−θ_i/ε·dz_bi − λ/(B ε)); d/dlogθ = θ·d/dθ
        const dTheta = tf.sum(tf.mul(rect, tf.sub(tf.mul(dz, tf.neg(theta).div(eps)), lam / (B * eps))), 0);
        return { dpre: tf.mul(dz, mask) as tf.Tensor2D, extra: { logTheta: tf.mul(dTheta, theta) } };
      },
    };
  }
}
