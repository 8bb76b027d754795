/**
 * Planted labelled data for interpretability metrics where the answer is known (notebook 05): N ground-truth
 * features, each tied to one of C classes and drawn as a small synthetic image pattern; a sample has exactly K
 * active features (non-negative magnitudes), its "network activation" is x = z·D + noise (M dims, N > M:
 * superposition), its image is Σ_i z_i·P_i + noise and its label is the class of its strongest feature.
 */
import { Rng } from '../core/rng';
import { Matrix, matrix } from '../core/matrix';
import { checkInt, checkNumber } from '../core/validate';
import { plantedSparseData } from './synthetic';

/** Options of {@link labelledPlantedData}. */
export interface LabelledPlantedOptions {
  /** N ground-truth features. */
  n: number;
  /** M dimensions of the activation (N > M: superposition). */
  m: number;
  /** K active features per sample (exactly K). */
  k: number;
  /** C classes; feature i belongs to class i mod C (2 ≤ C ≤ N; default N: one class per feature). */
  classes?: number;
  /** Grating orientations of the feature patterns (default 8; see {@link featurePatterns}). */
  orientations?: number;
  /** B samples. */
  samples: number;
  seed: number;
  /** σ of Gaussian noise added to each activation entry (default 0.05). */
  noise?: number;
  /** Image side in pixels (default 12: images are side×side). */
  imageSize?: number;
  /** σ of Gaussian pixel noise (default 0.1). */
  imageNoise?: number;
  /** Reuse this N×M dictionary (e.g. a second set from the same features). */
  dictionary?: Matrix;
}

/** Planted labelled data (see the module comment). */
export interface LabelledPlantedData {
  /** B×M activations x = z·D + noise, float32. */
  X: Matrix<Float32Array>;
  /** B×N true codes (exactly K non-zero, non-negative), float32. */
  Z: Matrix<Float32Array>;
  /** N×M true dictionary (unit-norm rows). */
  D: Matrix<Float32Array>;
  /** Class of each sample (length B): the class of its largest active feature. */
  labels: Int32Array;
  /** Class of each feature (length N): i mod C. */
  featureClass: Int32Array;
  /** B×(side·side) images, row-major pixels: Σ_i z_i·P_i + pixel noise. */
  images: Matrix<Float32Array>;
  /** N×(side·side) feature patterns P_i (unit-norm rows). */
  patterns: Matrix<Float32Array>;
  /** Image side in pixels. */
  side: number;
  classes: number;
}

/**
 * Feature patterns: with O orientations, feature i is a grating of orientation θ = π·(i mod O)/O under a
 * Gaussian window (σ = side/5) centred at angle 2π·⌊i/O⌋/⌈N/O⌉ on a ring of radius side/4 around the
 * image centre: features differ by orientation, position or both, and overlap partly. Unit-norm rows.
 * @returns N×(side·side) float32
 */
export function featurePatterns(n: number, orientations: number, side: number): Matrix<Float32Array> {
  checkInt('n (features N)', n, 1);
  const classes = checkInt('orientations', orientations, 1);
  checkInt('side (pixels)', side, 4);
  const perClass = Math.ceil(n / classes), P = side * side;
  const out = new Float32Array(n * P);
  const c0 = (side - 1) / 2, ring = side / 4, sw = side / 5, freq = (2 * Math.PI) / (side / 3);
  for (let i = 0; i < n; i++) {
    const c = i % classes, j = Math.floor(i / classes);
    const th = (Math.PI * c) / classes, phi = (2 * Math.PI * j) / perClass;
    const cx = c0 + ring * Math.cos(phi), cy = c0 + ring * Math.sin(phi);
    let s = 0;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const win = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sw * sw));
        const v = win * Math.cos(freq * ((x - cx) * Math.cos(th) + (y - cy) * Math.sin(th)));
        out[i * P + y * side + x] = v;
        s += v * v;
      }
    }
    const inv = 1 / Math.sqrt(s);
    for (let p = 0; p < P; p++) out[i * P + p] *= inv;
  }
  return matrix(n, P, out);
}

/** Draw planted labelled data (see the module comment and {@link LabelledPlantedData}). Deterministic in `seed`. */
export function labelledPlantedData(opts: LabelledPlantedOptions): LabelledPlantedData {
  const { n, m, k, samples, seed } = opts;
  const classes = checkInt('classes (C)', opts.classes ?? n, 2, n);
  const side = checkInt('imageSize', opts.imageSize ?? 12, 4);
  const imageNoise = checkNumber('imageNoise', opts.imageNoise ?? 0.1, 0);
  const p = plantedSparseData({ n, m, k, samples, seed, noise: opts.noise ?? 0.05, nonneg: true, dictionary: opts.dictionary });
  const patterns = featurePatterns(n, checkInt('orientations', opts.orientations ?? 8, 1), side);
  const P = side * side, B = samples;
  const featureClass = Int32Array.from({ length: n }, (_, i) => i % classes);
  const labels = new Int32Array(B);
  const images = new Float32Array(B * P);
  const rng = new Rng(seed + 0x5bd1e995); // pixel noise: a stream apart from plantedSparseData's
  for (let b = 0; b < B; b++) {
    let best = -1, arg = 0;
    for (let t = 0; t < k; t++) {
      const i = p.supports[b * k + t], v = p.Z.data[b * n + i];
      if (v > best) { best = v; arg = i; }
      for (let q = 0; q < P; q++) images[b * P + q] += v * patterns.data[i * P + q];
    }
    labels[b] = featureClass[arg];
    if (imageNoise > 0) for (let q = 0; q < P; q++) images[b * P + q] += imageNoise * rng.normal();
  }
  return { X: p.X, Z: p.Z, D: p.D, labels, featureClass, images: matrix(B, P, images), patterns, side, classes };
}
