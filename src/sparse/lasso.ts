/**
 * The shared driver of the lasso solvers (internal): validation, products, warm start, the stopping rule
 * (relative change, or relative duality gap checked on exact residuals), the final exact evaluation.
 */
import { Matrix, MatrixLike } from '../core/matrix';
import { createProgress, Progress } from '../core/progress';
import { checkInt, checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';
import { fastBackend } from '../compute/dispatch';
import { checkInit, checkLambda, checkXD, evalLasso, prepare, Problem, refineRows, toCodes } from './problem';
import { LassoOptions, SparseCodeResult } from './types';

/** Settings a kernel receives. */
export interface KernelCall {
  p: Problem;
  lambda: number;
  nonneg: boolean;
  /** Codes, B×N float64, updated in place. */
  Z: Float64Array;
  /** Q = C − Z·G (B×N), consistent with Z on entry for the listed samples; kernels may update it. */
  Q: Float64Array;
  /** Samples to work on. */
  samples: Int32Array;
  /** Relative-change tolerance. */
  tolRel: number;
  /** Remaining iteration budget per sample (indexed by sample); kernels decrement it. */
  budget: Int32Array;
  /** Per-sample convergence flags (by sample) to set. */
  converged: Uint8Array;
  /** Called with the number of samples finished so far. */
  tick(done: number): void;
}

/** A lasso kernel: iterate the listed samples until they meet tolRel or exhaust their budget. */
export type LassoKernel = (k: KernelCall) => void;

/** Run a lasso kernel with validation, stopping rule and exact final evaluation. */
export function runLasso(fn: string, X: MatrixLike, D: MatrixLike, opts: LassoOptions, kernel: LassoKernel): SparseCodeResult {
  const t0 = performance.now();
  if (!opts || typeof opts !== 'object') throw new ValueError(`${fn}: pass options, e.g. { lambda: 0.1 }`);
  const { X: x, D: d } = checkXD(fn, X, D);
  const lambda = checkLambda(fn, opts.lambda);
  const nonneg = Boolean(opts.nonneg);
  const tol = checkNumber(`${fn}: tol`, opts.tol ?? 1e-6, 0);
  const maxIter = checkInt(`${fn}: maxIter`, opts.maxIter ?? 1000, 1);
  const stop = opts.stop ?? 'rel';
  if (stop !== 'rel' && stop !== 'gap') throw new ValueError(`${fn}: stop must be 'rel' or 'gap', got '${String(stop)}'`);
  const p = prepare(x, d);
  const { B, N, G, C } = p;
  const Z = checkInit(fn, opts.init as Matrix | undefined, B, N, nonneg);
  const Q = Float64Array.from(C);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < N; j++) {
      const z = Z[b * N + j];
      if (z === 0) continue;
      for (let k = 0; k < N; k++) Q[b * N + k] -= z * G[j * N + k];
    }
  }
  const budget = new Int32Array(B).fill(maxIter);
  const converged = new Uint8Array(B);
  let samples = Int32Array.from({ length: B }, (_, i) => i);
  // Progress appears only once a call has run for 2 s, so loops of short calls (dictionary learning) stay quiet.
  let prog: Progress | null = null;
  const tick = (n: number): void => {
    if (opts.progress === false) return;
    if (!prog) {
      if (performance.now() - t0 < 2000) return;
      prog = createProgress({ total: B, label: fn, unit: 'samples' });
    }
    prog.update(n);
  };
  let tolRel = stop === 'rel' ? tol : Math.min(1e-2, Math.sqrt(tol));
  let ev = null as ReturnType<typeof evalLasso> | null;
  for (let round = 0; ; round++) {
    converged.fill(0);
    kernel({ p, lambda, nonneg, Z, Q, samples, tolRel, budget, converged, tick });
    // evaluate the codes as returned (float32), so objective and gap describe exactly what the caller gets
    const Z32 = Float32Array.from(Z);
    ev = evalLasso(x, d, Z32, lambda, nonneg, Z);
    if (stop === 'rel') break;
    const fails = (): number[] => {
      const out: number[] = [];
      for (let b = 0; b < B; b++) if (ev!.gap[b] > tol * Math.max(ev!.primal[b], 1e-300)) out.push(b);
      return out;
    };
    // gaps from float32 correlations carry ~1e-7·‖r‖ errors: re-check apparent failures in float64
    let bad = fails();
    if (bad.length && fastBackend()) { refineRows(ev, x, d, lambda, nonneg, bad); bad = fails(); }
    const again: number[] = [];
    for (const b of bad) if (budget[b] > 0 && round < 8) again.push(b);
    converged.fill(1);
    for (const b of bad) converged[b] = 0;
    if (again.length === 0) break;
    samples = Int32Array.from(again);
    for (const b of again) Q.set(ev.Q.subarray(b * N, (b + 1) * N), b * N); // exact c − G z
    tolRel = Math.max(tolRel / 100, 1e-13);
  }
  let used = 0, allConv = true;
  for (let b = 0; b < B; b++) {
    used = Math.max(used, maxIter - budget[b]);
    if (!converged[b]) allConv = false;
  }
  if (prog) (prog as Progress).finish();
  return {
    codes: toCodes(Z, B, N),
    objective: ev.meanPrimal,
    dualityGap: ev.meanGap,
    iterations: used,
    converged: allConv,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Soft-thresholding: the proximal map of t·|·| (and of t·|·| + indicator(z ≥ 0) when nonneg). */
export function soft(v: number, t: number, nonneg: boolean): number {
  if (v > t) return v - t;
  if (!nonneg && v < -t) return v + t;
  return 0;
}
