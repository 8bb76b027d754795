/**
 * Sparsity statistics of codes Z (B×N): how many features fire per sample, how often each feature
 * fires, and which features are dead or dense.
 */
import { Matrix, MatrixLike } from '../core/matrix';
import { checkInt, checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';
import { checkMatrix64 } from './input';

/** A feature "fires" on a sample when |z| > `threshold` (default 0, i.e. non-zero). */
export interface FiringOptions {
  threshold?: number;
}

function codes(fn: string, z: MatrixLike, opts: FiringOptions): [Matrix, number] {
  const Z = checkMatrix64(`${fn}: z (B×N codes)`, z, { names: ['B', 'N'] });
  if (Z.rows === 0 || Z.cols === 0) throw new ValueError(`${fn}: z is empty (${Z.rows}×${Z.cols}); pass at least one sample and one feature`);
  const t = checkNumber(`${fn}: threshold`, opts.threshold ?? 0, 0);
  return [Z, t];
}

/** Mean L0: average over the B samples of the number of firing features (|z| > threshold). Units: features per sample. */
export function meanL0(z: MatrixLike, opts: FiringOptions = {}): number {
  const [Z, t] = codes('meanL0', z, opts);
  let n = 0;
  for (let k = 0; k < Z.data.length; k++) if (Math.abs(Z.data[k]) > t) n++;
  return n / Z.rows;
}

/** Firing frequency of each of the N features: fraction of the B samples on which |z| > threshold, in [0, 1]. */
export function featureDensity(z: MatrixLike, opts: FiringOptions = {}): Float64Array {
  const [Z, t] = codes('featureDensity', z, opts);
  return densityUnchecked(Z, t);
}

function densityUnchecked(Z: Matrix, t: number): Float64Array {
  const f = new Float64Array(Z.cols);
  for (let i = 0; i < Z.rows; i++) for (let j = 0; j < Z.cols; j++) if (Math.abs(Z.data[i * Z.cols + j]) > t) f[j]++;
  for (let j = 0; j < Z.cols; j++) f[j] /= Z.rows;
  return f;
}

/** Result of {@link sparsityStats}. */
export interface SparsityStats {
  /** Mean number of firing features per sample. */
  meanL0: number;
  /** Firing frequency per feature (length N). */
  density: Float64Array;
  /** Fraction of the N features that never fire on the B samples (frequency 0). */
  deadFraction: number;
  /** Fraction of features firing on more than `denseThreshold` of the samples. */
  denseFraction: number;
  /** Histogram of log10(frequency) over the live features: `edges` (bins+1, log10 units) and `counts` (bins). */
  histogram: { edges: Float64Array; counts: Int32Array };
}

/**
 * Sparsity summary of codes Z (B×N). Dead = never fires on these B samples (so "dead" depends on B;
 * the smallest resolvable frequency is 1/B). Dense = fires on more than `denseThreshold` of samples
 * (default 0.1, a common SAE convention). The histogram covers log10 frequency over live features, on
 * `bins` (default 50) equal bins from log10(1/B) to 0.
 */
export function sparsityStats(z: MatrixLike, opts: FiringOptions & { denseThreshold?: number; bins?: number } = {}): SparsityStats {
  const [Z, t] = codes('sparsityStats', z, opts);
  const dense = checkNumber('sparsityStats: denseThreshold', opts.denseThreshold ?? 0.1, 0, 1);
  const bins = checkInt('sparsityStats: bins', opts.bins ?? 50, 1);
  const f = densityUnchecked(Z, t);
  let l0 = 0, dead = 0, nDense = 0;
  for (let j = 0; j < f.length; j++) {
    l0 += f[j];
    if (f[j] === 0) dead++;
    if (f[j] > dense) nDense++;
  }
  return {
    meanL0: l0, // Σ_j freq_j = mean number of firing features per sample
    density: f,
    deadFraction: dead / f.length,
    denseFraction: nDense / f.length,
    histogram: log10Histogram(f, Math.log10(1 / Z.rows), 0, bins),
  };
}

/** Histogram of log10(v) for v > 0 on `bins` equal bins over [lo, hi]; values outside are clamped into the end bins. */
function log10Histogram(v: Float64Array, lo: number, hi: number, bins: number): { edges: Float64Array; counts: Int32Array } {
  if (hi <= lo) hi = lo + 1;
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = lo + ((hi - lo) * b) / bins;
  const counts = new Int32Array(bins);
  for (let j = 0; j < v.length; j++) {
    if (!(v[j] > 0)) continue;
    const b = Math.floor(((Math.log10(v[j]) - lo) / (hi - lo)) * bins);
    counts[Math.max(0, Math.min(bins - 1, b))]++;
  }
  return { edges, counts };
}
