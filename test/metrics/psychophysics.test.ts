import { test } from 'node:test';
import assert from 'node:assert/strict';
import { twoAfcScore, misProxyScore, imageIntrusionScore } from '../../src/metrics/psychophysics';
import { cosineSimilarity, labelSimilarity } from '../../src/metrics/similarity';
import { ValueError } from '../../src/core/errors';
import { close } from './helpers';
import { plantedUnits } from './interp_data';

const C = 10, R = 20;
const { acts, labels, onehot } = plantedUnits(30, C, R);
const classUnits = Array.from({ length: C }, (_, i) => i);
const noiseUnits = Array.from({ length: R }, (_, i) => C + i);
const sim = labelSimilarity(labels);

test('2AFC: class units score 1, noise units score ≈ chance 0.5', () => {
  const good = twoAfcScore(acts, sim, { units: classUnits, seed: 1 });
  assert.equal(good.chance, 0.5);
  for (const v of good.perUnit) close(v, 1, 0, 'class unit');
  const noise = twoAfcScore(acts, sim, { units: noiseUnits, seed: 1, tasks: 50 });
  close(noise.mean, 0.5, 0.08, 'noise units');
});

test('MIS proxy: closed form σ(2/τ) for class units (Δ = 2 in every task), ≈ 0.5 for noise; hard accuracy beside it', () => {
  for (const tau of [0.16, 3]) {
    const good = misProxyScore(acts, sim, { units: classUnits, seed: 2, tau });
    assert.equal(good.tau, tau);
    for (const v of good.perUnit) close(v, 1 / (1 + Math.exp(-2 / tau)), 1e-12, `class unit, τ = ${tau}`);
    for (const v of good.hard.perUnit) close(v, 1, 0, 'class unit, hard');
  }
  // τ = 0.16 is a temperature: a perfectly separated unit scores σ(2/0.16) ≈ 1, not σ(0.32) ≈ 0.58
  close(misProxyScore(acts, sim, { units: [0], seed: 2 }).mean, 1 / (1 + Math.exp(-12.5)), 1e-12, 'default τ');
  const noise = misProxyScore(acts, sim, { units: noiseUnits, seed: 2, tau: 1 / 3, tasks: 50 });
  close(noise.mean, 0.5, 0.08, 'noise units');
  close(noise.hard.mean, 0.5, 0.08, 'noise units, hard');
  assert.equal(noise.hard.chance, 0.5);
});

test('MIS proxy: the soft score tends to the hard 2AFC accuracy as τ → 0 and to ½ as τ grows', () => {
  const mixed = [...classUnits.slice(0, 3), ...noiseUnits.slice(0, 5)];
  const hard = misProxyScore(acts, sim, { units: mixed, seed: 4, tau: 0 });
  for (let k = 0; k < mixed.length; k++) close(hard.perUnit[k], hard.hard.perUnit[k], 0, 'τ = 0 is the hard accuracy');
  const small = misProxyScore(acts, sim, { units: mixed, seed: 4, tau: 1e-6 });
  for (let k = 0; k < mixed.length; k++) close(small.perUnit[k], hard.hard.perUnit[k], 1e-9, 'τ = 1e-6');
  const big = misProxyScore(acts, sim, { units: mixed, seed: 4, tau: 1e6 });
  for (const v of big.perUnit) close(v, 0.5, 1e-5, 'τ = 1e6');
  // class units reach ≈ 1 at the default τ (σ(0.16·Δ) would have kept every unit within [0.42, 0.58])
  const spread = misProxyScore(acts, sim, { units: classUnits, seed: 4, tau: 0.16 });
  assert.ok(spread.mean > 0.99, `class units ${spread.mean}`);
  assert.throws(() => misProxyScore(acts, sim, { alpha: 0.16 } as never), /alpha is gone.*tau/);
});

test('image intrusion: class units score 1, noise units ≈ chance 1/(shown+1)', () => {
  const good = imageIntrusionScore(acts, sim, { units: classUnits, seed: 3 });
  for (const v of good.perUnit) close(v, 1, 0, 'class unit');
  const noise = imageIntrusionScore(acts, sim, { units: noiseUnits, seed: 3, tasks: 50, shown: 4 });
  close(noise.chance, 0.2, 0);
  close(noise.mean, 0.2, 0.08, 'noise units');
});

