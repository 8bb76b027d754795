/** TopK SAE (Gao et al. 2024): keep the K largest pre-activations per sample (then ReLU). No penalty. */
import { ValueError } from '../core/errors';
import { Csr } from '../compute/csr';
import { sparseCodes } from '../compute/rows';
import { SaeConfig, SparseAutoencoder } from './sae_base';

/** Zero dz where z is zero (the gradient of a masking activation). */
export function maskByCodes(dz: Float32Array, z: Float32Array): void {
  for (let q = 0; q < dz.length; q++) if (z[q] === 0) dz[q] = 0;
}

/** Z = TopK_K(ReLU(pre)); loss = mean_b ‖x_b − x̂_b‖². `new TopKSae({ features: N, k: K, seed }).fit(X)`. */
export class TopKSae extends SparseAutoencoder {
  readonly kind = 'topk' as const;
  constructor(cfg: SaeConfig) {
    super(cfg);
    if (!(cfg.k && cfg.k >= 1 && cfg.k <= cfg.features)) {
      throw new ValueError(`TopK SAE needs 1 ≤ k ≤ features (${cfg.features}), got k=${cfg.k}; pass { k: K }`);
    }
  }

  protected override get auxkByDefault(): boolean { return true; }

  protected act(pre: Float32Array, B: number, z: Float32Array): number {
    sparseCodes(pre, B, this.features, this.config.k, z); // ties at the K-th value are all kept
    return 0;
  }

  protected override get maskBackward(): boolean { return true; }

  protected actBackward(dz: Float32Array, _pre: Float32Array, z: Float32Array, _B: number, _l: number, support?: Csr): Record<string, Float32Array> {
    if (!support) maskByCodes(dz, z); // with the support (= z ≠ 0) given, dz is already zero elsewhere
    return {};
  }
}

SparseAutoencoder.registry.topk = (cfg) => new TopKSae(cfg);
