import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lrFactor, penaltyFactor } from '../../src/dictionary/optim';
import { adamSlot, adamStep } from '../../src/compute/adam';
import { Rng } from '../../src/core/rng';
import { wasmPins } from '../../src/compute/wasm';
import { kernelHelperReady, kernelThreads, setKernelThreads } from '../../src/compute/threads';
import { plantedSparseData } from '../../src/data/synthetic';
import { ReluSae } from '../../src/dictionary/sae_relu';
import { initBackend } from '../../src/core/backend';

test('Adam: first step moves each parameter by lr·g/(|g|+ε); second step matches the recurrence', () => {
  const p = new Float32Array([1, -2, 3]), s = adamSlot(3);
  adamStep(p, [0.5, -4, 0], s, 0.1, 1);
  assert.ok(Math.abs(p[0] - 0.9) < 1e-6 && Math.abs(p[1] + 1.9) < 1e-6 && p[2] === 3);
  // step 2 with g = 1 on entry 0: m = 0.9·0.05 + 0.1 = 0.145, v = 0.999·0.00025 + 0.001 = 0.00124975
  adamStep(p, [1, 0, 0], s, 0.1, 2);
  const mh = 0.145 / (1 - 0.81), vh = 0.00124975 / (1 - 0.998001);
  assert.ok(Math.abs(p[0] - (0.9 - (0.1 * mh) / (Math.sqrt(vh) + 1e-8))) < 1e-5);
});

test('schedules: linear warm-up, flat, linear decay; penalty warm-up', () => {
  assert.equal(lrFactor(0, 100, { warmup: 0.1, decay: 0.2 }), 0.1);
  assert.equal(lrFactor(9, 100, { warmup: 0.1, decay: 0.2 }), 1);
  assert.equal(lrFactor(50, 100, { warmup: 0.1, decay: 0.2 }), 1);
  assert.equal(lrFactor(90, 100, { warmup: 0.1, decay: 0.2 }), 0.5);
  assert.equal(penaltyFactor(4, 100, { penaltyWarmup: 0.1 }), 0.5);
  assert.equal(penaltyFactor(40, 100, { penaltyWarmup: 0.1 }), 1);
});

test('early stop on a plateau; dead features are resampled towards residual directions', async () => {
  await initBackend();
  const d = plantedSparseData({ n: 8, m: 6, k: 2, samples: 256, seed: 2 });
  const flat = new ReluSae({ features: 8, lambda: 0.01, seed: 1 }).fit(d.X, { steps: 400, lr: 0, patience: 3, evalEvery: 10, progress: false });
  assert.equal(flat.stoppedEarly, true);
  assert.ok(flat.steps < 400);
  // A huge penalty kills every feature; resampling every 20 steps must revive them (≥ 1 resample event).
  const sae = new ReluSae({ features: 8, lambda: 50, seed: 1 });
  const rep = sae.fit(d.X, { steps: 100, lr: 1e-2, resampleEvery: 20, penaltyWarmup: 0, progress: false });
  assert.ok(rep.resampled > 0, `resampled ${rep.resampled}`);
  for (let i = 0; i < 8; i++) {
    let nn = 0;
    for (let j = 0; j < 6; j++) nn += sae.D[i * 6 + j] ** 2;
    assert.ok(Math.abs(nn - 1) < 1e-4);
  }
});

test('Adam on arrays of the kernels\' memory (the WebAssembly f64 kernel, two threads) is bitwise the JS loop', async () => {
  const pins = wasmPins();
  if (!pins) return; // no WebAssembly SIMD: only the JS loop exists
  const prev = kernelThreads();
  try {
    setKernelThreads(2);
    await kernelHelperReady();
    const n = 3 * 4096 + 7; // an odd tail: the kernel's scalar path
    const r = new Rng(12);
    const plain = { p: r.fillNormal(new Float32Array(n)), s: adamSlot(n) };
    const wasm = { p: pins.f32(n), s: { m: pins.f32(n), v: pins.f32(n) } };
    wasm.p.set(plain.p); wasm.s.m.fill(0); wasm.s.v.fill(0);
    const g = pins.f32(n);
    for (let t = 1; t <= 5; t++) {
      r.fillNormal(g, 0, t);
      assert.equal(adamStep(plain.p, Float32Array.from(g), plain.s, 1e-2, t), 'js');
      assert.equal(adamStep(wasm.p, g, wasm.s, 1e-2, t), 'wasm');
    }
    assert.deepEqual(Array.from(wasm.p), Array.from(plain.p));
    assert.deepEqual(Array.from(wasm.s.m), Array.from(plain.s.m));
    assert.deepEqual(Array.from(wasm.s.v), Array.from(plain.s.v));
  } finally {
    setKernelThreads(prev);
    pins.release();
  }
});
