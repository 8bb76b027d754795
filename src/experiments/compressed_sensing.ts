/**
 * Compressed-sensing experiments of notebook 03: K-sparse codes in N dimensions, measured by M < N random
 * linear projections (x = z·D, D is N×M with one atom per row), recovered by linear read-outs (which cannot
 * work: rank ≤ M < N) and by sparse inference (which can, below the Donoho–Tanner curve).
 */
import { Matrix, matmul, matrix, transpose } from '../core/matrix';
import { Rng } from '../core/rng';
import { checkInt, checkNumber } from '../core/validate';
import { createProgress } from '../core/progress';
import { solveSpd } from '../core/decompositions';
import { donohoTannerRho } from '../sparse/theory';
import { lassoCD } from '../sparse/cd';
import { fista } from '../sparse/proximal';
import { omp } from '../sparse/omp';
import { iht } from '../sparse/iht';

/** A measurement problem: Gaussian dictionary D (N×M, iid N(0, 1/M) entries), codes Z (B×N, exactly K non-zeros), X = Z·D. */
export interface MeasurementProblem {
  D: Matrix<Float32Array>;
  Z: Matrix<Float32Array>;
  X: Matrix<Float32Array>;
}

/**
 * Draw a noiseless compressed-sensing problem. Codes: a uniformly random support of exactly K indices per row
 * with N(0,1) values (signed) or |N(0,1)| values (non-negative); D has iid N(0, 1/M) entries, as in the
 * Donoho–Tanner set-up. Each row of X is scaled to unit norm (and its code with it), so one λ fits all rows.
 * @param ks optional per-row sparsity (length B) instead of one K.
 */
export function measurementProblem(o: { n: number; m: number; k: number | number[]; b: number; nonneg: boolean; seed: number }): MeasurementProblem {
  const N = checkInt('n', o.n, 1), M = checkInt('m', o.m, 1), B = checkInt('b', o.b, 1);
  const rng = new Rng(o.seed);
  const D = rng.fillNormal(new Float32Array(N * M), 0, 1 / Math.sqrt(M));
  const Z = new Float32Array(B * N);
  for (let b = 0; b < B; b++) {
    const K = Array.isArray(o.k) ? o.k[b] : o.k;
    checkInt('k', K, 0, N);
    for (const i of rng.choice(N, K)) {
      const v = rng.normal();
      Z[b * N + i] = o.nonneg ? Math.abs(v) : v;
    }
  }
  const Dm = matrix(N, M, D);
  const X = matmul(matrix(B, N, Z), Dm) as Matrix<Float32Array>;
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let j = 0; j < M; j++) s += X.data[b * M + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 1;
    for (let j = 0; j < M; j++) X.data[b * M + j] *= inv;
    for (let i = 0; i < N; i++) Z[b * N + i] *= inv;
  }
  return { D: Dm, Z: matrix(B, N, Z), X };
}

/** Relative error ‖ẑ − z‖ / ‖z‖ per row. */
export function relativeErrors(Z: Matrix, Zhat: Matrix): Float64Array {
  const out = new Float64Array(Z.rows);
  for (let b = 0; b < Z.rows; b++) {
    let num = 0, den = 0;
    for (let i = 0; i < Z.cols; i++) {
      const z = Z.data[b * Z.cols + i];
      num += (Zhat.data[b * Z.cols + i] - z) ** 2;
      den += z * z;
    }
    out[b] = den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
  }
  return out;
}

/** Fraction of rows whose top-|support| entries of ẑ (by magnitude) are exactly the true support. */
export function supportRecovery(Z: Matrix, Zhat: Matrix): number {
  let hits = 0;
  for (let b = 0; b < Z.rows; b++) {
    const row = Z.data.subarray(b * Z.cols, (b + 1) * Z.cols);
    const est = Zhat.data.subarray(b * Z.cols, (b + 1) * Z.cols);
    const support = new Set<number>();
    row.forEach((v, i) => { if (v !== 0) support.add(i); });
    const top = Array.from(est, (v, i) => [Math.abs(v), i] as const).sort((a, c) => c[0] - a[0]).slice(0, support.size);
    if (top.every(([, i]) => support.has(i))) hits++;
  }
  return hits / Z.rows;
}

