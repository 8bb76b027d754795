/**
 * Exact expected losses of n=2 → m=1 toy models (Elhage et al. 2022, the phase-diagram theory).
 *
 * Inputs: x_j = 0 with probability 1 − p, else U[0, 1], independently (p = feature density). With
 * m = 1 each feature direction is a scalar w_j, and output i is x'_i = ReLU(w_i (w_1 x_1 + w_2 x_2) + b_i).
 * The expected loss Σ_i I_i E[(x_i − x'_i)²] is computed exactly: over the four on/off patterns of
 * (x_1, x_2), the integrands are piecewise quadratic with kinks where the ReLU's argument crosses 0, so
 * Gauss–Legendre quadrature on each piece (inner and outer integral split at the kinks) is exact up to
 * rounding. No sampling.
 */
import { checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';

// 5-point Gauss–Legendre on [-1, 1]: exact for polynomials of degree ≤ 9.
const GL_X = [0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640, 0.9061798459386640];
const GL_W = [0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891, 0.2369268850561891];

/** ∫_0^1 f, split at the given interior breakpoints (others ignored). */
function integrate01(f: (t: number) => number, breaks: number[]): number {
  const pts = [0, ...breaks.filter((t) => t > 0 && t < 1).sort((a, c) => a - c), 1];
  let s = 0;
  for (let k = 0; k + 1 < pts.length; k++) {
    const lo = pts[k], hi = pts[k + 1];
    if (hi <= lo) continue;
    const h = (hi - lo) / 2, c = (hi + lo) / 2;
    for (let q = 0; q < 5; q++) s += GL_W[q] * h * f(c + h * GL_X[q]);
  }
  return s;
}

/**
 * E[(x_i − ReLU(a_1 x_1 + a_2 x_2 + c))²] for output i (0 or 1) under feature density p (both features).
 * Exact.
 */
function expectedSquaredError(i: 0 | 1, a1: number, a2: number, c: number, p: number): number {
  const relu = (t: number): number => (t > 0 ? t : 0);
  const q = 1 - p;
  const target = (u: number, v: number): number => (i === 0 ? u : v);
  const f = (u: number, v: number): number => (target(u, v) - relu(a1 * u + a2 * v + c)) ** 2;
  // both off
  let e = q * q * f(0, 0);
  // only x1 on: kink at a1 u + c = 0
  e += p * q * integrate01((u) => f(u, 0), a1 !== 0 ? [-c / a1] : []);
  // only x2 on
  e += q * p * integrate01((v) => f(0, v), a2 !== 0 ? [-c / a2] : []);
  // both on: inner over v split at v*(u) = −(a1 u + c)/a2; outer split where v* ∈ {0, 1}
  if (p > 0) {
    const outerBreaks: number[] = [];
    if (a1 !== 0) outerBreaks.push(-c / a1, -(c + a2) / a1);
    const inner = (u: number): number =>
      integrate01((v) => f(u, v), a2 !== 0 ? [-(a1 * u + c) / a2] : []);
    e += p * p * integrate01(inner, outerBreaks);
  }
  return e;
}

/**
 * Exact expected loss Σ_i I_i E[(x_i − x'_i)²] of the n=2, m=1 toy model with directions `w` = [w_1, w_2],
 * biases `b` = [b_1, b_2], importances `importance` = [I_1, I_2] and feature density `density` ∈ (0, 1].
 */
export function toyExpectedLoss2to1(w: [number, number], b: [number, number], importance: [number, number],
  density: number): number {
  const p = checkNumber('density', density, 0, 1);
  let loss = 0;
  for (const i of [0, 1] as const) {
    loss += importance[i] * expectedSquaredError(i, w[i] * w[0], w[i] * w[1], b[i], p);
  }
  return loss;
}

/**
 * The bias minimising output i's expected loss for fixed directions `w` (outputs are independent given w),
 * by a grid over [−2, 2] (161 points) refined by golden-section search; returns {bias, loss} where loss is
 * that output's unweighted expected squared error.
 */
export function bestBias2to1(i: 0 | 1, w: [number, number], density: number): { bias: number; loss: number } {
  const a1 = w[i] * w[0], a2 = w[i] * w[1];
  const g = (c: number): number => expectedSquaredError(i, a1, a2, c, density);
  let best = -2, bestV = Infinity;
  const step = 4 / 160;
  for (let k = 0; k <= 160; k++) {
    const c = -2 + k * step;
    const v = g(c);
    if (v < bestV) { bestV = v; best = c; }
  }
  let lo = best - step, hi = best + step;
  const phi = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo);
  let f1 = g(x1), f2 = g(x2);
  for (let it = 0; it < 40; it++) {
    if (f1 <= f2) { hi = x2; x2 = x1; f2 = f1; x1 = hi - phi * (hi - lo); f1 = g(x1); }
    else { lo = x1; x1 = x2; f1 = f2; x2 = lo + phi * (hi - lo); f2 = g(x2); }
  }
  const c = f1 <= f2 ? x1 : x2;
  const v = Math.min(f1, f2);
  return v < bestV ? { bias: c, loss: v } : { bias: best, loss: bestV };
}

