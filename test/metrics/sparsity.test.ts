import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meanL0, featureDensity, sparsityStats } from '../../src/metrics/sparsity';
import { matrix } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';
import { ValueError } from '../../src/core/errors';
import { close, allClose } from './helpers';

const Z = [
  [0, 1, 0, 0.5],
  [0, 2, 0, 0],
  [0, 0, 0.01, 0],
  [0, 3, 0, 0],
];

test('meanL0 and featureDensity on a hand-computed case', () => {
  close(meanL0(Z), 5 / 4, 0, 'L0');
  close(meanL0(Z, { threshold: 0.1 }), 4 / 4, 0, 'L0 with threshold');
  allClose(featureDensity(Z), [0, 0.75, 0.25, 0.25], 0, 'density');
});

test('sparsityStats: dead and dense fractions, log10 histogram', () => {
  const s = sparsityStats(Z, { denseThreshold: 0.5, bins: 4 });
  close(s.meanL0, 1.25, 1e-15, 'L0');
  close(s.deadFraction, 1 / 4, 0, 'dead');
  close(s.denseFraction, 1 / 4, 0, 'dense');
  // Edges from log10(1/4) to 0 in 4 bins; densities 0.25, 0.25 (bin 0) and 0.75 (log10 = −0.125 → bin 3).
  close(s.histogram.edges[0], Math.log10(0.25), 1e-15, 'first edge');
  assert.deepEqual(Array.from(s.histogram.counts), [2, 0, 0, 1]);
});

test('sparsityStats recovers planted firing probabilities', () => {
  const rng = new Rng(11);
  const B = 20000, probs = [0.5, 0.05, 0.01, 0];
  const z = matrix(B, 4, new Float64Array(B * 4));
  for (let b = 0; b < B; b++) for (let j = 0; j < 4; j++) if (rng.uniform() < probs[j]) z.data[b * 4 + j] = rng.uniform() + 0.1;
  const s = sparsityStats(z);
  for (let j = 0; j < 4; j++) close(s.density[j], probs[j], 4 * Math.sqrt((probs[j] * (1 - probs[j])) / B) + 1e-12, `density ${j}`);
  close(s.deadFraction, 0.25, 0, 'dead');
  close(s.denseFraction, 0.25, 0, 'dense (> 0.1: only feature 0)');
  assert.equal(s.histogram.counts.reduce((a, b) => a + b, 0), 3, 'live features in the histogram');
});

test('sparsity validates', () => {
  assert.throws(() => meanL0([]), ValueError);
  assert.throws(() => meanL0(Z, { threshold: -1 }), ValueError);
});
