/**
 * BatchTopK SAE (Bussmann et al. 2024): keep the B·K largest positive pre-activations of the whole batch;
 * at inference a global threshold θ (running mean of the smallest kept activation) replaces the batch rule.
 */
import { ValueError } from '../core/errors';
import { Csr } from '../compute/csr';
import { kthLargest } from '../compute/select';
import { SaeConfig, SparseAutoencoder } from './sae_base';
import { maskByCodes } from './sae_topk';

/** `new BatchTopKSae({ features: N, k: K, seed }).fit(X)`; `threshold` holds the inference θ. */
export class BatchTopKSae extends SparseAutoencoder {
  readonly kind: 'batchtopk' | 'matryoshka' = 'batchtopk';
  /** Inference threshold θ (learned as a running mean during training). */
  threshold: Float32Array = new Float32Array([0]);
  private seen = 0;
  constructor(cfg: SaeConfig) {
    super(cfg);
    if (!(cfg.k && cfg.k >= 1 && cfg.k <= cfg.features)) {
      throw new ValueError(`BatchTopK SAE needs 1 ≤ k ≤ features (${cfg.features}), got k=${cfg.k}; pass { k: K }`);
    }
  }

  protected override onFitStart(warm: boolean): void { if (!warm) this.threshold = new Float32Array([0]); this.seen = 0; }
  override extraState(): Record<string, Float32Array> { return { threshold: this.threshold }; }
  protected override fitState(): Record<string, number> { return { seen: this.seen }; }
  protected override setFitState(s: Record<string, number>): void { this.seen = s.seen ?? 0; }
  protected override setExtra(s: Record<string, Float32Array>): void { if (s.threshold) this.threshold = s.threshold; }

  protected override get auxkByDefault(): boolean { return true; }

  protected act(pre: Float32Array, B: number, z: Float32Array, ctx: { train: boolean }): number {
    let thr: number;
    if (ctx.train) {
      const r = Math.min(pre.length, B * this.config.k) - 1;
      thr = Math.max(kthLargest(pre, r + 1), 0);
      this.seen++;
      this.threshold[0] += (thr - this.threshold[0]) / Math.min(this.seen, 100);
    } else {
      thr = this.threshold[0];
    }
    for (let q = 0; q < pre.length; q++) { const v = pre[q]; z[q] = v >= thr && v > 0 ? v : 0; }
    return 0;
  }

  protected override get maskBackward(): boolean { return true; }

  protected actBackward(dz: Float32Array, _pre: Float32Array, z: Float32Array, _B: number, _l: number, support?: Csr): Record<string, Float32Array> {
    if (!support) maskByCodes(dz, z); // with the support (= z ≠ 0) given, dz is already zero elsewhere
    return {};
  }
}

SparseAutoencoder.registry.batchtopk = (cfg) => new BatchTopKSae(cfg);
