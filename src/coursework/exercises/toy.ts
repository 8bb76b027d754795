/** Exercises of the toy models: feature dimensionality D_i and the superposition of each feature. */
import { Region } from '../compare';
import { ExerciseSpec } from '../exercise';
import { featureDimensionality, superposition } from '../reference';
import { intIn, randn } from './gen';

function dims(W: number[][], hat: boolean, includeSelf: boolean): number[] {
  return W.map((wi, i) => {
    const nii = wi.reduce((s, v) => s + v * v, 0);
    if (Math.sqrt(nii) < 1e-6) return 0;
    let s = 0;
    W.forEach((wj, j) => { if (includeSelf || j !== i) s += wi.reduce((t, v, k) => t + v * wj[k], 0) ** 2; });
    return hat ? nii / (s / nii) : nii / s;
  });
}

/** Regions "W_i = 0" (a feature that is not learned) and "W_i ≠ 0" of a per-feature result, with hints. */
function zeroRowRegions(W: number[][], zeroHint: string, formula: string): Region[] {
  const zero = W.map((r) => r.every((v) => v === 0));
  return [
    { name: 'W_i = 0 (a feature that is not learned)', mask: zero, hint: `${zeroHint} when ‖W_i‖ is (almost) 0 instead of dividing by zero` },
    { name: 'W_i ≠ 0', mask: zero.map((z) => !z), hint: `check the formula ${formula}` },
  ];
}

/** Feature dimensionality D_i = ‖W_i‖² / Σ_j (Ŵ_i·W_j)². */
export const featureDimensionalityExercise: ExerciseSpec<[number[][]]> = {
  id: 'feature-dimensionality',
  title: 'Feature dimensionality D_i of a toy model',
  functionName: 'featureDimensionality',
  signature: 'featureDimensionality(W: number[][]): number[]',
  params: ['W'],
  cases(rng) {
    return Array.from({ length: 6 }, () => {
      const n = intIn(rng, 4, 9), m = intIn(rng, 2, 4);
      const W = randn(rng, n, m).map((r) => r.map((v) => v * (0.5 + rng.uniform())));
      W[0] = W[0].map(() => 0); // a feature that is not learned: D = 0
      W[2] = W[1].map((v) => -v); // an antipodal pair
      return { args: [W] as [number[][]] };
    });
  },
  reference: featureDimensionality,
  mistakes: [
    { message: 'normalise W_i in the denominator: Σ_j (Ŵ_i·W_j)² with Ŵ_i = W_i/‖W_i‖', fn: (W) => dims(W, false, true) },
    { message: 'the sum in the denominator runs over all j, including j = i', fn: (W) => dims(W, true, false) },
  ],
  regions: (W) => zeroRowRegions(W, 'define D_i = 0', 'D_i = ‖W_i‖² / Σ_j (Ŵ_i·W_j)²'),
  transposeHint: 'W is n×m with one feature direction per row (W[i] is the paper\'s column W_i)',
};

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((t, v, k) => t + v * b[k], 0);

/** Σ_{j≠i} of `term(i, j)` per feature, 0 for a zero row: the variants of the superposition mistakes. */
function overlapSums(W: number[][], term: (wi: number[], wj: number[], nii: number) => number, includeSelf = false): number[] {
  return W.map((wi, i) => {
    const nii = dot(wi, wi);
    if (Math.sqrt(nii) < 1e-6) return 0;
    return W.reduce((s, wj, j) => (includeSelf || j !== i ? s + term(wi, wj, nii) : s), 0);
  });
}

const transposeRows = (W: number[][]): number[][] => W[0].map((_, k) => W.map((r) => r[k]));

/** Superposition of each feature with the others, Σ_{j≠i} (Ŵ_i·W_j)² (Ŵ_i = W_i/‖W_i‖; 0 for a zero row). */
export const superpositionExercise: ExerciseSpec<[number[][]]> = {
  id: 'superposition',
  title: 'Superposition of each feature with the others',
  functionName: 'superposition',
  signature: 'superposition(W: number[][]): number[]',
  params: ['W'],
  cases(rng) {
    // The first case is square (n = m), so that overlaps of columns instead of rows have the right length and are recognised.
    return Array.from({ length: 6 }, (_, c) => {
      const m = intIn(rng, 3, 5), n = c === 0 ? m : m + intIn(rng, 2, 5);
      const W = randn(rng, n, m).map((r) => r.map((v) => v * (0.3 + 2 * rng.uniform())));
      W[1] = W[1].map(() => 0); // a feature that is not learned: 0
      W[2] = W[0].map((v) => -0.7 * v); // an antipodal pair of different norms
      return { args: [W] as [number[][]] };
    });
  },
  reference: superposition,
  mistakes: [
    { message: 'the sum runs over the other features only (j ≠ i): (Ŵ_i·W_i)² = ‖W_i‖² is not interference', fn: (W) => overlapSums(W, (a, b, n) => dot(a, b) ** 2 / n, true) },
    { message: 'normalise W_i: (Ŵ_i·W_j)² with Ŵ_i = W_i/‖W_i‖ (divide (W_i·W_j)² by ‖W_i‖²)', fn: (W) => overlapSums(W, (a, b) => dot(a, b) ** 2) },
    { message: 'normalise W_i only, not W_j: the term is (Ŵ_i·W_j)², so a feature with a large norm interferes more', fn: (W) => overlapSums(W, (a, b, n) => {
      const nj = dot(b, b);
      return nj < 1e-12 ? 0 : dot(a, b) ** 2 / (n * nj);
    }) },
    { message: 'square each overlap: Σ_{j≠i} (Ŵ_i·W_j)², not the overlaps themselves', fn: (W) => overlapSums(W, (a, b, n) => dot(a, b) / Math.sqrt(n)) },
    { message: 'square each overlap: Σ_{j≠i} (Ŵ_i·W_j)², not their absolute values', fn: (W) => overlapSums(W, (a, b, n) => Math.abs(dot(a, b)) / Math.sqrt(n)) },
    { message: 'W is n×m with one feature per row: take overlaps between the rows W[i], not the columns', fn: (W) => superposition(transposeRows(W)) },
  ],
  regions: (W) => zeroRowRegions(W, 'return 0', 'Σ_{j≠i} (Ŵ_i·W_j)² with Ŵ_i = W_i/‖W_i‖'),
  transposeHint: 'W is n×m with one feature direction per row: return one number per row W[i]',
  forbidden: [{ pattern: /\.featureSuperposition\s*\(/, message: 'compute the overlaps yourself (sw.featureSuperposition is the answer)' }],
};
