import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mse, fvu, explainedVariance, r2Score, ReconstructionAccumulator } from '../../src/metrics/reconstruction';
import { ShapeError, ValueError } from '../../src/core/errors';
import { fixtures, f64, close, allClose } from './helpers';

test('MSE, FVU and explained variance on a hand-computed case', () => {
  const X = [[1, 2], [3, 4], [5, 6]];
  const Xh = [[1, 2], [3, 5], [4, 6]];
  close(mse(X, Xh), 2 / 6, 1e-15, 'mse');
  // Column means 3 and 4; total sum of squares (4+0+4) + (4+0+4) = 16; residual 2.
  close(fvu(X, Xh), 2 / 16, 1e-15, 'fvu');
  close(explainedVariance(X, Xh), 14 / 16, 1e-15, 'explained variance');
  close(fvu(X, X), 0, 0, 'perfect');
  close(fvu(X, [[3, 4], [3, 4], [3, 4]]), 1, 1e-15, 'predicting the mean');
});

test('r2Score matches scikit-learn r2_score (uniform, variance-weighted, raw)', () => {
  const fx = fixtures.regression;
  const y = f64(fx.Yte), p = f64(fx.ridgePred);
  close(r2Score(y, p), fx.r2Uniform, 1e-12, 'uniform_average');
  close(r2Score(y, p, { multioutput: 'variance_weighted' }), fx.r2Weighted, 1e-12, 'variance_weighted');
  allClose(r2Score(y, p, { multioutput: 'raw_values' }), fx.r2Raw, 1e-12, 'raw_values');
  close(r2Score(y, p, { multioutput: 'variance_weighted' }), 1 - fvu(y, p), 1e-12, 'variance_weighted = 1 − FVU');
});

test('r2Score on constant targets follows scikit-learn (1 if exact, else 0)', () => {
  assert.deepEqual(Array.from(r2Score([[1, 2], [1, 3]], [[1, 2], [1, 3]], { multioutput: 'raw_values' })), [1, 1]);
  assert.deepEqual(Array.from(r2Score([[1, 2], [1, 3]], [[0, 2], [1, 3]], { multioutput: 'raw_values' })), [0, 1]);
});

test('reconstruction metrics validate shapes and values', () => {
  assert.throws(() => mse([[1, 2]], [[1, 2, 3]]), ShapeError);
  assert.throws(() => fvu([[1, 2], [1, 2]], [[1, 2], [1, 2]]), ValueError); // zero variance
  assert.throws(() => mse([[NaN]], [[1]]), ValueError);
});

test('ReconstructionAccumulator: FVU, mean L0 and dead features over blocks equal the whole-data values, also for data with a mean 1e6 times its spread', () => {
  const B = 103, M = 5, N = 7;
  let s = 7;
  const rnd = () => { s = (s * 1103515245 + 12345) % 2 ** 31; return s / 2 ** 31 - 0.5; };
  for (const offset of [0, 1e6]) {
    const X = new Float64Array(B * M).map(() => offset + rnd()), Xh = X.map((v) => v + 0.1 * rnd());
    const Z = new Float64Array(B * N).map((_, q) => (q % N === 3 || rnd() < 0.1 ? 0 : 1)); // feature 3 never used
    const acc = new ReconstructionAccumulator(M, N);
    for (const [a, b] of [[0, 1], [1, 40], [40, 40], [40, 103]]) acc.add(X.subarray(a * M, b * M), Xh.subarray(a * M, b * M), Z.subarray(a * N, b * N));
    const whole = fvu({ rows: B, cols: M, data: X }, { rows: B, cols: M, data: Xh });
    close(acc.fvu, whole, 1e-9 * whole, `offset ${offset}`);
    let nnz = 0;
    for (const v of Z) if (v !== 0) nnz++;
    assert.equal(acc.meanL0, nnz / B);
    assert.equal(acc.deadFraction, 1 / N);
    assert.equal(acc.rows, B);
  }
  assert.throws(() => new ReconstructionAccumulator(2).add([1, 2, 3], [1, 2, 3]), ShapeError);
  const constant = new ReconstructionAccumulator(2);
  constant.add([1, 2, 1, 2], [1, 2, 1, 2]);
  assert.throws(() => constant.fvu, ValueError);
});
