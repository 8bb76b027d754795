import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { matrix, Matrix } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';
import { writeNpy } from '../../src/io/npy';
import { tf, initBackend } from '../../src/core/backend';
import { ImageSplit } from '../../src/io/datasets';
import { encodeMlp, initMlp } from '../../src/identifiability/mlp';
import { reconstructionFrontier, amortisationGapOnFrontier } from '../../src/experiments/frontier';
import { kTermFvu } from '../../src/metrics/reconstruction';
import { loadActivationSet, ActivationSet } from '../../src/experiments/activation_set';
import { crossSeedMatch, realUnitSets, liveColumns, scoringDataOf } from '../../src/experiments/real_units';
import { compositeImages, compositeTest, sumOfPartsFit } from '../../src/experiments/composites';
import { trainFashionNetwork, networkActivations, networkAccuracy, saveActivations } from '../../src/experiments/fashion_network';
import { principalDirections } from '../../src/core/decompositions';
import { readNpy } from '../../src/io/npy';
import { tempDir } from '../helpers/tmp';

const tmp = () => tempDir('sw-real-');

test('encodeMlp: a hidden layer\'s output is ReLU(BN(x·W + b)) of that layer, by hand', async () => {
  await initBackend();
  const enc = initMlp([5, 4, 3, 2], 7, { slope: 0 });
  // non-trivial running statistics
  enc.layers[0].bn!.mean.set([0.1, -0.2, 0.3, 0]); enc.layers[0].bn!.variance.set([2, 0.5, 1, 3]);
  enc.layers[0].bn!.gamma.set([1, 2, 0.5, 1]); enc.layers[0].bn!.beta.set([0, 0.1, -0.1, 0.2]);
  const X = matrix(3, 5, new Rng(1).fillNormal(new Float32Array(15)));
  const h = await encodeMlp(enc, X, { layer: 0 });
  assert.equal(h.rows, 3); assert.equal(h.cols, 4);
  const L = enc.layers[0];
  for (let b = 0; b < 3; b++) for (let j = 0; j < 4; j++) {
    let s = L.b[j];
    for (let i = 0; i < 5; i++) s += X.data[b * 5 + i] * L.W.data[i * 4 + j];
    const bn = (s - L.bn!.mean[j]) / Math.sqrt(L.bn!.variance[j] + 1e-5) * L.bn!.gamma[j] + L.bn!.beta[j];
    assert.ok(Math.abs(h.data[b * 4 + j] - Math.max(0, bn)) < 1e-5, `b=${b} j=${j}`);
  }
  assert.equal((await encodeMlp(enc, X)).cols, 2, 'default: the representation');
  await assert.rejects(encodeMlp(enc, X, { layer: 2 }), /layer/);
  assert.equal(tf.memory().numTensors, tf.memory().numTensors);
});

test('kTermFvu: exact for k = M, 0 for k-sparse deviations in the neuron basis, PCA ≤ neurons at every k', () => {
  const rng = new Rng(2), B = 400, M = 6;
  // deviations with at most 2 non-zero coordinates around mean mu
  const mu = [1, 2, 3, 0, 0, 1];
  const X = new Float32Array(B * M);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < M; j++) X[b * M + j] = mu[j];
    const i = rng.int(M); let j2 = rng.int(M); if (j2 === i) j2 = (i + 1) % M;
    X[b * M + i] += rng.normal(); X[b * M + j2] += rng.normal();
  }
  const Xm = matrix(B, M, X);
  assert.ok(kTermFvu(Xm, mu, null, 2) < 1e-12);
  // keeping the larger of two iid N(0,1) deviations leaves E[min²]/E[a² + b²] = (1 − 2/π)/2 of the variance
  const f1n = kTermFvu(Xm, mu, null, 1);
  assert.ok(Math.abs(f1n - (0.5 - 1 / Math.PI)) < 0.03, `k=1: ${f1n}`);
  assert.equal(kTermFvu(Xm, mu, null, M), 0);
  // correlated data: the PCA basis is better than the neurons at every k
  const Y = new Float32Array(B * M);
  for (let b = 0; b < B; b++) { const z = rng.normal(); for (let j = 0; j < M; j++) Y[b * M + j] = z * (j + 1) + 0.1 * rng.normal(); }
  const Ym = matrix(B, M, Y), pca = principalDirections(Ym, M);
  for (let k = 1; k < M; k++) assert.ok(kTermFvu(Ym, pca.mean, pca.directions, k) <= kTermFvu(Ym, pca.mean, null, k) + 1e-9, `k=${k}`);
  const f1 = kTermFvu(Ym, pca.mean, pca.directions, 1);
  assert.ok(f1 < 0.05, `one component explains a rank-one signal: ${f1}`);
  assert.throws(() => kTermFvu(Ym, [0, 0], null, 1), /mean has 2 entries/);
});

