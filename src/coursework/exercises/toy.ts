/** Exercises of the toy models: feature dimensionality D_i. */
import { ExerciseSpec } from '../exercise';
import { featureDimensionality } from '../reference';
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
  regions: (W) => {
    const zero = W.map((r) => r.every((v) => v === 0));
    return [
      { name: 'W_i = 0 (a feature that is not learned)', mask: zero, hint: 'define D_i = 0 when ‖W_i‖ is (almost) 0 instead of dividing by zero' },
      { name: 'W_i ≠ 0', mask: zero.map((z) => !z), hint: 'check the formula D_i = ‖W_i‖² / Σ_j (Ŵ_i·W_j)²' },
    ];
  },
  transposeHint: 'W is n×m with one feature direction per row (W[i] is the paper\'s column W_i)',
};