/**
 * Minimum-norm linear read-out ẑ = x·(DᵀD)⁻¹·Dᵀ, the best any linear map can do in least squares
 * (it reproduces x exactly but spreads the code over all N atoms). D is N×M with N > M.
 */
export function pseudoInverseReadout(X: Matrix, D: Matrix): Matrix {
  const M = D.cols;
  const Dt = transpose(D);
  const G = matmul(Dt, D); // M×M
  const Xt = transpose(X); // M×B
  const W = solveSpd(Float64Array.from(G.data), M, Float64Array.from(Xt.data), X.rows); // (DᵀD)⁻¹ Xᵀ, M×B
  return matmul(transpose(matrix(M, X.rows, W)), Dt);
}

/** One row of {@link linearVsSparse}: how a read-out or inference method recovers the planted codes. */
export interface RecoveryRow {
  method: string;
  /** Mean relative error ‖ẑ − z‖/‖z‖. */
  relError: number;
  /** Fraction of samples with relative error < 1e-2. */
  exact: number;
  /** Fraction of samples whose K largest |ẑ| are the true support. */
  support: number;
  /** Mean ½‖x − ẑD‖² (how well the estimate explains the measurements). */
  residual: number;
}

/**
 * Linear read-outs against sparse inference on one planted problem: the pseudo-inverse (exact fit, wrong code),
 * the transpose read-out ẑ = x·Dᵀ (what a one-layer linear encoder can do at best up to scale), lasso by
 * FISTA and by coordinate descent (λ small), and OMP with the true K.
 */
export function linearVsSparse(o: { n: number; m: number; k: number; b: number; nonneg: boolean; seed: number; lambda?: number }): RecoveryRow[] {
  const p = measurementProblem(o);
  const lambda = checkNumber('lambda', o.lambda ?? 1e-3, 0);
  const rows: RecoveryRow[] = [];
  const add = (method: string, Zhat: Matrix): void => {
    const err = relativeErrors(p.Z, Zhat);
    const fit = matmul(Zhat, p.D);
    let res = 0;
    for (let i = 0; i < fit.data.length; i++) res += (fit.data[i] - p.X.data[i]) ** 2;
    rows.push({
      method,
      relError: err.reduce((a, v) => a + v, 0) / err.length,
      exact: err.filter((e) => e < 1e-2).length / err.length,
      support: supportRecovery(p.Z, Zhat),
      residual: res / 2 / p.X.rows,
    });
  };
  add('pseudo-inverse (linear)', pseudoInverseReadout(p.X, p.D));
  const T = matmul(p.X, transpose(p.D));
  if (o.nonneg) for (let i = 0; i < T.data.length; i++) T.data[i] = Math.max(0, T.data[i]);
  add(o.nonneg ? 'ReLU(x·Dᵀ) (linear + ReLU)' : 'x·Dᵀ (linear)', T);
  add('lasso, FISTA', fista(p.X, p.D, { lambda, nonneg: o.nonneg, tol: 1e-8, maxIter: 20000, progress: false }).codes);
  add('lasso, coordinate descent', lassoCD(p.X, p.D, { lambda, nonneg: o.nonneg, tol: 1e-8, maxIter: 20000, progress: false }).codes);
  add('OMP (K known)', omp(p.X, p.D, { k: o.k, nonneg: o.nonneg }).codes);
  return rows;
}

/**
 * Least-squares refit on the support of lasso codes (|ẑ_i| > 1e-3·max|ẑ|, at most M atoms): removes the λ
 * shrinkage, so that the lasso's support decides success as basis pursuit's solution would. Rows whose support
 * is larger than M are returned unchanged.
 */
