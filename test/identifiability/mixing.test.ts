import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMixing, applyMixing, invertMixing, randomOrthogonal } from '../../src/identifiability/mixing';
import { sampleSphere, sampleSparseNonneg } from '../../src/identifiability/latents';
import { Rng } from '../../src/core/rng';

test('random orthogonal matrix: QQᵀ = I', () => {
  const d = 6, q = randomOrthogonal(d, new Rng(1));
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += q[i * d + k] * q[j * d + k];
    assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-12);
  }
});

test('square mixing is invertible: g⁻¹(g(z)) = z; it is nonlinear (g(a)+g(b) ≠ g(a+b))', () => {
  const g = createMixing({ inDim: 5, seed: 3, biasStd: 0.1 });
  const z = sampleSphere(200, 5, new Rng(4));
  const x = applyMixing(g, z);
  const back = invertMixing(g, x);
  let err = 0;
  for (let k = 0; k < z.data.length; k++) err = Math.max(err, Math.abs(back.data[k] - z.data[k]));
  assert.ok(err < 1e-4, `max inversion error ${err}`);
  const a = applyMixing(g, [[1, 0, 0, 0, 0]]), b = applyMixing(g, [[0, -1, 0, 0, 0]]), ab = applyMixing(g, [[1, -1, 0, 0, 0]]);
  let diff = 0;
  for (let j = 0; j < 5; j++) diff += Math.abs(ab.data[j] - a.data[j] - b.data[j]);
  assert.ok(diff > 1e-2, 'mixing should not be additive');
});

test('widening mixing N→d is injective on sparse codes; errors on bad shapes', () => {
  const g = createMixing({ inDim: 16, outDim: 32, seed: 1 });
  const z = sampleSparseNonneg(10, 16, 2, new Rng(2));
  const x = applyMixing(g, z);
  assert.equal(x.cols, 32);
  assert.throws(() => invertMixing(g, x), /square/);
  assert.throws(() => applyMixing(g, [[1, 2, 3]]), /columns/);
  assert.throws(() => createMixing({ inDim: 4, outDim: 2, seed: 0 }), /outDim/);
});