/** Planted sparse activations: X = Z·D, 3 of 24 random unit atoms per example with positive amplitudes, M = 12. */
function plantedSet(seed: number, Btr = 3000, Bte = 600): ActivationSet & { D: Matrix } {
  const rng = new Rng(seed), N = 24, M = 12, K = 3;
  const D = new Float32Array(N * M);
  for (let i = 0; i < N; i++) {
    let n = 0;
    for (let j = 0; j < M; j++) { D[i * M + j] = rng.normal(); n += D[i * M + j] ** 2; }
    for (let j = 0; j < M; j++) D[i * M + j] /= Math.sqrt(n);
  }
  const make = (B: number) => {
    const X = new Float32Array(B * M), labels = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      const pick = rng.choice(N, K);
      labels[b] = pick[0] % 4;
      for (const i of pick) { const a = 0.5 + rng.uniform(); for (let j = 0; j < M; j++) X[b * M + j] += a * D[i * M + j]; }
    }
    return { X: matrix(B, M, X), labels };
  };
  const tr = make(Btr), te = make(Bte);
  return { source: 'planted', train: tr.X, test: te.X, testImages: te.X, testLabels: te.labels, classes: 4, height: 3, width: 4, D: matrix(N, M, D) };
}

test('reconstructionFrontier on planted sparse activations: dictionaries beat the bases at equal L0, OMP on the SAE decoder beats its encoder', () => {
  const set = plantedSet(4);
  const fr = reconstructionFrontier(set, { sizes: [2], ks: [3], epochs: 20, batch: 256, lr: 3e-3, dlSizes: [2], dlKs: [3], dlSamples: 3000, dlIterations: 40, basisKs: [3, 12], seed: 1 });
  const row = (method: string) => fr.rows.find((r) => r.method === method && r.k === 3)!;
  assert.equal(fr.rows.find((r) => r.method === 'neurons · basis' && r.k === 12)!.fvu, 0);
  // DL finds the planted 3-sparse structure (measured: FVU 0.05 at 40 iterations, 0.075 at 20); 3-term bases cannot (PCA 0.22)
  assert.ok(row('DL · OMP').fvu < 0.5 * row('PCA · basis').fvu, `DL fvu ${row('DL · OMP').fvu} vs PCA ${row('PCA · basis').fvu}`);
  assert.ok(row('DL · OMP').fvu < row('TopK SAE · OMP').fvu);
  assert.ok(row('neurons · basis').fvu > row('PCA · basis').fvu);
  assert.ok(row('TopK SAE · encoder').l0 <= 3 + 1e-9 && row('TopK SAE · OMP').l0 <= 3 + 1e-9);
  const gap = amortisationGapOnFrontier(fr.rows);
  assert.equal(gap.length, 1);
  assert.ok(gap[0].inferenceFvu <= gap[0].encoderFvu, JSON.stringify(gap[0]));
  assert.equal(fr.models.length, 2);
  assert.equal(fr.models[0].testCodes.rows, 600);
});

