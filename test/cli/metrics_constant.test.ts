import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { matrix } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';
import { mcc } from '../../src/metrics/mcc';
import { run as metrics } from '../../src/cli/metrics';
import { captureCli } from '../helpers/cli';
import { putNpy, tempDir } from './helpers';

/** Sparse codes B×64 in which the features listed in `never` are never active (constant 0 columns). */
function codesWithDeadFeatures(B: number, never: Set<number>, seed: number) {
  const N = 64, g = new Rng(seed), data = new Float32Array(B * N);
  for (let b = 0; b < B; b++) for (let j = 0; j < N; j++) if (!never.has(j) && g.uniform() < 0.1) data[b * N + j] = 1 + g.uniform();
  return matrix(B, N, data);
}

const NEVER = new Set([0, 3, 7, 12, 19, 25, 31, 38, 44, 50, 55, 60, 63]); // 13 of 64

test('mcc(Z, Z) with 13 of 64 features never active: MCC stays 51/64 (documented), and the constant columns and the mean over varying features are reported', () => {
  const Z = codesWithDeadFeatures(500, NEVER, 1);
  for (const method of ['pearson', 'spearman'] as const) {
    const r = mcc(Z, Z, { method });
    assert.ok(Math.abs(r.mcc - 51 / 64) < 1e-12, `${method}: ${r.mcc}`);
    assert.deepEqual(Array.from(r.constantTrue), [...NEVER].sort((a, b) => a - b));
    assert.deepEqual(Array.from(r.constantPred), [...NEVER].sort((a, b) => a - b));
    assert.ok(Math.abs(r.mccVarying - 1) < 1e-12, `${method}: ${r.mccVarying}`);
  }
  // No constant column: nothing listed, and mccVarying equals mcc.
  const full = codesWithDeadFeatures(500, new Set(), 2);
  const r = mcc(full, full);
  assert.equal(r.constantTrue.length, 0);
  assert.equal(r.mccVarying, r.mcc);
  // Every true feature constant: no varying feature to average over.
  assert.ok(Number.isNaN(mcc(matrix(3, 2, new Float32Array(6)), matrix(3, 1, Float32Array.from([1, 2, 3]))).mccVarying));
});

test('superposition metrics reports how many columns are constant, prints a note naming them, and the MCC over varying features', async () => {
  const dir = tempDir();
  try {
    const Z = putNpy(dir, 'Z.npy', codesWithDeadFeatures(500, NEVER, 1));
    const r = await captureCli(metrics, ['--true', Z, '--pred', Z]);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.ok(Math.abs(j.mcc_pearson - 0.796875) < 1e-12, 'MCC(Z, Z) with 13 of 64 constant = 51/64 = 0.797, as before');
    assert.equal(j.constant_true, 13);
    assert.equal(j.constant_pred, 13);
    assert.ok(Math.abs(j.mcc_pearson_varying - 1) < 1e-12);
    assert.ok(Math.abs(j.mcc_spearman_varying - 1) < 1e-12);
    assert.match(r.err, /note: 13 of 64 true features \(--true columns 0, 3, 7, 12, 19, 25, 31, 38, …\) and 13 of 64 estimated features .* are constant on these 500 samples, so their correlation is undefined and counts as 0/);
    // Without constant columns there is no note.
    const full = putNpy(dir, 'F.npy', codesWithDeadFeatures(500, new Set(), 2));
    const q = await captureCli(metrics, ['--true', full, '--pred', full]);
    assert.equal(q.err, '');
    assert.equal(JSON.parse(q.out).constant_true, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
