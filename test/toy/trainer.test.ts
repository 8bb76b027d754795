import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ToyTrainer, ToyRoute, toyElementwise, ToyElementwiseArgs } from '../../src/toy/trainer';
import { fillSparseInstance, FeatureSlots } from '../../src/toy/data';
import { wasmKernels, wasmPins, WasmPins } from '../../src/compute/wasm';
import { toyGradients, trainToyModels } from '../../src/toy/model';
import { countRepresented, featureNorms } from '../../src/toy/analysis';
import { Rng } from '../../src/core/rng';
import { tf, initBackend } from '../../src/core/backend';
import { setKernelThreads, kernelHelperReady, kernelThreads } from '../../src/compute/threads';

const I = 2, n = 6, m = 3, B = 9;
const prob = Float64Array.from({ length: I * n }, (_, k) => (k < n ? 1 : 0.4));
const importance = Float64Array.from({ length: I * n }, (_, k) => 0.8 ** (k % n) + (k >= n ? 0.5 : 0));

function trainer(activation: 'relu' | 'linear', route: ToyRoute): ToyTrainer {
  const W0 = new Rng(5).fillNormal(new Float32Array(I * n * m), 0, 0.6);
  const t = new ToyTrainer({ instances: I, n, m, batch: B, prob, importance, activation, weightDecay: 0.01, W0 }, route);
  // a bias with both signs, so that some pre-activations are cut by the ReLU and some are not
  for (let k = 0; k < I * n; k++) t.b[k] = 0.3 * Math.sin(3 * k + 1);
  return t;
}

/** The batch the trainer draws from a fresh Rng(seed): [instance][sample][feature]. */
function batchOf(seed: number): Float64Array {
  const rng = new Rng(seed), x = new Float32Array(B * n), all = new Float64Array(I * B * n);
  for (let s = 0; s < I; s++) { fillSparseInstance(rng, x, B, n, prob, s * n); all.set(x, s * B * n); }
  return all;
}

/** Independent float64 reference: Σ_instances mean_b Σ_i I_i (act(x W Wᵀ + b) − x)². */
function lossRef(W: Float64Array, b: Float64Array, x: Float64Array, act: 'relu' | 'linear'): number {
  let total = 0;
  for (let s = 0; s < I; s++) {
    for (let r = 0; r < B; r++) {
      const xs = x.subarray((s * B + r) * n, (s * B + r + 1) * n);
      const h = new Float64Array(m);
      for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) h[k] += xs[i] * W[(s * n + i) * m + k];
      for (let i = 0; i < n; i++) {
        let o = b[s * n + i];
        for (let k = 0; k < m; k++) o += h[k] * W[(s * n + i) * m + k];
        if (act === 'relu') o = Math.max(o, 0);
        total += importance[s * n + i] * (o - xs[i]) ** 2 / B;
      }
    }
  }
  return total;
}

for (const route of ['engine', 'js'] as const) {
  for (const act of ['relu', 'linear'] as const) {
    test(`${route} route, ${act}: hand-written gradients match float64 central differences`, () => {
      const t = trainer(act, route);
      try {
        const W = Float64Array.from(t.W), b = Float64Array.from(t.b), x = batchOf(11);
        const loss = t.gradients(new Rng(11));
        assert.ok(Math.abs(loss * I - lossRef(W, b, x, act)) < 1e-5 * Math.max(1, loss * I), 'batch loss');
        const eps = 1e-6;
        const check = (p: Float64Array, g: Float32Array, name: string): void => {
          for (let k = 0; k < p.length; k++) {
            const keep = p[k];
            p[k] = keep + eps; const up = lossRef(W, b, x, act);
            p[k] = keep - eps; const dn = lossRef(W, b, x, act);
            p[k] = keep;
            const fd = (up - dn) / (2 * eps);
            assert.ok(Math.abs(fd - g[k]) < 1e-4 * Math.max(1, Math.abs(fd)), `${name}[${k}]: backward ${g[k]}, finite difference ${fd}`);
          }
        };
        check(W, t.gW, 'W');
        check(b, t.gb, 'b');
      } finally {
        t.release();
      }
    });
  }
}

test('engine gradients equal the tfjs toyGradients on the same batch (1e-5)', async () => {
  await initBackend();
  for (const act of ['relu', 'linear'] as const) {
    const t = trainer(act, 'engine');
    try {
      const x = batchOf(4);
      t.gradients(new Rng(4));
      const ref = tf.tidy(() => {
        const r = toyGradients(tf.tensor3d(Float32Array.from(x), [I, B, n]), tf.tensor3d(t.W, [I, n, m]), tf.tensor3d(t.b, [I, 1, n]),
          tf.tensor3d(Float32Array.from(importance), [I, 1, n]), act, false);
        return [r.gradW.dataSync(), r.gradB.dataSync()] as Float32Array[];
      });
      ref[0].forEach((v, k) => assert.ok(Math.abs(v - t.gW[k]) < 1e-5, `${act} W[${k}]: tfjs ${v}, engine ${t.gW[k]}`));
      ref[1].forEach((v, k) => assert.ok(Math.abs(v - t.gb[k]) < 1e-5, `${act} b[${k}]: tfjs ${v}, engine ${t.gb[k]}`));
    } finally {
      t.release();
    }
  }
});

