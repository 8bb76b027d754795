import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng';
import { BatchNormCache, BatchNormParams, batchNormLeakyBackward, batchNormLeakyTrain, leakyReluForward, BN_EPS } from '../../src/nn';
import { wasmKernels, wasmPins, WasmPins } from '../../src/compute/wasm';
import { kernelHelperReady, kernelThreads, setKernelThreads } from '../../src/compute/threads';

interface Run { y: Float32Array; act: Float32Array; dx: Float32Array; dGamma: Float32Array; dBeta: Float32Array; p: BatchNormParams; cache: BatchNormCache }

/** Forward and backward of batch norm + leaky ReLU on fixed random data, arrays pinned when `pins` is given. */
function run(B: number, F: number, pins: WasmPins | null): Run {
  const f32 = (a: Float32Array): Float32Array => { if (!pins) return a.slice(); const c = pins.f32(a.length); c.set(a); return c; };
  const rng = new Rng(8);
  const x = f32(rng.fillNormal(new Float32Array(B * F), 0.5, 2)), dy = f32(rng.fillNormal(new Float32Array(B * F), 0, 1));
  const p: BatchNormParams = { gamma: f32(rng.fillUniform(new Float32Array(F), 0.5, 1.5)), beta: f32(rng.fillNormal(new Float32Array(F), 0, 0.3)),
    mean: new Float32Array(F).fill(0.1), variance: new Float32Array(F).fill(1.2) };
  const z = (): Float32Array => f32(new Float32Array(B * F));
  const cache: BatchNormCache = { xhat: z(), invStd: new Float64Array(F) };
  const y = z(), act = z(), dx = z(), dGamma = f32(new Float32Array(F)), dBeta = f32(new Float32Array(F));
  batchNormLeakyTrain(x, B, F, p, 0.1, y, act, cache);
  batchNormLeakyBackward(dy, y, B, F, p.gamma, 0.1, cache, dGamma, dBeta, dx);
  return { y, act, dx, dGamma, dBeta, p, cache };
}

test('batchNormLeakyTrain/Backward: the SIMD kernels (one and two threads) give bitwise the JS loops; forward against a float64 reference', async () => {
  if (!wasmKernels()) return;
  const saved = kernelThreads();
  try {
    for (const [B, F] of [[7, 2], [64, 50], [33, 18]]) {
      const ref = run(B, F, null);
      // independent float64 check of one column of the forward
      const rng = new Rng(8), x = rng.fillNormal(new Float32Array(B * F), 0.5, 2);
      let mu = 0, va = 0;
      for (let r = 0; r < B; r++) mu += x[r * F + 1] / B;
      for (let r = 0; r < B; r++) va += (x[r * F + 1] - mu) ** 2 / B;
      const yRef = ref.p.gamma[1] * (x[F + 1] - mu) / Math.sqrt(va + BN_EPS) + ref.p.beta[1];
      assert.ok(Math.abs(ref.y[F + 1] - yRef) < 1e-5, `y ${ref.y[F + 1]} vs ${yRef}`);
      assert.equal(ref.act[F + 1], leakyReluForward(Float32Array.of(ref.y[F + 1]), 0.1, new Float32Array(1))[0]);
      for (const threads of [1, 2]) {
        setKernelThreads(threads);
        if (threads === 2) await kernelHelperReady();
        const pins = wasmPins()!;
        try {
          const got = run(B, F, pins), tag = `B=${B} F=${F} ${threads} thread(s)`;
          for (const k of ['y', 'act', 'dx', 'dGamma', 'dBeta'] as const) assert.deepEqual(Array.from(got[k]), Array.from(ref[k]), `${tag}: ${k}`);
          assert.deepEqual(Array.from(got.cache.xhat), Array.from(ref.cache.xhat), `${tag}: x̂`);
          assert.deepEqual(got.cache.invStd, ref.cache.invStd, `${tag}: 1/σ`);
          assert.deepEqual(got.p.mean, ref.p.mean, `${tag}: running mean`);
          assert.deepEqual(got.p.variance, ref.p.variance, `${tag}: running variance`);
        } finally {
          pins.release();
        }
      }
    }
  } finally {
    setKernelThreads(saved);
  }
});
