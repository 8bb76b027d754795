import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plantedSparseData, randomUnitDictionary } from '../../src/data/synthetic';

test('planted data: exactly K non-negative actives, unit atoms, X = Z·D', () => {
  const d = plantedSparseData({ n: 20, m: 7, k: 3, samples: 300, seed: 5 });
  assert.equal(d.X.rows, 300); assert.equal(d.X.cols, 7);
  assert.equal(d.Z.cols, 20); assert.equal(d.D.rows, 20);
  for (let i = 0; i < 20; i++) {
    let s = 0;
    for (let j = 0; j < 7; j++) s += d.D.data[i * 7 + j] ** 2;
    assert.ok(Math.abs(s - 1) < 1e-5);
  }
  for (let b = 0; b < 300; b++) {
    let nnz = 0;
    for (let i = 0; i < 20; i++) { const v = d.Z.data[b * 20 + i]; if (v !== 0) { nnz++; assert.ok(v > 0); } }
    assert.equal(nnz, 3);
    const sup = Array.from(d.supports.subarray(b * 3, b * 3 + 3));
    for (const i of sup) assert.ok(d.Z.data[b * 20 + i] > 0);
    for (let j = 0; j < 7; j++) {
      let x = 0;
      for (let i = 0; i < 20; i++) x += d.Z.data[b * 20 + i] * d.D.data[i * 7 + j];
      assert.ok(Math.abs(x - d.X.data[b * 7 + j]) < 1e-5);
    }
  }
});

test('planted data: deterministic per seed, shared dictionary, noise level, signed codes', () => {
  const a = plantedSparseData({ n: 16, m: 8, k: 3, samples: 50, seed: 1 });
  const b = plantedSparseData({ n: 16, m: 8, k: 3, samples: 50, seed: 1 });
  assert.deepEqual(a.X.data, b.X.data);
  const c = plantedSparseData({ n: 16, m: 8, k: 3, samples: 50, seed: 2, dictionary: a.D });
  assert.deepEqual(c.D.data, a.D.data);
  assert.notDeepEqual(c.Z.data, a.Z.data);
  const clean = plantedSparseData({ n: 16, m: 8, k: 3, samples: 4000, seed: 3 });
  const noisy = plantedSparseData({ n: 16, m: 8, k: 3, samples: 4000, seed: 3, noise: 0.1 });
  let s = 0;
  for (let q = 0; q < clean.X.data.length; q++) s += (noisy.X.data[q] - clean.X.data[q]) ** 2;
  const sd = Math.sqrt(s / clean.X.data.length);
  assert.ok(Math.abs(sd - 0.1) < 0.005, `noise sd ${sd}`);
  const signed = plantedSparseData({ n: 16, m: 8, k: 3, samples: 200, seed: 4, nonneg: false });
  assert.ok(Array.from(signed.Z.data).some((v) => v < 0));
  assert.deepEqual(randomUnitDictionary(4, 3, 9).data, randomUnitDictionary(4, 3, 9).data);
  assert.throws(() => plantedSparseData({ n: 4, m: 3, k: 5, samples: 2, seed: 0 }), /k/);
});
