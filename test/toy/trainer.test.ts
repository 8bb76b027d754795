import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ToyTrainer, ToyRoute } from '../../src/toy/trainer';
import { fillSparseInstance } from '../../src/toy/data';
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
