import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleVmf, sampleSphere, sampleSparseNonneg, sampleVmfClusters } from '../../src/identifiability/latents';
import { Rng } from '../../src/core/rng';
import { rowNorms } from '../../src/core/matrix';

test('vMF on S²: mean resultant length equals coth κ − 1/κ (closed form), direction is μ', () => {
  const mu = [0.2, -0.5, 0.8];
  const nm = Math.hypot(...mu);
  for (const kappa of [1, 10, 50]) {
    const N = 20_000;
    const s = sampleVmf(mu, kappa, N, new Rng(kappa));
    let sum = 0, sum2 = 0;
    const mean = [0, 0, 0];
    for (let i = 0; i < N; i++) {
      const c = (s.data[3 * i] * mu[0] + s.data[3 * i + 1] * mu[1] + s.data[3 * i + 2] * mu[2]) / nm;
      sum += c; sum2 += c * c;
      for (let j = 0; j < 3; j++) mean[j] += s.data[3 * i + j] / N;
    }
    const m = sum / N, se = Math.sqrt((sum2 / N - m * m) / N);
    const theory = 1 / Math.tanh(kappa) - 1 / kappa;
    assert.ok(Math.abs(m - theory) < 4 * se, `κ=${kappa}: ${m} vs ${theory} ± ${se}`);
    // the mean vector points along μ
    const mn = Math.hypot(...mean);
    const cos = (mean[0] * mu[0] + mean[1] * mu[1] + mean[2] * mu[2]) / (mn * nm);
    assert.ok(cos > 0.99, `κ=${kappa}: mean direction cosine ${cos}`);
    for (const r of rowNorms(s)) assert.ok(Math.abs(r - 1) < 1e-5);
  }
});

test('vMF with κ=0 is uniform on the sphere (mean ≈ 0, second moment I/d) in d=5', () => {
  const N = 20_000, d = 5;
  const s = sampleVmf([1, 0, 0, 0, 0], 0, N, new Rng(3));
  let m0 = 0, q0 = 0;
  for (let i = 0; i < N; i++) { m0 += s.data[i * d]; q0 += s.data[i * d] ** 2; }
  assert.ok(Math.abs(m0 / N) < 4 * Math.sqrt(1 / d / N));
  assert.ok(Math.abs(q0 / N - 1 / d) < 0.01);
});

test('sphere, sparse and cluster samplers: norms, exact sparsity, labels in range; seeded', () => {
  const z = sampleSphere(100, 7, new Rng(1));
  for (const r of rowNorms(z)) assert.ok(Math.abs(r - 1) < 1e-5);
  const sp = sampleSparseNonneg(200, 16, 3, new Rng(2));
  for (let i = 0; i < 200; i++) {
    let nz = 0;
    for (let j = 0; j < 16; j++) { const v = sp.data[i * 16 + j]; if (v !== 0) nz++; assert.ok(v >= 0); }
    assert.equal(nz, 3);
  }
  const centres = sampleSphere(10, 4, new Rng(5));
  const a = sampleVmfClusters(centres, 10, 50, new Rng(9)), b = sampleVmfClusters(centres, 10, 50, new Rng(9));
  assert.deepEqual(Array.from(a.z.data), Array.from(b.z.data));
  for (const l of a.labels) assert.ok(l >= 0 && l < 10);
  assert.throws(() => sampleSparseNonneg(5, 4, 5, new Rng(1)), /K/);
  assert.throws(() => sampleVmf([0, 0, 0], 1, 5, new Rng(1)), /non-zero/);
});
