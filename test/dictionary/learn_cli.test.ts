import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { plantedSparseData } from '../../src/data/synthetic';
import { readMatrix, writeNpy } from '../../src/io/npy';
import { run } from '../../src/cli/learn';
import { captureCli } from '../helpers/cli';
import { dictionaryRecovery } from '../../src/metrics/dictionary';

const capture = (argv: string[]) => captureCli(run, argv);

test('superposition learn: dl writes D and Z and prints one JSON line; usage errors exit 2', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'learn-'));
  const d = plantedSparseData({ n: 24, m: 12, k: 2, samples: 1500, seed: 7 });
  const X = path.join(dir, 'X.npy'), D = path.join(dir, 'D.npy'), Z = path.join(dir, 'Z.npy');
  writeNpy(X, d.X);
  const r = await capture(['--input', X, '--method', 'dl', '--features', '24', '--k', '2', '--out-dict', D, '--out-codes', Z, '--quiet']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out.trim());
  assert.deepEqual(Object.keys(j), ['method', 'seconds', 'samples_per_second', 'fvu', 'mean_l0', 'dead_fraction', 'streamed']);
  assert.equal(j.method, 'dl');
  assert.ok(j.mean_l0 <= 2 && j.mean_l0 > 1.5);
  const Dl = readMatrix(D);
  assert.equal(Dl.rows, 24); assert.equal(Dl.cols, 12);
  assert.ok(dictionaryRecovery(d.D, Dl).meanBestCos > 0.95);
  assert.equal(readMatrix(Z).rows, 1500);
  const s = await capture(['--input', X, '--method', 'sae-topk', '--features', '24', '--k', '2', '--epochs', '2', '--batch', '256', '--out-dict', D, '--quiet']);
  assert.equal(s.code, 0, s.err);
  assert.equal(JSON.parse(s.out.trim()).mean_l0 <= 2, true);
  assert.equal((await capture(['--input', X, '--method', 'sae-topk', '--features', '24', '--out-dict', D])).code, 2);
  assert.equal((await capture(['--input', X, '--method', 'pca', '--features', '24', '--out-dict', D])).code, 2);
  fs.rmSync(dir, { recursive: true });
});
