/** Exercises of regression: closed-form ridge weights without intercept. */
import { RidgeRegression } from '../../metrics/regression';
import { ExerciseSpec } from '../exercise';
import { ridgeFit } from '../reference';
import { solveNormalEquations } from '../reference/ridge';
import { intIn, orientationHint, r3, randn } from './gen';

/** Ridge regression W = (XᵀX + αI)⁻¹XᵀY, no intercept. */
export const ridgeFitExercise: ExerciseSpec<[number[][], number[][], number]> = {
  id: 'ridge-fit',
  title: 'Closed-form ridge regression (no intercept)',
  functionName: 'ridgeFit',
  signature: 'ridgeFit(X: number[][], Y: number[][], alpha: number): number[][]',
  params: ['X', 'Y', 'alpha'],
  cases(rng) {
    // p ≠ q everywhere (a transposed result has a different shape); inputs with non-zero means (an intercept
    // changes the answer); α comparable to XᵀX ~ B; the last case has α = 0 (ordinary least squares).
    return Array.from({ length: 6 }, (_, c) => {
      const B = intIn(rng, 8, 25), p = intIn(rng, 2, 5);
      let q = intIn(rng, 1, 4);
      if (q === p) q = p + 1;
      const X = randn(rng, B, p).map((r) => r.map((v, j) => v + (j % 2 ? 1 : -0.5)));
      const A = randn(rng, p, q);
      const Y = X.map((x) => A[0].map((_, k) => x.reduce((s, v, j) => s + v * A[j][k], 0) + 0.5 + 0.3 * rng.normal()));
      const alpha = c === 5 ? 0 : r3(rng.uniformIn(0.2, 1) * B);
      return { args: [X, Y, alpha] as [number[][], number[][], number] };
    });
  },
  reference: ridgeFit,
  mistakes: [
    { message: 'add α to the diagonal of XᵀX: W = (XᵀX + αI)⁻¹XᵀY (your result is the least-squares fit without α)', fn: (X, Y) => ridgeFit(X, Y, 0) },
    { message: 'add α on the diagonal only (XᵀX + αI), not to every entry of XᵀX', fn: (X, Y, a) => solveNormalEquations(X, Y, a, 'all') },
    { message: 'this fit has no intercept: do not centre X and Y (W = (XᵀX + αI)⁻¹XᵀY on the raw data)', fn: (X, Y, a) => {
      const W = new RidgeRegression({ alpha: a }).fit(X, Y).coef!;
      return Array.from({ length: W.rows }, (_, i) => Array.from(W.data.subarray(i * W.cols, (i + 1) * W.cols)));
    } },
  ],
  transposeHint: 'W is p×q: one row per input (column of X), one column per target (column of Y), so that Ŷ = X·W',
  errorHint: orientationHint('check the shapes: XᵀX is p×p, XᵀY is p×q (X is B×p, Y is B×q)'),
};
