/**
 * JumpReLU SAE (Rajamanoharan et al. 2024): z = pre·H(pre − θ) with a learned per-feature threshold θ > 0
 * (stored as log θ) and an L0 penalty λ·mean_b ‖z_b‖₀. H has no useful gradient; θ is trained with the
 * straight-through estimator of the paper: ∂H(pre−θ)/∂θ ≈ −(1/ε)·rect((pre−θ)/ε), bandwidth ε.
 */
import { Csr, csrOf } from '../compute/csr';
import { SaeConfig, SparseAutoencoder } from './sae_base';

/** `new JumpReluSae({ features: N, lambda, seed }, { bandwidth, initThreshold }).fit(X)`. */
export class JumpReluSae extends SparseAutoencoder {
  readonly kind = 'jumprelu' as const;
  /** log θ, one per feature. */
  logTheta: Float32Array;
  readonly bandwidth: number;
  readonly initThreshold: number;

  constructor(cfg: SaeConfig, opts: { bandwidth?: number; initThreshold?: number } = {}) {
    super(cfg);
    this.bandwidth = opts.bandwidth ?? 0.05;
    this.initThreshold = opts.initThreshold ?? 0.1;
    this.logTheta = new Float32Array(cfg.features).fill(Math.log(this.initThreshold));
  }

  protected override onFitStart(warm: boolean): void { if (!warm) this.logTheta = new Float32Array(this.features).fill(Math.log(this.initThreshold)); }
  override extraParams(): Record<string, Float32Array> { return { logTheta: this.logTheta }; }
  protected override setExtra(p: Record<string, Float32Array>): void { if (p.logTheta) this.logTheta = p.logTheta; }
  protected override extraConfig(): Record<string, unknown> { return { bandwidth: this.bandwidth, initThreshold: this.initThreshold }; }

  protected act(pre: Float32Array, B: number, z: Float32Array, ctx: { lambda: number }): number {
    const N = this.features;
    const th = this.logTheta.map(Math.exp);
    let count = 0;
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < N; i++) {
        const q = b * N + i, v = pre[q];
        if (v > th[i]) { z[q] = v; count++; } else z[q] = 0;
      }
    }
    return (ctx.lambda * count) / B;
  }

  /** dL/dz is also needed inside the straight-through window |pre − θ| < ε/2, where z may be 0. */
  protected override gradSupport(pre: Float32Array, z: Float32Array, B: number): Csr {
    const N = this.features, h = this.bandwidth / 2;
    const th = this.logTheta.map(Math.exp);
    const m = new Float32Array(B * N);
    for (let q = 0; q < m.length; q++) m[q] = z[q] !== 0 || Math.abs(pre[q] - th[q % N]) < h ? 1 : 0;
    return csrOf(m, B, N);
  }

  protected actBackward(dz: Float32Array, pre: Float32Array, z: Float32Array, B: number, lambda: number): Record<string, Float32Array> {
    const N = this.features, eps = this.bandwidth, h = eps / 2;
    const th = this.logTheta.map(Math.exp);
    const dlog = new Float32Array(N);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < N; i++) {
        const q = b * N + i;
        if (Math.abs(pre[q] - th[i]) < h) dlog[i] += (-th[i] / eps) * dz[q] - lambda / (B * eps);
        if (z[q] === 0) dz[q] = 0;
      }
    }
    for (let i = 0; i < N; i++) dlog[i] *= th[i];
    return { logTheta: dlog };
  }
}

SparseAutoencoder.registry.jumprelu = (cfg, extra) => new JumpReluSae(cfg, {
  bandwidth: extra.bandwidth as number | undefined, initThreshold: extra.initThreshold as number | undefined,
});
