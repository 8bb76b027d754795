/**
 * Ground-truth data-generating processes for identifiability experiments: latents z, observations
 * x = g(z) through a frozen invertible mixing, and labels (or positive pairs) for training.
 */
import { Rng } from '../core/rng';
import { Matrix } from '../core/matrix';
import { checkInt, checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';
import { Mixing, MixingOptions, applyMixing, createMixing } from './mixing';
import { sampleSphere, sampleVmf, sampleVmfClusters, sampleLaplaceClusters, sampleSparseNonneg } from './latents';

/** A sample of the process: latents z (B×n), observations x = g(z) (B×d), labels and/or multi-hot targets. */
export interface ProcessSample { z: Matrix<Float32Array>; x: Matrix<Float32Array>; labels?: Int32Array; targets?: Matrix<Float32Array> }

/** A data-generating process with a fixed mixing and fixed class structure. */
export interface LatentProcess {
  /** Latent dimension n. */
  n: number;
  /** Observed dimension d. */
  d: number;
  /** Number of classes (or of multi-hot targets). */
  classes: number;
  /** The frozen mixing g. */
  mixing: Mixing;
  /** Draw B samples. */
  sample(B: number, rng: Rng): ProcessSample;
}

/** Options of {@link clusterProcess}. */
export interface ClusterProcessOptions {
  /** Latent dimension n (sphere S^{n−1}); default 5. */
  n?: number;
  /** Number of classes C (cluster centres uniform on the sphere); default 100. */
  classes?: number;
  /** vMF concentration κ (default 10). */
  kappa?: number;
  /** 'vmf' (default) or 'laplace' (ablation: normalised centre + Laplace noise of scale 1/√κ). */
  noise?: 'vmf' | 'laplace';
  /** Mixing options (inDim is n; default 4 layers, slope 0.2, cond 3). */
  mixing?: Partial<Omit<MixingOptions, 'inDim' | 'seed'>>;
  seed: number;
}

/**
 * Reizinger et al.'s cluster-centric process: C centres uniform on S^{n−1}; a sample picks a class c
 * uniformly, z ~ vMF(centre_c, κ), x = g(z).
 */
export function clusterProcess(o: ClusterProcessOptions): LatentProcess & { centres: Matrix<Float32Array>; kappa: number } {
  const n = checkInt('n', o.n ?? 5, 2);
  const C = checkInt('classes', o.classes ?? 100, 2);
  const kappa = checkNumber('kappa', o.kappa ?? 10, 0);
  const noise = o.noise ?? 'vmf';
  if (noise !== 'vmf' && noise !== 'laplace') throw new ValueError(`noise must be 'vmf' or 'laplace', got '${noise}'`);
  const rng = new Rng(checkInt('seed', o.seed, 0));
  const centres = sampleSphere(C, n, rng);
  const mixing = createMixing({ ...o.mixing, inDim: n, seed: rng.nextUint32() });
  return {
    n, d: mixing.outDim, classes: C, mixing, centres, kappa,
    sample(B, r) {
      const s = noise === 'vmf' ? sampleVmfClusters(centres, kappa, B, r) : sampleLaplaceClusters(centres, 1 / Math.sqrt(Math.max(kappa, 1e-12)), B, r);
      return { z: s.z, x: applyMixing(mixing, s.z), labels: s.labels };
    },
  };
}

/**
 * Positive pairs for InfoNCE on the sphere (Zimmermann et al. 2021): z uniform on S^{n−1},
 * z̃ ~ vMF(z, κ), returned as observations x = g(z), x̃ = g(z̃) with the latents z.
 */
export function spherePairs(process: LatentProcess, kappa: number, B: number, rng: Rng): { z: Matrix<Float32Array>; x: Matrix<Float32Array>; xPos: Matrix<Float32Array> } {
  const n = process.n;
  const z = sampleSphere(B, n, rng);
  const zp = new Float32Array(B * n);
  for (let i = 0; i < B; i++) zp.set(sampleVmf(z.data.subarray(i * n, (i + 1) * n), kappa, 1, rng).data, i * n);
  return { z, x: applyMixing(process.mixing, z), xPos: applyMixing(process.mixing, { rows: B, cols: n, data: zp }) };
}

/** Options of {@link sparseSupportProcess}. */
export interface SparseProcessOptions {
  /** Number of sparse latents N (default 16). */
  n?: number;
  /** Active latents per sample K (default 2). */
  K?: number;
  /** Observed dimension d ≥ N (default 32). */
  d?: number;
  /** Mixing options (default 4 layers, slope 0.2, cond 3). */
  mixing?: Partial<Omit<MixingOptions, 'inDim' | 'outDim' | 'seed'>>;
  seed: number;
}

/**
 * The "open bridge" process: N sparse non-negative latents (exactly K active, values U[0.1, 1]),
 * x = g(z) ∈ R^d, and multi-hot targets = the support of z (one binary label per latent).
 */
export function sparseSupportProcess(o: SparseProcessOptions): LatentProcess & { K: number } {
  const N = checkInt('n (latents)', o.n ?? 16, 2);
  const K = checkInt('K', o.K ?? 2, 1, N);
  const d = checkInt('d', o.d ?? 32, N);
  const rng = new Rng(checkInt('seed', o.seed, 0));
  const mixing = createMixing({ ...o.mixing, inDim: N, outDim: d, seed: rng.nextUint32() });
  return {
    n: N, d, classes: N, mixing, K,
    sample(B, r) {
      const z = sampleSparseNonneg(B, N, K, r, 'uniform', 0.1);
      const t = new Float32Array(B * N);
      for (let k = 0; k < t.length; k++) t[k] = z.data[k] > 0 ? 1 : 0;
      return { z, x: applyMixing(mixing, z), targets: { rows: B, cols: N, data: t } };
    },
  };
}
