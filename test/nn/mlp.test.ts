import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng';
import { matrix } from '../../src/core/matrix';
import { MlpTrainer, MlpWeights, Workspace, adamUpdate, infoNce, mlpForwardEval, sigmoidCrossEntropy, softmaxCrossEntropy, BN_EPS } from '../../src/nn';
import { kernelHelperReady, kernelThreads, kernelWorkerChunks, setKernelThreads } from '../../src/compute/threads';
import { dispatchPolicy, setDispatchPolicy, setWasmKernels } from '../../src/compute/dispatch';
import { expNonPositive } from '../../src/nn/losses';
import { trainLoop } from '../../src/training';
import * as ref from './reference';

/** Random weights of an MLP (batch norm on hidden layers when `bn`), with non-trivial gamma and beta. */
function randomWeights(sizes: number[], bn: boolean, seed: number, slope = 0.1): MlpWeights {
  const rng = new Rng(seed);
  return {
    sizes, slope,
    layers: sizes.slice(1).map((fo, l) => {
      const fi = sizes[l], hidden = l + 2 < sizes.length;
      return {
        W: matrix(fi, fo, rng.fillNormal(new Float32Array(fi * fo), 0, 1 / Math.sqrt(fi))),
        b: rng.fillNormal(new Float32Array(fo), 0, 0.3),
        bn: hidden && bn ? {
          gamma: rng.fillUniform(new Float32Array(fo), 0.5, 1.5), beta: rng.fillNormal(new Float32Array(fo), 0, 0.3),
          mean: new Float32Array(fo), variance: new Float32Array(fo).fill(1),
        } : undefined,
      };
    }),
  };
}

/** The float64 reference layers holding the same values as `w`. */
function refLayers(w: MlpWeights): ref.RefLayer[] {
  return w.layers.map((L) => ({
    W: Float64Array.from(L.W.data), b: Float64Array.from(L.b),
    gamma: L.bn ? Float64Array.from(L.bn.gamma) : undefined, beta: L.bn ? Float64Array.from(L.bn.beta) : undefined,
  }));
}

/** Assert analytic (float32) ≈ numeric (float64) gradient, relative to the largest entry. */
function assertGradClose(name: string, got: ArrayLike<number>, want: Float64Array, rel = 2e-3): void {
  assert.equal(got.length, want.length, `${name}: length`);
  let scale = 0;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  assert.ok(scale > 1e-6, `${name}: the numeric gradient is ~0, the check would be vacuous`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= rel * scale + 1e-6, `${name}[${i}]: analytic ${got[i]} vs numeric ${want[i]} (scale ${scale})`);
  }
}

/** Compare every parameter gradient of `tr` with finite differences of `loss64` over the reference layers. */
function checkAllParams(tr: MlpTrainer, layers: ref.RefLayer[], loss64: () => number): void {
  const params = tr.params();
  let k = 0;
  layers.forEach((L, l) => {
    for (const [name, v] of [['W', L.W], ['b', L.b], ['gamma', L.gamma], ['beta', L.beta]] as const) {
      if (!v) continue;
      if (name === 'b' && L.gamma) {
        // a bias before batch norm is cancelled by the mean subtraction: zero gradient, analytic and numeric
        const g = params[k++].g, num = ref.numericGrad(v, loss64);
        for (let i = 0; i < v.length; i++) assert.ok(Math.abs(g[i]) < 1e-6 && Math.abs(num[i]) < 1e-6, `layer ${l} b[${i}]: ${g[i]}, ${num[i]}`);
        continue;
      }
      assertGradClose(`layer ${l} ${name}`, params[k++].g, ref.numericGrad(v, loss64));
    }
  });
  assert.equal(k, params.length);
}

test('MLP with batch norm and leaky ReLU, softmax cross-entropy: gradients match float64 finite differences', () => {
  const sizes = [3, 6, 5, 4], B = 7, w = randomWeights(sizes, true, 1);
  const rng = new Rng(2);
  const x = rng.fillNormal(new Float32Array(B * 3), 0, 1);
  const labels = Int32Array.from({ length: B }, (_, i) => i % 4);
  const ws = new Workspace();
  try {
    const tr = new MlpTrainer(w, ws);
    const out = tr.forward(x, B);
    const g = new Float32Array(B * 4);
    const loss = softmaxCrossEntropy(out, B, 4, labels, g);
    const dx = tr.backward(g, true)!;
    const layers = refLayers(w), x64 = Float64Array.from(x);
    const loss64 = () => ref.softmaxCe(ref.mlpForward(layers, sizes, x64, B, w.slope), B, 4, labels);
    assert.ok(Math.abs(loss - loss64()) < 1e-5, `loss ${loss} vs reference ${loss64()}`);
    checkAllParams(tr, layers, loss64);
    assertGradClose('input', dx, ref.numericGrad(x64, loss64));
  } finally { ws.release(); }
});

