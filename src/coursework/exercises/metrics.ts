/** Exercises of the metrics: Hungarian-matched MCC, linear-identifiability R², the 2AFC score of a unit. */
import { Rng } from '../../core/rng';
import { crossCorrelation } from '../../metrics/correlation';
import { linearSumAssignment } from '../../metrics/hungarian';
import { RidgeRegression } from '../../metrics/regression';
import { ExerciseSpec } from '../exercise';
import { linearR2, matchedMcc } from '../reference';
import { rankDescending, twoAfcPools, twoAfcUnit } from '../reference/psychophysics';
import { intIn, randn } from './gen';

function corrRows(a: number[][], b: number[][], cov = false): number[][] {
  const C = crossCorrelation(a, b);
  if (!cov) return Array.from({ length: C.rows }, (_, i) => Array.from({ length: C.cols }, (_, j) => C.data[i * C.cols + j]));
  const B = a.length;
  const mean = (m: number[][], j: number) => m.reduce((s, r) => s + r[j], 0) / B;
  return a[0].map((_, i) => b[0].map((_, j) => {
    const ma = mean(a, i), mb = mean(b, j);
    return a.reduce((s, r, k) => s + (r[i] - ma) * (b[k][j] - mb), 0) / B;
  }));
}

function matchedMean(S: number[][], nTrue: number, absolute: boolean, divisor = nTrue): number {
  const cost = S.map((r) => r.map((v) => (absolute ? Math.abs(v) : v)));
  const a = linearSumAssignment(cost, { maximize: true });
  let s = 0;
  for (let i = 0; i < a.rowInd.length; i++) s += cost[a.rowInd[i]][a.colInd[i]];
  return s / divisor;
}

/** MCC cases: a permuted, rescaled, sign-flipped, noisy copy of the true codes, sometimes with spare columns. */
function mccCases(rng: Rng): { args: [number[][], number[][]] }[] {
  return Array.from({ length: 6 }, (_, c) => {
    const B = intIn(rng, 40, 120), N = intIn(rng, 3, 6);
    const extra = c === 5 ? -1 : c % 2 ? 2 : 0;
    const T = randn(rng, B, N).map((r) => r.map((v) => Math.abs(v) * (rng.uniform() < 0.5 ? 1 : 0)));
    const perm = Array.from(rng.permutation(N + Math.max(extra, 0)));
    const noise = 0.3 + 0.5 * rng.uniform();
    const scale = Array.from({ length: N }, () => (rng.uniform() < 0.5 ? -1 : 1) * (0.2 + 3 * rng.uniform()));
    const P = T.map((r) => perm.map((p) => (p < N ? scale[p] * (r[p] + noise * rng.normal()) : rng.normal())));
    return { args: [T, extra < 0 ? P.map((r) => r.filter((_, j) => perm[j] !== 0)) : P] };
  });
}

