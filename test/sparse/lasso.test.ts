import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fista, ista } from '../../src/sparse/proximal';
import { lassoCD } from '../../src/sparse/cd';
import { sparseEncode } from '../../src/sparse/encode';
import { dualityGap, lassoObjective } from '../../src/sparse/objective';
import { plantedSparseProblem } from '../../src/sparse/synthetic';
import { loadSparseFixtures, supportOf } from './fixtures';
import { LassoOptions, SparseCodeResult } from '../../src/sparse/types';
import { MatrixLike } from '../../src/core/matrix';

const fixtures = loadSparseFixtures();
type Solver = (X: MatrixLike, D: MatrixLike, o: LassoOptions) => SparseCodeResult;
const solvers: Array<[string, Solver, LassoOptions extends infer _ ? Partial<LassoOptions> : never]> = [
  ['lassoCD', lassoCD, { tol: 1e-10 }],
  ['fista', fista, { tol: 1e-10, maxIter: 20000 }],
  ['ista', ista, { tol: 1e-9, stop: 'gap', maxIter: 200000 }],
];

for (const [name, solve, extra] of solvers) {
  test(`${name} reaches scikit-learn's lasso objective within 1e-5 relative on every fixture`, () => {
    for (const f of fixtures) {
      const r = solve(f.X, f.D, { lambda: f.lam, nonneg: f.nonneg, progress: false, ...extra });
      const rel = Math.abs(r.objective - f.lassoObjective) / f.lassoObjective;
      assert.ok(rel <= 1e-5, `${name} on ${f.name}: objective ${r.objective} vs scikit-learn ${f.lassoObjective} (rel ${rel})`);
      // the reported objective is the objective of the returned codes
      assert.ok(Math.abs(lassoObjective(f.X, f.D, r.codes, f.lam) - r.objective) <= 1e-6 * r.objective);
      assert.ok(r.dualityGap !== undefined && r.dualityGap >= 0 && r.dualityGap <= 1e-4 * r.objective,
        `${name} on ${f.name}: duality gap ${r.dualityGap}`);
      assert.ok(f.lassoObjective >= r.objective - r.dualityGap! - 1e-12, `${name} on ${f.name}: gap does not bound the suboptimality`);
      if (f.nonneg) assert.ok(r.codes.data.every((v) => v >= 0), `${name} on ${f.name}: negative code with nonneg`);
      assert.equal(r.codes.rows, f.B); assert.equal(r.codes.cols, f.N);
      assert.ok(r.codes.data instanceof Float32Array);
    }
  });
}

test('lassoCD codes match scikit-learn coordinate-wise on incoherent problems', () => {
  for (const f of fixtures.filter((x) => !x.coherent)) {
    const r = lassoCD(f.X, f.D, { lambda: f.lam, nonneg: f.nonneg, tol: 1e-12, progress: false });
    for (let i = 0; i < r.codes.data.length; i++) {
      assert.ok(Math.abs(r.codes.data[i] - f.lassoCodes.data[i]) < 1e-4, `${f.name} entry ${i}: ${r.codes.data[i]} vs ${f.lassoCodes.data[i]}`);
    }
  }
});

test("stop: 'gap' meets the relative duality gap it was asked for", () => {
  const f = fixtures.find((x) => x.name === 'coherent_signed')!;
  for (const solve of [lassoCD, fista]) {
    // (codes are returned in float32: their rounding alone leaves a relative gap of ~1e-7 here)
    const r = solve(f.X, f.D, { lambda: f.lam, stop: 'gap', tol: 1e-6, maxIter: 100000, progress: false });
    assert.ok(r.converged);
    assert.ok(r.dualityGap! <= 1e-6 * r.objective, `gap ${r.dualityGap} objective ${r.objective}`);
    // the reported gap uses the solver's float64 iterate as dual point: never looser than the codes' own
    // residual, and still a valid bound — scikit-learn's optimum lies within it
    assert.ok(r.dualityGap! <= dualityGap(f.X, f.D, r.codes, f.lam) * (1 + 1e-9) + 1e-15);
    assert.ok(f.lassoObjective >= r.objective - r.dualityGap! - 1e-12, 'the duality gap must bound the suboptimality');
  }
});

