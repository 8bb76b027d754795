import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend, tf } from '../../src/core/backend';
import { Rng } from '../../src/core/rng';
import { plantedSparseData } from '../../src/data/synthetic';
import { SparseAutoencoder, StepOut, TrainingDivergedError } from '../../src/dictionary/sae_base';
import { ReluSae } from '../../src/dictionary/sae_relu';
import { TopKSae } from '../../src/dictionary/sae_topk';
import { BatchTopKSae } from '../../src/dictionary/sae_batchtopk';
import { JumpReluSae } from '../../src/dictionary/sae_jumprelu';
import { DictionaryInference } from '../../src/dictionary/sae_inference';
import { kernelHelperReady, kernelThreads, setKernelThreads } from '../../src/compute/threads';
import { dispatchPolicy, setDispatchPolicy } from '../../src/compute/dispatch';
import { dictionaryRecovery } from '../../src/metrics/dictionary';
import { mcc } from '../../src/metrics/mcc';
import { onBothProductPaths, randomise } from './sae_helpers';

/** Access to the protected step for gradient checks. */
function step(m: SparseAutoencoder, x: Float32Array, B: number, lam: number): StepOut {
  return (m as unknown as { trainStep(x: Float32Array, B: number, l: number, r: boolean): StepOut }).trainStep(x, B, lam, false);
}

// Finite differences (float64 arithmetic would be better; float32 with central differences and h = 1e-2 on a
// loss of order 1 gives ~1e-3 relative accuracy, enough to catch any wrong term).
function checkGrad(m: SparseAutoencoder, x: Float32Array, B: number, lam: number, which: 'E' | 'D' | 'bEnc' | 'bDec') {
  const g = step(m, x, B, lam);
  // a copy: the step's gradient arrays are scratch, overwritten by the next step
  const grad = { E: g.dE, D: g.dD, bEnc: g.dbEnc, bDec: g.dbDec }[which].slice();
  const p = m[which];
  const h = 1e-2;
  let maxErr = 0, maxG = 0;
  for (let q = 0; q < p.length; q += Math.max(1, Math.floor(p.length / 12))) {
    const v = p[q];
    p[q] = v + h; const lp = step(m, x, B, lam).loss;
    p[q] = v - h; const lm = step(m, x, B, lam).loss;
    p[q] = v;
    const fd = (lp - lm) / (2 * h);
    maxErr = Math.max(maxErr, Math.abs(fd - grad[q]));
    maxG = Math.max(maxG, Math.abs(grad[q]));
  }
  assert.ok(maxG > 1e-3, `${which}: gradient is zero`);
  assert.ok(maxErr < 0.02 * maxG + 1e-3, `${m.kind} d${which}: max error ${maxErr} vs max grad ${maxG}`);
}

test('hand-written SAE gradients match finite differences (ReLU-L1, TopK, BatchTopK, JumpReLU; dense and sparse paths, and dL/dz at the support only)', async () => {
  await initBackend();
  await onBothProductPaths(() => {
    const B = 6, M = 5, N = 7;
    const x = new Rng(1).fillNormal(new Float32Array(B * M));
    const models: SparseAutoencoder[] = [new ReluSae({ features: N, lambda: 0.3 }), new TopKSae({ features: N, k: 3 }),
      new BatchTopKSae({ features: N, k: 3 }), new JumpReluSae({ features: N, lambda: 0.2 }, { initThreshold: 0.05 })];
    for (const m of models) {
      randomise(m, M, 2, 0);
      for (const w of ['E', 'D', 'bEnc', 'bDec'] as const) checkGrad(m, x, B, m.config.lambda, w);
    }
    // few non-zeros (3 of 40 per sample, under the policy's fewNonZerosMaxDensity): TopK and BatchTopK then keep
    // dL/dz at the support only. Seed 5: no probe moves a code across the K-th value (with seeds 4 and 8 one does,
    // the loss jumps there and finite differences do not apply)
    for (const m of [new TopKSae({ features: 40, k: 3 }), new BatchTopKSae({ features: 40, k: 3 })]) {
      randomise(m, M, 5, 0);
      for (const w of ['E', 'D', 'bEnc', 'bDec'] as const) checkGrad(m, x, B, 0, w);
    }
  });
});