/** Hungarian-matched MCC. */
export const mccExercise: ExerciseSpec<[number[][], number[][]]> = {
  id: 'mcc',
  title: 'Hungarian-matched mean correlation coefficient (MCC)',
  functionName: 'matchedMcc',
  signature: 'matchedMcc(zTrue: number[][], zPred: number[][]): number',
  params: ['zTrue', 'zPred'],
  cases: mccCases,
  reference: matchedMcc,
  mistakes: [
    { message: 'take the absolute value of the correlations: a sign-flipped estimate recovers its feature as well', fn: (t, p) => matchedMean(corrRows(t, p), t[0].length, false) },
    { message: 'match true features to estimates first (Hungarian assignment, e.g. sw.linearSumAssignment): the estimates come in any order', fn: (t, p) => {
      const S = corrRows(t, p);
      return S.reduce((s, r, i) => s + (i < r.length ? Math.abs(r[i]) : 0), 0) / S.length;
    } },
    { message: 'each estimate may be matched to one true feature only: use the Hungarian assignment, not the best match of every row', fn: (t, p) => {
      const S = corrRows(t, p);
      return S.reduce((s, r) => s + Math.max(...r.map(Math.abs)), 0) / S.length;
    } },
    { message: 'use correlations (divide by both standard deviations), not covariances', fn: (t, p) => matchedMean(corrRows(t, p, true), t[0].length, true) },
    { message: 'average over the N true features (columns of zTrue), not over the estimates', fn: (t, p) => matchedMean(corrRows(t, p), t[0].length, true, p[0].length) },
  ],
  transposeHint: 'codes are B×N, one row per sample: correlate columns (features), not rows',
  forbidden: [
    { pattern: /\.(mcc|matchedSimilarity|crossCorrelation)\s*\(/, message: 'compute the correlations and the matched mean yourself (sw.linearSumAssignment is allowed; sw.mcc and sw.crossCorrelation are not)' },
  ],
};

function r2Cases(rng: Rng): { args: [number[][], number[][]] }[] {
  return Array.from({ length: 5 }, () => {
    const B = intIn(rng, 40, 80), N = intIn(rng, 2, 4), M = N + intIn(rng, 1, 4);
    const Z = randn(rng, B, N).map((r) => r.map((v, j) => (j + 1) * v + 2 * j));
    const A = randn(rng, N, M);
    const noise = 0.3 + rng.uniform();
    const rep = Z.map((z) => A[0].map((_, m) => z.reduce((s, v, j) => s + v * A[j][m], 0) + 1 + noise * rng.normal()));
    return { args: [rep, Z] };
  });
}

function r2Variant(rep: number[][], Z: number[][], weighted: boolean, intercept: boolean): number {
  let pred: number[][];
  if (intercept) {
    const P = new RidgeRegression({ alpha: 0 }).fit(rep, Z).predict(rep);
    pred = Array.from({ length: P.rows }, (_, i) => Array.from(P.data.subarray(i * P.cols, (i + 1) * P.cols)));
  } else {
    // least squares through the origin: append nothing, solve with a huge-variance trick — use normal equations
    const M = rep[0].length, N = Z[0].length;
    const G = Array.from({ length: M }, (_, a) => Array.from({ length: M }, (_, b) => rep.reduce((s, r) => s + r[a] * r[b], 0)));
    const R = Array.from({ length: M }, (_, a) => Array.from({ length: N }, (_, j) => rep.reduce((s, r, k) => s + r[a] * Z[k][j], 0)));
    const W = solve(G, R);
    pred = rep.map((r) => Array.from({ length: N }, (_, j) => r.reduce((s, v, a) => s + v * W[a][j], 0)));
  }
  const N = Z[0].length, B = Z.length;
  let sr = 0, st = 0, u = 0;
  for (let j = 0; j < N; j++) {
    const mu = Z.reduce((s, r) => s + r[j], 0) / B;
    let res = 0, tot = 0;
    for (let k = 0; k < B; k++) { res += (Z[k][j] - pred[k][j]) ** 2; tot += (Z[k][j] - mu) ** 2; }
    sr += res; st += tot; u += 1 - res / tot;
  }
  return weighted ? 1 - sr / st : u / N;
}

/** Gauss–Jordan solve G·W = R (G M×M, R M×N) for the mistake variants. */
function solve(G: number[][], R: number[][]): number[][] {
  const M = G.length;
  const A = G.map((r, i) => [...r, ...R[i]]);
  for (let c = 0; c < M; c++) {
    let p = c;
    for (let r = c + 1; r < M; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    for (let r = 0; r < M; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let k = c; k < A[r].length; k++) A[r][k] -= f * A[c][k];
    }
  }
  return A.map((r, i) => r.slice(M).map((v) => v / A[i][i]));
}

/** Linear-identifiability R². */
export const linearR2Exercise: ExerciseSpec<[number[][], number[][]]> = {
  id: 'linear-r2',
  title: 'Linear-identifiability R²',
  functionName: 'linearR2',
  signature: 'linearR2(rep: number[][], latents: number[][]): number',
  params: ['rep', 'latents'],
  cases: r2Cases,
  reference: linearR2,
  mistakes: [
    { message: 'average R² uniformly over the latents (one R² per latent, then their mean), not pooled over all latents', fn: (r, z) => r2Variant(r, z, true, true) },
    { message: 'fit an intercept (centre rep and latents, or add a column of ones)', fn: (r, z) => r2Variant(r, z, false, false) },
  ],
  forbidden: [{ pattern: /\.(r2Score|linearIdentifiability|explainedVariance)\s*\(/, message: 'compute R² yourself (1 − SS_res/SS_tot per latent); sw.RidgeRegression is allowed, sw.r2Score is not' }],
};

function twoAfcCases(rng: Rng): { args: [number[], number[][], number, number] }[] {
  return Array.from({ length: 5 }, (_, c) => {
    const B = intIn(rng, 30, 50), dim = 4;
    const dir = Array.from({ length: dim }, () => rng.normal());
    const signal = c === 4 ? 0 : 0.3 + rng.uniform();
    const acts = Array.from({ length: B }, () => rng.normal());
    const emb = acts.map((a) => dir.map((d) => signal * a * d + rng.normal()));
    const norm = emb.map((e) => Math.sqrt(e.reduce((s, v) => s + v * v, 0)));
    const sim = emb.map((e, i) => emb.map((f, j) => e.reduce((s, v, k) => s + v * f[k], 0) / (norm[i] * norm[j])));
    return { args: [acts, sim, intIn(rng, 3, 6), intIn(rng, 3, 6)] };
  });
}

/** 2AFC score of one unit (exhaustive over query pairs). */
export const twoAfcExercise: ExerciseSpec<[number[], number[][], number, number]> = {
  id: 'two-afc',
  title: '2AFC interpretability score of a unit',
  functionName: 'twoAfcUnit',
  signature: 'twoAfcUnit(acts: number[], sim: number[][], references: number, queries: number): number',
  params: ['acts', 'sim', 'references', 'queries'],
  cases: twoAfcCases,
  reference: twoAfcUnit,
  mistakes: [
    { message: 'the judge compares both queries: Δ = [s(q⁺,E⁺) − s(q⁺,E⁻)] − [s(q⁻,E⁺) − s(q⁻,E⁻)], not q⁺ alone', fn: (a, s, r, q) => {
      const o = rankDescending(a), B = o.length;
      return twoAfcPools(s, o.slice(0, r), o.slice(B - r), o.slice(r, r + q), o.slice(B - r - q, B - r), true);
    } },
    { message: 'queries are the examples right after the references (ranks references+1 … references+queries from each end), not the references themselves', fn: (a, s, r, q) => {
      const o = rankDescending(a), B = o.length;
      return twoAfcPools(s, o.slice(0, r), o.slice(B - r), o.slice(0, q), o.slice(B - q));
    } },
  ],
};