export function debias(X: Matrix, D: Matrix, Zhat: Matrix): Matrix {
  const N = D.rows, M = D.cols;
  const out = matrix(Zhat.rows, N, Float32Array.from(Zhat.data));
  for (let b = 0; b < Zhat.rows; b++) {
    const row = Zhat.data.subarray(b * N, (b + 1) * N);
    let mx = 0;
    for (const v of row) mx = Math.max(mx, Math.abs(v));
    const S: number[] = [];
    row.forEach((v, i) => { if (Math.abs(v) > 1e-3 * mx) S.push(i); });
    if (S.length === 0 || S.length > M) continue;
    const k = S.length;
    const G = new Float64Array(k * k), c = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      for (let e = 0; e <= a; e++) {
        let s = 0;
        for (let j = 0; j < M; j++) s += D.data[S[a] * M + j] * D.data[S[e] * M + j];
        G[a * k + e] = s; G[e * k + a] = s;
      }
      let s = 0;
      for (let j = 0; j < M; j++) s += D.data[S[a] * M + j] * X.data[b * M + j];
      c[a] = s;
    }
    let w: Float64Array;
    try { w = solveSpd(G, k, c, 1); } catch { continue; } // singular support: keep the lasso codes
    out.data.fill(0, b * N, (b + 1) * N);
    S.forEach((i, a) => { out.data[b * N + i] = w[a]; });
  }
  return out;
}

/** One cell of the phase diagram. */
export interface RecoveryPhaseCell {
  delta: number;
  rho: number;
  m: number;
  k: number;
  /** Fraction of trials recovered (relative error < `successTol`). */
  success: number;
}

/** Result of {@link phaseTransition}. */
export interface PhaseTransitionResult {
  kind: 'signed' | 'nonneg';
  n: number;
  cells: RecoveryPhaseCell[];
  /** Per δ: the empirical 50 % point ρ₅₀ (linear interpolation), the theory ρ(δ), and their difference. */
  contour: { delta: number; rho50: number; theory: number; diff: number }[];
  seconds: number;
}

/**
 * The Donoho–Tanner phase diagram by experiment: for each δ = M/N and ρ = K/M, `trials` noiseless problems,
 * recovered by ℓ1 minimisation (lasso with a small λ on unit-norm measurements by coordinate descent, then a
 * least-squares refit on its support, see {@link debias}: basis pursuit's answer in the limit λ → 0);
 * success = relative error below `successTol` (default 1e-2).
 * One dictionary per δ is shared by all its trials (the weak threshold is over random codes for a typical D).
 */
export function phaseTransition(o: {
  n: number; deltas: number[]; rhos: number[]; trials: number; kind: 'signed' | 'nonneg'; seed: number;
  lambda?: number; successTol?: number; maxIter?: number; progress?: boolean;
}): PhaseTransitionResult {
  const t0 = Date.now();
  const N = checkInt('n', o.n, 2);
  const lambda = o.lambda ?? 1e-5;
  const tol = o.successTol ?? 1e-2;
  const nonneg = o.kind === 'nonneg';
  const cells: RecoveryPhaseCell[] = [];
  const prog = createProgress({ total: o.deltas.length, label: `phase diagram (${o.kind})`, unit: 'δ', enabled: o.progress });
  o.deltas.forEach((delta, di) => {
    const M = Math.max(1, Math.round(delta * N));
    const ks = o.rhos.map((rho) => Math.max(1, Math.round(rho * M)));
    const perRow: number[] = [];
    for (const k of ks) for (let t = 0; t < o.trials; t++) perRow.push(Math.min(k, N));
    const p = measurementProblem({ n: N, m: M, k: perRow, b: perRow.length, nonneg, seed: o.seed + 7919 * di });
    // λ continuation (1e-2, 1e-3, … down to λ, each warm-started): following the path to a small λ converges
    // much faster than a cold start at that λ.
    let lasso: Matrix | undefined;
    for (let l = Math.max(lambda, 1e-2); ; l /= 10) {
      const cur = Math.max(l, lambda);
      lasso = lassoCD(p.X, p.D, { lambda: cur, nonneg, tol: 1e-7, maxIter: o.maxIter ?? 2000, init: lasso, progress: false }).codes;
      if (cur === lambda) break;
    }
    const err = relativeErrors(p.Z, debias(p.X, p.D, lasso as Matrix));
    o.rhos.forEach((rho, ri) => {
      let ok = 0;
      for (let t = 0; t < o.trials; t++) if (err[ri * o.trials + t] < tol) ok++;
      cells.push({ delta, rho, m: M, k: ks[ri], success: ok / o.trials });
    });
    prog.update(di + 1);
  });
  prog.finish();
  const contour = o.deltas.map((delta) => {
    const col = cells.filter((c) => c.delta === delta).sort((a, b) => a.rho - b.rho);
    let rho50 = col.length ? col[col.length - 1].rho : NaN;
    if (col.length && col[0].success < 0.5) rho50 = col[0].rho;
    for (let i = 1; i < col.length; i++) {
      if (col[i - 1].success >= 0.5 && col[i].success < 0.5) {
        const a = col[i - 1], b = col[i];
        rho50 = a.rho + (a.success - 0.5) / (a.success - b.success) * (b.rho - a.rho);
        break;
      }
    }
    const theory = donohoTannerRho(delta, o.kind);
    return { delta, rho50, theory, diff: rho50 - theory };
  });
  return { kind: o.kind, n: N, cells, contour, seconds: (Date.now() - t0) / 1000 };
}

