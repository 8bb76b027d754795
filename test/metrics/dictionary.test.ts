import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dictionaryRecovery, cosineMatrix } from '../../src/metrics/dictionary';
import { matrix } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';
import { ShapeError } from '../../src/core/errors';
import { fixtures, f64, randn, close } from './helpers';

test('dictionary recovery of a permuted, rescaled, sign-flipped dictionary is 1 in every score', () => {
  const rng = new Rng(10);
  const D = randn(rng, 20, 8);
  const perm = rng.permutation(20);
  const Dh = matrix(20, 8, new Float64Array(160));
  for (let i = 0; i < 20; i++) {
    const s = (rng.uniform() < 0.5 ? -1 : 1) * (0.2 + 3 * rng.uniform());
    for (let j = 0; j < 8; j++) Dh.data[perm[i] * 8 + j] = s * D.data[i * 8 + j];
  }
  const r = dictionaryRecovery(D, Dh);
  close(r.meanBestCos, 1, 1e-12, 'meanBestCos');
  close(r.meanBestCosPred, 1, 1e-12, 'meanBestCosPred');
  close(r.matchedCos, 1, 1e-12, 'matchedCos');
  assert.deepEqual(Array.from(r.matching), Array.from(perm));
});

test('dictionary recovery matches numpy + scipy fixture (12 estimates for 10 atoms)', () => {
  const fx = fixtures.dict;
  const r = dictionaryRecovery(f64(fx.dTrue), f64(fx.dPred));
  close(r.meanBestCos, fx.meanBestCos, 1e-12, 'meanBestCos');
  close(r.meanBestCosPred, fx.meanBestCosPred, 1e-12, 'meanBestCosPred');
  close(r.matchedCos, fx.matchedCos, 1e-12, 'matchedCos');
});

test('mean best cosine can reuse an estimate, the matched cosine cannot', () => {
  // Two true atoms e1, e2; both estimates are e1: best-cos for atom 2 is 0 anyway, but with
  // estimates [e1, e1+0.1 e2] atom 2's best is the second estimate, and matching gives e1 to atom 1.
  const D = [[1, 0], [0, 1]];
  const Dh = [[1, 0], [1, 0]];
  const r = dictionaryRecovery(D, Dh);
  close(r.meanBestCos, 0.5, 1e-15, 'each true atom: best |cos| 1 and 0');
  close(r.meanBestCosPred, 1, 1e-15, 'each estimate matches e1 perfectly');
  close(r.matchedCos, 0.5, 1e-15, 'one-to-one: (1 + 0)/2');
  // A zero (dead) estimated atom has cosine 0 with everything.
  const z = dictionaryRecovery(D, [[0, 0], [0, 3]]);
  close(z.matchedCos, 0.5, 1e-15, 'dead atom');
});

test('cosineMatrix is the signed cosine; shape errors name the transposition', () => {
  const c = cosineMatrix([[3, 4]], [[4, 3], [-3, -4]]);
  close(c.data[0], 24 / 25, 1e-15);
  close(c.data[1], -1, 1e-15);
  assert.throws(() => dictionaryRecovery([[1, 2, 3], [4, 5, 6]], [[1, 2], [3, 4], [5, 6]]), (e: Error) => e instanceof ShapeError && /transposed/.test(e.message));
});