test('MLP without batch norm, sigmoid cross-entropy on multi-hot targets: gradients match finite differences', () => {
  const sizes = [4, 8, 3], B = 5, w = randomWeights(sizes, false, 3);
  const rng = new Rng(4);
  const x = rng.fillNormal(new Float32Array(B * 4), 0, 1);
  const t = Float32Array.from({ length: B * 3 }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
  const ws = new Workspace(false);
  try {
    const tr = new MlpTrainer(w, ws);
    const out = tr.forward(x, B);
    const g = new Float32Array(B * 3);
    const loss = sigmoidCrossEntropy(out, B, 3, t, g);
    tr.backward(g);
    const layers = refLayers(w), x64 = Float64Array.from(x);
    const loss64 = () => ref.sigmoidCe(ref.mlpForward(layers, sizes, x64, B, w.slope), B, 3, t);
    assert.ok(Math.abs(loss - loss64()) < 1e-5);
    checkAllParams(tr, layers, loss64);
  } finally { ws.release(); }
});

test('InfoNCE: loss and gradient match the float64 reference; closed form for orthogonal pairs', () => {
  const n = 6, r = 4, tau = 0.3;
  const f = new Rng(5).fillNormal(new Float32Array(2 * n * r), 0, 1);
  const df = new Float32Array(2 * n * r);
  const loss = infoNce(f, n, r, tau, df);
  const f64 = Float64Array.from(f);
  const loss64 = () => ref.infoNce(f64, n, r, tau);
  assert.ok(Math.abs(loss - loss64()) < 1e-5, `${loss} vs ${loss64()}`);
  assertGradClose('df', df, ref.numericGrad(f64, loss64));
  // anchors = positives = the r unit vectors (n = r): L = I/τ, loss = log(e^{1/τ} + (n−1)) − 1/τ
  const e = new Float32Array(2 * r * r);
  for (let i = 0; i < r; i++) { e[i * r + i] = 2; e[(r + i) * r + i] = 3; }
  const closed = Math.log(Math.exp(1 / tau) + (r - 1)) - 1 / tau;
  assert.ok(Math.abs(infoNce(e, r, r, tau, new Float32Array(2 * r * r)) - closed) < 1e-6);
});

test('softmax cross-entropy of equal logits is log C with gradient (1/C − onehot)/B; stable for huge logits', () => {
  const B = 3, C = 5, g = new Float32Array(B * C);
  const loss = softmaxCrossEntropy(new Float32Array(B * C).fill(1e4), B, C, [0, 2, 4], g);
  assert.ok(Math.abs(loss - Math.log(C)) < 1e-12);
  assert.ok(Math.abs(g[0] - (1 / C - 1) / B) < 1e-7 && Math.abs(g[1] - 1 / C / B) < 1e-7);
  const big = new Float32Array(C);
  big[2] = 1e30;
  assert.equal(softmaxCrossEntropy(big, 1, C, [2], new Float32Array(C)), 0);
  assert.ok(Math.abs(sigmoidCrossEntropy(Float32Array.of(-200), 1, 1, [1], new Float32Array(1)) - 200) < 1e-9);
});

test('batch norm: running mean moves by 0.1·batch mean, running variance by 0.1·unbiased variance; eval uses them', () => {
  // one hidden layer of width 1 with W = 1, b = 0: the batch-norm input is x itself
  const x = Float32Array.of(1, 2, 3, 6);
  const w: MlpWeights = {
    sizes: [1, 1, 1], slope: 0.01,
    layers: [
      { W: matrix(1, 1, Float32Array.of(1)), b: new Float32Array(1), bn: { gamma: Float32Array.of(2), beta: Float32Array.of(0.5), mean: new Float32Array(1), variance: Float32Array.of(1) } },
      { W: matrix(1, 1, Float32Array.of(1)), b: new Float32Array(1) },
    ],
  };
  const ws = new Workspace(false);
  const tr = new MlpTrainer(w, ws);
  const out = tr.forward(x, 4);
  // mean 3, biased variance 3.5, unbiased 14/3
  const y = [1, 2, 3, 6].map((v) => Math.max(2 * (v - 3) / Math.sqrt(3.5 + BN_EPS) + 0.5, 0) + Math.min(0, 2 * (v - 3) / Math.sqrt(3.5 + BN_EPS) + 0.5) * 0.01);
  y.forEach((v, i) => assert.ok(Math.abs(out[i] - v) < 1e-6));
  const after = tr.weights();
  assert.ok(Math.abs(after.layers[0].bn!.mean[0] - 0.3) < 1e-7);
  assert.ok(Math.abs(after.layers[0].bn!.variance[0] - (0.9 + 0.1 * 14 / 3)) < 1e-6);
  const ev = mlpForwardEval(after, Float32Array.of(3), 1);
  const pre = 2 * (3 - 0.3) / Math.sqrt(0.9 + 0.1 * 14 / 3 + BN_EPS) + 0.5;
  assert.ok(Math.abs(ev[0] - pre) < 1e-5);
  ws.release();
});

/** Bytes of every parameter after a short fit of a classifier large enough for the wasm GEMM and Adam. */
function smallFit(): Uint8Array {
  const sizes = [5, 64, 96, 10], B = 256, C = 10;
  const w = randomWeights(sizes, true, 7, 0.01);
  const rng = new Rng(8);
  const ws = new Workspace();
  try {
    const tr = new MlpTrainer(w, ws);
    const x = ws.f32(B * 5), g = ws.f32(B * C), labels = new Int32Array(B);
    trainLoop({
      update(t, lr) {
        rng.fillNormal(x, 0, 1);
        for (let i = 0; i < B; i++) labels[i] = (x[i * 5] > 0 ? 1 : 0) + 2 * (x[i * 5 + 1] > 0 ? 1 : 0);
        const loss = softmaxCrossEntropy(tr.forward(x, B), B, C, labels, g);
        tr.backward(g);
        adamUpdate(tr.params(), lr, t);
        return loss;
      },
    }, { steps: 30, lr: 3e-3 });
    const out = tr.weights();
    const all = out.layers.flatMap((L) => [L.W.data, L.b, ...(L.bn ? [L.bn.gamma, L.bn.beta, L.bn.mean, L.bn.variance] : [])]);
    const bytes = new Uint8Array(all.reduce((s, a) => s + a.byteLength, 0));
    let o = 0;
    for (const a of all) { bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), o); o += a.byteLength; }
    return bytes;
  } finally { ws.release(); }
}

