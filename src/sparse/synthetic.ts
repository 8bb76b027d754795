/**
 * Planted sparse-coding problems with bounded magnitudes — the reference problem of the sparse benchmark
 * (issue 5: magnitudes U[0.5, 1.5]) — drawn by the workbook's one generator, `plantedSparseData`
 * (src/data/synthetic.ts).
 */
import { plantedSparseData } from '../data/synthetic';
import { Matrix } from '../core/matrix';

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

/**
 * Draw a planted sparse-coding problem (float32 arrays); same seed, same arrays. A thin view of the one
 * generator, {@link plantedSparseData} (src/data/synthetic.ts), with uniform magnitudes (default [0.5, 1.5]).
 */
export function plantedSparseProblem(o: PlantedProblemOptions): PlantedProblem {
  const { X, Z, D } = plantedSparseData({
    n: o.n, m: o.m, k: o.k, samples: o.b, seed: o.seed, noise: o.noise, nonneg: o.nonneg ?? true,
    amplitude: o.amplitude ?? [0.5, 1.5],
  });
  return { D, Z, X };
}
