import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelledPlantedData, featurePatterns } from '../../src/data/labelled';
import { principalDirections } from '../../src/core/decompositions';
import { bootstrapMeanCi } from '../../src/metrics/bootstrap';
import { interpretabilityUnitSets } from '../../src/experiments/unit_sets';
import {
  scoreUnitSets, summariseScores, scoreRankCorrelations, topActivatingExamples, UNIT_SCORES, UnitScoreRow,
} from '../../src/experiments/unit_scores';
import { matrix } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';

const small = { n: 12, m: 8, k: 2, samples: 600, seed: 3 };

test('labelled planted data: labels = class of the strongest feature, images = Z·P without pixel noise', () => {
  const d = labelledPlantedData({ ...small, classes: 4, imageNoise: 0, imageSize: 8 });
  assert.equal(d.X.rows, 600); assert.equal(d.X.cols, 8); assert.equal(d.Z.cols, 12);
  assert.equal(d.images.cols, 64); assert.equal(d.patterns.rows, 12);
  assert.deepEqual(Array.from(d.featureClass.subarray(0, 6)), [0, 1, 2, 3, 0, 1]);
  for (let b = 0; b < 600; b++) {
    let arg = 0, nz = 0;
    for (let i = 0; i < 12; i++) { const v = d.Z.data[b * 12 + i]; if (v > 0) nz++; if (v > d.Z.data[b * 12 + arg]) arg = i; }
    assert.equal(nz, 2);
    assert.equal(d.labels[b], arg % 4, `sample ${b}`);
    for (const p of [0, 17, 63]) {
      let s = 0;
      for (let i = 0; i < 12; i++) s += d.Z.data[b * 12 + i] * d.patterns.data[i * 64 + p];
      assert.ok(Math.abs(s - d.images.data[b * 64 + p]) < 1e-5);
    }
  }
  const again = labelledPlantedData({ ...small, classes: 4, imageNoise: 0, imageSize: 8 });
  assert.deepEqual(Array.from(again.images.data.subarray(0, 50)), Array.from(d.images.data.subarray(0, 50)));
  assert.equal(labelledPlantedData(small).classes, 12, 'default: one class per feature');
  assert.throws(() => labelledPlantedData({ ...small, classes: 1 }), /classes/);
});

test('feature patterns: unit norm, distinct (|cos| < 1)', () => {
  const P = featurePatterns(16, 4, 10);
  for (let i = 0; i < 16; i++) {
    let s = 0;
    for (let p = 0; p < 100; p++) s += P.data[i * 100 + p] ** 2;
    assert.ok(Math.abs(s - 1) < 1e-5);
    for (let j = 0; j < i; j++) {
      let c = 0;
      for (let p = 0; p < 100; p++) c += P.data[i * 100 + p] * P.data[j * 100 + p];
      assert.ok(Math.abs(c) < 0.99, `patterns ${i}, ${j}`);
    }
  }
});

test('principal directions: axis-aligned data of variances 9, 4, 1 gives the axes in that order', () => {
  const r = new Rng(1), B = 4000;
  const X = matrix(B, 3, new Float64Array(B * 3));
  for (let b = 0; b < B; b++) { X.data[b * 3] = 2 * r.normal() + 5; X.data[b * 3 + 1] = 3 * r.normal(); X.data[b * 3 + 2] = r.normal(); }
  const p = principalDirections(X, 3);
  assert.ok(Math.abs(Math.abs(p.directions.data[1]) - 1) < 0.01, 'first = axis 1');
  assert.ok(Math.abs(Math.abs(p.directions.data[3]) - 1) < 0.01, 'second = axis 0');
  assert.ok(Math.abs(p.variance[0] - 9) < 0.6 && Math.abs(p.variance[1] - 4) < 0.3 && Math.abs(p.variance[2] - 1) < 0.1, `variances ${p.variance}`);
  assert.ok(Math.abs(p.mean[0] - 5) < 0.1);
});

test('bootstrap CI: constant → degenerate; fair coin flips → contains 0.5 with the normal-theory width; NaN dropped', () => {
  assert.deepEqual(bootstrapMeanCi([2, 2, 2, NaN]), { mean: 2, lo: 2, hi: 2, n: 3 });
  const r = new Rng(4);
  const v = Array.from({ length: 400 }, () => (r.uniform() < 0.5 ? 1 : 0));
  const ci = bootstrapMeanCi(v, { seed: 1 });
  const half = 1.96 * Math.sqrt(ci.mean * (1 - ci.mean) / 400);
  assert.ok(Math.abs((ci.hi - ci.lo) / 2 - half) < 0.01, `width ${(ci.hi - ci.lo) / 2} vs ${half}`);
  assert.ok(ci.lo < ci.mean && ci.mean < ci.hi);
  assert.ok(Number.isNaN(bootstrapMeanCi([NaN]).mean));
});

