/** Exercises of dictionary learning: the SAE loss with decoder-norm-weighted L1. */
import { ExerciseSpec } from '../exercise';
import { saeLoss } from '../reference/dictionary';
import { intIn, r3, randVec, randn, sparseRows } from './gen';

/** SAE loss = mean_b ‖x_b − (z_b·D + b_dec)‖² + λ·mean_b Σ_i |z_bi|·‖d_i‖. */
export const saeLossExercise: ExerciseSpec<[number[][], number[][], number[][], number[], number]> = {
  id: 'sae-loss',
  title: 'SAE loss with decoder-norm-weighted L1',
  functionName: 'saeLoss',
  signature: 'saeLoss(X: number[][], Z: number[][], D: number[][], bDec: number[], lambda: number): number',
  params: ['X', 'Z', 'D', 'bDec', 'lambda'],
  cases(rng) {
    return Array.from({ length: 6 }, () => {
      const B = intIn(rng, 4, 10), M = intIn(rng, 3, 6), N = M + intIn(rng, 2, 6);
      const D = randn(rng, N, M).map((r) => {
        const s = (0.3 + 2 * rng.uniform()) / Math.sqrt(r.reduce((t, v) => t + v * v, 0));
        return r.map((v) => v * s);
      });
      return { args: [randn(rng, B, M), sparseRows(rng, B, N, 0.4, true), D, randVec(rng, M, 0.5), r3(rng.uniformIn(0.05, 1))] as [number[][], number[][], number[][], number[], number] };
    });
  },
  reference: saeLoss,
  mistakes: [
    { message: 'weight each |z_i| by the norm ‖d_i‖ of its decoder row (the decoder rows do not have unit norm here)', fn: (X, Z, D, b, l) => saeLoss(X, Z, D, b, 0) + l * Z.reduce((s, z) => s + z.reduce((t, v) => t + Math.abs(v), 0), 0) / X.length },
    { message: 'weight by the norm ‖d_i‖, not by its square ‖d_i‖²', fn: (X, Z, D, b, l) => saeLoss(X, Z, D, b, 0) + l * Z.reduce((s, z) => s + z.reduce((t, v, i) => t + Math.abs(v) * D[i].reduce((q, x) => q + x * x, 0), 0), 0) / X.length },
    { message: 'add the decoder bias: x̂ = z·D + b_dec', fn: (X, Z, D, b, l) => saeLoss(X, Z, D, b.map(() => 0), l) },
    { message: 'sum the squared error over the M dimensions of a sample (mean over samples only), not a mean over all entries', fn: (X, Z, D, b, l) => saeLoss(X, Z, D, b, 0) / X[0].length + (saeLoss(X, Z, D, b, l) - saeLoss(X, Z, D, b, 0)) },
    { message: 'this loss has no ½ in front of the squared error', fn: (X, Z, D, b, l) => saeLoss(X, Z, D, b, 0) / 2 + (saeLoss(X, Z, D, b, l) - saeLoss(X, Z, D, b, 0)) },
  ],
  transposeHint: 'D is N×M with one atom per row and x̂ = z·D + b_dec',
  errorHint: (e) => (/shape|undefined|length/i.test(e.message) ? 'check the orientation of D (N×M, one atom per row; x̂ = z·D + b_dec)' : undefined),
};