/** The three candidate solutions of the n=2 → m=1 phase diagram, named by what happens to feature 2. */
export const PHASE_CANDIDATES: ReadonlyArray<{ label: 'not learned' | 'dedicated' | 'superposed'; w: [number, number] }> = [
  { label: 'not learned', w: [1, 0] },
  { label: 'dedicated', w: [0, 1] },
  { label: 'superposed', w: [1, -1] },
];

/** One cell of the theoretical phase diagram. */
export interface PhaseTheoryCell {
  /** Feature density p (both features). */
  density: number;
  /** Importance of feature 2 (feature 1 has importance 1). */
  importance: number;
  /** Expected loss, with best biases, of W=[1,0] (feature 2 not learned). */
  lossNotLearned: number;
  /** … of W=[0,1] (feature 2 gets the dimension). */
  lossDedicated: number;
  /** … of W=[1,−1] (antipodal superposition). */
  lossSuperposed: number;
  /** The candidate with the lowest loss. */
  label: 'not learned' | 'dedicated' | 'superposed';
  /** Relative gap between the best and second-best loss (small = near a phase boundary). */
  margin: number;
}

/**
 * The theoretical n=2 → m=1 phase diagram: for every (density, importance of feature 2) cell, the exact
 * expected loss of W=[1,0], [0,1] and [1,−1] with their best biases, and the winner. Rows ordered
 * density-major.
 */
export function phaseDiagramTheory(densities: number[], importances: number[]): PhaseTheoryCell[] {
  if (!Array.isArray(densities) || densities.length === 0) throw new ValueError('densities must be a non-empty array of numbers in (0, 1]');
  if (!Array.isArray(importances) || importances.length === 0) throw new ValueError('importances must be a non-empty array of positive numbers');
  densities.forEach((d, k) => checkNumber(`densities[${k}]`, d, 1e-12, 1));
  importances.forEach((r, k) => checkNumber(`importances[${k}]`, r, 0));
  const rows: PhaseTheoryCell[] = [];
  for (const p of densities) {
    // Per-output best losses do not depend on the importance: compute once per density.
    const perOutput = PHASE_CANDIDATES.map((c) => [bestBias2to1(0, c.w, p).loss, bestBias2to1(1, c.w, p).loss]);
    for (const r of importances) {
      const losses = perOutput.map(([l1, l2]) => l1 + r * l2);
      const order = [0, 1, 2].sort((a, c) => losses[a] - losses[c]);
      rows.push({
        density: p, importance: r,
        lossNotLearned: losses[0], lossDedicated: losses[1], lossSuperposed: losses[2],
        label: PHASE_CANDIDATES[order[0]].label,
        margin: (losses[order[1]] - losses[order[0]]) / Math.max(losses[order[1]], 1e-300),
      });
    }
  }
  return rows;
}
