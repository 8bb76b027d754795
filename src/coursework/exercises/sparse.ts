/** Exercises of sparse inference: soft thresholding, one ISTA step, one FISTA momentum update, a Donoho–Tanner point. */
import { ExerciseSpec } from '../exercise';
import { fistaMomentum, istaStep, lassoGradient, softThreshold } from '../reference/sparse';
import { donohoTannerRho } from '../reference';
import { intIn, orientationHint, r3, randVec, randn, sparseRows } from './gen';

const D_ORIENTATION = 'D is N×M with one atom per row and X ≈ Z·D; the gradient with respect to Z has the shape of Z (B×N): did you transpose D?';

/** Soft thresholding S_λ(z) = sign(z)·max(|z| − λ, 0). */
export const softThresholdExercise: ExerciseSpec<[number[], number]> = {
  id: 'soft-threshold',
  title: 'Soft thresholding',
  functionName: 'softThreshold',
  signature: 'softThreshold(z: number[], lambda: number): number[]',
  params: ['z', 'lambda'],
  cases(rng) {
    const cases: { args: [number[], number] }[] = [];
    for (let c = 0; c < 8; c++) {
      const n = intIn(rng, 6, 30);
      const lambda = c === 7 ? 0 : r3(rng.uniformIn(0.1, 1.2));
      const z = randVec(rng, n, 1.5).map(r3);
      // plant the edge cases: exact zeros and values exactly at ±λ, plus entries on both sides of 0
      z[0] = 0; z[1] = lambda; z[2] = -lambda; z[3] = -Math.abs(z[3]) - lambda - 0.1; z[4] = Math.abs(z[4]) + lambda + 0.1;
      cases.push({ args: [z, lambda] });
    }
    return cases;
  },
  reference: softThreshold,
  mistakes: [
    { message: 'entries with |z| > λ must also shrink towards 0 by λ — this is hard thresholding, not soft', fn: (z, l) => z.map((v) => (Math.abs(v) > l ? v : 0)) },
    { message: 'the threshold must be symmetric: negative entries must shrink towards 0 as well (your result treats z < −λ like 0)', fn: (z, l) => z.map((v) => Math.max(v - l, 0)) },
  ],
  regions: (z, l) => [
    { name: 'z < −λ', mask: z.map((v) => v < -l), hint: 'the threshold must be symmetric: negative entries shrink towards 0 by λ too' },
    { name: 'z > λ', mask: z.map((v) => v > l), hint: 'entries above λ must shrink by λ (z − λ)' },
    { name: '|z| ≤ λ', mask: z.map((v) => Math.abs(v) <= l), hint: 'entries with |z| ≤ λ must become exactly 0' },
  ],
};

/** One ISTA step Z⁺ = S_{λ·step}(Z − step·(Z·D − X)·Dᵀ). */
export const istaStepExercise: ExerciseSpec<[number[][], number[][], number[][], number, number]> = {
  id: 'ista-step',
  title: 'One ISTA step',
  functionName: 'istaStep',
  signature: 'istaStep(Z: number[][], X: number[][], D: number[][], lambda: number, step: number): number[][]',
  params: ['Z', 'X', 'D', 'lambda', 'step'],
  cases(rng) {
    const cases: { args: [number[][], number[][], number[][], number, number] }[] = [];
    for (let c = 0; c < 6; c++) {
      const B = intIn(rng, 3, 6), M = intIn(rng, 4, 8), N = M + intIn(rng, 3, 10);
      const D = randn(rng, N, M, 1 / Math.sqrt(M));
      const X = randn(rng, B, M);
      const Z = c === 0 ? randn(rng, B, N, 0).map((r) => r.map(() => 0)) : sparseRows(rng, B, N, 0.3);
      let fro = 0;
      for (const r of D) for (const v of r) fro += v * v;
      cases.push({ args: [Z, X, D, r3(rng.uniformIn(0.05, 0.4)), r3(0.9 / fro)] });
    }
    return cases;
  },
  reference: istaStep,
  mistakes: [
    { message: 'the gradient step goes uphill: subtract step·(Z·D − X)·Dᵀ (or add step·(X − Z·D)·Dᵀ)', fn: (Z, X, D, l, s) => {
      const G = lassoGradient(Z, X, D);
      return Z.map((z, b) => softThreshold(z.map((v, i) => v + s * G[b][i]), l * s));
    } },
    { message: 'threshold at λ·step (the proximal operator of step·λ‖·‖₁), not at λ', fn: (Z, X, D, l, s) => istaStep(Z, X, D, l / s, s) },
    { message: 'you took the gradient step but did not soft-threshold it', fn: (Z, X, D, _l, s) => istaStep(Z, X, D, 0, s) },
    { message: 'the soft threshold must be symmetric (negative entries shrink towards 0 too)', fn: (Z, X, D, l, s) => {
      const G = lassoGradient(Z, X, D);
      return Z.map((z, b) => z.map((v, i) => Math.max(v - s * G[b][i] - l * s, 0)));
    } },
    { message: 'apply the gradient step first, then the soft threshold (Z⁺ = S(Z − step·∇)), not the other way round', fn: (Z, X, D, l, s) => {
      const G = lassoGradient(Z, X, D);
      return Z.map((z, b) => softThreshold(z, l * s).map((v, i) => v - s * G[b][i]));
    } },
  ],
  transposeHint: D_ORIENTATION,
  errorHint: orientationHint(`check the orientation of D: ${D_ORIENTATION}`),
};

