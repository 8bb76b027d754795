/** Notebook 06's controls: density-matched random-atom units, the label-judge 2AFC, layers of a network, the depth trend. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrix } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';
import { initBackend } from '../../src/core/backend';
import { colMeans } from '../../src/core/decompositions';
import { encodeMlp, initMlp } from '../../src/identifiability/mlp';
import { randomAtomTopKCodes } from '../../src/experiments/unit_sets';
import { judgedTwoAfc } from '../../src/experiments/unit_scores';
import { dictionaryAdvantageByLayer, DEPTH_UNIT_KINDS, liveUnits } from '../../src/experiments/real_units';
import { FashionNetwork, networkActivations, networkLayerWidths } from '../../src/experiments/fashion_network';
import { ActivationSet } from '../../src/experiments/activation_set';

test('randomAtomTopKCodes: each row keeps the k largest positive projections of x − μ on unit random atoms, nothing else', () => {
  const rng = new Rng(1), B = 50, M = 6, N = 20, K = 3;
  const train = matrix(200, M, rng.fillNormal(new Float32Array(200 * M)));
  const X = matrix(B, M, rng.fillNormal(new Float32Array(B * M)));
  const { codes, dictionary: R } = randomAtomTopKCodes(train, X, N, K, 7);
  assert.equal(codes.rows, B); assert.equal(codes.cols, N); assert.equal(R.rows, N); assert.equal(R.cols, M);
  for (let i = 0; i < N; i++) {
    let n = 0;
    for (let j = 0; j < M; j++) n += R.data[i * M + j] ** 2;
    assert.ok(Math.abs(n - 1) < 1e-5, `atom ${i} has norm² ${n}`);
  }
  const mu = colMeans(train);
  for (let b = 0; b < B; b++) {
    // the projections by hand, sorted: the code keeps exactly the top K positive ones
    const p = Array.from({ length: N }, (_, i) => { let s = 0; for (let j = 0; j < M; j++) s += (X.data[b * M + j] - mu[j]) * R.data[i * M + j]; return s; });
    const top = p.map((v, i) => [v, i]).sort((x, y) => y[0] - x[0]).slice(0, K).filter(([v]) => v > 0).map(([, i]) => i);
    for (let i = 0; i < N; i++) {
      const want = top.includes(i) ? p[i] : 0;
      assert.ok(Math.abs(codes.data[b * N + i] - want) < 1e-5, `row ${b} atom ${i}: ${codes.data[b * N + i]} vs ${want}`);
    }
  }
  // density-matched: with 20 atoms on 6-d data every row has K positive projections
  let nnz = 0;
  for (const v of codes.data) if (v !== 0) nnz++;
  assert.equal(nnz, B * K);
  assert.deepEqual(Array.from(randomAtomTopKCodes(train, X, N, K, 7).codes.data), Array.from(codes.data), 'seeded');
  assert.throws(() => randomAtomTopKCodes(train, X, N, 21, 7), /k \(active atoms per example\)/);
  assert.throws(() => randomAtomTopKCodes(matrix(5, 4), X, N, K, 7), /train/);
});

test('judgedTwoAfc: labels are the exact judge; pixels that are one-hot labels give the same scores; a null sits at 0.5', () => {
  const rng = new Rng(2), B = 600, C = 3;
  const labels = Int32Array.from({ length: B }, (_, b) => b % C);
  // unit 0 fires on class 0 only, unit 1 on random examples (a null)
  const acts = new Float64Array(B * 2);
  for (let b = 0; b < B; b++) { acts[b * 2] = labels[b] === 0 ? 1 + rng.uniform() : 0; acts[b * 2 + 1] = rng.uniform() < 0.3 ? rng.uniform() : 0; }
  const sets = [{ name: 'u', acts: matrix(B, 2, acts), directions: matrix(2, 2) }];
  const oneHot = new Float32Array(B * C);
  labels.forEach((l, b) => { oneHot[b * C + l] = 1; });
  const data = { labels, classes: C, images: matrix(B, C, oneHot) };
  const opts = { quantile: 0.1, activeOnly: true, tasks: 40, seed: 3 };
  const lab = judgedTwoAfc(data, sets, { ...opts, judge: 'labels' })[0], pix = judgedTwoAfc(data, sets, { ...opts, judge: 'pixels' })[0];
  assert.equal(lab.judge, 'labels'); assert.equal(pix.judge, 'pixels');
  assert.equal(lab.perUnit[0], 1, 'a one-class unit is always judged right by labels');
  assert.deepEqual(Array.from(pix.perUnit), Array.from(lab.perUnit), 'cosine of one-hot images is label equality: same tasks, same answers');
  assert.ok(Math.abs(lab.perUnit[1] - 0.5) < 0.2, `null unit ${lab.perUnit[1]}`);
  assert.equal(lab.n, 2);
  assert.throws(() => judgedTwoAfc(data, sets, { judge: 'dreamsim' as 'labels' }), /judge must be 'pixels' or 'labels'/);
  assert.throws(() => judgedTwoAfc({ ...data, labels: labels.subarray(1) }, sets), /600 examples but the data has 599/);
});

test('networkActivations: layer 0…H−1 are the hidden layers, H the linear representation; others refused', async () => {
  await initBackend();
  const enc = initMlp([5, 4, 3, 2], 7, { slope: 0 });
  const net: FashionNetwork = { encoder: enc, head: matrix(2, 2, new Float32Array(4)), layer: 1, width: 3, pixelMean: 0, pixelStd: 1, seed: 0, testAccuracy: NaN, history: [], seconds: 0 };
  const X = matrix(4, 5, new Rng(3).fillUniform(new Float32Array(20), 0, 1));
  assert.deepEqual(networkLayerWidths(net), [4, 3, 2]);
  assert.deepEqual(Array.from((await networkActivations(net, X)).data), Array.from((await encodeMlp(enc, X, { layer: 1 })).data), 'default: the recorded layer');
  assert.deepEqual(Array.from((await networkActivations(net, X, 0)).data), Array.from((await encodeMlp(enc, X, { layer: 0 })).data));
  const rep = await networkActivations(net, X, 2);
  assert.equal(rep.cols, 2);
  assert.deepEqual(Array.from(rep.data), Array.from((await encodeMlp(enc, X)).data), 'layer H: the representation');
  await assert.rejects(networkActivations(net, X, 3), /layer \(0 … 1 a hidden layer, 2 the representation\)/);
});

/** Labelled planted layer: X = Z·D with 2 of N atoms per example, both from the example's class (atom i belongs to class i mod 4). */
function plantedLayer(seed: number, M: number, N: number, Btr: number, Bte: number): ActivationSet {
  const rng = new Rng(seed), C = 4;
  const D = rng.fillNormal(new Float32Array(N * M));
  for (let i = 0; i < N; i++) { let n = 0; for (let j = 0; j < M; j++) n += D[i * M + j] ** 2; for (let j = 0; j < M; j++) D[i * M + j] /= Math.sqrt(n); }
  const make = (B: number) => {
    const X = new Float32Array(B * M), labels = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      labels[b] = rng.int(C);
      const pick = Array.from(rng.choice(N / C, 2), (q) => labels[b] + C * q);
      for (const i of pick) { const a = 0.5 + rng.uniform(); for (let j = 0; j < M; j++) X[b * M + j] += a * D[i * M + j]; }
    }
    return { X: matrix(B, M, X), labels };
  };
  const tr = make(Btr), te = make(Bte);
  return { source: `planted M=${M}`, train: tr.X, test: te.X, testImages: te.X, testLabels: te.labels, classes: C, height: 1, width: M };
}

