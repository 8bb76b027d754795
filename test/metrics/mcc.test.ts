import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mcc, matchedSimilarity } from '../../src/metrics/mcc';
import { crossCorrelation, crossCorrelationUnchecked } from '../../src/metrics/correlation';
import { matrix } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';
import { initBackend } from '../../src/core/backend';
import { fastBackend } from '../../src/compute/dispatch';
import { ShapeError, ValueError } from '../../src/core/errors';
import { fixtures, f64, randn, close, allClose, flat } from './helpers';

/** A copy of Z (B×N) with columns permuted by `perm` into a wider matrix, rescaled, sign-flipped, shifted. */
function permutedCopy(rng: Rng, Z: { rows: number; cols: number; data: Float64Array }, extra: number) {
  const B = Z.rows, N = Z.cols, Nh = N + extra;
  const perm = rng.permutation(Nh);
  const out = randn(rng, B, Nh); // spare columns: noise
  for (let i = 0; i < N; i++) {
    const scale = (rng.uniform() < 0.5 ? -1 : 1) * (0.1 + 5 * rng.uniform());
    const shift = rng.normal();
    for (let b = 0; b < B; b++) out.data[b * Nh + perm[i]] = scale * Z.data[b * N + i] + shift;
  }
  return { out, perm };
}

test('MCC of a permuted, rescaled, sign-flipped copy is 1, and the matching finds the permutation', () => {
  const rng = new Rng(3);
  const Z = randn(rng, 500, 12);
  for (const extra of [0, 5]) {
    const { out, perm } = permutedCopy(rng, Z, extra);
    for (const method of ['pearson', 'spearman'] as const) {
      const r = mcc(Z, out, { method });
      close(r.mcc, 1, 1e-12, `${method}, ${extra} extra estimates`);
      assert.deepEqual(Array.from(r.matching), Array.from(perm.subarray(0, 12)));
      for (const v of r.perFeature) close(v, 1, 1e-12, 'perFeature');
    }
  }
});

test('Spearman MCC is 1 under monotone nonlinear maps, Pearson is not', () => {
  const rng = new Rng(4);
  const Z = randn(rng, 400, 4);
  const W = matrix(400, 4, Z.data.map((v) => Math.exp(2 * v)));
  close(mcc(Z, W, { method: 'spearman' }).mcc, 1, 1e-12, 'spearman');
  assert.ok(mcc(Z, W).mcc < 0.9, 'pearson is hurt by the exponential');
});

test('crossCorrelation and MCC match numpy corrcoef, scipy spearmanr and linear_sum_assignment', () => {
  const fx = fixtures.mcc;
  const Z = f64(fx.zTrue), Zh = f64(fx.zPred);
  for (const method of ['pearson', 'spearman'] as const) {
    allClose(crossCorrelation(Z, Zh, method).data, flat(fx[method].corr), 1e-12, `${method} correlation`);
    const r = mcc(Z, Zh, { method });
    close(r.mcc, fx[method].mcc, 1e-12, `${method} mcc`);
    assert.deepEqual(Array.from(r.matching), fx[method].matching);
  }
});

test('crossCorrelation is right for sizes that are not multiples of the 4×4 kernel block', () => {
  const rng = new Rng(5);
  for (const [B, n, m] of [[3, 1, 1], [7, 5, 3], [2500, 9, 6]]) {
    const a = randn(rng, B, n), b = randn(rng, B, m);
    const r = crossCorrelation(a, b);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
      // Naive two-pass Pearson.
      let ma = 0, mb = 0;
      for (let s = 0; s < B; s++) { ma += a.data[s * n + i]; mb += b.data[s * m + j]; }
      ma /= B; mb /= B;
      let sab = 0, saa = 0, sbb = 0;
      for (let s = 0; s < B; s++) {
        const x = a.data[s * n + i] - ma, y = b.data[s * m + j] - mb;
        sab += x * y; saa += x * x; sbb += y * y;
      }
      close(r.data[i * m + j], sab / Math.sqrt(saa * sbb), 1e-12, `r[${i}][${j}] for ${B}×${n}, ${B}×${m}`);
    }
  }
});

test('MCC: constant columns count as correlation 0; fewer estimates than truths score 0 for the unmatched', () => {
  const rng = new Rng(6);
  const Z = randn(rng, 200, 3);
  const dead = matrix(200, 3, Z.data.slice());
  for (let b = 0; b < 200; b++) dead.data[b * 3 + 1] = 7; // column 1 constant
  const r = mcc(Z, dead);
  close(r.perFeature[0], 1, 1e-12, 'feature 0');
  close(r.perFeature[2], 1, 1e-12, 'feature 2');
  close(r.perFeature[1], 0, 0, 'feature 1 (constant estimate)');
  close(r.mcc, 2 / 3, 1e-12, 'mcc');
  // Only 2 estimates for 3 truths: the best two are matched, the third scores 0.
  const two = matrix(200, 2, new Float64Array(400));
  for (let b = 0; b < 200; b++) { two.data[b * 2] = Z.data[b * 3 + 2]; two.data[b * 2 + 1] = -Z.data[b * 3]; }
  const r2 = mcc(Z, two);
  assert.deepEqual(Array.from(r2.matching), [1, -1, 0]);
  assert.deepEqual(Array.from(r2.signs), [-1, 0, 1]);
  close(r2.mcc, 2 / 3, 1e-12, 'mcc with too few estimates');
});

test('MCC of independent codes is small (≈ chance level)', () => {
  const rng = new Rng(7);
  const r = mcc(randn(rng, 4000, 10), randn(rng, 4000, 10));
  assert.ok(r.mcc < 0.05, `independent codes gave ${r.mcc}`);
});