test('same seed: bitwise the same W and b after 15 steps on one and on two kernel threads (engine route)', async () => {
  const saved = kernelThreads();
  const run = async (threads: number): Promise<Float32Array> => {
    setKernelThreads(threads);
    if (threads === 2) await kernelHelperReady();
    const probs = [1, 0.3, 0.1, 0.02];
    const r = await trainToyModels({ n: 64, m: 8, featureProbability: probs, steps: 15, batch: 256, seed: 3, progress: false, evalSamples: 1 });
    const out = new Float32Array(r.instances.length * (64 * 8 + 64));
    r.instances.forEach((s, k) => { out.set(s.W.data, k * 576); out.set(s.b, k * 576 + 512); });
    return out;
  };
  try {
    const one = await run(1), two = await run(2);
    assert.deepEqual(Buffer.from(two.buffer), Buffer.from(one.buffer));
    assert.ok(one.some((v) => v !== 0));
  } finally {
    setKernelThreads(saved);
  }
});

test('planted: n=5, m=2, importance 0.9^i, p=0.02 — ReLU stores more than m features, linear exactly the top m', async () => {
  const importance5 = [1, 0.9, 0.81, 0.729, 0.6561];
  const common = { n: 5, m: 2, featureProbability: [0.02], importance: importance5, steps: 600, batch: 1024, lr: 1e-2, seed: 7, progress: false };
  const relu = await trainToyModels(common);
  const lin = await trainToyModels({ ...common, activation: 'linear' });
  const stored = countRepresented(relu.instances[0].W);
  assert.ok(stored > 2, `ReLU stores ${stored} features with ‖W_i‖ > 0.5 (norms ${Array.from(featureNorms(relu.instances[0].W), (v) => v.toFixed(2))})`);
  const ln = featureNorms(lin.instances[0].W), shown = Array.from(ln, (v) => v.toFixed(2));
  assert.equal(countRepresented(lin.instances[0].W), 2, `linear norms ${shown}`);
  assert.ok(ln[0] > 0.5 && ln[1] > 0.5, `linear keeps the top two: ${shown}`);
});

/** Elementwise operands for n features × B samples: pre of both signs, sparse x, a zero and a NaN pre-activation. */
function elementwiseArgs(n: number, B: number, relu: boolean, pins: WasmPins | null): ToyElementwiseArgs {
  const f32 = (k: number): Float32Array => (pins ? pins.f32(k) : new Float32Array(k));
  const f64 = (k: number): Float64Array => { const a = f32(2 * k); return new Float64Array(a.buffer, a.byteOffset, k); };
  const rng = new Rng(21);
  const outT = rng.fillNormal(f32(n * B), 0, 1), xT = f32(n * B), bias = rng.fillNormal(f32(n), 0, 0.3), wc = f64(2 * n);
  for (let k = 0; k < n * B; k++) xT[k] = rng.uniform() < 0.4 ? rng.uniform() : 0;
  outT[3] = -bias[0]; // pre exactly 0: off under the ReLU
  for (let i = 0; i < n; i++) { wc[2 * i] = 0.9 ** i; wc[2 * i + 1] = (2 / B) * 0.9 ** i; }
  const ptr = pins ? pins.i32(n + 1) : new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) ptr[i] = i * B;
  const g: FeatureSlots = { ptr, end: pins ? pins.i32(n) : new Int32Array(n), idx: pins ? pins.i32(n * B) : new Int32Array(n * B), val: f32(n * B), nnz: n * B };
  return { outT, xT, bias, wc, n, batch: B, relu, g, gb: f32(n), featureLoss: f64(n) };
}

test('toyElementwise: the SIMD kernel (one and two threads) gives bitwise the JS loop\'s G, ∂b and loss (odd and even batches)', async () => {
  const kernels = wasmKernels();
  if (!kernels) return;
  const saved = kernelThreads();
  try {
    for (const B of [7, 64]) {
      for (const relu of [true, false]) {
        const n = 13, ref = elementwiseArgs(n, B, relu, null);
        const lossRef = toyElementwise(ref, null);
        // an independent check of the JS loop on one entry: G = (2/B)·w·(act(pre) − x)
        const pre = ref.outT[5] + ref.bias[0], act = relu ? Math.max(pre, 0) : pre;
        const g5 = relu && pre <= 0 ? 0 : Math.fround((2 / B) * (act - ref.xT[5]));
        const k5 = Array.from(ref.g.idx.subarray(0, ref.g.end[0])).indexOf(5);
        assert.equal(k5 >= 0 ? ref.g.val[k5] : 0, g5);
        assert.ok(!Array.from(ref.g.idx.subarray(0, ref.g.end[0])).includes(3) || !relu, 'pre = 0 is off under the ReLU');
        for (const threads of [1, 2]) {
          setKernelThreads(threads);
          if (threads === 2) await kernelHelperReady();
          const pins = wasmPins()!;
          try {
            const a = elementwiseArgs(n, B, relu, pins);
            const loss = toyElementwise(a, kernels);
            const tag = `B=${B} ${relu ? 'relu' : 'linear'} ${threads} thread(s)`;
            assert.equal(loss, lossRef, `${tag}: loss`);
            assert.deepEqual(Array.from(a.gb), Array.from(ref.gb), `${tag}: ∂b`);
            assert.deepEqual(Array.from(a.featureLoss), Array.from(ref.featureLoss), `${tag}: loss per feature`);
            assert.deepEqual(Array.from(a.g.end), Array.from(ref.g.end), `${tag}: non-zeros per feature`);
            for (let i = 0; i < n; i++) {
              assert.deepEqual(Array.from(a.g.idx.subarray(i * B, a.g.end[i])), Array.from(ref.g.idx.subarray(i * B, ref.g.end[i])), `${tag}: samples of ${i}`);
              assert.deepEqual(Array.from(a.g.val.subarray(i * B, a.g.end[i])), Array.from(ref.g.val.subarray(i * B, ref.g.end[i])), `${tag}: G of ${i}`);
            }
          } finally {
            pins.release();
          }
        }
      }
    }
  } finally {
    setKernelThreads(saved);
  }
});