test('dictionaryAdvantageByLayer: one row per layer, the three unit kinds, density-matched control at exactly K per example', () => {
  // two "layers" of the same examples: the rows are built independently here, so only the shapes must agree
  const layers = [plantedLayer(4, 12, 24, 2000, 400), plantedLayer(5, 8, 16, 2000, 400)];
  const seen: string[] = [];
  const rows = dictionaryAdvantageByLayer(layers, { size: 2, k: 2, steps: 300, tasks: 10, quantile: 0.05, seed: 1, onLayer: (s) => seen.push(s) });
  assert.deepEqual(seen, ['planted M=12', 'planted M=8']);
  assert.equal(rows.length, 2);
  for (const [i, r] of rows.entries()) {
    assert.equal(r.layer, i); assert.equal(r.width, layers[i].test.cols);
    for (const score of [r.selectivity, r.twoAfcPixels, r.twoAfcLabels]) assert.deepEqual(Object.keys(score), [...DEPTH_UNIT_KINDS]);
    assert.ok(Math.abs(r.advantage.selectivity - (r.selectivity['SAE features'].mean - r.selectivity.neurons.mean)) < 1e-12);
    assert.ok(r.saeFvu < 0.5, `a 2× TopK SAE on 2-sparse planted data reconstructs: FVU ${r.saeFvu}`);
    // the planted features carry the label: learned features are far more selective than the dense neurons
    assert.ok(r.advantage.selectivity > 0.1, `selectivity advantage ${r.advantage.selectivity}`);
    assert.ok(r.twoAfcLabels['SAE features'].mean > 0.6, JSON.stringify(r.twoAfcLabels));
  }
  assert.throws(() => dictionaryAdvantageByLayer([layers[0], plantedLayer(6, 8, 16, 100, 50)]), /layer 1 has 50 test examples but layer 0 has 400/);
  assert.throws(() => dictionaryAdvantageByLayer([]), /at least one/);
});

