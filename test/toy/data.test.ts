import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activityCut, fillSparseInstance, fillSparseSlots, FeatureMajor, FeatureSlots } from '../../src/toy/data';
import { Rng } from '../../src/core/rng';
import { wasmKernels, wasmPins } from '../../src/compute/wasm';
import { kernelHelperReady, kernelThreads, setKernelThreads } from '../../src/compute/threads';

test('fillSparseInstance: active share ≈ p per feature, values in [0, 1) with mean 1/2', () => {
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

test('activityCut: active iff draw ≤ cut has probability ⌊p·2³²⌋/2³²; p ≥ 1 always', () => {
  assert.equal(activityCut(1), 4294967295);
  assert.equal(activityCut(0.5), 2147483647);
  assert.equal(activityCut(2 ** -33), 0);
});

test('fillSparseSlots: the SIMD kernel (one and two threads) draws bitwise what the JS loops and fillSparseInstance draw', async () => {
  const kernels = wasmKernels();
  if (!kernels) return;
  const saved = kernelThreads();
  for (const B of [1, 6, 37, 256]) {
    const probs = Float64Array.from([1, 0.5, 0.2, 0.05, 0.7, 0.01, 1, 0.3, 0.9, 0.15]), n = probs.length;
    const cutJs = Int32Array.from(probs, (p) => activityCut(p) | 0);
    const js = { x: new Float32Array(B * n), s: slots(B, n, null), key: new Int32Array(4) };
    fillSparseSlots(new Rng(4), js.x, B, n, cutJs, 0, js.s, js.key, null);
    // the same batch from fillSparseInstance (feature-major, compact non-zeros)
    const ref = new Float32Array(B * n);
    const fm: FeatureMajor = { ptr: new Int32Array(n + 1), idx: new Int32Array(B * n), val: new Float32Array(B * n), nnz: 0 };
    fillSparseInstance(new Rng(4), ref, B, n, probs, 0, fm, true);
    assert.deepEqual(js.x, ref, `B=${B}: fillSparseSlots (JS) = fillSparseInstance`);
    for (let i = 0; i < n; i++) {
      assert.deepEqual(js.s.idx.subarray(i * B, js.s.end[i]), fm.idx.subarray(fm.ptr[i], fm.ptr[i + 1]), `B=${B} feature ${i} samples`);
      assert.deepEqual(js.s.val.subarray(i * B, js.s.end[i]), fm.val.subarray(fm.ptr[i], fm.ptr[i + 1]), `B=${B} feature ${i} values`);
    }
    for (const threads of [1, 2]) {
      setKernelThreads(threads);
      if (threads === 2) await kernelHelperReady();
      const pins = wasmPins()!;
      try {
        const x = pins.f32(B * n).fill(7), cut = pins.i32(n), key = pins.i32(4), s = slots(B, n, pins);
        cut.set(cutJs);
        fillSparseSlots(new Rng(4), x, B, n, cut, 0, s, key, kernels);
        assert.deepEqual(Array.from(x), Array.from(ref), `B=${B}, ${threads} thread(s): x`);
        assert.deepEqual(Array.from(key), Array.from(js.key));
        assert.deepEqual(Array.from(s.end), Array.from(js.s.end), `B=${B}, ${threads} thread(s): ends`);
        for (let i = 0; i < n; i++) {
          assert.deepEqual(Array.from(s.idx.subarray(i * B, s.end[i])), Array.from(js.s.idx.subarray(i * B, js.s.end[i])));
          assert.deepEqual(Array.from(s.val.subarray(i * B, s.end[i])), Array.from(js.s.val.subarray(i * B, js.s.end[i])));
        }
      } finally {
        pins.release();
      }
    }
  }
  setKernelThreads(saved);
});

/** Empty fixed-slot non-zero lists for an n×B batch (pinned when `pins` is given). */
function slots(B: number, n: number, pins: ReturnType<typeof wasmPins>): FeatureSlots {
  const ptr = pins ? pins.i32(n + 1) : new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) ptr[i] = i * B;
  return { ptr, end: pins ? pins.i32(n) : new Int32Array(n), idx: pins ? pins.i32(B * n) : new Int32Array(B * n),
    val: pins ? pins.f32(B * n) : new Float32Array(B * n), nnz: 0 };
}