test('realUnitSets: neurons, PCA (2M), dictionaries and a null; dead units dropped and counted', () => {
  const set = plantedSet(5, 800, 300);
  const codes = new Float32Array(300 * 24);
  for (let b = 0; b < 300; b++) codes[b * 24 + (b % 20)] = 1; // units 20..23 never fire
  const { sets, dead } = realUnitSets(set, [{ name: 'dict', codes: matrix(300, 24, codes), dictionary: set.D }], 1);
  assert.deepEqual(sets.map((s) => s.name), ['neurons', 'PCA', 'dict', 'shuffled (null)']);
  assert.equal(dead.dict, 4);
  assert.equal(sets[2].acts.cols, 20);
  assert.equal(sets[1].acts.cols, 24);
  assert.deepEqual(Array.from(liveColumns(matrix(3, 2, new Float32Array([1, 0, 1, 2, 1, 0])))), [1]);
  assert.throws(() => realUnitSets(set, [{ name: 'bad', codes: matrix(299, 24), dictionary: set.D }]), /299 examples/);
  assert.throws(() => scoringDataOf({ ...set, testLabels: null }), /labels/);
});

test('crossSeedMatch: a permuted, rescaled copy matches at 1; independent units near the shuffled chance', () => {
  const rng = new Rng(6), S = 500, U = 8;
  const a = matrix(S, U, rng.fillNormal(new Float32Array(S * U)));
  const perm = [3, 1, 7, 0, 2, 6, 5, 4];
  const b = new Float32Array(S * (U + 1)); // plus one dead column
  for (let s = 0; s < S; s++) perm.forEach((p, u) => { b[s * (U + 1) + u] = -2 * a.data[s * U + p]; });
  const m = crossSeedMatch(a, matrix(S, U + 1, b), 1);
  assert.ok(Math.abs(m.mcc - 1) < 1e-9);
  assert.equal(m.deadB, 1); assert.equal(m.deadA, 0);
  assert.ok(m.chance < 0.15, `chance ${m.chance}`);
  const indep = crossSeedMatch(a, matrix(S, U, rng.fillNormal(new Float32Array(S * U))), 1);
  assert.ok(Math.abs(indep.mcc - indep.chance) < 0.05);
  assert.throws(() => crossSeedMatch(a, matrix(10, U)), /500 examples in a but 10/);
});

test('composites: sumOfPartsFit is exact on linear responses; compositeTest separates parts from controls for a linear layer', async () => {
  const f = sumOfPartsFit([3, 5, 7], [1, 1, 1], [1, 2, 3]);
  assert.ok(Math.abs(f.alpha - 1) < 1e-9 && Math.abs(f.beta - 2) < 1e-9 && Math.abs(f.r2 - 1) < 1e-12);
  const c = compositeImages(matrix(1, 3, new Float32Array([0, 1, 0.5])), matrix(1, 3, new Float32Array([1, 0, 0.25])), 'max');
  assert.deepEqual(Array.from(c.data), [1, 1, 0.5]);
  assert.throws(() => compositeImages(matrix(1, 3), matrix(1, 2)), /shape|columns|cols/i);
  // a linear "layer" y = x·W and mean composites: y(c) = (y(a) + y(b))/2 exactly, so R² = 1 and cos = 1
  const rng = new Rng(7), B = 200, P = 10, M = 6;
  const X = matrix(B, P, rng.fillUniform(new Float32Array(B * P), 0, 1));
  const labels = Int32Array.from({ length: B }, (_, i) => i % 5);
  const W = rng.fillNormal(new Float32Array(P * M));
  const layer = (x: Matrix) => {
    const out = new Float32Array(x.rows * M);
    for (let b = 0; b < x.rows; b++) for (let i = 0; i < P; i++) for (let j = 0; j < M; j++) out[b * M + j] += x.data[b * P + i] * W[i * M + j];
    return matrix(x.rows, M, out);
  };
  const t = await compositeTest(layer, X, labels, { pairs: 50, mode: 'mean', seed: 2 });
  // centring subtracts the mean response, so the fit is exact up to the intercept: still near 1
  assert.ok(t.parts.r2Ci.mean > 0.95, `parts R² ${t.parts.r2Ci.mean}`);
  assert.ok(t.parts.r2Ci.lo > t.shuffled.r2Ci.hi);
  for (let k = 0; k < 50; k++) assert.notEqual(labels[t.a[k]], labels[t.b[k]]);
  await assert.rejects(compositeTest(layer, X, new Int32Array(B)), /two classes/);
});