test('scores are seeded and the similarity is pluggable (cosine of one-hot embeddings = label similarity)', () => {
  const cos = cosineSimilarity(onehot);
  for (const f of [twoAfcScore, misProxyScore, imageIntrusionScore]) {
    const a = f(acts, sim, { seed: 5, tasks: 5 });
    const b = f(acts, cos, { seed: 5, tasks: 5 });
    assert.deepEqual(Array.from(a.perUnit), Array.from(b.perUnit), f.name);
    const c = f(acts, sim, { seed: 6, tasks: 5 });
    assert.notDeepEqual(Array.from(a.perUnit), Array.from(c.perUnit), `${f.name}: another seed, other draws`);
  }
});

test('2AFC on a hand-built case: the judge uses mean similarity to both reference sets', () => {
  // 6 examples, one unit ranking them 0 > 1 > 2 > 3 > 4 > 5; references = 1 and quantile 1/3 → pools
  // of 2: E⁺ = {0}, q⁺ = 1, E⁻ = {5}, q⁻ = 4. A similarity that puts 1 with 5 and 4 with 0 makes
  // the judge wrong in every task.
  const a = [[6], [5], [4], [3], [2], [1]];
  const S = (i: number, j: number) => (i === j ? 1 : (i === 1 && j === 5) || (i === 5 && j === 1) || (i === 4 && j === 0) || (i === 0 && j === 4) ? 1 : 0);
  close(twoAfcScore(a, S, { references: 1, quantile: 1 / 3, tasks: 4 }).mean, 0, 0, 'inverted similarity');
  const T = (i: number, j: number) => (i === j ? 1 : (i <= 1 && j <= 1) || (i >= 4 && j >= 4) ? 1 : 0);
  close(twoAfcScore(a, T, { references: 1, quantile: 1 / 3, tasks: 4 }).mean, 1, 0, 'faithful similarity');
  close(twoAfcScore(a, () => 0, { references: 1, quantile: 1 / 3, tasks: 4 }).mean, 0.5, 0, 'uninformative: ties score ½');
});

test('psychophysics scores validate their inputs', () => {
  assert.throws(() => twoAfcScore(acts, sim, { quantile: 0.005 }), ValueError); // pool of 5 < 10
  assert.throws(() => twoAfcScore(acts, 'cosine' as never), ValueError);
  assert.throws(() => misProxyScore(acts, sim, { units: [99] }), ValueError);
  assert.throws(() => imageIntrusionScore([[1], [2]], sim, { quantile: 0.5 }), ValueError);
});

test('activeOnly: top pools of sparse units hold only examples where the unit fires; too-rare units score NaN', () => {
  // 200 examples; unit 0 fires on examples 100..124 (25), unit 1 on 185..196 (12), unit 2 is dense.
  const B = 200, acts = Array.from({ length: B }, (_, b) => [b >= 100 && b < 125 ? 1 + b / 1000 : 0, b >= 185 && b < 197 ? 1 : 0, Math.sin(b) + 2]);
  // the judge: examples where unit 0 fires are alike (1), everything else unrelated (0)
  const fires = (i: number) => i >= 100 && i < 125;
  const sim = (i: number, j: number) => (fires(i) && fires(j) ? 1 : 0);
  const opts = { quantile: 0.2, tasks: 50, seed: 4 };
  const plain = twoAfcScore(acts, sim, { ...opts, units: [0] });
  const active = twoAfcScore(acts, sim, { ...opts, units: [0], activeOnly: true });
  assert.equal(active.perUnit[0], 1, 'every top query is an active example, which the judge places correctly');
  assert.ok(plain.perUnit[0] < 0.8, `without activeOnly, inactive ties fill the top pool: ${plain.perUnit[0]}`);
  const all = twoAfcScore(acts, sim, { ...opts, activeOnly: true });
  assert.ok(Number.isNaN(all.perUnit[1]), 'a unit active on 12 examples has fewer than 2 × 9 (9 references + 9 query candidates)');
  assert.ok(!Number.isNaN(all.perUnit[2]));
  close(all.mean, (all.perUnit[0] + all.perUnit[2]) / 2, 1e-12, 'the mean skips unscored units');
  assert.ok(Number.isNaN(misProxyScore(acts, sim, { ...opts, activeOnly: true }).perUnit[1]));
  const intr = imageIntrusionScore(acts, sim, { ...opts, activeOnly: true, shown: 5 });
  assert.ok(!Number.isNaN(intr.perUnit[1]), '12 active examples are enough to show 5 (needs 10)');
  assert.ok(Number.isNaN(imageIntrusionScore(acts, sim, { ...opts, activeOnly: true, shown: 7 }).perUnit[1]), '… but not to show 7');
  assert.ok(intr.perUnit[0] > 0.9, `intruders from other units are never similar to unit 0's images: ${intr.perUnit[0]}`);
});
