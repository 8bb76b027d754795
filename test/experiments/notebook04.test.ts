import { test } from 'node:test';
import assert from 'node:assert/strict';
import { donohoTannerRho } from '../../src/sparse/theory';
import { fistaBudgetSweep, featureDensityExperiment, summariseAmortisationCells, rankCorrelation, seedSummary } from '../../src/experiments/notebook04';
import { dtMaxFeatures } from '../../src/sparse/theory';
import { AmortisationRow, amortisationKnownZ } from '../../src/experiments/amortisation';

function row(n: number, m: number, method: string, mcc: number, regime: AmortisationRow['regime'] = 'unknown-D'): AmortisationRow {
  return { regime, seed: 0, n, m, k: 3, method, mcc, dictBestCos: null, dictMcc: null, fvu: 0, l0: 3, deadFraction: 0, flops: 1, seconds: 0, insideDT: n <= 64 };
}

test('summariseAmortisationCells: lead over the best SAE and the swap diagnosis, cells sorted by M then N', () => {
  const rows = [
    // cell (64,16): the SAE decoder is as bad as its encoder → dictionary-limited
    row(64, 16, 'SAE-relu', 0.35), row(64, 16, 'SAE-topk', 0.7), row(64, 16, 'DL (OMP+MOD)', 0.8), row(64, 16, 'MLP-256', 0.3),
    row(64, 16, 'SAE-relu decoder + FISTA', 0.36, 'swap'), row(64, 16, 'oracle D + FISTA', 1.0, 'swap'),
    // cell (16,16): FISTA on the SAE decoder recovers → encoder-limited
    row(16, 16, 'SAE-relu', 0.6), row(16, 16, 'SAE-topk', 0.5), row(16, 16, 'DL (OMP+MOD)', 0.9),
    row(16, 16, 'SAE-relu decoder + FISTA', 0.95, 'swap'), row(16, 16, 'oracle D + FISTA', 1.0, 'swap'),
    row(16, 16, 'FISTA', 0.99, 'known-D'),
  ];
  const s = summariseAmortisationCells(rows);
  assert.deepEqual(s.map((c) => [c.n, c.m]), [[16, 16], [64, 16]]);
  const [a, b] = s;
  assert.equal(a.ratio, 1);
  assert.equal(a.bestSaeMethod, 'SAE-relu');
  assert.ok(Math.abs(a.lead - 0.3) < 1e-12);
  assert.equal(a.mlp, null);
  assert.ok(Math.abs(a.encoderGap! - 0.35) < 1e-12 && Math.abs(a.dictionaryGap! - 0.05) < 1e-12);
  assert.equal(a.limitedBy, 'encoder');
  assert.equal(b.bestSaeMethod, 'SAE-topk');
  assert.ok(Math.abs(b.lead - 0.1) < 1e-12 && Math.abs(b.leadOverRelu! - 0.45) < 1e-12);
  assert.equal(b.mlp, 0.3);
  assert.equal(b.limitedBy, 'dictionary');
  assert.equal(b.insideDT, true);
  assert.throws(() => summariseAmortisationCells([row(8, 8, 'SAE-relu', 0.5)]), /need SAE and DL rows/);
});

test('rankCorrelation: Spearman of monotone, reversed and tied lists', () => {
  assert.ok(Math.abs(rankCorrelation([1, 2, 4, 8], [0.1, 0.5, 0.6, 2]) - 1) < 1e-12);
  assert.ok(Math.abs(rankCorrelation([1, 2, 3], [3, 2, 1]) + 1) < 1e-12);
  // x ranks 1,2,3,4; y ranks 1,2.5,2.5,4 → r = 4.5 / sqrt(5 · 4.5)
  assert.ok(Math.abs(rankCorrelation([1, 2, 3, 4], [0, 1, 1, 2]) - 4.5 / Math.sqrt(5 * 4.5)) < 1e-9);
  assert.ok(Number.isNaN(rankCorrelation([1], [2])));
  assert.throws(() => rankCorrelation([1, 2], [1]), /differ in length/);
});

test('fistaBudgetSweep: more FISTA iterations recover the planted codes better, FLOPs grow with the cap', () => {
  const pts = fistaBudgetSweep({ grid: [[16, 8, 3]], iterations: [1, 200], samples: 256 });
  assert.equal(pts.length, 2);
  const [few, many] = pts;
  assert.ok(few.iterations <= 1 && many.iterations <= 200);
  assert.equal(few.flops, 2 * 8 * 16 + 2 * 16 * 16 * few.iterations);
  assert.ok(many.flops > few.flops);
  // a known, inside-Donoho–Tanner problem: converged non-negative lasso recovers the codes (paper-notes: 0.986)
  assert.ok(many.mcc > 0.95, `converged FISTA MCC ${many.mcc}`);
  assert.ok(few.mcc < many.mcc - 0.05, `1 iteration ${few.mcc} vs 200 ${many.mcc}`);
});

