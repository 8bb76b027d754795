import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readMatrix } from '../../src/io/npy';
import { loadSae } from '../../src/dictionary/saelens';
import { analyzeSae, frontierEntryOfSae } from '../../src/experiments/sae_analysis';
import { amortisationGapOnFrontier } from '../../src/experiments/frontier';
import { ActivationSet } from '../../src/experiments/activation_set';

const dir = path.join(__dirname, '..', 'fixtures', 'saelens');
const X = readMatrix(path.join(dir, 'data', 'X.npy'));
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, { fvu: number; mean_l0: number }>;

test('an SAELens SAE enters notebook 06\'s frontier: encoder and OMP rows as analyzeSae computes them, and its test codes', () => {
  const sae = loadSae(path.join(dir, 'jumprelu'));
  const set: ActivationSet = { source: 'fixture', train: X, test: X, testImages: null, testLabels: null, classes: 0, height: 0, width: 0 };
  const e = frontierEntryOfSae(sae, set, 'SAELens SAE');
  const a = analyzeSae(sae, X);
  assert.deepEqual(e.rows.map((r) => r.method), ['SAELens SAE · encoder', 'SAELens SAE · OMP']);
  assert.ok(Math.abs(e.rows[0].fvu - expected.jumprelu.fvu) < 1e-5 && Math.abs(e.rows[0].l0 - expected.jumprelu.mean_l0) < 1e-9);
  assert.equal(e.rows[1].fvu, a.ompFvu); assert.equal(e.rows[1].l0, a.ompMeanL0);
  assert.equal(e.rows[0].overcomplete, 2);
  assert.equal(e.model.kind, 'SAELens SAE'); assert.equal(e.model.testCodes.rows, X.rows);
  const gap = amortisationGapOnFrontier(e.rows);
  assert.equal(gap.length, 1);
  assert.ok(gap[0].inferenceWins);
  const wrong: ActivationSet = { ...set, test: { rows: 1, cols: 3, data: new Float32Array(3) } };
  assert.throws(() => frontierEntryOfSae(sae, wrong), /the SAE reads d_in = 8 but the activations \(fixture\) have 3 units/);
});
