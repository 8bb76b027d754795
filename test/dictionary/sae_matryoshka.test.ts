import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../../src/core/backend';
import { Rng } from '../../src/core/rng';
import { plantedSparseData } from '../../src/data/synthetic';
import { SparseAutoencoder, StepOut } from '../../src/dictionary/sae_base';
import { onBothProductPaths, randomise } from './sae_helpers';
import { MatryoshkaSae, matryoshkaGroupSizes } from '../../src/dictionary/sae_matryoshka';
import { BatchTopKSae } from '../../src/dictionary/sae_batchtopk';
import { saveSaeLens } from '../../src/dictionary/saelens';
import { dictionaryRecovery } from '../../src/metrics/dictionary';

function step(m: SparseAutoencoder, x: Float32Array, B: number): StepOut {
  return (m as unknown as { trainStep(x: Float32Array, B: number, l: number, r: boolean): StepOut }).trainStep(x, B, 0, false);
}

/** The Matryoshka loss by its definition, in float64: Σ_g (1/G)·mean_b ‖x_b − (Σ_{i<m_g} z_bi d_i + b_dec)‖², z from a step's codes. */
function prefixLoss(m: MatryoshkaSae, x: Float32Array, B: number, z: Float32Array): number {
  const N = m.features, M = m.dim, G = m.groupSizes.length;
  let end = 0, tot = 0;
  for (const n of m.groupSizes) {
    end += n;
    for (let b = 0; b < B; b++) for (let j = 0; j < M; j++) {
      let v = m.bDec[j];
      for (let i = 0; i < end; i++) v += z[b * N + i] * m.D[i * M + j];
      tot += (v - x[b * M + j]) ** 2 / (G * B);
    }
  }
  return tot;
}

test('Matryoshka group sizes: sizes, fractions (last group takes the rest), defaults, errors', () => {
  assert.deepEqual(matryoshkaGroupSizes(10, [2, 3, 5]), [2, 3, 5]);
  assert.deepEqual(matryoshkaGroupSizes(10, [0.25, 0.25, 0.5]), [2, 2, 6]);
  assert.deepEqual(matryoshkaGroupSizes(64), [4, 4, 8, 16, 32]);
  assert.throws(() => matryoshkaGroupSizes(10, [2, 3]), /sum/);
  assert.throws(() => matryoshkaGroupSizes(3, [0.1, 0.9]), /empty group/);
});

test('Matryoshka SAE: the step loss is the sum over prefixes, and its hand-written gradients match finite differences (dense and sparse paths)', async () => {
  await initBackend();
  await onBothProductPaths(async (p) => {
    const B = 6, M = 5, N = 9;
    const x = new Rng(1).fillNormal(new Float32Array(B * M));
    const m = new MatryoshkaSae({ features: N, k: 3 }, { groups: [2, 3, 4] });
    randomise(m, M, 2);
    const s = step(m, x, B);
    const z = (m as unknown as { workspace: { scratch(n: string, k: number): Float32Array } }).workspace.scratch('z', B * N).slice();
    assert.ok(Math.abs(s.loss - prefixLoss(m, x, B, z)) < 1e-5 * (1 + s.loss), `${p}: loss ${s.loss} vs ${prefixLoss(m, x, B, z)}`);
    for (const which of ['E', 'D', 'bEnc', 'bDec'] as const) {
      const g = step(m, x, B);
      const grad = { E: g.dE, D: g.dD, bEnc: g.dbEnc, bDec: g.dbDec }[which].slice();
      const par = m[which], h = 1e-2;
      let maxErr = 0, maxG = 0;
      for (let q = 0; q < par.length; q++) {
        const v = par[q];
        par[q] = v + h; const lp = step(m, x, B).loss;
        par[q] = v - h; const lm = step(m, x, B).loss;
        par[q] = v;
        maxErr = Math.max(maxErr, Math.abs((lp - lm) / (2 * h) - grad[q]));
        maxG = Math.max(maxG, Math.abs(grad[q]));
      }
      assert.ok(maxG > 1e-3, `${which}: gradient is zero`);
      assert.ok(maxErr < 0.02 * maxG + 1e-3, `${p} d${which}: max error ${maxErr} vs max grad ${maxG}`);
    }
  });
});

test('Matryoshka SAE with one group is a BatchTopK SAE (same step loss and gradients)', async () => {
  await initBackend();
  const B = 6, M = 5, N = 9;
  const x = new Rng(1).fillNormal(new Float32Array(B * M));
  const a = new MatryoshkaSae({ features: N, k: 3 }, { groups: [N] }), b = new BatchTopKSae({ features: N, k: 3 });
  randomise(a, M, 2); randomise(b, M, 2);
  const sa = step(a, x, B), sb = step(b, x, B);
  assert.ok(Math.abs(sa.loss - sb.loss) < 1e-6 * (1 + sb.loss));
  for (const k of ['dE', 'dD', 'dbEnc', 'dbDec'] as const) for (let q = 0; q < sb[k].length; q++) assert.ok(Math.abs(sa[k][q] - sb[k][q]) < 1e-5, `${k}[${q}]`);
});

// Measured on this planted problem (independent atoms of equal frequency, N = the true atom count): best cosine 0.84
// at 3000 steps (BatchTopK: 0.95). The prefix losses have no hierarchy to exploit here and pull the first groups
// towards mixtures of atoms; the test checks that the dictionary is found largely, not that Matryoshka wins.
test('Matryoshka SAE recovers a planted dictionary; saves/loads (workbook) and exports to SAELens as jumprelu with its widths', async () => {
  await initBackend();
  const d = plantedSparseData({ n: 48, m: 24, k: 3, samples: 6000, seed: 3 });
  const m = new MatryoshkaSae({ features: 48, k: 3, seed: 1 }, { groups: [8, 16, 24] });
  m.fit(d.X, { steps: 3000, batch: 256, lr: 3e-3, progress: false });
  const cos = dictionaryRecovery(d.D, m.dictionary).meanBestCos;
  assert.ok(cos >= 0.8, `best cosine ${cos}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-'));
  try {
    m.save(path.join(dir, 'wb'));
    const back = SparseAutoencoder.load(path.join(dir, 'wb'));
    assert.ok(back instanceof MatryoshkaSae);
    assert.deepEqual((back as MatryoshkaSae).groupSizes, [8, 16, 24]);
    assert.deepEqual(back.encode(d.X).data, m.encode(d.X).data);
    assert.equal(saveSaeLens(m, path.join(dir, 'sl')), 'jumprelu');
    const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'sl', 'cfg.json'), 'utf8'));
    assert.equal(cfg.architecture, 'jumprelu');
    assert.deepEqual(cfg.metadata.matryoshka_widths, [8, 24, 48]);
    assert.equal(cfg.metadata.trained_as, 'sae-matryoshka');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
