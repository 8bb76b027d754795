import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identifiabilityExperiment, identifiabilityAblation, ablationLabel, contrastiveExperiment, openBridgeExperiment } from '../../src/experiments/identifiability';
import { tf, initBackend } from '../../src/core/backend';

// Tiny sizes: plumbing, shapes, baselines and errors. The R² ≥ 0.9 claim is tested in test/identifiability/mlp.test.ts.
const tiny = { steps: 30, batch: 64, hidden: [16, 16], evalSamples: 512, evals: 3, progress: false, seed: 1 };

test('CE experiment: baselines, history with R², scatter for the figure; no tensor leak', async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const r = await identifiabilityExperiment({ ...tiny, n: 3, classes: 10 });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(r.history.length, 3);
  for (const h of r.history) assert.ok(Number.isFinite(h.r2) && h.r2 <= 1);
  assert.ok(r.baselines.x > 0 && r.baselines.x < 1);
  assert.equal(r.scatter.zTrue.length, 256);
  assert.equal(r.scatter.zPred[0].length, 3);
  await assert.rejects(identifiabilityExperiment({ ...tiny, n: 1 }), /n must be ≥ 2/);
});

test('ablation returns one row per variation with its setting, label, and means over seeds', async () => {
  const rows = await identifiabilityAblation({ ...tiny, base: { n: 3, classes: 8, kappa: 10 }, variations: [{}, { kappa: 50 }, { noise: 'laplace' }] });
  assert.deepEqual(rows.map((r) => [r.label, r.kappa, r.noise]), [['base', 10, 'vmf'], ['kappa50', 50, 'vmf'], ['laplace', 10, 'laplace']]);
  assert.equal(rows[0].r2Sd, 0);
  await assert.rejects(identifiabilityAblation({ ...tiny, variations: [] }), /non-empty/);
  // two seeds: the row's R² is the mean of two runs made with seeds 1 and 1001 (each its own process and initialisation)
  const two = await identifiabilityAblation({ ...tiny, seeds: 2, base: { n: 3, classes: 8, kappa: 10 }, variations: [{ classes: 4 }] });
  const single = await Promise.all([1, 1001].map((seed) => identifiabilityExperiment({ ...tiny, n: 3, classes: 4, kappa: 10, evals: 1, seed })));
  const r = two[0];
  assert.equal(r.label, 'C4');
  assert.deepEqual(r.r2Seeds, single.map((x) => x.r2));
  assert.ok(Math.abs(r.r2 - (single[0].r2 + single[1].r2) / 2) < 1e-12);
  assert.ok(Math.abs(r.r2Sd - Math.abs(single[0].r2 - single[1].r2) / Math.SQRT2) < 1e-12);
  const bx = (single[0].baselines.x + single[1].baselines.x) / 2, bu = (single[0].baselines.untrained + single[1].baselines.untrained) / 2;
  assert.ok(Math.abs(r.margin - (r.r2 - Math.max(bx, bu))) < 1e-12);
  assert.equal(ablationLabel({ classes: 10, kappa: 5 }), 'C10_kappa5');
  assert.equal(ablationLabel({ n: 10, noise: 'laplace' }), 'n10_laplace');
});

test('InfoNCE and open bridge run and report their numbers', async () => {
  const c = await contrastiveExperiment({ ...tiny, n: 3 });
  assert.ok(Number.isFinite(c.r2) && c.history.length === 3);
  const b = await openBridgeExperiment({ ...tiny, N: 6, K: 2, d: 8, M: 3, saeSteps: 50 });
  assert.equal(b.data.y.cols, 3);
  assert.equal(b.data.z.cols, 6);
  // the M=3 layer cannot hold 6 latents linearly; R² is bounded away from 1
  assert.ok(b.r2.linear < 0.9);
  assert.ok(Number.isFinite(b.additivity.cosine));
  assert.ok(b.codes !== null && b.codes.sparseCodingMcc > 0 && b.codes.sparseCodingMcc <= 1 && b.codes.saeMcc <= 1);
  await assert.rejects(openBridgeExperiment({ ...tiny, N: 6, d: 4 }), /d must be ≥ 6/);
});