test('unit sets and scores on a small planted problem: truth scores 1 on MCC and recovery, the null sits at chance', () => {
  const data = labelledPlantedData({ ...small, samples: 1500 });
  const train = labelledPlantedData({ ...small, samples: 1500, seed: 9, dictionary: data.D });
  const sets = interpretabilityUnitSets(data, { train, dlIterations: 15 });
  assert.deepEqual(sets.map((s) => s.name), ['ground truth', 'random directions', 'PCA', 'learned dictionary', 'shuffled (null)']);
  assert.deepEqual(sets.map((s) => s.acts.cols), [12, 12, 16, 12, 12]);
  for (const s of sets) assert.ok(s.acts.data.every((v) => v >= 0), `${s.name}: non-negative`);
  const scored = scoreUnitSets(data, sets, { tasks: 10 });
  assert.equal(scored.rows.length, 12 + 12 + 16 + 12 + 12);
  const gt = scored.rows.filter((r) => r.representation === 'ground truth');
  for (const r of gt) { assert.ok(r.mcc > 0.999); assert.ok(r.dictionary > 0.999); }
  const rep = (n: string) => scored.representations.find((r) => r.representation === n)!;
  assert.ok(rep('ground truth').mcc > 0.999 && rep('ground truth').dictionaryMatched > 0.999);
  assert.ok(rep('learned dictionary').mcc > 0.8, `DL MCC ${rep('learned dictionary').mcc}`);
  assert.ok(rep('shuffled (null)').mcc < 0.15);
  assert.deepEqual([scored.chance.twoAfc, scored.chance.probing, scored.chance.intrusion], [0.5, 0.5, 1 / 6]);
  assert.equal(scored.chanceKind.mcc, 'null');
  const summary = summariseScores(scored, { reps: 300 });
  assert.equal(summary.length, 5 * UNIT_SCORES.length);
  const s = (rep: string, score: string) => summary.find((x) => x.representation === rep && x.score === score)!;
  for (const score of ['probing', 'twoAfc', 'intrusion'] as const) {
    assert.ok(s('ground truth', score).mean > s('shuffled (null)', score).mean + 0.2, score);
    assert.ok(Math.abs(s('shuffled (null)', score).mean - scored.chance[score]) < 0.1, `${score} null ${s('shuffled (null)', score).mean}`);
  }
  assert.ok(s('ground truth', 'selectivity').mean > s('random directions', 'selectivity').mean);
});

test('rank correlations: monotone transforms agree (ρ = 1), a reversed score gives ρ = −1; NaN units left out', () => {
  const rows: UnitScoreRow[] = Array.from({ length: 10 }, (_, u) => ({
    representation: 'x', unit: u, mcc: u, dictionary: u * u, selectivity: Math.exp(u), probing: -u, twoAfc: (u * 7) % 10, mis: u, intrusion: u,
  }));
  rows.push({ ...rows[0], unit: 10, intrusion: NaN });
  const r = scoreRankCorrelations(rows);
  assert.equal(r.units, 10);
  assert.ok(Math.abs(r.rho[0][1] - 1) < 1e-12 && Math.abs(r.rho[0][2] - 1) < 1e-12);
  assert.ok(Math.abs(r.rho[0][3] + 1) < 1e-12);
  assert.ok(Math.abs(r.rho[0][4]) < 0.99);
  assert.throws(() => scoreRankCorrelations(rows.slice(0, 2)), /at least 3/);
});

test('top-activating examples: by decreasing activation, ties by index', () => {
  const a = matrix(5, 2, Float64Array.from([1, 0, 3, 0, 3, 1, 0, 0, 2, 0]));
  assert.deepEqual(Array.from(topActivatingExamples(a, 0, 3)), [1, 2, 4]);
  assert.throws(() => topActivatingExamples(a, 2, 1), /unit/);
});

test('sparse probe of independent null units sits at chance 0.5 (class picked on the training half, scored on the other)', () => {
  const data = labelledPlantedData({ n: 32, m: 8, k: 2, samples: 1200, seed: 5 });
  const r = new Rng(8), U = 150;
  const acts = matrix(1200, U, Float64Array.from({ length: 1200 * U }, () => Math.max(0, r.normal())));
  const scored = scoreUnitSets(data, [{ name: 'shuffled (null)', acts, directions: matrix(U, 8, new Float64Array(U * 8).fill(1)) }], { tasks: 2 });
  const ci = bootstrapMeanCi(scored.rows.map((x) => x.probing));
  assert.ok(Math.abs(ci.mean - 0.5) < 0.02, `null probe ${ci.mean}`);
});
