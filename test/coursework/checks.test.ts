/**
 * The exercise checkers: each passes an independent (student-style) implementation on several seeds and
 * gives its specific feedback for planted mistakes, without printing reference values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, solved } from '../../src/coursework/check';
import { EXERCISES } from '../../src/coursework/exercises';
import { callStudent, judge, makeCases } from '../../src/coursework/exercise';
import * as ref from '../../src/coursework/reference';
import { normalCdf, normalPdf } from '../../src/coursework/reference/normal';
import { linearSumAssignment } from '../../src/metrics/hungarian';
import { RidgeRegression } from '../../src/metrics/regression';

const SEEDS = [1, 2, 3];
type F = (...a: any[]) => unknown;
const run = (id: string, fn: F, seed = 11) => check(id, fn, { seed, quiet: true });
const passes = (id: string, fn: F) => {
  for (const seed of SEEDS) {
    const r = run(id, fn, seed);
    assert.equal(r.passed, true, `${id}, seed ${seed}: ${r.feedback}`);
    assert.equal(r.casesPassed, r.cases);
  }
};
const failsWith = (id: string, fn: F, re: RegExp) => {
  const r = run(id, fn);
  assert.equal(r.passed, false, `${id} should fail`);
  assert.match(r.feedback, re);
  return r;
};

// --- student-style implementations, written from the definitions (not the references) ---
const soft = (z: number[], l: number) => z.map((v) => Math.sign(v) * Math.max(Math.abs(v) - l, 0));
const mm = (A: number[][], B: number[][]) => A.map((a) => B[0].map((_, j) => a.reduce((s, v, k) => s + v * B[k][j], 0)));
const tr = (A: number[][]) => A[0].map((_, j) => A.map((r) => r[j]));
const ista = (Z: number[][], X: number[][], D: number[][], l: number, s: number) => {
  const R = mm(Z, D).map((r, b) => r.map((v, m) => v - X[b][m]));
  const G = mm(R, tr(D));
  return Z.map((z, b) => soft(z.map((v, i) => v - s * G[b][i]), l * s));
};
const corrAbs = (T: number[][], P: number[][]) => {
  const B = T.length;
  const col = (Z: number[][], j: number) => { const c = Z.map((r) => r[j]); const mu = c.reduce((s, v) => s + v, 0) / B; return c.map((v) => v - mu); };
  const n = (a: number[]) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
  return T[0].map((_, i) => P[0].map((_, j) => {
    const a = col(T, i), b = col(P, j), d = n(a) * n(b);
    return d === 0 ? 0 : Math.abs(a.reduce((s, v, k) => s + v * b[k], 0)) / d;
  }));
};
const mcc = (T: number[][], P: number[][]) => {
  const C = corrAbs(T, P);
  const a = linearSumAssignment(C, { maximize: true });
  let s = 0;
  for (let k = 0; k < a.rowInd.length; k++) s += C[a.rowInd[k]][a.colInd[k]];
  return s / T[0].length;
};

test('soft-threshold: a correct implementation passes; the reference passes', () => {
  passes('soft-threshold', soft);
  passes('soft-threshold', ref.softThreshold);
});

test('soft-threshold: one-sided threshold, hard threshold, missing clamp, NaN, wrong length, not implemented', () => {
  failsWith('soft-threshold', (z: number[], l: number) => z.map((v) => Math.max(v - l, 0)), /symmetric/);
  // one-sided in the other way round: only the region z < −λ is right → region feedback
  failsWith('soft-threshold', (z: number[], l: number) => z.map((v) => (v < -l ? v + l : 0)), /values match except where z > λ/);
  failsWith('soft-threshold', (z: number[], l: number) => z.map((v) => (Math.abs(v) > l ? v : 0)), /hard thresholding/);
  failsWith('soft-threshold', (z: number[], l: number) => z.map((v) => v - l * Math.sign(v)), /values match except where \|z\| ≤ λ/);
  failsWith('soft-threshold', (z: number[], l: number) => z.map((v) => (v === 0 ? 0 / 0 : soft([v], l)[0])), /NaN/);
  failsWith('soft-threshold', (z: number[], l: number) => soft(z, l).slice(1), /length \d+, expected length \d+: off by one/);
  failsWith('soft-threshold', () => { throw new Error('not implemented yet: soft-threshold'); }, /^not implemented yet/);
  failsWith('soft-threshold', (z: number[], l: number) => soft(z, l).map((v) => -v), /wrong sign/);
  failsWith('soft-threshold', (z: number[]) => z.map(String), /not a number/);
  failsWith('soft-threshold', (z: number[], l: number) => { soft(z, l); }, /undefined/);
});

test('feedback never contains the reference values', () => {
  const r = failsWith('soft-threshold', (z: number[], l: number) => z.map((v) => Math.max(v - l, 0)), /./);
  assert.doesNotMatch(r.feedback, /\d\.\d{3,}/);
});

test('ista-step: correct passes; transposed result, uphill step, λ threshold, no threshold, ShapeError from a transposed D', () => {
  passes('ista-step', ista);
  failsWith('ista-step', (...a: [number[][], number[][], number[][], number, number]) => tr(ista(...a)), /transposed.*did you transpose D\?/);
  failsWith('ista-step', (Z: number[][], X: number[][], D: number[][], l: number, s: number) => {
    const G = mm(mm(Z, D).map((r, b) => r.map((v, m) => v - X[b][m])), tr(D));
    return Z.map((z, b) => soft(z.map((v, i) => v + s * G[b][i]), l * s));
  }, /uphill/);
  failsWith('ista-step', (Z: number[][], X: number[][], D: number[][], l: number, s: number) => ista(Z, X, D, l / s, s), /λ·step/);
  failsWith('ista-step', (Z: number[][], X: number[][], D: number[][], _l: number, s: number) => ista(Z, X, D, 0, s), /did not soft-threshold/);
  failsWith('ista-step', (Z: number[][], X: number[][], D: number[][]) => {
    if (D.length !== D[0].length) throw new Error('ShapeError: matmul: A is 3×5 and B is 12×5');
    return Z;
  }, /threw.*orientation of D/);
  failsWith('ista-step', (...a: [number[][], number[][], number[][], number, number]) => ista(...a).map((r) => r.map((v) => 2 * v)), /constant factor \(about ×2\.00\)/);
});

test('fista-momentum', () => {
  passes('fista-momentum', (a: number[], b: number[], t: number) => {
    const tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    return { y: a.map((v, i) => v + ((t - 1) / tn) * (v - b[i])), t: tn };
  });
  failsWith('fista-momentum', (a: number[], b: number[], t: number) => {
    const tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    return { y: a.map((v, i) => v + ((t - 1) / t) * (v - b[i])), t: tn };
  }, /new t/);
  failsWith('fista-momentum', (a: number[]) => ({ y: a }), /no field 't'/);
  failsWith('fista-momentum', (a: number[]) => a, /return an object with the fields \{ y, t \}/);
});

test('mcc: correct passes; no abs, no matching, greedy, covariances are recognised; sw.mcc is refused', () => {
  passes('mcc', mcc);
  failsWith('mcc', (T: number[][], P: number[][]) => { const C = corrAbs(T, P); return C.reduce((s, r, i) => s + (r[i] ?? 0), 0) / C.length; }, /match true features/);
  failsWith('mcc', (T: number[][], P: number[][]) => corrAbs(T, P).reduce((s, r) => s + Math.max(...r), 0) / T[0].length, /only: use the Hungarian/);
  failsWith('mcc', (T: number[][], P: number[][]) => mcc(T, P) * T[0].length / P[0].length, /./);
  const viaLib = { f(T: number[][], P: number[][]) { return (globalThis as any).sw?.mcc(T, P) ?? ref.matchedMcc(T, P); } };
  failsWith('mcc', viaLib.f, /sw\.mcc/);
});

test('feature-dimensionality', () => {
  const fd = (W: number[][]) => W.map((wi) => {
    const n2 = wi.reduce((s, v) => s + v * v, 0);
    if (n2 < 1e-12) return 0;
    const den = W.reduce((s, wj) => s + (wi.reduce((t, v, k) => t + v * wj[k], 0) ** 2) / n2, 0);
    return n2 / den;
  });
  passes('feature-dimensionality', fd);
  failsWith('feature-dimensionality', (W: number[][]) => W.map((wi) => {
    const n2 = wi.reduce((s, v) => s + v * v, 0);
    return n2 / W.reduce((s, wj) => s + (wi.reduce((t, v, k) => t + v * wj[k], 0) ** 2), 0);
  }), /NaN|normalise W_i/);
  failsWith('feature-dimensionality', (W: number[][]) => fd(W).map((v, i) => (i === 0 ? 1 : v)), /values match except where W_i = 0/);
});

test('donoho-tanner: a grid-search implementation passes; swapped κ is recognised; the library call is refused', () => {
  const dt = (delta: number, kind: string) => {
    const k = kind === 'signed' ? 2 : 1;
    let best = -Infinity;
    for (let t = 0; t <= 10; t += 0.0005) {
      const psi = (1 + t * t) * normalCdf(-t) - t * normalPdf(t);
      best = Math.max(best, (1 - (k / delta) * psi) / (1 + t * t - k * psi));
    }
    return best;
  };
  passes('donoho-tanner', dt);
  failsWith('donoho-tanner', (d: number, kind: string) => dt(d, kind === 'signed' ? 'nonneg' : 'signed'), /κ is 2/);
});

test('linear-r2: least squares + uniform R² passes; pooled R² is recognised', () => {
  const r2 = (rep: number[][], Z: number[][], pooled = false) => {
    const P = new RidgeRegression({ alpha: 0 }).fit(rep, Z).predict(rep);
    const B = Z.length, N = Z[0].length;
    let u = 0, sr = 0, st = 0;
    for (let j = 0; j < N; j++) {
      const mu = Z.reduce((s, r) => s + r[j], 0) / B;
      let res = 0, tot = 0;
      for (let b = 0; b < B; b++) { res += (Z[b][j] - P.data[b * N + j]) ** 2; tot += (Z[b][j] - mu) ** 2; }
      u += 1 - res / tot; sr += res; st += tot;
    }
    return pooled ? 1 - sr / st : u / N;
  };
  passes('linear-r2', (a: number[][], b: number[][]) => r2(a, b));
  failsWith('linear-r2', (a: number[][], b: number[][]) => r2(a, b, true), /uniformly/);
});

test('two-afc: an exhaustive implementation passes; a judge looking at q⁺ only is recognised', () => {
  const afc = (acts: number[], sim: number[][], r: number, q: number, plusOnly = false) => {
    const o = acts.map((_, i) => i).sort((a, b) => acts[b] - acts[a] || a - b);
    const Ep = o.slice(0, r), Em = o.slice(o.length - r);
    const m = (x: number, E: number[]) => E.reduce((s, e) => s + sim[x][e], 0) / E.length;
    let sc = 0;
    for (const p of o.slice(r, r + q)) for (const n of o.slice(o.length - r - q, o.length - r)) {
      const d = m(p, Ep) - m(p, Em) - (plusOnly ? 0 : m(n, Ep) - m(n, Em));
      sc += d > 0 ? 1 : d === 0 ? 0.5 : 0;
    }
    return sc / (q * q);
  };
  passes('two-afc', (a: number[], s: number[][], r: number, q: number) => afc(a, s, r, q));
  failsWith('two-afc', (a: number[], s: number[][], r: number, q: number) => afc(a, s, r, q, true), /compares both queries/);
});

test('sae-loss: correct passes; unweighted L1, missing bias, ½ factor are recognised', () => {
  const loss = (X: number[][], Z: number[][], D: number[][], b: number[], l: number, o: { weight?: boolean; bias?: boolean; half?: boolean } = {}) => {
    const w = D.map((d) => Math.sqrt(d.reduce((s, v) => s + v * v, 0)));
    let tot = 0;
    X.forEach((x, i) => {
      const xh = x.map((_, m) => Z[i].reduce((s, z, k) => s + z * D[k][m], 0) + (o.bias === false ? 0 : b[m]));
      tot += (o.half ? 0.5 : 1) * x.reduce((s, v, m) => s + (v - xh[m]) ** 2, 0);
      tot += l * Z[i].reduce((s, z, k) => s + Math.abs(z) * (o.weight === false ? 1 : w[k]), 0);
    });
    return tot / X.length;
  };
  passes('sae-loss', (...a: [number[][], number[][], number[][], number[], number]) => loss(...a));
  failsWith('sae-loss', (...a: [number[][], number[][], number[][], number[], number]) => loss(...a, { weight: false }), /norm ‖d_i‖ of its decoder row/);
  failsWith('sae-loss', (...a: [number[][], number[][], number[][], number[], number]) => loss(...a, { bias: false }), /decoder bias/);
  failsWith('sae-loss', (...a: [number[][], number[][], number[][], number[], number]) => loss(...a, { half: true }), /no ½/);
});

test('every registered checker: ≥ 5 cases, one parameter name per argument, and its reference passes its own judge', () => {
  for (const spec of Object.values(EXERCISES)) {
    const cases = makeCases(spec, 5);
    assert.ok(cases.length >= 5, spec.id);
    assert.equal(spec.params.length, spec.reference.length, `${spec.id}: params vs reference arity`);
    const r = judge(spec, cases, cases.map((c) => callStudent(spec.reference as F, c, spec.params)), 5);
    assert.equal(r.passed, true, `${spec.id}: ${r.feedback}`);
    // and every known mistake is recognised as wrong on at least one case
    for (const m of spec.mistakes ?? []) {
      const w = judge(spec, cases, cases.map((c) => callStudent(m.fn as F, c, spec.params)), 5);
      assert.equal(w.passed, false, `${spec.id}: mistake '${m.message}' passes`);
    }
  }
});

test('a function that mutates its input passes with a note; a Promise is refused', () => {
  const r = run('soft-threshold', (z: number[], l: number) => { const o = soft(z, l); z.fill(0); return o; });
  assert.equal(r.passed, true);
  assert.match(r.feedback, /changed its input z/);
  failsWith('soft-threshold', async (z: number[], l: number) => soft(z, l), /Promise/);
});

test('solved() returns the student function when it passes, else the reference with a note', () => {
  const logs: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => { logs.push(a.join(' ')); };
  try {
    const good = solved(soft, ref.softThreshold, 'soft-threshold');
    const stub = (_z: number[], _l: number): number[] => { throw new Error('not implemented yet: soft-threshold'); };
    const bad = solved(stub, ref.softThreshold, 'soft-threshold');
    assert.equal(good, soft);
    assert.equal(bad, ref.softThreshold);
  } finally {
    console.log = orig;
  }
  assert.equal(logs.length, 1);
  assert.match(logs[0], /not implemented yet; the cells below use the library's reference implementation/);
});

test('check prints ✔/✘ with a replayable seed and never throws for a broken function', () => {
  const logs: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => { logs.push(a.join(' ')); };
  try {
    check('mcc', () => { throw new TypeError('x is undefined'); }, { seed: 99 });
    check('mcc', mcc, { seed: 99 });
    check('mcc', undefined);
  } finally {
    console.log = orig;
  }
  assert.match(logs[0], /^✘ .*threw TypeError: x is undefined[\s\S]*seed: 99/);
  assert.match(logs[1], /^✔ /);
  assert.match(logs[2], /expected your function matchedMcc, got undefined/);
});

test('superposition: correct passes; j = i, no normalisation, cosines, unsquared, columns, no zero guard are recognised', () => {
  const sup = (W: number[][], o: { self?: boolean; norm?: 'i' | 'none' | 'both'; pow?: 1 | 2; guard?: boolean } = {}) => W.map((wi, i) => {
    const dot = (a: number[], b: number[]) => a.reduce((s, v, k) => s + v * b[k], 0);
    const n2 = dot(wi, wi);
    if (o.guard !== false && n2 < 1e-12) return 0;
    let s = 0;
    W.forEach((wj, j) => {
      if (j === i && !o.self) return;
      let d = dot(wi, wj);
      if (o.norm !== 'none') d /= Math.sqrt(n2);
      if (o.norm === 'both') { const nj = Math.sqrt(dot(wj, wj)); d = nj > 0 ? d / nj : 0; }
      s += (o.pow ?? 2) === 2 ? d * d : d;
    });
    return s;
  });
  passes('superposition', (W: number[][]) => sup(W));
  passes('superposition', ref.superposition);
  failsWith('superposition', (W: number[][]) => sup(W, { self: true }), /j ≠ i/);
  failsWith('superposition', (W: number[][]) => sup(W, { norm: 'none' }), /normalise W_i: /);
  failsWith('superposition', (W: number[][]) => sup(W, { norm: 'both' }), /normalise W_i only, not W_j/);
  failsWith('superposition', (W: number[][]) => sup(W, { pow: 1 }), /square each overlap/);
  failsWith('superposition', (W: number[][]) => sup(tr(W)), /not the columns/);
  failsWith('superposition', (W: number[][]) => sup(W, { guard: false }), /NaN/);
  failsWith('superposition', (W: number[][]) => sup(W).map((v, i) => (i === 1 ? 1 : v)), /values match except where W_i = 0/);
});

test('ridge-fit: normal equations pass; missing α, α on every entry, an intercept, a transposed W are recognised', () => {
  // Student-style: Gauss–Jordan on (XᵀX + αI | XᵀY).
  const fit = (X: number[][], Y: number[][], a: number, o: { diag?: 'I' | 'all' | 'none'; centre?: boolean } = {}) => {
    const mean = (A: number[][]) => A[0].map((_, j) => A.reduce((s, r) => s + r[j], 0) / A.length);
    if (o.centre) { const mx = mean(X), my = mean(Y); X = X.map((r) => r.map((v, j) => v - mx[j])); Y = Y.map((r) => r.map((v, j) => v - my[j])); }
    const G = mm(tr(X), X), R = mm(tr(X), Y), p = G.length;
    G.forEach((r, i) => r.forEach((_, j) => { if ((o.diag ?? 'I') === 'all' || ((o.diag ?? 'I') === 'I' && i === j)) r[j] += a; }));
    const A = G.map((r, i) => [...r, ...R[i]]);
    for (let c = 0; c < p; c++) for (let r = 0; r < p; r++) if (r !== c) { const f = A[r][c] / A[c][c]; A[r] = A[r].map((v, k) => v - f * A[c][k]); }
    return A.map((r, i) => r.slice(p).map((v) => v / A[i][i]));
  };
  passes('ridge-fit', (X: number[][], Y: number[][], a: number) => fit(X, Y, a));
  passes('ridge-fit', ref.ridgeFit);
  failsWith('ridge-fit', (X: number[][], Y: number[][], a: number) => fit(X, Y, a, { diag: 'none' }), /add α to the diagonal/);
  failsWith('ridge-fit', (X: number[][], Y: number[][], a: number) => fit(X, Y, a, { diag: 'all' }), /diagonal only/);
  failsWith('ridge-fit', (X: number[][], Y: number[][], a: number) => fit(X, Y, a, { centre: true }), /no intercept/);
  failsWith('ridge-fit', (X: number[][], Y: number[][], a: number) => tr(fit(X, Y, a)), /transposed.*one row per input/);
  // α = 0 is ordinary least squares (closed form on a planted exact fit: W recovered exactly)
  const X = [[1, 0], [0, 1], [1, 1], [2, -1]], Wt = [[2, -1, 0.5], [3, 0, 1]];
  const W = ref.ridgeFit(X, mm(X, Wt), 0);
  W.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - Wt[i][j]) < 1e-12)));
  // scalar closed form: p = q = 1, w = Σxy / (Σx² + α)
  assert.ok(Math.abs(ref.ridgeFit([[1], [2]], [[3], [4]], 5)[0][0] - 11 / 10) < 1e-14);
});