test('liveUnits drops constant units and keeps their directions aligned', () => {
  const acts = matrix(3, 3, new Float64Array([1, 0, 5, 2, 0, 5, 3, 0, 5]));
  const dirs = matrix(3, 2, new Float64Array([1, 0, 0, 1, 1, 1]));
  const l = liveUnits({ name: 'x', acts, directions: dirs });
  assert.equal(l.acts.cols, 1);
  assert.deepEqual(Array.from(l.directions.data), [1, 0]);
});

test('WORKBOOK_SAE path of notebook 06: an SAE saved in SAELens format, loaded back, joins the frontier and is the scored SAE', async () => {
  const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
  const { TopKSae } = await import('../../src/dictionary/sae_topk');
  const { saveSaeLens, loadSae } = await import('../../src/dictionary/saelens');
  const { frontierEntryOfSae } = await import('../../src/experiments/sae_analysis');
  const { reconstructionFrontier, amortisationGapOnFrontier } = await import('../../src/experiments/frontier');
  const { realUnitSets } = await import('../../src/experiments/real_units');
  const set = plantedLayer(8, 12, 24, 1500, 300);
  const trained = new TopKSae({ features: 24, k: 2, seed: 3 });
  trained.fit(set.train, { steps: 200, batch: 128, lr: 3e-3, progress: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-own-sae-'));
  saveSaeLens(trained, dir);
  // the notebook's cells 5 and 8 with OWN.sae = dir
  const fr = reconstructionFrontier(set, { sizes: [2], ks: [2], steps: 100, batch: 128, basisKs: [2], dlSizes: [], seed: 1 });
  const own = frontierEntryOfSae(loadSae(dir), set, 'own SAE');
  fr.rows.push(...own.rows); fr.models.push(own.model);
  const saeA = fr.models.find((m) => m.kind === 'own SAE')!;
  assert.deepEqual(Array.from(saeA.testCodes.data), Array.from(trained.encode(set.test).data), 'the loaded SAE encodes as the trained one');
  assert.deepEqual(fr.rows.filter((r) => r.model === 'own SAE').map((r) => r.method), ['own SAE · encoder', 'own SAE · OMP']);
  assert.equal(amortisationGapOnFrontier(fr.rows).length, 2, 'the notebook\'s TopK SAE and the own SAE');
  const rnd = randomAtomTopKCodes(set.train, set.test, saeA.atoms, saeA.k, 11);
  const units = realUnitSets(set, [{ name: 'SAE features', codes: saeA.testCodes, dictionary: saeA.model.dictionary },
    { name: 'random atoms (TopK)', codes: rnd.codes, dictionary: rnd.dictionary }], 1);
  assert.deepEqual(units.sets.map((s) => s.name), ['neurons', 'PCA', 'SAE features', 'random atoms (TopK)', 'shuffled (null)']);
  fs.rmSync(dir, { recursive: true });
});
