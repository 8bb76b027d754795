/**
 * Option and result types of sparse inference. Shapes: dictionary `D` is N×M (one atom per row), data `X`
 * is B×M, codes `Z` are B×N, and X ≈ Z·D.
 */
import { Matrix } from '../core/matrix';

/** Options of the lasso solvers ({@link ista}, {@link fista}, {@link lassoCD}). */
export interface LassoOptions {
  /** λ ≥ 0; per-sample objective ½‖x − zD‖² + λ‖z‖₁ (the batch mean is reported). */
  lambda: number;
  /** Constrain z ≥ 0 (default false). */
  nonneg?: boolean;
  /**
   * Stopping tolerance (default 1e-6). With `stop: 'rel'` (default): a sample stops when an iteration
   * changes no code entry by more than tol·max|z|. With `stop: 'gap'`: when its duality gap is at most
   * tol × its primal objective (relative duality gap).
   */
  tol?: number;
  /** Stopping rule: relative change of the codes ('rel', default) or relative duality gap ('gap'). */
  stop?: 'rel' | 'gap';
  /** Maximum iterations (sweeps for coordinate descent) per sample (default 1000). */
  maxIter?: number;
  /** Warm start, B×N (with `nonneg`, negative entries are clipped to 0). */
  init?: Matrix;
  /** Show progress (default true; it appears only once a call has run for 2 s, per sample finished). */
  progress?: boolean;
}

/** What every sparse encoder returns. */
export interface SparseCodeResult {
  /** Codes Z, B×N, float32. */
  codes: Matrix;
  /** Batch mean of ½‖x − zD‖² + λ‖z‖₁ (lasso) or of ½‖x − zD‖² (OMP/IHT), computed in float64. */
  objective: number;
  /** Batch mean duality gap (lasso solvers only), computed from exact residuals. */
  dualityGap?: number;
  /** Largest number of iterations (sweeps, OMP steps) any sample used. */
  iterations: number;
  /** Whether every sample met the stopping rule within `maxIter`. */
  converged: boolean;
  /** Wall-clock seconds of the call (Gram and correlation products included). */
  seconds: number;
}

/** Options of the greedy / hard-thresholding encoders ({@link omp}, {@link iht}). */
export interface GreedyOptions {
  /** Number of atoms per sample, 1 ≤ k ≤ N. */
  k: number;
  /**
   * OMP: stop early once ‖x − zD‖² ≤ tol (absolute squared residual, as scikit-learn's `tol`).
   * IHT: relative-change tolerance (default 1e-6).
   */
  tol?: number;
  /** Constrain z ≥ 0 (default false). */
  nonneg?: boolean;
  /** IHT: maximum iterations (default 1000). OMP: ignored (at most k steps). */
  maxIter?: number;
}

/** Options of {@link sparseEncode}: a method name plus that method's options. */
export type SparseEncodeOptions = { method: 'ista' | 'fista' | 'cd' | 'omp' | 'iht' } &
  Partial<LassoOptions> & Partial<GreedyOptions> & { restart?: boolean; step?: number };
