import { test } from 'node:test';
import assert from 'node:assert/strict';
import { omp } from '../../src/sparse/omp';
import { iht } from '../../src/sparse/iht';
import { plantedSparseProblem } from '../../src/sparse/synthetic';
import { matmul } from '../../src/core/matrix';
import { loadSparseFixtures, supportOf } from './fixtures';

const fixtures = loadSparseFixtures();

test("omp picks the same supports as scikit-learn's orthogonal_mp_gram, with the same coefficients", () => {
  let checked = 0;
  for (const f of fixtures.filter((x) => x.ompSupport)) {
    const r = omp(f.X, f.D, { k: f.K });
    for (let b = 0; b < f.B; b++) {
      assert.deepEqual(supportOf(r.codes, b), f.ompSupport![b], `${f.name} sample ${b}`);
      for (let j = 0; j < f.N; j++) {
        assert.ok(Math.abs(r.codes.data[b * f.N + j] - f.ompCodes!.data[b * f.N + j]) < 1e-5, `${f.name} sample ${b} atom ${j}`);
      }
      checked++;
    }
    assert.equal(r.iterations, f.K);
  }
  assert.ok(checked >= 15);
});

test('omp objective is the mean half squared residual of its codes', () => {
  const f = fixtures[0];
  const r = omp(f.X, f.D, { k: f.K });
  const R = matmul(r.codes, f.D);
  let s = 0;
  for (let i = 0; i < R.data.length; i++) s += (f.X.data[i] - R.data[i]) ** 2;
  assert.ok(Math.abs(r.objective - s / 2 / f.B) < 1e-6 * r.objective + 1e-12);
});

test('omp with a residual tolerance stops early (‖r‖² ≤ tol)', () => {
  const { X, D } = plantedSparseProblem({ n: 50, m: 40, b: 10, k: 2, seed: 3 });
  const r = omp(X, D, { k: 10, tol: 1e-8 });
  for (let b = 0; b < 10; b++) assert.equal(supportOf(r.codes, b).length, 2, `sample ${b}`);
  const full = omp(X, D, { k: 10 });
  assert.ok(full.iterations > r.iterations);
});

for (const nonneg of [false, true]) {
  test(`planted K-sparse codes are recovered exactly by OMP and IHT (noiseless, incoherent, nonneg=${nonneg})`, () => {
    const { X, D, Z } = plantedSparseProblem({ n: 64, m: 48, b: 20, k: 3, nonneg, seed: 11 });
    for (const r of [omp(X, D, { k: 3, nonneg }), iht(X, D, { k: 3, nonneg, tol: 1e-10 })]) {
      for (let b = 0; b < 20; b++) {
        assert.deepEqual(supportOf(r.codes, b), supportOf(Z, b), `sample ${b}`);
        for (let j = 0; j < 64; j++) assert.ok(Math.abs(r.codes.data[b * 64 + j] - Z.data[b * 64 + j]) < 1e-4);
      }
      assert.ok(r.objective < 1e-9);
    }
  });
}

test('non-negative OMP and IHT never return negative codes and keep at most k atoms', () => {
  const f = fixtures.find((x) => x.name === 'coherent_signed')!; // signed data: positivity binds
  for (const r of [omp(f.X, f.D, { k: 4, nonneg: true }), iht(f.X, f.D, { k: 4, nonneg: true })]) {
    assert.ok(r.codes.data.every((v) => v >= 0));
    for (let b = 0; b < f.B; b++) assert.ok(supportOf(r.codes, b).length <= 4);
  }
});

test('iht with a fixed step recovers planted codes on a nearly orthogonal dictionary (M ≫ N)', () => {
  const { X, D, Z } = plantedSparseProblem({ n: 32, m: 256, b: 5, k: 2, seed: 5 });
  const r = iht(X, D, { k: 2, step: 0.5, tol: 1e-12, maxIter: 5000 });
  for (let b = 0; b < 5; b++) assert.deepEqual(supportOf(r.codes, b), supportOf(Z, b));
  assert.ok(r.objective < 1e-8, `objective ${r.objective}`);
});

test('iht warm-started at the planted codes stays there; a warm start with too many entries keeps its top k', () => {
  const { X, D, Z } = plantedSparseProblem({ n: 64, m: 48, b: 6, k: 3, seed: 13 });
  const r = iht(X, D, { k: 3, init: Z, tol: 1e-10 });
  const cold = iht(X, D, { k: 3, tol: 1e-10 });
  assert.ok(r.iterations < cold.iterations, `warm ${r.iterations} vs cold ${cold.iterations} iterations`);
  for (let i = 0; i < Z.data.length; i++) assert.ok(Math.abs(r.codes.data[i] - Z.data[i]) < 1e-6);
  const r2 = iht(X, D, { k: 2, init: Z });
  for (let b = 0; b < 6; b++) assert.ok(supportOf(r2.codes, b).length <= 2);
  assert.throws(() => iht(X, D, { k: 3, init: [[1, 2]] }), /init/);
});
