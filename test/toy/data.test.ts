import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fillSparseInstance, FeatureMajor } from '../../src/toy/data';
import { Rng } from '../../src/core/rng';

test('fillSparseInstance: active share ≈ p per feature (geometric gaps and entry-by-entry draws), values U[0,1], mean 1/2', () => {
  const B = 20000, probs = [1, 0.5, 0.2, 0.19, 0.05, 0.002];
  const n = probs.length, x = new Float32Array(B * n);
  fillSparseInstance(new Rng(1), x, B, n, Float64Array.from(probs));
  probs.forEach((p, i) => {
    let active = 0, sum = 0;
    for (let b = 0; b < B; b++) { const v = x[b * n + i]; if (v !== 0) { active++; sum += v; } assert.ok(v >= 0 && v < 1); }
    const sd = Math.sqrt(p * (1 - p) / B);
    assert.ok(Math.abs(active / B - p) < 5 * sd + 1e-9, `feature ${i}: active share ${active / B}, p = ${p}`);
    if (active > 30) assert.ok(Math.abs(sum / active - 0.5) < 5 * Math.sqrt(1 / 12 / active), `feature ${i}: mean ${sum / active}`);
  });
});

test('fillSparseInstance: feature-major layout is the transpose of the default one; fm lists its non-zeros feature by feature', () => {
  const B = 50, probs = Float64Array.from([1, 0.3, 0.05, 0.6]), n = 4;
  const rowMajor = new Float32Array(B * n).fill(7), colMajor = new Float32Array(B * n).fill(7);
  const fm: FeatureMajor = { ptr: new Int32Array(n + 1), idx: new Int32Array(B * n), val: new Float32Array(B * n), nnz: 0 };
  fillSparseInstance(new Rng(9), rowMajor, B, n, probs);
  fillSparseInstance(new Rng(9), colMajor, B, n, probs, 0, fm, true);
  for (let b = 0; b < B; b++) for (let i = 0; i < n; i++) assert.equal(colMajor[i * B + b], rowMajor[b * n + i]);
  const listed: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let q = fm.ptr[i]; q < fm.ptr[i + 1]; q++) {
      if (q > fm.ptr[i]) assert.ok(fm.idx[q] > fm.idx[q - 1], 'samples ascend within a feature');
      assert.equal(fm.val[q], colMajor[i * B + fm.idx[q]]);
      listed.push(i * B + fm.idx[q]);
    }
  }
  assert.equal(fm.nnz, fm.ptr[n]);
  assert.deepEqual(listed, Array.from(colMajor.keys()).filter((k) => colMajor[k] !== 0));
});
