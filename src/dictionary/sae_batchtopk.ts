/**
 * BatchTopK SAE (Bussmann et al. 2024): keep the B·K largest positive pre-activations of the whole batch;
 * at inference a global threshold θ (running mean of the smallest kept activation) replaces the batch rule.
 */
import { tf } from '../core/backend';
import { ValueError } from '../core/errors';
import { ActivationResult, SaeConfig, SparseAutoencoder } from './sae_base';

/** The value of rank `r` (0-based, descending) in `a` (a copy is partially sorted). */
export function kthLargest(a: Float32Array, r: number): number {
  const v = a.slice();
  let lo = 0, hi = v.length - 1;
  while (lo < hi) {
    const p = v[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (v[i] > p) i++;
      while (v[j] < p) j--;
      if (i <= j) { const t = v[i]; v[i] = v[j]; v[j] = t; i++; j--; }
    }
    if (r <= j) hi = j; else if (r >= i) lo = i; else return v[r];
  }
  return v[r];
}

/** `new BatchTopKSae({ features: N, k: K, seed }).fit(X)`; `threshold` holds the inference θ. */
export class BatchTopKSae extends SparseAutoencoder {
  readonly kind = 'batchtopk' as const;
  /** Inference threshold θ (learned as a running mean during training). */
  threshold = new Float32Array([0]);
  private seen = 0;
  constructor(cfg: SaeConfig) {
    super(cfg);
    if (!(cfg.k && cfg.k >= 1 && cfg.k <= cfg.features)) {
      throw new ValueError(`BatchTopK SAE needs 1 ≤ k ≤ features (${cfg.features}), got k=${cfg.k}; pass { k: K }`);
    }
  }

  override extraParams(): Record<string, Float32Array> { return {}; }
  /** State saved with the model. */
  savedState(): Record<string, Float32Array> { return { threshold: this.threshold }; }
  restoreState(s: Record<string, Float32Array>): void { if (s.threshold) this.threshold = s.threshold; }

  protected activation(pre: tf.Tensor2D, ctx: { lambda: number; batch: number; train: boolean }): ActivationResult {
    let thr: number;
    if (ctx.train) {
      const relu = tf.relu(pre);
      const vals = relu.dataSync() as Float32Array;
      relu.dispose();
      const r = Math.min(vals.length, ctx.batch * this.config.k) - 1;
      thr = Math.max(kthLargest(vals, r), 0);
      this.seen++;
      // running mean of the batch thresholds (the inference θ)
      this.threshold[0] += (thr - this.threshold[0]) / Math.min(this.seen, 100);
    } else {
      thr = this.threshold[0];
    }
    const mask = tf.cast(tf.logicalAnd(tf.greaterEqual(pre, thr), tf.greater(pre, 0)), 'float32');
    const z = tf.mul(pre, mask) as tf.Tensor2D;
    return { z, penalty: 0, backward: (dz) => ({ dpre: tf.mul(dz, mask) as tf.Tensor2D }) };
  }
}