/**
 * The rule of thumb M = C·K·ln(N/K) as a curve in (δ, ρ): with M = δN and K = ρM it reads 1 = C·ρ·ln(1/(ρδ));
 * returns the ρ solving it (the largest ρ < 1/δ with C·ρ·ln(1/(ρδ)) ≤ 1), or NaN if none.
 */
export function ruleOfThumbRho(delta: number, C = 2): number {
  const f = (rho: number): number => C * rho * Math.log(1 / (rho * delta)) - 1;
  // f(0+) = -1 < 0; f increases up to rho = 1/(e·δ), then decreases to -1 at rho = 1/δ.
  const peak = 1 / (Math.E * delta);
  if (f(peak) < 0) return NaN;
  let lo = 1e-12, hi = peak;
  for (let i = 0; i < 100; i++) { const mid = (lo + hi) / 2; if (f(mid) < 0) lo = mid; else hi = mid; }
  return (lo + hi) / 2;
}

/** Result of {@link convexityCheck}. */
export interface ConvexityResult {
  /** Lasso from random starts: largest distance between any solution and the first, relative to its norm. */
  lassoMaxRelDistance: number;
  /** Lasso objectives' spread (max − min) over starts. */
  lassoObjectiveSpread: number;
  /** Top-K hard thresholding (L0) from the same starts: number of distinct supports reached. */
  l0DistinctSupports: number;
  /** IHT's final ½‖x − zD‖² spread (max − min) over starts. */
  l0ObjectiveSpread: number;
  starts: number;
}

/**
 * Convexity check: the lasso reaches the same codes from `starts` random initialisations (a convex problem
 * has one minimum value, and here a unique minimiser), while top-K hard thresholding (the L0-constrained
 * problem, not convex) ends in different supports depending on where it starts.
 */
export function convexityCheck(o: { n: number; m: number; k: number; starts: number; seed: number; lambda?: number }): ConvexityResult {
  const p = measurementProblem({ n: o.n, m: o.m, k: o.k, b: 1, nonneg: false, seed: o.seed });
  const lambda = o.lambda ?? 0.01;
  const rng = new Rng(o.seed + 1);
  const lasso: Float32Array[] = [];
  const lassoObj: number[] = [];
  const supports = new Set<string>();
  const l0Obj: number[] = [];
  for (let s = 0; s < o.starts; s++) {
    const init = matrix(1, o.n, rng.fillNormal(new Float32Array(o.n), 0, 1));
    const r = fista(p.X, p.D, { lambda, init, tol: 1e-10, maxIter: 50000, progress: false });
    lasso.push(r.codes.data as Float32Array);
    lassoObj.push(r.objective);
    const h = iht(p.X, p.D, { k: o.k, maxIter: 500, init } as Parameters<typeof iht>[2]);
    const sup = Array.from(h.codes.data, (v, i) => (v !== 0 ? i : -1)).filter((i) => i >= 0).join(',');
    supports.add(sup);
    l0Obj.push(h.objective);
  }
  let maxRel = 0;
  let ref = 0;
  for (const v of lasso[0]) ref += v * v;
  for (const z of lasso) {
    let d = 0;
    for (let i = 0; i < z.length; i++) d += (z[i] - lasso[0][i]) ** 2;
    maxRel = Math.max(maxRel, Math.sqrt(d / Math.max(ref, 1e-30)));
  }
  return {
    lassoMaxRelDistance: maxRel,
    lassoObjectiveSpread: Math.max(...lassoObj) - Math.min(...lassoObj),
    l0DistinctSupports: supports.size,
    l0ObjectiveSpread: Math.max(...l0Obj) - Math.min(...l0Obj),
    starts: o.starts,
  };
}
