/** Exercises of notebook 06: the k-term reconstruction error of the neuron basis, and the sum-of-parts fit of a composite. */
import { Rng } from '../../core/rng';
import { fromRows } from '../../core/matrix';
import { kTermFvu } from '../../metrics/reconstruction';
import { sumOfPartsFit } from '../../experiments/composites';
import { ExerciseSpec } from '../exercise';
import { intIn, randn, randVec } from './gen';

/** Column means of rows. */
function colMeans(X: number[][]): number[] {
  return X[0].map((_, j) => X.reduce((s, r) => s + r[j], 0) / X.length);
}

/** FVU after keeping, per row, the k entries of x − mean chosen by `keep` (indices), normalised by `tot`. */
function fvuKeeping(X: number[][], mean: number[], keep: (d: number[]) => number[], centre: number[]): number {
  let res = 0, tot = 0;
  for (const x of X) {
    const d = x.map((v, j) => v - mean[j]);
    const kept = new Set(keep(d));
    d.forEach((v, j) => { if (!kept.has(j)) res += v * v; });
    x.forEach((v, j) => { tot += (v - centre[j]) ** 2; });
  }
  return res / tot;
}

const byMagnitude = (k: number) => (d: number[]) => d.map((v, j) => [Math.abs(v), j]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, k).map((p) => p[1]);

/** Non-negative "ReLU activations" around a mean that differs from the column means, with ties and a k = 0 and k = M case. */
function kTermCases(rng: Rng): { args: [number[][], number[], number] }[] {
  return Array.from({ length: 6 }, (_, c) => {
    const B = intIn(rng, 8, 30), M = intIn(rng, 3, 7);
    const X = randn(rng, B, M).map((r) => r.map((v) => Math.max(0, v + 0.3)));
    const mean = colMeans(X).map((m) => m + 0.2 * rng.normal());
    const k = c === 0 ? M : c === 1 ? 0 : intIn(rng, 1, M - 1);
    return { args: [X, mean, k] };
  });
}

/** Best k-term approximation in the neuron basis: the FVU of notebook 06's frontier. */
export const kTermFvuExercise: ExerciseSpec<[number[][], number[], number]> = {
  id: 'k-term-fvu',
  title: 'Reconstruction error of the best k neurons per example (FVU)',
  functionName: 'kTermNeuronFvu',
  signature: 'kTermNeuronFvu(X: number[][], mean: number[], k: number): number',
  params: ['X', 'mean', 'k'],
  cases: kTermCases,
  reference: (X, mean, k) => kTermFvu(fromRows(X, 'float64'), mean, null, k),
  mistakes: [
    { message: 'keep the k entries of x − mean with the largest magnitude (|·|), not the largest values', fn: (X, mean, k) =>
      fvuKeeping(X, mean, (d) => d.map((v, j) => [v, j]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, k).map((p) => p[1]), colMeans(X)) },
    { message: 'choose the k entries per example (row), not the same first k neurons for every example', fn: (X, mean, k) =>
      fvuKeeping(X, mean, () => Array.from({ length: k }, (_, j) => j), colMeans(X)) },
    { message: 'the denominator is the total variance of X around its own column means, not around the given mean', fn: (X, mean, k) =>
      fvuKeeping(X, mean, byMagnitude(k), mean) },
    { message: 'return the fraction of variance UNexplained (what is left out), not the explained fraction', fn: (X, mean, k) =>
      1 - fvuKeeping(X, mean, byMagnitude(k), colMeans(X)) },
  ],
  transposeHint: 'X is B×M, one row per example: choose k neurons (columns) within each row',
  forbidden: [{ pattern: /\.kTermFvu\s*\(/, message: 'compute the FVU yourself (sw.kTermFvu is the answer)' }],
};

/** Responses y of composites that are (close to) α·u + β·v, and one with u ∥ v. */
function partsCases(rng: Rng): { args: [number[], number[], number[]] }[] {
  return Array.from({ length: 6 }, (_, c) => {
    const M = intIn(rng, 4, 10);
    const u = randVec(rng, M), v = c === 5 ? u.map((x) => -2 * x) : randVec(rng, M);
    const a = 0.2 + rng.uniform(), b = 0.2 + rng.uniform(), noise = c === 0 ? 0 : 0.2 + 0.5 * rng.uniform();
    return { args: [u.map((x, j) => a * x + b * v[j] + noise * rng.normal() + 0.3), u, v] };
  });
}

/** R² of the least-squares fit y ≈ α·u + β·v (the composite test of notebook 06). */
export const sumOfPartsExercise: ExerciseSpec<[number[], number[], number[]]> = {
  id: 'sum-of-parts',
  title: 'How well is a composite\'s response a weighted sum of its parts\' responses? (R²)',
  functionName: 'sumOfPartsR2',
  signature: 'sumOfPartsR2(y: number[], u: number[], v: number[]): number',
  params: ['y', 'u', 'v'],
  cases: partsCases,
  reference: (y, u, v) => sumOfPartsFit(y, u, v).r2,
  mistakes: [
    { message: 'fit the two weights α and β by least squares; do not fix them to 1 (the plain sum u + v)', fn: (y, u, v) => {
      const yy = y.reduce((s, t) => s + t * t, 0);
      return 1 - y.reduce((s, t, j) => s + (t - u[j] - v[j]) ** 2, 0) / yy;
    } },
    { message: 'R² here is 1 − ‖y − ŷ‖² / ‖y‖² (y is already centred by the caller): do not subtract the mean of y\'s entries', fn: (y, u, v) => {
      const f = sumOfPartsFit(y, u, v), m = y.reduce((s, t) => s + t, 0) / y.length;
      const res = y.reduce((s, t, j) => s + (t - f.alpha * u[j] - f.beta * v[j]) ** 2, 0);
      return 1 - res / y.reduce((s, t) => s + (t - m) ** 2, 0);
    } },
    { message: 'return R² of the fit, not the cosine between y and u + v', fn: (y, u, v) => sumOfPartsFit(y, u, v).cosine },
  ],
  errorHint: (e) => (/NaN|singular|divide/i.test(e.message) ? 'when u and v are parallel the 2×2 normal equations are singular: fit one common weight along u + v' : undefined),
  forbidden: [{ pattern: /\.sumOfPartsFit\s*\(/, message: 'fit α and β yourself (sw.sumOfPartsFit is the answer)' }],
};