test('ReLU SAE loss = mean ‖x − x̂‖² + λ·mean Σz (closed form on a hand example)', async () => {
  await initBackend();
  const m = new ReluSae({ features: 2, lambda: 0.5, bias: false });
  m.dim = 2; m.E = new Float32Array([1, 0, 0, 1]); m.D = new Float32Array([1, 0, 0, 1]);
  m.bEnc = new Float32Array(2); m.bDec = new Float32Array(2);
  // x = (2, −1): z = (2, 0), x̂ = (2, 0), residual² = 1, L1 = 2 → loss 1 + 0.5·2 = 2
  const out = step(m, new Float32Array([2, -1]), 1, 0.5);
  assert.ok(Math.abs(out.loss - 2) < 1e-6);
  assert.ok(Math.abs(out.mse - 1) < 1e-6);
  assert.equal(out.l0, 1);
});

test('TopK SAE recovers a planted dictionary; training is deterministic and leaks no tensors', async () => {
  await initBackend();
  const d = plantedSparseData({ n: 32, m: 16, k: 3, samples: 4096, seed: 1 });
  const fit = () => {
    const m = new TopKSae({ features: 32, k: 3, seed: 2 });
    m.fit(d.X, { steps: 1500, batch: 256, lr: 3e-3, progress: false });
    return m;
  };
  const before = tf.memory().numTensors;
  const a = fit();
  assert.equal(tf.memory().numTensors, before);
  const b = fit();
  assert.deepEqual(a.D, b.D);
  const rec = dictionaryRecovery(d.D, a.dictionary).meanBestCos;
  assert.ok(rec >= 0.9, `TopK SAE mean best cosine ${rec}`);
  const z = a.encode(d.X);
  let nnzMax = 0;
  for (let r = 0; r < z.rows; r++) { let c = 0; for (let i = 0; i < 32; i++) if (z.data[r * 32 + i] !== 0) c++; nnzMax = Math.max(nnzMax, c); }
  assert.ok(nnzMax <= 3);
  assert.ok(mcc(d.Z, z).mcc > 0.6);
});

test('one thread or two: SAE training gives bitwise the same model (ReLU dense-ish codes, TopK sparse codes)', async () => {
  await initBackend();
  const d = plantedSparseData({ n: 512, m: 64, k: 8, samples: 2048, seed: 4 });
  const prev = kernelThreads();
  try {
    for (const make of [() => new ReluSae({ features: 256, lambda: 0.01, seed: 1 }), () => new TopKSae({ features: 256, k: 8, seed: 1 })]) {
      const fit = (threads: number) => {
        setKernelThreads(threads);
        const m = make();
        m.fit(d.X, { steps: 40, batch: 256, progress: false });
        return m;
      };
      setKernelThreads(2);
      assert.ok(await kernelHelperReady(), 'the kernel worker should start');
      const one = fit(1), two = fit(2);
      assert.deepEqual(two.D, one.D, `${one.kind}: decoder`);
      assert.deepEqual(two.E, one.E, `${one.kind}: encoder`);
      assert.equal(two.report!.loss, one.report!.loss);
    }
  } finally {
    setKernelThreads(prev);
  }
});

test("the issue's planted problem: a TopK SAE finds most atoms, and OMP on its decoder recovers the codes better than its encoder", async () => {
  // Same data and settings as bench/dictionary.ts (issue part). Measured: best cosine 0.962; code MCC 0.851 with
  // the encoder, 0.912 with OMP (K=5) on the same decoder — the amortisation gap on the issue's own data.
  await initBackend();
  const d = plantedSparseData({ n: 256, m: 64, k: 5, samples: 20000, seed: 31, noise: 0.01 });
  const sae = new TopKSae({ features: 256, k: 5, seed: 1 });
  sae.fit(d.X, { epochs: 30, batch: 512, lr: 2e-3, progress: false });
  const rec = dictionaryRecovery(d.D, sae.dictionary).meanBestCos;
  const enc = mcc(d.Z, sae.encode(d.X)).mcc;
  const omp = mcc(d.Z, DictionaryInference.fromModel(sae, { method: 'omp', k: 5 }).encode(d.X)).mcc;
  assert.ok(rec >= 0.9, `TopK SAE mean best cosine ${rec}`);
  assert.ok(omp > enc + 0.03, `OMP on the decoder ${omp} vs the encoder ${enc}`);
});

test('dense products through tfjs leak no tensors across steps', async () => {
  await initBackend();
  const d = plantedSparseData({ n: 128, m: 64, k: 4, samples: 512, seed: 3 });
  const m = new ReluSae({ features: 128, lambda: 0.01, seed: 1 });
  m.fit(d.X, { steps: 2, batch: 256, progress: false });
  const before = tf.memory().numTensors;
  m.fit(d.X, { steps: 5, batch: 256, progress: false });
  m.encode(d.X); m.decode(m.encode(d.X));
  assert.equal(tf.memory().numTensors, before);
});

