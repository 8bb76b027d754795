import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemm, gemmNT, gram, opNormSquared } from '../../src/compute/dense';
import { fastBackend } from '../../src/compute/dispatch';
import { kthLargest } from '../../src/compute/select';
import { initBackend, tf } from '../../src/core/backend';
import { fromRows, matmul, matrix, transpose } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';

function rand(r: number, c: number, seed: number) {
  const g = new Rng(seed);
  const d = new Float64Array(r * c);
  for (let i = 0; i < d.length; i++) d[i] = g.normal();
  return matrix(r, c, d);
}
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

test('gemmNT, gemm and gram agree with the reference matmul (float64 loops)', () => {
  const A = rand(7, 5, 1), B = rand(6, 5, 2);
  assert.ok(maxAbsDiff(gemmNT(A, B).data, matmul(A, transpose(B)).data) < 1e-12);
  const C = rand(5, 9, 3);
  assert.ok(maxAbsDiff(gemm(A, C).data, matmul(A, C).data) < 1e-12);
  const G = gram(B);
  assert.ok(maxAbsDiff(G.data, matmul(B, transpose(B)).data) < 1e-12);
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) assert.equal(G.data[i * 6 + j], G.data[j * 6 + i]);
  assert.deepEqual(Array.from(gemmNT(fromRows([[1, 2]]), fromRows([[3, 4], [5, 6]])).data), [11, 17]);
  assert.throws(() => gemmNT(A, C), /same number of columns/);
  assert.throws(() => gemm(A, B), /columns must equal/);
});

test('kthLargest agrees with sorting, with ties', () => {
  const g = new Rng(3);
  for (let t = 0; t < 20; t++) {
    const n = 1 + g.int(50);
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = g.int(10); // many ties
    const sorted = Array.from(a).sort((x, y) => y - x);
    for (const k of [1, Math.ceil(n / 2), n]) assert.equal(kthLargest(a, k, { length: n }), sorted[k - 1]);
  }
});

test('‖A‖₂² by power iteration matches a closed form', () => {
  // diag(3, 2, 1) rotated rows: largest singular value 3
  const A = fromRows([[3, 0, 0], [0, 2, 0], [0, 0, 1]], 'float64');
  assert.ok(Math.abs(opNormSquared(A) - 9) < 1e-6);
  const R = fromRows([[1, 1], [1, 1]], 'float64'); // singular values 2, 0
  assert.ok(Math.abs(opNormSquared(R) - 4) < 1e-9);
});

test('with a fast tfjs backend, large products go through tfjs and agree to float32 precision without leaking tensors', async () => {
  await initBackend();
  const A = rand(300, 200, 4), B = rand(120, 200, 5); // 7.2e6 multiply-adds: above the tfjs threshold
  const before = tf.memory().numTensors;
  const fast = gemmNT(A, B), exact = gemmNT(A, B, { precision: 'float64' });
  assert.equal(tf.memory().numTensors, before);
  // entries are sums of 200 products of N(0,1): |C| ~ 14; float32 error ≲ 1e-4
  const err = maxAbsDiff(fast.data, exact.data);
  assert.ok(err < 1e-3, `max error ${err}`);
  if (fastBackend()) assert.ok(err > 0, 'expected the float32 tfjs path to be taken');
  const C = rand(200, 150, 6);
  assert.ok(maxAbsDiff(gemm(A, C).data, gemm(A, C, { precision: 'float64' }).data) < 1e-3);
  assert.equal(tf.memory().numTensors, before);
});
