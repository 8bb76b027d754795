import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linearIdentifiability, canonicalCorrelations, orthogonalProcrustes } from '../../src/metrics/identifiability';
import { RidgeRegression, KnnRegressor } from '../../src/metrics/regression';
import { trainTestSplit } from '../../src/metrics/split';
import { matrix, matmul } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';
import { ShapeError, ValueError } from '../../src/core/errors';
import { fixtures, f64, randn, close, allClose, flat } from './helpers';

test('RidgeRegression matches scikit-learn Ridge (coef, intercept, predictions)', () => {
  const fx = fixtures.regression;
  const m = new RidgeRegression({ alpha: fx.alpha }).fit(f64(fx.X), f64(fx.Y));
  allClose(m.coef!.data, flat(fx.coef), 1e-10, 'coef');
  allClose(m.intercept!, fx.intercept, 1e-10, 'intercept');
  allClose(m.predict(f64(fx.Xte)).data, flat(fx.ridgePred), 1e-10, 'predictions');
});

test('RidgeRegression with alpha 0 solves least squares exactly (closed form on an exact affine map)', () => {
  const rng = new Rng(20);
  const X = randn(rng, 50, 3);
  const W = randn(rng, 3, 2);
  const Y = matmul(X, W);
  for (let i = 0; i < 50; i++) { Y.data[i * 2] += 1.5; Y.data[i * 2 + 1] -= 2; }
  const m = new RidgeRegression({ alpha: 0 }).fit(X, Y);
  allClose(m.coef!.data, W.data, 1e-12, 'coef');
  allClose(m.intercept!, [1.5, -2], 1e-12, 'intercept');
  // Closed form with penalty, one input, no intercept effect: w = Σxy / (Σx² + α) on centred data.
  const x = [[-1], [0], [1]], y = [[-2], [0], [2]];
  close(new RidgeRegression({ alpha: 2 }).fit(x, y).coef!.data[0], 4 / (2 + 2), 1e-15, 'scalar ridge');
  assert.throws(() => new RidgeRegression({ alpha: 0 }).fit([[1, 1], [1, 1], [1, 1]], [[1], [2], [3]]), ValueError);
});

test('KnnRegressor matches scikit-learn KNeighborsRegressor', () => {
  const fx = fixtures.regression;
  const m = new KnnRegressor({ k: 5 }).fit(f64(fx.X), f64(fx.Y));
  allClose(m.predict(f64(fx.Xte)).data, flat(fx.knnPred), 1e-12, 'predictions');
});

test('trainTestSplit is a seeded partition', () => {
  const s = trainTestSplit(11, 0.5, 3);
  assert.equal(s.train.length, 6);
  assert.deepEqual([...s.train, ...s.test].sort((a, b) => a - b), Array.from({ length: 11 }, (_, i) => i));
  assert.deepEqual(trainTestSplit(11, 0.5, 3), s);
  assert.notDeepEqual(Array.from(trainTestSplit(11, 0.5, 4).train), Array.from(s.train));
  assert.throws(() => trainTestSplit(10, 0.01), ValueError);
});

test('linearIdentifiability: linear mixing gives R² ≈ 1 for both read-outs and MCC ≈ 1 after the map', () => {
  const rng = new Rng(21);
  const Z = randn(rng, 1000, 3);
  const A = randn(rng, 3, 5); // representation = Z·A (+ tiny noise), a linear image
  const Y = matmul(Z, A);
  for (let k = 0; k < Y.data.length; k++) Y.data[k] += 1e-3 * rng.normal();
  const r = linearIdentifiability(Y, Z, { seed: 1 });
  assert.ok(r.r2Linear > 0.9999, `linear R² ${r.r2Linear}`);
  assert.ok(r.mccLinear > 0.9999, `MCC after the map ${r.mccLinear}`);
  assert.ok(r.r2Knn > 0.9 && r.r2Knn < r.r2Linear, `k-NN R² ${r.r2Knn} is high but below the exact linear fit`);
  assert.equal(r.nTrain + r.nTest, 1000);
});

test('linearIdentifiability: a nonlinear injective encoding is shown by k-NN ≫ linear', () => {
  const rng = new Rng(22);
  const B = 2000;
  const Z = matrix(B, 1, rng.fillUniform(new Float64Array(B), -1, 1));
  const Y = matrix(B, 2, new Float64Array(2 * B));
  // z ↦ (cos 2.5z, sin³ 2.5z): injective on [−1, 1] but far from linear.
  for (let i = 0; i < B; i++) { Y.data[2 * i] = Math.cos(2.5 * Z.data[i]); Y.data[2 * i + 1] = Math.sin(2.5 * Z.data[i]) ** 3; }
  const r = linearIdentifiability(Y, Z, { seed: 2 });
  assert.ok(r.r2Knn > 0.99, `k-NN R² ${r.r2Knn}`);
  assert.ok(r.r2Linear < 0.9, `linear R² ${r.r2Linear}`);
});

test('canonicalCorrelations matches the QR+SVD fixture and is 1 for an invertible linear image', () => {
  const fx = fixtures.cca;
  allClose(canonicalCorrelations(f64(fx.x), f64(fx.y)), fx.corr, 1e-10, 'canonical correlations');
  const rng = new Rng(23);
  const X = randn(rng, 200, 4);
  const Y = matmul(X, randn(rng, 4, 4));
  allClose(canonicalCorrelations(X, Y), [1, 1, 1, 1], 1e-10, 'linear image');
  const ind = canonicalCorrelations(randn(rng, 5000, 2), randn(rng, 5000, 2));
  assert.ok(ind[0] < 0.06, `independent data: ${ind[0]}`);
  assert.throws(() => canonicalCorrelations(randn(rng, 3, 4), randn(rng, 3, 2)), ValueError);
});

test('orthogonalProcrustes matches scipy and recovers a planted rotation', () => {
  const fx = fixtures.procrustes;
  const r = orthogonalProcrustes(f64(fx.a), f64(fx.b));
  allClose(r.rotation.data, flat(fx.rotation), 1e-10, 'rotation');
  close(r.scale, fx.scale, 1e-9, 'scale');
  close(r.residual, fx.residual, 1e-9, 'residual');
  const rng = new Rng(24);
  const A = randn(rng, 60, 3);
  const c = Math.cos(0.7), s = Math.sin(0.7);
  const Q = matrix(3, 3, Float64Array.from([c, -s, 0, s, c, 0, 0, 0, -1]));
  const p = orthogonalProcrustes(A, matmul(A, Q));
  allClose(p.rotation.data, Q.data, 1e-12, 'planted rotation (with a reflection)');
  close(p.residual, 0, 1e-12, 'residual');
  close(p.fit, 1, 1e-12, 'fit');
  assert.throws(() => orthogonalProcrustes(A, randn(rng, 60, 2)), ShapeError);
});