test('known decoder: the SAE encoder leaves an amortisation gap', async () => {
  await initBackend();
  const tr = plantedSparseData({ n: 16, m: 8, k: 3, samples: 1024, seed: 1 });
  const te = plantedSparseData({ n: 16, m: 8, k: 3, samples: 1024, seed: 2, dictionary: tr.D });
  const m = new ReluSae({ features: 16, lambda: 0.005, bias: false, seed: 3 });
  m.fit(tr.X, { steps: 1500, fixedDecoder: tr.D, progress: false });
  for (let q = 0; q < m.D.length; q++) assert.ok(Math.abs(m.D[q] - tr.D.data[q]) < 1e-6); // decoder stayed fixed
  const s = mcc(te.Z, m.encode(te.X)).mcc;
  assert.ok(s > 0.4 && s < 0.9, `SAE MCC with known D ${s} (published 0.61, measured 0.73)`);
});

test('divergence stops with a message naming the step; save/load round trip', async () => {
  await initBackend();
  const d = plantedSparseData({ n: 8, m: 4, k: 2, samples: 64, seed: 1 });
  assert.throws(() => new ReluSae({ features: 8, lambda: 0.1 }).fit(d.X, { steps: 200, lr: 1e4, warmup: 0, progress: false }),
    (e: unknown) => e instanceof TrainingDivergedError && /at step \d+/.test(e.message) && /learning rate/.test(e.message));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sae-'));
  for (const m of [new JumpReluSae({ features: 8, lambda: 0.01, seed: 1 }, { bandwidth: 0.1 }), new BatchTopKSae({ features: 8, k: 2, seed: 1 })]) {
    m.fit(d.X, { steps: 30, progress: false });
    m.save(dir);
    const l = SparseAutoencoder.load(dir);
    assert.equal(l.kind, m.kind);
    assert.deepEqual(l.encode(d.X).data, m.encode(d.X).data);
    assert.deepEqual(l.decode(m.encode(d.X)).data, m.decode(m.encode(d.X)).data);
  }
  fs.rmSync(dir, { recursive: true });
});

test('sparse path: per-latent sums over the non-zeros (dL/dZ not cleared) give the column sums over a cleared dL/dZ (TopK, BatchTopK, ReLU, JumpReLU; stale dL/dZ from a previous step)', async () => {
  await initBackend();
  const B = 64, N = 128, M = 16;
  const x1 = new Rng(1).fillNormal(new Float32Array(B * M)), x2 = new Rng(2).fillNormal(new Float32Array(B * M));
  const makers: [string, () => SparseAutoencoder, number][] = [
    ['topk', () => new TopKSae({ features: N, k: 4 }), 0],
    ['batchtopk', () => new BatchTopKSae({ features: N, k: 4 }), 0],
    ['relu', () => new ReluSae({ features: N, lambda: 0.1 }), 0.1],
    ['jumprelu', () => new JumpReluSae({ features: N, lambda: 0.1 }), 0.1],
  ];
  const prev = { ...dispatchPolicy() };
  try {
    for (const [kind, make, lam] of makers) {
      const outs: { dE: Float32Array; dD: Float32Array; dbEnc: Float32Array; dbDec: Float32Array; fired: number[]; loss: number }[] = [];
      for (const few of [0, 1]) {
        setDispatchPolicy({ sparseMaxDensity: 2, fewNonZerosMaxDensity: few });
        const m = make();
        randomise(m, M, 5, -0.2);
        step(m, x1, B, lam); // leaves dL/dZ of another support in the scratch
        const o = step(m, x2, B, lam);
        outs.push({ dE: o.dE.slice(), dD: o.dD.slice(), dbEnc: o.dbEnc.slice(), dbDec: o.dbDec.slice(), fired: Array.from(o.active, (a) => +(a > 0)), loss: o.loss });
      }
      const [dense, few] = outs;
      assert.ok(dense.fired.some((f) => f === 1), `${kind}: some latents fire`);
      assert.deepEqual(few.fired, dense.fired, `${kind}: the same latents fired`);
      assert.equal(few.loss, dense.loss);
      assert.deepEqual(few.dE, dense.dE, `${kind}: dE`);
      assert.deepEqual(few.dD, dense.dD, `${kind}: dD`);
      for (const k of ['dbEnc', 'dbDec'] as const) {
        const big = Math.max(...dense[k].map(Math.abs));
        assert.ok(big > 0, `${kind}: ${k} is not zero`);
        dense[k].forEach((v, i) => assert.ok(Math.abs(v - few[k][i]) <= 1e-5 * big, `${kind} ${k}[${i}]: ${few[k][i]} vs ${v}`));
      }
    }
  } finally {
    setDispatchPolicy(prev);
  }
});
