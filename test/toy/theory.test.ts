import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toyExpectedLoss2to1, bestBias2to1, phaseDiagramTheory } from '../../src/toy/theory';
import { Rng } from '../../src/core/rng';

test('closed form: W=[1,0] leaves feature 2 at its mean, loss r·(p/3 − p²/4)', () => {
  for (const p of [1, 0.3, 0.05]) {
    const bb = bestBias2to1(1, [1, 0], p);
    assert.ok(Math.abs(bb.bias - p / 2) < 1e-6, `bias ${bb.bias} vs ${p / 2}`);
    assert.ok(Math.abs(bb.loss - (p / 3 - p * p / 4)) < 1e-12);
    assert.ok(Math.abs(bestBias2to1(0, [1, 0], p).loss) < 1e-12); // feature 1 reproduced exactly with b=0
    const r = 2.5;
    assert.ok(Math.abs(toyExpectedLoss2to1([1, 0], [0, p / 2], [1, r], p) - r * (p / 3 - p * p / 4)) < 1e-12);
  }
});

test('exact expectation agrees with Monte Carlo for an arbitrary W, b', () => {
  const p = 0.3, w: [number, number] = [0.7, -1.2], b: [number, number] = [-0.1, 0.2], imp: [number, number] = [1, 3];
  const r = new Rng(1);
  const N = 400_000;
  let s = 0, s2 = 0;
  for (let k = 0; k < N; k++) {
    const x1 = r.uniform() < p ? r.uniform() : 0, x2 = r.uniform() < p ? r.uniform() : 0;
    const h = w[0] * x1 + w[1] * x2;
    const l = (x1 - Math.max(0, w[0] * h + b[0])) ** 2 + 3 * (x2 - Math.max(0, w[1] * h + b[1])) ** 2;
    s += l; s2 += l * l;
  }
  const mean = s / N, se = Math.sqrt((s2 / N - mean * mean) / N);
  const exact = toyExpectedLoss2to1(w, b, imp, p);
  assert.ok(Math.abs(mean - exact) < 4 * se, `MC ${mean} ± ${se} vs exact ${exact}`);
});

test('phase diagram: dense → no superposition; sparse & comparable importance → superposition; importance decides dedicated vs not learned', () => {
  const rows = phaseDiagramTheory([1, 0.01], [0.1, 0.5, 2, 10]);
  const lab = (p: number, r: number) => rows.find((x) => x.density === p && x.importance === r)!.label;
  assert.equal(lab(1, 0.1), 'not learned');
  assert.equal(lab(1, 0.5), 'not learned');
  assert.equal(lab(1, 2), 'dedicated');
  assert.equal(lab(1, 10), 'dedicated');
  assert.equal(lab(0.01, 0.5), 'superposed');
  assert.equal(lab(0.01, 2), 'superposed');
  assert.throws(() => phaseDiagramTheory([0], [1]), /densities\[0\]/);
});
