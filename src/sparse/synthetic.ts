/**
 * Planted sparse-coding problems with bounded magnitudes — the reference problem of the sparse benchmark
 * (issue 5: magnitudes U[0.5, 1.5]). The general generator of the workbook, with |N(0,1)| magnitudes (the
 * amortisation-gap model), is `plantedSparseData` in `data/synthetic`; both draw the dictionary with its
 * `randomUnitDictionary`.
 */
import { randomUnitDictionary } from '../data/synthetic';
import { Matrix, matrix } from '../core/matrix';
import { Rng } from '../core/rng';
import { checkInt, checkNumber } from '../core/validate';

/** Options of {@link plantedSparseProblem}. */
export interface PlantedProblemOptions {
  /** Atoms N. */ n: number;
  /** Dimensions M. */ m: number;
  /** Samples B. */ b: number;
  /** Non-zeros per sample K (exactly K, on a uniformly random support). */ k: number;
  /** Non-negative codes (default true); signed codes get a random sign. */ nonneg?: boolean;
  /** Magnitudes uniform in [lo, hi] (default [0.5, 1.5]). */ amplitude?: [number, number];
  /** Standard deviation of the Gaussian noise added to X (default 0). */ noise?: number;
  /** Seed. */ seed: number;
}

/** A planted problem: dictionary D (N×M, unit-norm rows), codes Z (B×N), data X = Z·D + σ·noise (B×M). */
export interface PlantedProblem { D: Matrix; Z: Matrix; X: Matrix }

/** Draw a planted sparse-coding problem (float32 arrays); same seed, same arrays. */
export function plantedSparseProblem(o: PlantedProblemOptions): PlantedProblem {
  const N = checkInt('n', o.n, 1), M = checkInt('m', o.m, 1), B = checkInt('b', o.b, 0), K = checkInt('k', o.k, 0, o.n);
  const [lo, hi] = o.amplitude ?? [0.5, 1.5];
  const sigma = checkNumber('noise', o.noise ?? 0, 0);
  const nonneg = o.nonneg ?? true;
  const rng = new Rng(o.seed);
  const D = randomUnitDictionary(N, M, rng.nextUint32()).data;
  const Z = new Float32Array(B * N);
  const X = new Float32Array(B * M);
  for (let b = 0; b < B; b++) {
    const supp = rng.choice(N, K);
    const acc = new Float64Array(M);
    for (let t = 0; t < K; t++) {
      let v = rng.uniformIn(lo, hi);
      if (!nonneg && rng.uniform() < 0.5) v = -v;
      v = Math.fround(v);
      const j = supp[t];
      Z[b * N + j] = v;
      for (let m = 0; m < M; m++) acc[m] += v * D[j * M + m];
    }
    for (let m = 0; m < M; m++) X[b * M + m] = acc[m] + (sigma > 0 ? sigma * rng.normal() : 0);
  }
  return { D: matrix(N, M, D), Z: matrix(B, N, Z), X: matrix(B, M, X) };
}
