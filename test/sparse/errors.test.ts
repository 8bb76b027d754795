import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fista, ista } from '../../src/sparse/proximal';
import { lassoCD } from '../../src/sparse/cd';
import { omp } from '../../src/sparse/omp';
import { iht } from '../../src/sparse/iht';
import { sparseEncode } from '../../src/sparse/encode';
import { dualityGap, lassoObjective } from '../../src/sparse/objective';
import { ShapeError, ValueError } from '../../src/core/errors';
import { fromRows } from '../../src/core/matrix';

const D = [[1, 0, 0], [0, 1, 0], [0.6, 0.8, 0], [0, 0, 1]]; // N=4, M=3
const X = [[1, 2, 3], [0, 1, 0]];                          // B=2, M=3
const lasso = [lassoCD, fista, ista];

test('shape mismatch between X and D names both shapes and hints at a transposed D', () => {
  const Dt = [[1, 0, 0.6, 0], [0, 1, 0.8, 0], [0, 0, 0, 1]]; // 3×4: transposed
  for (const f of lasso) {
    assert.throws(() => f(X, Dt, { lambda: 0.1 }), (e: Error) =>
      e instanceof ShapeError && /X has 3 columns but D has 4/.test(e.message) && /D looks transposed/.test(e.message));
  }
  assert.throws(() => omp([[1, 2]], D, { k: 1 }), (e: Error) => e instanceof ShapeError && /X has 2 columns but D has 3/.test(e.message));
  assert.throws(() => iht(X, [[1, 2]], { k: 1 }), ShapeError);
  assert.throws(() => lassoObjective(X, D, [[1, 2, 3, 4]], 0.1), (e: Error) => e instanceof ShapeError && /Z \(codes, B×N\)/.test(e.message));
});

test('NaN or Inf in X, D or init is rejected with its position', () => {
  for (const f of lasso) {
    assert.throws(() => f([[1, NaN, 3]], D, { lambda: 0.1 }), (e: Error) => e instanceof ValueError && /X.*NaN at flat index 1/.test(e.message));
    assert.throws(() => f(X, [[1, 0, 0], [0, Infinity, 0]], { lambda: 0.1 }), (e: Error) => e instanceof ValueError && /D.*Infinity/.test(e.message));
    assert.throws(() => f(X, D, { lambda: 0.1, init: fromRows([[0, 0, 0, NaN], [0, 0, 0, 0]]) }), /init.*NaN/);
  }
  assert.throws(() => omp([[1, 2, -Infinity]], D, { k: 1 }), /-Infinity/);
});

test('negative or missing λ is rejected', () => {
  for (const f of lasso) {
    assert.throws(() => f(X, D, { lambda: -0.1 }), (e: Error) => e instanceof ValueError && /lambda must be ≥ 0, got -0.1/.test(e.message));
    assert.throws(() => f(X, D, {} as { lambda: number }), /lambda is required/);
  }
  assert.throws(() => dualityGap(X, D, [[0, 0, 0, 0], [0, 0, 0, 0]], -1), /lambda/);
});

test('k larger than the number of atoms, or k < 1, is rejected', () => {
  for (const f of [omp, iht]) {
    assert.throws(() => f(X, D, { k: 5 }), (e: Error) => e instanceof ValueError && /k = 5 exceeds the number of atoms N = 4/.test(e.message));
    assert.throws(() => f(X, D, { k: 0 }), /k must be ≥ 1/);
    assert.throws(() => f(X, D, { k: 1.5 }), /integer/);
  }
});

test('a zero atom is rejected (it has no direction)', () => {
  const Dz = [[1, 0, 0], [0, 0, 0]];
  for (const f of lasso) assert.throws(() => f(X, Dz, { lambda: 0.1 }), (e: Error) => e instanceof ValueError && /row 1 is all zeros/.test(e.message));
  for (const f of [omp, iht]) assert.throws(() => f(X, Dz, { k: 1 }), /row 1 is all zeros/);
});

test('wrong warm-start shape, unknown method and bad options are rejected', () => {
  assert.throws(() => lassoCD(X, D, { lambda: 0.1, init: fromRows([[0, 0, 0, 0]]) }), (e: Error) => e instanceof ShapeError && /init/.test(e.message));
  assert.throws(() => sparseEncode(X, D, { method: 'lars' as 'cd' }), /unknown method 'lars'/);
  assert.throws(() => sparseEncode(X, D, { method: 'omp' }), /needs k/);
  assert.throws(() => sparseEncode(X, D, { method: 'fista' }), /needs lambda/);
  assert.throws(() => lassoCD(X, D, { lambda: 0.1, stop: 'x' as 'gap' }), /stop must be/);
  assert.throws(() => lassoCD(X, D, { lambda: 0.1, maxIter: 0 }), /maxIter/);
  assert.throws(() => iht(X, D, { k: 1, step: -1 }), /step/);
});
