import { test } from 'node:test';
import assert from 'node:assert/strict';
import { donohoTannerRho, mutualCoherence, ripConstantEstimate } from '../../src/sparse/theory';
import { plantedSparseProblem } from '../../src/sparse/synthetic';

// Reference values from the paper notes (numerically maximised formula).
const SIGNED = [0.1894, 0.2433, 0.2908, 0.3373, 0.3857, 0.4384, 0.4988, 0.5733, 0.6782];
const NONNEG = [0.2410, 0.3259, 0.4036, 0.4803, 0.5582, 0.6387, 0.7225, 0.8103, 0.9027];

test('Donoho–Tanner ρ(δ) matches the tabulated values to 1e-3', () => {
  for (let i = 0; i < 9; i++) {
    const d = (i + 1) / 10;
    assert.ok(Math.abs(donohoTannerRho(d, 'signed') - SIGNED[i]) < 1e-3, `signed δ=${d}: ${donohoTannerRho(d, 'signed')}`);
    assert.ok(Math.abs(donohoTannerRho(d, 'nonneg') - NONNEG[i]) < 1e-3, `nonneg δ=${d}: ${donohoTannerRho(d, 'nonneg')}`);
  }
});

test('ρ(δ) is increasing, non-negative above signed, and → 1 as δ → 1', () => {
  let prev = 0;
  for (let d = 0.05; d <= 0.96; d += 0.05) {
    const s = donohoTannerRho(d, 'signed'), n = donohoTannerRho(d, 'nonneg');
    assert.ok(s > prev && n > s);
    prev = s;
  }
  assert.ok(donohoTannerRho(0.999, 'signed') > 0.95);
  assert.throws(() => donohoTannerRho(0, 'signed'), /delta/);
  assert.throws(() => donohoTannerRho(1.5, 'signed'), /delta/);
  assert.throws(() => donohoTannerRho(0.5, 'x' as 'signed'), /kind/);
});

test('mutual coherence: closed forms and the Welch bound', () => {
  assert.equal(mutualCoherence([[1, 0], [0, 2]]), 0);
  assert.ok(Math.abs(mutualCoherence([[1, 0], [1, 1], [0, -3]]) - Math.SQRT1_2) < 1e-12);
  assert.ok(Math.abs(mutualCoherence([[1, 2, 3], [-2, -4, -6]]) - 1) < 1e-12);
  const { D } = plantedSparseProblem({ n: 60, m: 20, b: 0, k: 0, seed: 2 });
  const mu = mutualCoherence(D);
  assert.ok(mu >= Math.sqrt((60 - 20) / (20 * 59)) && mu < 1);
  assert.throws(() => mutualCoherence([[1, 0], [0, 0]]), /row 1 is all zeros/);
});

test('RIP Monte-Carlo lower bound: exact on orthonormal and on a 2-atom dictionary', () => {
  const I = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  assert.equal(ripConstantEstimate(I, 2, { trials: 10, seed: 1 }).lower, 0);
  // two unit atoms at cosine c: eigenvalues of G are 1 ± c, so δ_2 = c (nested arrays become float32: 1e-6)
  const c = 0.3;
  const r = ripConstantEstimate([[1, 0], [c, Math.sqrt(1 - c * c)]], 2, { trials: 1, seed: 1 });
  assert.ok(Math.abs(r.lower - c) < 1e-6 && Math.abs(r.maxEigenvalue - 1 - c) < 1e-6 && Math.abs(r.minEigenvalue - 1 + c) < 1e-6);
  // more trials can only raise the bound (same seed stream prefix)
  const { D } = plantedSparseProblem({ n: 100, m: 40, b: 0, k: 0, seed: 4 });
  const a = ripConstantEstimate(D, 5, { trials: 5, seed: 9 }).lower;
  const b = ripConstantEstimate(D, 5, { trials: 50, seed: 9 }).lower;
  assert.ok(b >= a && a > 0);
  assert.throws(() => ripConstantEstimate(D, 101, { trials: 5, seed: 1 }), /exceeds the number of atoms/);
});
