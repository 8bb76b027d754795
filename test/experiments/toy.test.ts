import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toyDirectionsExperiment, toySparsitySweep, toyUniformExperiment, toyPhaseDiagram, toyPhaseDiagram3to2 } from '../../src/experiments/toy';
import { phaseDiagramTheory } from '../../src/toy/theory';
import { tf, initBackend } from '../../src/core/backend';

// Tiny sizes: these check the plumbing and the direction of each result, not the published numbers.
const tiny = { steps: 400, batch: 64, progress: false, seed: 1 };

test('(a) directions: one panel per density with n rows of m-dim directions; history recorded', async () => {
  const r = await toyDirectionsExperiment({ ...tiny, points: 3 });
  assert.equal(r.panels.length, 3);
  assert.deepEqual(r.panels.map((p) => +p.featureProbability.toFixed(4)), [1, +(20 ** -0.5).toFixed(4), 0.05]);
  for (const p of r.panels) { assert.equal(p.W.length, 5); assert.equal(p.W[0].length, 2); }
  assert.equal(r.features.length, 15);
  assert.ok(r.history.length > 0 && 'loss' in r.history[0]);
});

test('(a) replicates: every density keeps its lowest-loss replicate; at the quick sizes 2 features dense, the pentagon (5) sparsest', async () => {
  const r = await toyDirectionsExperiment({ points: 2, replicates: 4, steps: 5000, batch: 128, seed: 0, progress: false });
  for (const p of r.panels) {
    assert.equal(p.replicateLosses.length, 4);
    assert.equal(p.loss, Math.min(...p.replicateLosses));
  }
  assert.equal(r.features.length, 2 * 5);
  assert.deepEqual([...new Set(r.history.map((h) => h.replicate))].sort(), [0, 1, 2, 3]);
  const stored = r.panels.map((p) => p.W.filter((w) => Math.hypot(...w) > 0.5).length);
  assert.deepEqual(stored, [2, 5], `features with ‖W_i‖ > 0.5, dense and sparsest: ${stored}`);
  await assert.rejects(toyDirectionsExperiment({ ...tiny, replicates: 0 }), /replicates/);
});

test('(b) sweep: rows for relu and linear per (decay, S); linear never stores more than m', async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const r = await toySparsitySweep({ ...tiny, steps: 2000, n: 8, m: 2, sparsities: [0, 0.9], importanceDecays: [0.7, 0.9] });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(r.models.length, 2 * 2 * 2);
  assert.equal(r.features.length, 8 * 8);
  assert.equal(r.gram.length, 8);
  assert.equal(r.gram[0].length, 8);
  // the linear model learns a rank-m projection: ‖W‖²_F ≈ m (D* ≈ 1), never superposition; with a clear
  // importance gap (0.7) it keeps exactly the top m (with 0.9 the near-ties converge slowly at this size)
  for (const m of r.models.filter((x) => x.activation === 'linear')) assert.ok(Math.abs(m.dimsPerFeature - 1) < 0.06, `linear D* ${m.dimsPerFeature}`);
  for (const m of r.models.filter((x) => x.activation === 'linear' && x.importanceDecay === 0.7)) assert.equal(m.represented, 2);
  // ReLU at S=0.9 stores more features per dimension than dense
  const relu = (s: number) => r.models.find((x) => x.activation === 'relu' && x.sparsity === s && x.importanceDecay === 0.9)!;
  assert.ok(relu(0.9).dimsPerFeature < relu(0).dimsPerFeature, `D* ${relu(0.9).dimsPerFeature} vs ${relu(0).dimsPerFeature}`);
  await assert.rejects(toySparsitySweep({ ...tiny, sparsities: [1] }), /sparsities/);
});

test('(c) uniform: one level per probability, 1/p increasing, line table for the five fractions', async () => {
  const r = await toyUniformExperiment({ ...tiny, n: 12, m: 3, levels: 3 });
  assert.equal(r.levels.length, 3);
  assert.ok(r.levels[2].inverseDensity > r.levels[0].inverseDensity);
  assert.deepEqual(r.lines.map((l) => l.label), ['3/4', '2/3', '1/2', '2/5', '3/8']);
  assert.equal(r.features.length, 36);
});

test('(d) phase diagram: theory column equals phaseDiagramTheory, agreement is the share of agreeing cells', async () => {
  const dens = [1, 0.05], imps = [0.2, 5];
  const r = await toyPhaseDiagram({ ...tiny, steps: 2000, densities: dens, importances: imps, replicates: 2 });
  const th = phaseDiagramTheory(dens, imps);
  assert.deepEqual(r.cells.map((c) => c.label), th.map((c) => c.label));
  assert.equal(r.agreement, r.cells.filter((c) => c.empirical === c.label).length / 4);
  for (const c of r.cells) assert.equal(c.replicates.length, 2);
  // dense, feature 2 unimportant: it is not learned, empirically too
  assert.equal(r.cells[0].empirical, 'not learned');
});

test('(d′) n=3 → m=2 phase diagram: one cell per (density, importance); dense, feature 3 dropped when least important, dedicated when most', async () => {
  const r = await toyPhaseDiagram3to2({ ...tiny, steps: 1500, batch: 256, densities: [1, 0.01], importances: [0.1, 10], replicates: 3 });
  assert.equal(r.cells.length, 4);
  for (const c of r.cells) { assert.equal(c.replicates.length, 3); assert.ok(Number.isFinite(c.bestLoss)); }
  const at = (d: number, v: number) => r.cells.find((c) => c.density === d && c.importance === v)!.empirical;
  assert.equal(at(1, 0.1), 'not learned');
  assert.equal(at(1, 10), 'dedicated');
  await assert.rejects(toyPhaseDiagram3to2({ ...tiny, densities: [0] }), /densities/);
});
