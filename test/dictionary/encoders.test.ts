import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend, tf } from '../../src/core/backend';
import { Rng } from '../../src/core/rng';
import { opNormSquared } from '../../src/compute/dense';
import { plantedSparseData } from '../../src/data/synthetic';
import { linear } from '../../src/dictionary/linear';
import { Lista } from '../../src/dictionary/lista';
import { MlpEncoder } from '../../src/dictionary/mlp_encoder';
import { DictionaryInference } from '../../src/dictionary/sae_inference';
import { ReluSae } from '../../src/dictionary/sae_relu';
import { mcc } from '../../src/metrics/mcc';

test('linear(x, W) has the gradients of x·W', async () => {
  await initBackend();
  const r = new Rng(1);
  const x = tf.tensor2d(r.fillNormal(new Float32Array(12)), [3, 4]);
  const w = tf.tensor2d(r.fillNormal(new Float32Array(20)), [4, 5]);
  const f1 = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(linear(a as tf.Tensor2D, b as tf.Tensor2D)));
  const f2 = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D)));
  const [g1, g2] = [tf.grads(f1)([x, w]), tf.grads(f2)([x, w])];
  for (let i = 0; i < 2; i++) {
    const a = g1[i].dataSync(), b = g2[i].dataSync();
    for (let q = 0; q < a.length; q++) assert.ok(Math.abs(a[q] - b[q]) < 1e-4 * (1 + Math.abs(b[q])));
  }
  tf.dispose([x, w, ...g1, ...g2]);
});

test('untrained LISTA with T iterations equals T+1 steps of non-negative ISTA', async () => {
  await initBackend();
  const d = plantedSparseData({ n: 10, m: 6, k: 2, samples: 20, seed: 4 });
  const T = 3, lam = 0.05;
  const li = new Lista(10, { iterations: T, lambda: lam });
  li.fit(d.X, { decoder: d.D, steps: 0, progress: false });
  const z = li.encode(d.X);
  const L = opNormSquared(d.D);
  // ISTA from 0: z ← max(0, z − (z·D − x)·Dᵀ/L − λ/L)
  const N = 10, M = 6;
  for (let b = 0; b < 20; b++) {
    let zb = new Float64Array(N);
    for (let t = 0; t <= T; t++) {
      const r = new Float64Array(M);
      for (let j = 0; j < M; j++) { let s = -d.X.data[b * M + j]; for (let i = 0; i < N; i++) s += zb[i] * d.D.data[i * M + j]; r[j] = s; }
      const nz = new Float64Array(N);
      for (let i = 0; i < N; i++) { let g = 0; for (let j = 0; j < M; j++) g += r[j] * d.D.data[i * M + j]; nz[i] = Math.max(0, zb[i] - g / L - lam / L); }
      zb = nz;
    }
    for (let i = 0; i < N; i++) assert.ok(Math.abs(zb[i] - z.data[b * N + i]) < 1e-4, `sample ${b} atom ${i}: ${zb[i]} vs ${z.data[b * N + i]}`);
  }
});

test('known D: FISTA and SAE + ITO beat the SAE encoder by a wide margin; MLP trains without leaks', async () => {
  await initBackend();
  const tr = plantedSparseData({ n: 16, m: 8, k: 3, samples: 1024, seed: 1 });
  const te = plantedSparseData({ n: 16, m: 8, k: 3, samples: 1024, seed: 2, dictionary: tr.D });
  const sae = new ReluSae({ features: 16, lambda: 0.005, bias: false, seed: 3 });
  sae.fit(tr.X, { steps: 1000, fixedDecoder: tr.D, progress: false });
  const mSae = mcc(te.Z, sae.encode(te.X)).mcc;
  const mFista = mcc(te.Z, new DictionaryInference(tr.D, { method: 'fista', lambda: 0.01 }).encode(te.X)).mcc;
  const mIto = mcc(te.Z, DictionaryInference.fromModel(sae, { method: 'fista', lambda: 0.01 }, true).encode(te.X)).mcc;
  assert.ok(mFista > 0.95, `FISTA MCC ${mFista} (measured reference 0.986)`);
  assert.ok(mIto > 0.95, `SAE+ITO MCC ${mIto} (published 0.967)`);
  assert.ok(mFista - mSae >= 0.2, `gap FISTA ${mFista} − SAE ${mSae}`);
  const mlp = new MlpEncoder(16, [32], 1);
  const before = tf.memory().numTensors;
  const rep = mlp.fit(tr.X, { decoder: tr.D, steps: 300, progress: false });
  assert.equal(tf.memory().numTensors, before);
  assert.ok(Number.isFinite(rep.loss));
  assert.equal(mlp.flopsPerSample(), 2 * (8 * 32 + 32 * 16));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlp-'));
  mlp.save(dir);
  assert.deepEqual(MlpEncoder.load(dir).encode(te.X).data, mlp.encode(te.X).data);
  fs.rmSync(dir, { recursive: true });
});
