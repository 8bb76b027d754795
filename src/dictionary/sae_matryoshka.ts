/**
 * Matryoshka BatchTopK SAE (Bussmann et al. 2025, "Learning multi-level features with Matryoshka sparse
 * autoencoders"; dictionary_learning's `trainers/matryoshka_batch_top_k.py`, SAELens's `matryoshka_batchtopk`): the
 * latents are split into nested groups (sizes n_1, …, n_G, summing to N); the codes are BatchTopK's, and the
 * reconstruction loss is the weighted sum over prefixes: Σ_g w_g · mean_b ‖x_b − (Σ_{i < m_g} z_bi d_i + b_dec)‖², with
 * m_g = n_1 + … + n_g and w_g = 1/G (dictionary_learning's default). The first groups must reconstruct on their own,
 * so they learn general features and later groups refine them (less feature absorption). Inference is BatchTopK's
 * (a global threshold θ), so it saves and exports like a BatchTopK SAE: SAELens's `matryoshka_batchtopk` is a
 * training-only architecture saved for inference as `jumprelu` (our export; cfg metadata keeps `matryoshka_widths`).
 */
import { ValueError } from '../core/errors';
import { Csr } from '../compute/csr';
import { SaeConfig, SparseAutoencoder } from './sae_base';
import { BatchTopKSae } from './sae_batchtopk';

/** Options of a {@link MatryoshkaSae} besides {@link SaeConfig}. */
export interface MatryoshkaOptions {
  /**
   * Group sizes n_1, …, n_G (integers ≥ 1 summing to N), or fractions of N (summing to 1; the last group takes the
   * rest, as in dictionary_learning). Default: fractions [1/16, 1/16, 1/8, 1/4, 1/2] (doubling groups), fewer for
   * small N (every group at least one latent).
   */
  groups?: number[];
}

/** Group sizes from {@link MatryoshkaOptions.groups} (sizes or fractions) for N latents. */
export function matryoshkaGroupSizes(N: number, groups?: number[]): number[] {
  const spec = groups ?? [1 / 16, 1 / 16, 1 / 8, 1 / 4, 1 / 2];
  if (spec.length === 0 || spec.some((v) => !(v > 0) || !Number.isFinite(v))) throw new ValueError(`Matryoshka groups must be positive numbers, got [${spec.join(', ')}]`);
  let sizes: number[];
  const sum = spec.reduce((a, b) => a + b, 0);
  if (spec.every(Number.isInteger) && spec.length > 0 && sum === N) sizes = spec.slice();
  else if (Math.abs(sum - 1) < 1e-9) {
    sizes = spec.slice(0, -1).map((f) => Math.floor(f * N));
    sizes.push(N - sizes.reduce((a, b) => a + b, 0));
    if (!groups) sizes = sizes.filter((s) => s > 0);
  } else {
    throw new ValueError(`Matryoshka groups must be sizes summing to features (${N}) or fractions summing to 1; got [${spec.join(', ')}] (sum ${sum})`);
  }
  if (sizes.some((s) => s < 1)) throw new ValueError(`Matryoshka groups [${spec.join(', ')}] give an empty group for features=${N} (sizes ${sizes.join(', ')}); use fewer or larger groups`);
  return sizes;
}

/** Prefix ends m_1 < … < m_G = N of group sizes (SAELens's `matryoshka_widths`). */
export function prefixEnds(sizes: number[]): number[] {
  let e = 0;
  return sizes.map((s) => (e += s));
}

/** `new MatryoshkaSae({ features: N, k: K, seed }, { groups: [64, 192, 768] }).fit(X)`. */
export class MatryoshkaSae extends BatchTopKSae {
  override readonly kind = 'matryoshka' as const;
  /** Group sizes n_1, …, n_G (sum N). */
  readonly groupSizes: number[];
  /** End (exclusive) of each prefix, m_g. */
  private readonly ends: number[];

  constructor(cfg: SaeConfig, opts: MatryoshkaOptions = {}) {
    super(cfg);
    this.groupSizes = matryoshkaGroupSizes(cfg.features, opts.groups);
    this.ends = prefixEnds(this.groupSizes);
  }

  protected override extraConfig(): Record<string, unknown> { return { groups: this.groupSizes }; }

  /**
   * The prefix losses and their gradients. Per sample, the reconstruction is built group by group (codes in column
   * order); r_g = x̂_g − x is kept for each prefix g, and the latents of group h get the gradient of every prefix that
   * contains them: G_h = Σ_{g ≥ h} w_g · (2/B) · r_g, so dL/dz_bi = G_h·d_i and dL/dd_i = Σ_b z_bi G_h (i in group h);
   * b_dec is in every prefix (G_1).
   */
  protected override reconstructionGrad(xb: Float32Array, B: number, z: Float32Array, _zv: Float32Array | null, sz: Csr, _support: Csr, _sparse: boolean):
    { r: Float32Array; g: Float32Array; dz: Float32Array; dD: Float32Array; recLoss: number; mse: number } {
    const N = this.features, M = this.dim, G = this.ends.length, D = this.D, w = 1 / G, c = 2 / B;
    const r = this.scratch('r', B * M), g = this.scratch('g', B * M), dz = this.scratch('dz', B * N).fill(0);
    const dD = this.fixedDecoder ? new Float32Array(0) : this.scratch('dD', N * M).fill(0);
    const acc = new Float64Array(M), res = new Float64Array(G * M), suf = new Float64Array(G * M);
    const bd = this.config.bias ? this.bDec : null;
    let recLoss = 0, mse = 0;
    for (let b = 0; b < B; b++) {
      const xo = b * M, zo = b * N;
      for (let j = 0; j < M; j++) acc[j] = bd ? bd[j] : 0;
      let p = sz.ptr[b];
      const pEnd = sz.ptr[b + 1];
      const starts: number[] = [];
      for (let h = 0; h < G; h++) {
        starts.push(p);
        for (; p < pEnd && sz.idx[p] < this.ends[h]; p++) {
          const i = sz.idx[p], v = z[zo + i];
          for (let j = 0; j < M; j++) acc[j] += v * D[i * M + j];
        }
        let s = 0;
        for (let j = 0; j < M; j++) { const e = acc[j] - xb[xo + j]; res[h * M + j] = e; s += e * e; }
        recLoss += w * s;
        if (h === G - 1) mse += s;
      }
      // suffix sums of the weighted prefix gradients
      for (let h = G - 1; h >= 0; h--) for (let j = 0; j < M; j++) suf[h * M + j] = c * w * res[h * M + j] + (h < G - 1 ? suf[(h + 1) * M + j] : 0);
      for (let j = 0; j < M; j++) { r[xo + j] = res[(G - 1) * M + j]; g[xo + j] = suf[j]; }
      for (let h = 0; h < G; h++) {
        const qEnd = h + 1 < G ? starts[h + 1] : pEnd, so = h * M;
        for (let q = starts[h]; q < qEnd; q++) {
          const i = sz.idx[q], v = z[zo + i], io = i * M;
          let s = 0;
          for (let j = 0; j < M; j++) s += suf[so + j] * D[io + j];
          dz[zo + i] = s;
          if (!this.fixedDecoder) for (let j = 0; j < M; j++) dD[io + j] += v * suf[so + j];
        }
      }
    }
    return { r, g, dz, dD, recLoss: recLoss / B, mse: mse / B };
  }
}

SparseAutoencoder.registry.matryoshka = (cfg, extra) => new MatryoshkaSae(cfg, { groups: extra.groups as number[] | undefined });