/** The FISTA momentum update. */
export const fistaMomentumExercise: ExerciseSpec<[number[], number[], number]> = {
  id: 'fista-momentum',
  title: 'One FISTA momentum update',
  functionName: 'fistaMomentum',
  signature: 'fistaMomentum(zNew: number[], zOld: number[], t: number): { y: number[]; t: number }',
  params: ['zNew', 'zOld', 't'],
  cases(rng) {
    return Array.from({ length: 6 }, (_, c) => {
      const n = intIn(rng, 5, 20);
      return { args: [randVec(rng, n).map(r3), randVec(rng, n).map(r3), c === 0 ? 1 : r3(rng.uniformIn(1, 30))] as [number[], number[], number] };
    });
  },
  reference: fistaMomentum,
  mistakes: [
    { message: 'β uses the new t: β = (t_k − 1)/t_{k+1}, not (t_k − 1)/t_k', fn: (a, b, t) => ({ y: a.map((v, i) => v + ((t - 1) / t) * (v - b[i])), t: fistaMomentum(a, b, t).t }) },
    { message: 't_{k+1} = (1 + √(1 + 4·t_k²))/2 — check the 4 and the square', fn: (a, b, t) => {
      const tn = (1 + Math.sqrt(1 + t * t)) / 2;
      return { y: a.map((v, i) => v + ((t - 1) / tn) * (v - b[i])), t: tn };
    } },
    { message: 'extrapolate from the new iterate: y = z_new + β·(z_new − z_old)', fn: (a, b, t) => {
      const r = fistaMomentum(a, b, t);
      const beta = (t - 1) / r.t;
      return { y: b.map((v, i) => v + beta * (a[i] - v)), t: r.t };
    } },
    { message: 'the momentum points from z_old to z_new: y = z_new + β·(z_new − z_old)', fn: (a, b, t) => {
      const r = fistaMomentum(a, b, t);
      const beta = (t - 1) / r.t;
      return { y: a.map((v, i) => v + beta * (b[i] - v)), t: r.t };
    } },
  ],
};

/** A point of the Donoho–Tanner curve ρ(δ). */
export const donohoTannerExercise: ExerciseSpec<[number, 'signed' | 'nonneg']> = {
  id: 'donoho-tanner',
  title: 'A point of the Donoho–Tanner phase transition',
  functionName: 'donohoTannerRho',
  signature: "donohoTannerRho(delta: number, kind: 'signed' | 'nonneg'): number",
  params: ['delta', 'kind'],
  cases(rng) {
    return Array.from({ length: 6 }, (_, c) => ({ args: [r3(rng.uniformIn(0.05, 0.95)), c % 2 ? 'nonneg' : 'signed'] as [number, 'signed' | 'nonneg'] }));
  },
  reference: donohoTannerRho,
  tol: { rtol: 2e-3, atol: 1e-4 },
  mistakes: [
    { message: "κ is 2 for signed codes and 1 for non-negative ones (is 'kind' swapped?)", fn: (d, k) => donohoTannerRho(d, k === 'signed' ? 'nonneg' : 'signed') },
  ],
  forbidden: [{ pattern: /\.donohoTannerRho\b/, message: 'compute ρ(δ) yourself; calling sw.donohoTannerRho is not allowed here' }],
};