test('a small fit is bitwise identical on one and two threads', async () => {
  setKernelThreads(1);
  const one = smallFit();
  setKernelThreads(2);
  const ready = await kernelHelperReady();
  const before = kernelWorkerChunks();
  const two = smallFit();
  if (ready) assert.ok(kernelWorkerChunks() > before, 'the worker thread took part');
  assert.ok(Buffer.from(one).equals(Buffer.from(two)), 'parameters differ between 1 and 2 threads');
  assert.ok(!Buffer.from(one).equals(Buffer.from(new Uint8Array(one.length))));
});

test('softmax cross-entropy on the kernels (one and two threads) is bitwise the JS loop, in place too; it matches a float64 reference with Math.exp', async () => {
  const B = 37, C = 101, r = new Rng(4); // odd C: the kernel's last-entry path
  const logits = r.fillNormal(new Float32Array(B * C), 0, 3), labels = Int32Array.from({ length: B }, (_, i) => (i * 7) % C);
  logits[5] = -800; // e^x underflows to 0 below −708
  // reference: float64 with Math.exp
  let want = 0;
  const wantG = new Float64Array(B * C);
  for (let b = 0; b < B; b++) {
    const row = Array.from(logits.subarray(b * C, (b + 1) * C)), mx = Math.max(...row), e = row.map((v) => Math.exp(v - mx)), s = e.reduce((a, v) => a + v, 0);
    want += (mx + Math.log(s) - row[labels[b]]) / B;
    e.forEach((v, j) => { wantG[b * C + j] = (v / s - (j === labels[b] ? 1 : 0)) / B; });
  }
  const prevMin = dispatchPolicy().elementwiseMinEntries, prevThreads = kernelThreads();
  const outs: [number, Float32Array][] = [];
  try {
    for (const path of ['js', 'wasm1', 'wasm2']) {
      setWasmKernels(path !== 'js');
      setDispatchPolicy({ elementwiseMinEntries: path === 'js' ? Infinity : 0 });
      setKernelThreads(path === 'wasm2' ? 2 : 1);
      if (path === 'wasm2') await kernelHelperReady();
      const g = new Float32Array(B * C);
      const loss = softmaxCrossEntropy(logits, B, C, labels, g);
      const inPlace = logits.slice();
      assert.equal(softmaxCrossEntropy(inPlace, B, C, Array.from(labels), inPlace), loss, `${path}: in place, labels as a plain array`);
      assert.deepEqual(inPlace, g, `${path}: in place`);
      assert.ok(Math.abs(loss - want) < 1e-12 * Math.abs(want), `${path}: loss ${loss} vs ${want}`);
      g.forEach((v, q) => assert.ok(Math.abs(v - wantG[q]) < 1e-9, `${path}: grad[${q}]`));
      outs.push([loss, g]);
    }
  } finally {
    setWasmKernels(true);
    setDispatchPolicy({ elementwiseMinEntries: prevMin });
    setKernelThreads(prevThreads);
  }
  for (const o of outs.slice(1)) assert.deepEqual(o, outs[0]);
});

test('expNonPositive: within 4e-16 relative of Math.exp on [−708, 0]; 1 at 0; 0 below −708 and at −∞; NaN stays NaN', async () => {
  let worst = 0;
  for (let i = 0; i <= 100000; i++) {
    const x = -708 * (i / 100000) ** 2;
    worst = Math.max(worst, Math.abs(expNonPositive(x) - Math.exp(x)) / Math.exp(x));
  }
  assert.ok(worst < 4e-16, `max relative error ${worst}`);
  assert.ok(worst > 0, 'not Math.exp itself');
  assert.equal(expNonPositive(0), 1);
  assert.equal(expNonPositive(-0), 1);
  assert.equal(expNonPositive(-708.5), 0);
  assert.equal(expNonPositive(-Infinity), 0);
  assert.ok(Number.isNaN(expNonPositive(NaN)));
  assert.equal(expNonPositive(-Math.LN2), 0.5);
});