test('loadActivationSet: own .npy files split into train/test with images and labels; clear errors', () => {
  const dir = tmp(), B = 100, M = 5;
  const acts = matrix(B, M, new Rng(8).fillNormal(new Float32Array(B * M)));
  writeNpy(path.join(dir, 'acts.npy'), acts);
  writeNpy(path.join(dir, 'imgs.npy'), { dtype: 'uint8', shape: [B, 2, 3], data: Uint8Array.from({ length: B * 6 }, (_, i) => i % 251) });
  writeNpy(path.join(dir, 'labels.npy'), { dtype: 'int64', shape: [B], data: BigInt64Array.from({ length: B }, (_, i) => BigInt(i % 3)) });
  const s = loadActivationSet({ activations: path.join(dir, 'acts.npy'), images: path.join(dir, 'imgs.npy'), labels: path.join(dir, 'labels.npy'), seed: 1 });
  assert.equal(s.test.rows, 20); assert.equal(s.train.rows, 80); assert.equal(s.height, 2); assert.equal(s.width, 3); assert.equal(s.classes, 3);
  // rows stay aligned: find a test row's activations in the original and check its label and image
  const r0 = Array.from(s.test.data.subarray(0, M));
  const orig = Array.from({ length: B }, (_, b) => b).find((b) => Array.from(acts.data.subarray(b * M, b * M + M)).every((v, j) => v === r0[j]))!;
  assert.equal(s.testLabels![0], orig % 3);
  assert.equal(s.testImages!.data[0], (orig * 6) % 251);
  writeNpy(path.join(dir, 'short.npy'), { dtype: 'int32', shape: [B - 1], data: new Int32Array(B - 1) });
  assert.throws(() => loadActivationSet({ activations: path.join(dir, 'acts.npy'), labels: path.join(dir, 'short.npy') }), /99 labels but 100 activation rows/);
  // integer activations are converted to float, like every NPY reader of the workbook
  writeNpy(path.join(dir, 'int.npy'), { dtype: 'int32', shape: [B, M], data: Int32Array.from({ length: B * M }, (_, i) => i % 7) });
  const si = loadActivationSet({ activations: path.join(dir, 'int.npy') });
  assert.equal(si.train.rows + si.test.rows, B);
  assert.ok(si.test.data instanceof Float32Array || si.test.data instanceof Float64Array);
  assert.ok(Array.from(si.test.data).every((v) => Number.isInteger(v) && v >= 0 && v < 7));
  const bad = acts.data.slice(); bad[7] = NaN;
  writeNpy(path.join(dir, 'nan.npy'), matrix(B, M, bad));
  assert.throws(() => loadActivationSet({ activations: path.join(dir, 'nan.npy') }), /NaN|finite/);
  writeNpy(path.join(dir, 'flat.npy'), { dtype: 'float32', shape: [B, 6], data: new Float32Array(B * 6) });
  assert.throws(() => loadActivationSet({ activations: path.join(dir, 'acts.npy'), images: path.join(dir, 'flat.npy') }), /imageShape/);
  assert.equal(loadActivationSet({ activations: path.join(dir, 'acts.npy'), images: path.join(dir, 'flat.npy'), imageShape: [3, 2] }).width, 2);
  assert.throws(() => loadActivationSet({ activations: path.join(dir, 'missing.npy') }), /missing\.npy/);
});

