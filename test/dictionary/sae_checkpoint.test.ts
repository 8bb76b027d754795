import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../../src/core/backend';
import { plantedSparseData } from '../../src/data/synthetic';
import { SparseAutoencoder, SaeTrainOptions } from '../../src/dictionary/sae_base';
import { SaeTrainer } from '../../src/dictionary/sae_trainer';
import { TopKSae } from '../../src/dictionary/sae_topk';
import { BatchTopKSae } from '../../src/dictionary/sae_batchtopk';
import { MatryoshkaSae } from '../../src/dictionary/sae_matryoshka';
import { ActivationStore } from '../../src/data/activation_store';
import { MatrixRows } from '../../src/io/npy_stream';

/** Run `f` with SaeTrainer.update throwing at `step` (a killed process), restoring it after. */
function killedAt(step: number, f: () => void): void {
  const orig = SaeTrainer.prototype.update;
  SaeTrainer.prototype.update = function (this: SaeTrainer, s: number, lr: number) {
    if (s === step) throw new Error('killed');
    return orig.call(this, s, lr);
  };
  try { assert.throws(f, /killed/); } finally { SaeTrainer.prototype.update = orig; }
}

const same = (a: Float32Array, b: Float32Array, what: string) => {
  assert.equal(a.length, b.length, what);
  for (let q = 0; q < a.length; q++) if (!Object.is(a[q], b[q])) assert.fail(`${what}[${q}]: ${a[q]} vs ${b[q]}`);
};

test('checkpoint + resume: a fit killed after its checkpoint and resumed ends with bitwise the uninterrupted model (TopK with held-out plateau, BatchTopK, Matryoshka, a streamed source)', async () => {
  await initBackend();
  const d = plantedSparseData({ n: 32, m: 16, k: 3, samples: 4000, seed: 2 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sae-ck-'));
  try {
    const makers: (() => SparseAutoencoder)[] = [
      () => new TopKSae({ features: 32, k: 3, seed: 5 }), () => new BatchTopKSae({ features: 32, k: 3, seed: 5 }),
      () => new MatryoshkaSae({ features: 32, k: 3, seed: 5 }, { groups: [8, 24] }),
    ];
    for (const make of makers) {
      const base: SaeTrainOptions = { samples: 256 * 120, batch: 256, lr: 3e-3, progress: false, resampleEvery: 25 };
      const full = make();
      full.fit(d.X, base);
      const ck = path.join(dir, full.kind);
      // killed at step 70: the last checkpoint (every 40 steps) holds step 40
      killedAt(70, () => make().fit(d.X, { ...base, checkpoint: ck, checkpointEvery: 256 * 40 }));
      assert.ok(fs.existsSync(path.join(ck, 'checkpoint.json')));
      const resumed = make();
      resumed.fit(d.X, { ...base, resume: ck });
      for (const k of ['E', 'D', 'bEnc', 'bDec'] as const) same(resumed[k], full[k], `${full.kind} ${k}`);
      if (full instanceof BatchTopKSae) same((resumed as BatchTopKSae).threshold, full.threshold, `${full.kind} threshold`);
      assert.equal(resumed.report!.steps, full.report!.steps);
      assert.deepEqual(resumed.report!.history, full.report!.history);
      assert.equal(resumed.report!.converged, full.report!.converged);
      assert.equal(resumed.report!.resampled, full.report!.resampled);
    }
    // a streamed source (ActivationStore over row ranges): the resumed fit skips the rows already drawn
    {
      const store = () => new ActivationStore(new MatrixRows(d.X.rows, d.X.cols, d.X.data as Float32Array), { bufferRows: 1000, chunkRows: 16, seed: 1 });
      const base: SaeTrainOptions = { samples: 256 * 120, batch: 256, lr: 3e-3, progress: false };
      const full = new TopKSae({ features: 32, k: 3, seed: 5 });
      full.fit(store(), base);
      const ck = path.join(dir, 'stream');
      killedAt(70, () => new TopKSae({ features: 32, k: 3, seed: 5 }).fit(store(), { ...base, checkpoint: ck, checkpointEvery: 256 * 40 }));
      const resumed = new TopKSae({ features: 32, k: 3, seed: 5 });
      resumed.fit(store(), { ...base, resume: ck });
      for (const k of ['E', 'D', 'bEnc', 'bDec'] as const) same(resumed[k], full[k], `streamed ${k}`);
      assert.deepEqual(resumed.report!.history, full.report!.history);
    }
    // a checkpoint of another fit is refused with what differs
    assert.throws(() => new TopKSae({ features: 32, k: 3, seed: 6 }).fit(d.X, { samples: 256 * 120, batch: 256, progress: false, resume: path.join(dir, 'topk') }),
      /checkpoint is of another fit \(seed 5 there, 6 now\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('superposition learn --checkpoint DIR then --resume DIR gives the same dictionary as one run; misuse is a usage error', async () => {
  const { run } = await import('../../src/cli/learn');
  const { captureCli } = await import('../helpers/cli');
  const { writeNpy } = await import('../../src/io/npy');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'learn-ck-'));
  try {
    const d = plantedSparseData({ n: 24, m: 12, k: 2, samples: 2000, seed: 3 });
    const X = path.join(dir, 'X.npy');
    writeNpy(X, d.X);
    const base = ['--input', X, '--method', 'sae-topk', '--features', '24', '--k', '2', '--samples', String(256 * 60), '--batch', '256', '--quiet'];
    const a = await captureCli(run, [...base, '--out-dict', path.join(dir, 'A.npy')]);
    assert.equal(a.code, 0, a.err);
    // a run killed after its checkpoint at step 30 (the CLI run is async: kill it through the trainer)
    const orig = SaeTrainer.prototype.update;
    SaeTrainer.prototype.update = function (this: SaeTrainer, s: number, lr: number) { if (s === 45) throw new Error('killed'); return orig.call(this, s, lr); };
    try {
      await assert.rejects(captureCli(run, [...base, '--out-dict', path.join(dir, 'B.npy'), '--checkpoint', path.join(dir, 'ck'), '--checkpoint-every', String(256 * 30)]), /killed/);
    } finally { SaeTrainer.prototype.update = orig; }
    const b = await captureCli(run, [...base, '--out-dict', path.join(dir, 'B.npy'), '--resume', path.join(dir, 'ck')]);
    assert.equal(b.code, 0, b.err);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'B.npy')), fs.readFileSync(path.join(dir, 'A.npy')));
    const bad = await captureCli(run, ['--input', X, '--method', 'dl', '--features', '24', '--k', '2', '--out-dict', path.join(dir, 'C.npy'), '--resume', path.join(dir, 'ck')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--checkpoint and --resume are for the SAEs/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