test('a warm start at the solution converges in very few iterations', () => {
  const f = fixtures.find((x) => x.name === 'incoherent_nonneg')!;
  const cold = fista(f.X, f.D, { lambda: f.lam, nonneg: true, tol: 1e-8, progress: false, maxIter: 20000 });
  const warm = fista(f.X, f.D, { lambda: f.lam, nonneg: true, tol: 1e-8, init: f.lassoCodes, progress: false });
  assert.ok(warm.iterations < cold.iterations / 3, `warm ${warm.iterations} vs cold ${cold.iterations} iterations`);
  const cd = lassoCD(f.X, f.D, { lambda: f.lam, nonneg: true, tol: 1e-8, init: f.lassoCodes, progress: false });
  assert.ok(Math.abs(cd.objective - f.lassoObjective) <= 1e-7 * f.lassoObjective);
  assert.ok(cd.iterations <= 3, `cd warm-started used ${cd.iterations} sweeps`);
});

test('plain FISTA (no restart) also converges; restart needs fewer iterations on a coherent problem', () => {
  const f = fixtures.find((x) => x.name === 'coherent_nonneg')!;
  const a = fista(f.X, f.D, { lambda: f.lam, nonneg: true, tol: 1e-9, restart: false, maxIter: 50000, progress: false });
  const b = fista(f.X, f.D, { lambda: f.lam, nonneg: true, tol: 1e-9, restart: true, maxIter: 50000, progress: false });
  assert.ok(Math.abs(a.objective - f.lassoObjective) <= 1e-5 * f.lassoObjective);
  assert.ok(b.iterations < a.iterations, `restart ${b.iterations} vs plain ${a.iterations}`);
});

test('atoms need not be unit-norm: scaling atom j by s scales its code by 1/s at λ-rescaled optimum', () => {
  // ½‖x − zD‖² + λ‖z‖₁ with D' = diag(s)·D and z' = z/s has the same fit but penalty λ Σ|z_j|/s_j;
  // with all s_j = 2 and λ' = λ/2 the optimum is exactly z/2.
  const f = fixtures.find((x) => x.name === 'incoherent_signed')!;
  const D2 = { rows: f.D.rows, cols: f.D.cols, data: f.D.data.map((v) => 2 * v) };
  const r = lassoCD(f.X, D2, { lambda: f.lam * 2, tol: 1e-12, progress: false });
  for (let i = 0; i < r.codes.data.length; i++) assert.ok(Math.abs(2 * r.codes.data[i] - f.lassoCodes.data[i]) < 1e-4);
});

test('planted K-sparse codes: the non-negative lasso recovers the support exactly (noiseless, incoherent)', () => {
  const { X, D, Z } = plantedSparseProblem({ n: 64, m: 48, b: 20, k: 3, seed: 7 });
  const r = sparseEncode(X, D, { method: 'cd', lambda: 1e-3, nonneg: true, tol: 1e-10, progress: false });
  for (let b = 0; b < 20; b++) {
    assert.deepEqual(supportOf(r.codes, b, 1e-3), supportOf(Z, b), `sample ${b}`);
    for (let j = 0; j < 64; j++) assert.ok(Math.abs(r.codes.data[b * 64 + j] - Z.data[b * 64 + j]) < 5e-3);
  }
});

test('λ = 0 gives least squares; λ ≥ max|D x| gives zero codes', () => {
  const f = fixtures.find((x) => x.name === 'incoherent_signed')!;
  let big = 0;
  for (let b = 0; b < f.B; b++) for (let j = 0; j < f.N; j++) {
    let s = 0;
    for (let m = 0; m < f.M; m++) s += f.X.data[b * f.M + m] * f.D.data[j * f.M + m];
    big = Math.max(big, Math.abs(s));
  }
  const r = lassoCD(f.X, f.D, { lambda: big * 1.0001, progress: false });
  assert.ok(r.codes.data.every((v) => v === 0));
  assert.equal(r.dualityGap, 0);
  // N > M so least squares interpolates: residual → 0
  const ls = lassoCD(f.X, f.D, { lambda: 0, tol: 1e-12, maxIter: 100000, progress: false });
  assert.ok(ls.objective < 1e-6, `λ=0 objective ${ls.objective}`);
});