test('trainFashionNetwork on a tiny separable image problem: learns it, activations are non-negative, saved as NPY', async () => {
  // two classes: bright left half vs bright right half, plus noise
  const rng = new Rng(9), P = 16, make = (B: number): ImageSplit => {
    const x = new Float32Array(B * P), labels = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      labels[b] = b % 2;
      for (let p = 0; p < P; p++) x[b * P + p] = Math.min(1, Math.max(0, ((p % 4 < 2) === (labels[b] === 0) ? 0.8 : 0.2) + 0.2 * rng.normal()));
    }
    return { images: matrix(B, P, x), labels, height: 4, width: 4 };
  };
  const train = make(400), testSplit = make(200);
  const before = tf.memory().numTensors;
  const net = await trainFashionNetwork(train, testSplit, { hidden: [16, 8], repDim: 4, steps: 150, batch: 32, seed: 3, progress: false });
  assert.equal(tf.memory().numTensors, before, 'no tensors leak from training');
  assert.ok(net.testAccuracy > 0.95, `accuracy ${net.testAccuracy}`);
  assert.equal(await networkAccuracy(net, testSplit.images, testSplit.labels), net.testAccuracy);
  assert.ok(net.history.length >= 1 && 'testAccuracy' in net.history[net.history.length - 1]);
  const acts = await networkActivations(net, testSplit.images);
  assert.equal(acts.cols, 8); assert.equal(net.width, 8);
  assert.ok(acts.data.every((v) => v >= 0), 'ReLU neurons are non-negative');
  const again = await trainFashionNetwork(train, testSplit, { hidden: [16, 8], repDim: 4, steps: 150, batch: 32, seed: 3, progress: false });
  assert.deepEqual(Array.from((await networkActivations(again, testSplit.images)).data.subarray(0, 20)), Array.from(acts.data.subarray(0, 20)), 'seeded');
  const dir = tmp();
  const files = saveActivations(path.join(dir, 'sub'), 'net', { train: acts, test: acts, testLabels: testSplit.labels });
  assert.equal(files.length, 3);
  assert.deepEqual(readNpy(files[1]).shape, [200, 8]);
  assert.equal(readNpy(files[2]).dtype, 'int32');
});

test('own activations end to end (the notebook\'s path without a network): load .npy, frontier, unit sets, scores', async () => {
  const { scoreUnitSets } = await import('../../src/experiments/unit_scores');
  const set0 = plantedSet(11, 1500, 500);
  // write "own" files: all 2000 examples, images = 3×4 grey (the activations themselves), labels
  const dir = tmp(), B = 2000, M = 12;
  const acts = new Float32Array(B * M);
  acts.set(set0.train.data); acts.set(set0.test.data, 1500 * M);
  writeNpy(path.join(dir, 'acts.npy'), matrix(B, M, acts));
  writeNpy(path.join(dir, 'imgs.npy'), { dtype: 'float32', shape: [B, 3, 4], data: acts });
  const labels = new Int32Array(B);
  labels.set(Int32Array.from({ length: 1500 }, (_, i) => i % 4)); labels.set(set0.testLabels!, 1500);
  writeNpy(path.join(dir, 'labels.npy'), { dtype: 'int32', shape: [B], data: labels });
  const set = loadActivationSet({ activations: path.join(dir, 'acts.npy'), images: path.join(dir, 'imgs.npy'), labels: path.join(dir, 'labels.npy'), seed: 1 });
  const fr = reconstructionFrontier(set, { sizes: [2], ks: [3], steps: 200, batch: 128, dlSizes: [2], dlKs: [3], dlSamples: 1600, dlIterations: 10, basisKs: [3], seed: 2 });
  const sae = fr.models.find((m) => m.kind === 'TopK SAE')!, dl = fr.models.find((m) => m.kind === 'DL')!;
  const { sets, dead } = realUnitSets(set, [
    { name: 'SAE features', codes: sae.testCodes, dictionary: sae.model.dictionary },
    { name: 'DL features', codes: dl.testCodes, dictionary: dl.model.dictionary }], 1);
  assert.deepEqual(Object.keys(dead), ['neurons', 'PCA', 'SAE features', 'DL features', 'shuffled (null)']);
  // these activations are signed: each neuron is split into its positive and negative half
  assert.equal(sets[0].acts.cols + dead.neurons, 2 * M);
  assert.ok(sets[0].acts.data.every((v) => v >= 0));
  const scored = scoreUnitSets(scoringDataOf(set), sets, { quantile: 0.05, activeOnly: true, tasks: 10, seed: 1 });
  const nullRows = scored.rows.filter((r) => r.representation === 'shuffled (null)');
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  assert.ok(Math.abs(mean(nullRows.map((r) => r.twoAfc)) - 0.5) < 0.1, 'the null sits at 2AFC chance');
  assert.ok(scored.rows.every((r) => Number.isNaN(r.mcc)), 'no ground truth on own data: MCC is NaN');
  assert.ok(mean(scored.rows.filter((r) => r.representation === 'DL features').map((r) => r.selectivity).filter((v) => !Number.isNaN(v))) > scored.chance.selectivity);
});