test('featureDensityExperiment: planted densities are K/N; TopK SAE fires exactly K per sample; DL codes are K-sparse', async () => {
  const r = await featureDensityExperiment({ n: 16, m: 8, k: 3, samples: 256, testSamples: 256, steps: 60, variants: ['topk'], dlIterations: 5 });
  assert.equal(r.truth.length, 16);
  const meanTruth = r.truth.reduce((a, b) => a + b, 0) / 16;
  assert.ok(Math.abs(meanTruth - 3 / 16) < 1e-9);
  assert.deepEqual(r.models.map((x) => x.method), ['SAE-topk', 'DL (OMP+MOD)']);
  const [topk, dl] = r.models;
  assert.equal(topk.density.length, 16);
  assert.ok(Math.abs(topk.l0 - 3) < 1e-9, `TopK L0 ${topk.l0}`);
  assert.ok(dl.l0 <= 3 + 1e-9, `OMP (k=3) L0 ${dl.l0}`);
  assert.equal(topk.deadFraction, topk.density.filter((d) => d === 0).length / 16);
  for (const x of r.models) assert.ok(x.mcc > 0 && x.mcc <= 1);
});

test('dtMaxFeatures: the boundary N* lies on the Donoho–Tanner curve and separates the grid cells', () => {
  for (const [m, k] of [[8, 3], [16, 3], [32, 3]]) {
    const nStar = dtMaxFeatures(m, k);
    assert.ok(Math.abs(donohoTannerRho(m / nStar, 'nonneg') - k / m) < 1e-6, `M=${m}: ρ(M/N*) = K/M`);
  }
  // paper-notes: at M = 8, K = 3 the cells N ≥ 32 are beyond the curve, N = 16 inside (ρ(0.5) = 0.558 > 0.375)
  const n8 = dtMaxFeatures(8, 3);
  assert.ok(n8 > 16 && n8 < 32, `N* = ${n8}`);
  assert.ok(dtMaxFeatures(16, 3) > 128 && dtMaxFeatures(32, 3) > dtMaxFeatures(16, 3));
  assert.ok(dtMaxFeatures(16, 3, 'signed') < dtMaxFeatures(16, 3, 'nonneg'));
});

test('seedSummary: mean, sample SD and range per (regime, cell, method), groups in first-seen order', () => {
  const rows = [row(16, 8, 'SAE', 0.5, 'known-D'), row(16, 8, 'MLP-32', 0.7, 'known-D'), row(16, 8, 'SAE', 0.7, 'known-D'),
    row(16, 8, 'SAE', 0.6, 'known-D'), row(16, 8, 'SAE', 0.9, 'known-Z')];
  const s = seedSummary(rows);
  assert.deepEqual(s.map((r) => `${r.regime} ${r.method} ${r.seeds}`), ['known-D SAE 3', 'known-D MLP-32 1', 'known-Z SAE 1']);
  assert.ok(Math.abs(s[0].mean - 0.6) < 1e-12 && Math.abs(s[0].sd - 0.1) < 1e-12, `mean ${s[0].mean}, sd ${s[0].sd}`);
  assert.equal(s[0].min, 0.5);
  assert.equal(s[0].max, 0.7);
  assert.equal(s[1].sd, 0);
});

test('amortisationKnownZ: encoders fitted to the true codes recover them, the wide MLP at least as well as an untrained one', async () => {
  const rows = await amortisationKnownZ({ grid: [[16, 8, 3]], encoderSteps: 300, encoderBatch: 256, mlpHidden: [64], modelSeeds: [0, 1],
    samples: 512, testSamples: 256, progress: false });
  assert.deepEqual(rows.map((r) => `${r.regime} ${r.seed} ${r.method}`), ['known-Z 0 SAE', 'known-Z 0 MLP-64', 'known-Z 1 SAE', 'known-Z 1 MLP-64']);
  const untrained = await amortisationKnownZ({ grid: [[16, 8, 3]], encoderSteps: 0, mlpHidden: [64], modelSeeds: [0], samples: 512, testSamples: 256 });
  const trainedMlp = rows.find((r) => r.method === 'MLP-64' && r.seed === 0)!.mcc, before = untrained.find((r) => r.method === 'MLP-64')!.mcc;
  assert.ok(trainedMlp > before + 0.1, `trained ${trainedMlp} vs untrained ${before}`);
  for (const r of rows) assert.ok(r.mcc > 0.3 && r.mcc <= 1, `${r.method}: ${r.mcc}`);
});