test('matchedSimilarity uses absolute values but reports signs', () => {
  const S = matrix(2, 2, Float64Array.from([0.1, -0.9, 0.8, 0.2]));
  const r = matchedSimilarity(S);
  assert.deepEqual(Array.from(r.matching), [1, 0]);
  close(r.mcc, 0.85, 1e-15);
  assert.deepEqual(Array.from(r.signs), [-1, 1]);
});

test('mcc validates its inputs', () => {
  assert.throws(() => mcc([[1, 2], [3, 4]], [[1, 2, 3]]), ShapeError);
  assert.throws(() => mcc([[1, 2]], [[1, 2]]), ValueError); // one sample
  assert.throws(() => mcc([[1], [Infinity]], [[1], [2]]), ValueError);
  assert.throws(() => mcc([[1], [2]], [[1], [2]], { method: 'kendall' as never }), ValueError);
});

test('the sparse and dense correlation kernels agree (Pearson and Spearman, with constant columns)', () => {
  const rng = new Rng(8);
  const B = 3000, N = 7, Nh = 10;
  const a = matrix(B, N, new Float64Array(B * N)), b = matrix(B, Nh, new Float64Array(B * Nh));
  for (let k = 0; k < a.data.length; k++) if (rng.uniform() < 0.05) a.data[k] = Math.abs(rng.normal());
  for (let k = 0; k < b.data.length; k++) if (rng.uniform() < 0.1) b.data[k] = rng.normal();
  for (let s = 0; s < B; s++) { a.data[s * N + 2] = 0; b.data[s * Nh + 4] = 5; b.data[s * Nh + 1] += 0.5 * a.data[s * N]; }
  for (const method of ['pearson', 'spearman'] as const) {
    const d = crossCorrelationUnchecked(a, b, method, 'dense');
    const s = crossCorrelationUnchecked(a, b, method, 'sparse');
    allClose(s.data, d.data, 1e-12, `${method}: sparse vs dense`);
    close(d.data[2 * Nh + 3], 0, 0, 'constant column of a');
    close(d.data[0 * Nh + 4], 0, 0, 'constant column of b');
    assert.ok(d.data[0 * Nh + 1] > 0.3, 'planted dependence is seen');
  }
  const fx = fixtures.mcc;
  for (const method of ['pearson', 'spearman'] as const) {
    allClose(crossCorrelationUnchecked(f64(fx.zTrue), f64(fx.zPred), method, 'sparse').data, flat(fx[method].corr), 1e-12, `${method} sparse kernel vs fixture`);
  }
});

test("precision 'auto' (tfjs float32 product on a fast backend) agrees with float64 to ~1e-5", async () => {
  await initBackend();
  const rng = new Rng(9);
  const a = randn(rng, 3000, 30), b = randn(rng, 3000, 40); // 3.6M multiply-adds: above the tfjs threshold
  for (let k = 0; k < b.data.length; k += 40) b.data[k] += 2 * a.data[(k / 40) * 30];
  const exact = crossCorrelation(a, b);
  const fast = crossCorrelation(a, b, 'pearson', { precision: 'auto' });
  allClose(fast.data, exact.data, 1e-5, 'auto vs float64');
  if (fastBackend() !== null) {
    let maxDiff = 0;
    for (let k = 0; k < fast.data.length; k++) maxDiff = Math.max(maxDiff, Math.abs(fast.data[k] - exact.data[k]));
    assert.ok(maxDiff > 0, 'the float32 path was taken (results differ in the last bits)');
  }
  close(mcc(a, b, { precision: 'auto' }).mcc, mcc(a, b).mcc, 1e-5, 'mcc');
  assert.throws(() => mcc(a, b, { precision: 'half' as never }), ValueError);
});

test('MCC, crossCorrelation and dictionaryRecovery are unchanged when a column (atom) is scaled to 1e300 or 1e-300: no overflow of the sums of squares', async () => {
  const { dictionaryRecovery } = await import('../../src/metrics/dictionary');
  const rng = new Rng(9);
  const B = 60, N = 4;
  const Z = matrix(B, N, Float64Array.from({ length: B * N }, () => rng.normal()));
  const Zh = matrix(B, N, Float64Array.from(Z.data, (v, q) => v + 0.3 * rng.normal() * (q % N === 2 ? 1 : 0.5)));
  const scaleCol = (m: typeof Z, j: number, s: number) => matrix(m.rows, m.cols, Float64Array.from(m.data, (v, q) => (q % m.cols === j ? v * s : v)));
  const ref = mcc(Z, Zh);
  const refR = crossCorrelation(Z, Zh);
  const D = matrix(N, 6, Float64Array.from({ length: N * 6 }, () => rng.normal()));
  const Dh = matrix(N, 6, Float64Array.from(D.data, (v) => v + 0.2 * rng.normal()));
  const refD = dictionaryRecovery(D, Dh);
  for (const s of [1e300, 1e-300]) {
    close(mcc(scaleCol(Z, 1, s), scaleCol(Zh, 2, s)).mcc, ref.mcc, 1e-12, `mcc, scale ${s}`);
    allClose(crossCorrelation(scaleCol(Z, 0, s), Zh).data, refR.data, 1e-12, `crossCorrelation, scale ${s}`);
    const rows = matrix(N, 6, Float64Array.from(Dh.data, (v, q) => (Math.floor(q / 6) === 3 ? v * s : v)));
    close(dictionaryRecovery(D, rows).meanBestCos, refD.meanBestCos, 1e-12, `dictionaryRecovery, scale ${s}`);
  }
});
