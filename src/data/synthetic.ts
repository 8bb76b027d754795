/**
 * Planted sparse data: the one generator of synthetic dictionary-learning problems used by tests,
 * notebooks, benchmarks and experiments.
 *
 * Model (O'Neill, Gumran & Klindt 2025; paper-notes "Amortisation gap"): a ground-truth dictionary `D`
 * (N×M, one unit-norm atom per row, Gaussian directions), codes `Z` (B×N) with a support of **exactly K**
 * indices per sample drawn uniformly, magnitudes |N(0,1)| (non-negative, default) or N(0,1) (signed),
 * and data `X = Z·D + σ·E` with E standard normal (B×M).
 */
import { Rng } from '../core/rng';
import { ValueError } from '../core/errors';
import { Matrix, matrix } from '../core/matrix';
import { checkInt, checkMatrix, checkNumber } from '../core/validate';

/** Options of {@link plantedSparseData}. */
export interface PlantedOptions {
  /** N: number of atoms (features). */
  n: number;
  /** M: data dimension (neurons). */
  m: number;
  /** K: active atoms per sample (exactly K; 0 ≤ K ≤ N; 0 draws only the dictionary). */
  k: number;
  /** B: number of samples. */
  samples: number;
  /** Seed of every random draw. */
  seed: number;
  /** σ: standard deviation of additive Gaussian noise per entry of X (default 0). */
  noise?: number;
  /** Non-negative codes |N(0,1)| (default true) or signed N(0,1). */
  nonneg?: boolean;
  /** Use this dictionary (N×M) instead of drawing one, e.g. for a test set from the same D. */
  dictionary?: Matrix;
  /** Minimum magnitude of an active code (default 0): |N(0,1)| + minMagnitude keeps supports detectable. */
  minMagnitude?: number;
  /**
   * Magnitudes uniform in [lo, hi] instead of |N(0,1)| (signed codes get a random sign), e.g. [0.5, 1.5] as in
   * the sparse-inference benchmark's reference problem. `minMagnitude` is ignored then.
   */
  amplitude?: [number, number];
}

/** A planted problem: data and its ground truth. */
export interface PlantedData {
  /** B×M data, float32. */
  X: Matrix<Float32Array>;
  /** B×N true codes, float32 (exactly K non-zeros per row). */
  Z: Matrix<Float32Array>;
  /** N×M true dictionary, unit-norm rows, float32. */
  D: Matrix<Float32Array>;
  /** B×K support indices (row b lists the active atoms of sample b, ascending). */
  supports: Int32Array;
}

/**
 * A random dictionary: N atoms, each an M-dimensional standard Gaussian vector scaled to unit norm.
 * @returns N×M float32, unit-norm rows.
 */
export function randomUnitDictionary(n: number, m: number, seed: number): Matrix<Float32Array> {
  checkInt('n (atoms N)', n, 1);
  checkInt('m (dimension M)', m, 1);
  const r = new Rng(seed);
  const d = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    let s = 0;
    do {
      s = 0;
      for (let j = 0; j < m; j++) { const v = r.normal(); d[i * m + j] = v; s += v * v; }
    } while (s < 1e-12);
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < m; j++) d[i * m + j] *= inv;
  }
  return matrix(n, m, d);
}

/**
 * Draw a planted sparse problem X = Z·D + noise (see the module comment for the model).
 * Deterministic in `seed`: the dictionary, supports, magnitudes and noise come from independent forks.
 */
export function plantedSparseData(opts: PlantedOptions): PlantedData {
  const { n, m, k, samples, seed } = opts;
  checkInt('n (atoms N)', n, 1);
  checkInt('m (dimension M)', m, 1);
  checkInt('k (active atoms K)', k, 0, n);
  checkInt('samples (B)', samples, 0);
  const noise = checkNumber('noise (σ)', opts.noise ?? 0, 0);
  const minMag = checkNumber('minMagnitude', opts.minMagnitude ?? 0, 0);
  const nonneg = opts.nonneg ?? true;
  const amp = opts.amplitude;
  if (amp && !(Number.isFinite(amp[0]) && Number.isFinite(amp[1]) && 0 <= amp[0] && amp[0] <= amp[1])) {
    throw new ValueError(`amplitude must be [lo, hi] with 0 ≤ lo ≤ hi, got [${amp}]`);
  }
  const root = new Rng(seed);
  const rDict = root.fork(), rSupp = root.fork(), rMag = root.fork(), rNoise = root.fork();
  let D: Matrix<Float32Array>;
  if (opts.dictionary) {
    const d = checkMatrix('dictionary (N×M)', opts.dictionary, { rows: n, cols: m, names: ['N', 'M'] });
    D = matrix(n, m, Float32Array.from(d.data));
  } else {
    D = randomUnitDictionary(n, m, rDict.nextUint32());
  }
  const Z = new Float32Array(samples * n);
  const X = new Float32Array(samples * m);
  const supports = new Int32Array(samples * k);
  for (let b = 0; b < samples; b++) {
    const s = Array.from(rSupp.choice(n, k)).sort((a, c) => a - c);
    for (let t = 0; t < k; t++) {
      const i = s[t];
      supports[b * k + t] = i;
      let v: number;
      if (amp) {
        v = rMag.uniformIn(amp[0], amp[1]);
        if (!nonneg && rMag.uniform() < 0.5) v = -v;
      } else {
        const g = rMag.normal();
        v = nonneg ? Math.abs(g) + minMag : g + Math.sign(g) * minMag;
      }
      v = Math.fround(v);
      Z[b * n + i] = v;
      const xo = b * m, dof = i * m;
      for (let j = 0; j < m; j++) X[xo + j] += v * D.data[dof + j];
    }
    if (noise > 0) for (let j = 0; j < m; j++) X[b * m + j] += noise * rNoise.normal();
  }
  return { X: matrix(samples, m, X), Z: matrix(samples, n, Z), D, supports };
}
