import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run as learn } from '../../src/cli/learn';
import { captureCli } from '../helpers/cli';
import { plantedSparseData } from '../../src/data/synthetic';
import { matrix } from '../../src/core/matrix';
import { readMatrix, writeNpy } from '../../src/io/npy';
import { loadSae } from '../../src/dictionary/saelens';
import { dictionaryRecovery } from '../../src/metrics/dictionary';
import { fvu } from '../../src/metrics/reconstruction';

/** Planted data (N=32 atoms in M=16, K=3) of `samples` rows written as `shards` .npy files in a new folder. */
function shardsOf(samples: number, shards: number) {
  const p = plantedSparseData({ n: 32, m: 16, k: 3, samples, seed: 4 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'learn-stream-'));
  const data = path.join(dir, 'acts');
  fs.mkdirSync(data);
  const per = Math.ceil(samples / shards), M = p.X.cols;
  for (let s = 0; s < shards; s++) {
    const a = s * per, b = Math.min(samples, a + per);
    writeNpy(path.join(data, `shard_${s}.npy`), matrix(b - a, M, p.X.data.slice(a * M, b * M)));
  }
  return { p, dir, data };
}

test('learn over shards larger than --max-memory streams them (bounded buffer) and recovers the planted dictionary; codes and FVU equal the saved model\'s in-memory ones', async () => {
  // 40 000 × 16 float32 = 2.4 MiB of data: held in memory the run needs ~8 MiB, over the 4 MiB limit; streamed ~2 MiB
  const { p, dir, data } = shardsOf(40_000, 3);
  try {
    const out = (f: string) => path.join(dir, f);
    const r = await captureCli(learn, ['--input', data, '--method', 'sae-topk', '--features', '32', '--k', '3', '--samples', String(256 * 500),
      '--batch', '256', '--lr', '3e-3', '--buffer-rows', '4000', '--max-memory', '4M', '--out-dict', out('D.npy'), '--out-codes', out('Z.npy'),
      '--save-model', out('sae')]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /in memory would need about [0-9.]+ MiB, over --max-memory 4.0 MiB: streaming them from disk through a shuffled buffer of 4000 rows/);
    const j = JSON.parse(r.out);
    assert.equal(j.streamed, true);
    const D = readMatrix(out('D.npy'));
    const cos = dictionaryRecovery(p.D, D).meanBestCos;
    assert.ok(cos > 0.9, `planted dictionary recovered at mean best cosine ${cos}`);
    // the block-wise encoding pass: codes and FVU as the saved model computes them on all rows at once
    const sae = loadSae(out('sae'));
    const Z = sae.encode(p.X);
    assert.deepEqual(readMatrix(out('Z.npy')).data, Z.data);
    const f = fvu(p.X, sae.decode(Z));
    assert.ok(Math.abs(j.fvu - f) <= 1e-9 * Math.max(1, f), `FVU ${j.fvu} vs ${f}`);
    let nnz = 0;
    for (const v of Z.data) if (v !== 0) nnz++;
    assert.equal(j.mean_l0, nnz / p.X.rows);
    // analyze reads the same shards (folder) and finds the same FVU and L0
    const { run: analyze } = await import('../../src/cli/analyze');
    const a = await captureCli(analyze, ['--sae', out('sae'), '--input', data, '--no-inference']);
    assert.equal(a.code, 0, a.err);
    const ja = JSON.parse(a.out);
    assert.equal(ja.samples, p.X.rows);
    assert.ok(Math.abs(ja.fvu - f) <= 1e-6 * f, `analyze FVU ${ja.fvu} vs ${f}`);
    assert.ok(Math.abs(ja.mean_l0 - j.mean_l0) <= 1e-9, `analyze L0 ${ja.mean_l0} vs ${j.mean_l0}`);
    // the same data held in memory is not streamed; dl cannot stream and says so
    const mem = await captureCli(learn, ['--input', data, '--method', 'sae-topk', '--features', '32', '--k', '3', '--samples', '2560', '--batch', '256', '--quiet', '--out-dict', out('D2.npy')]);
    assert.equal(mem.code, 0, mem.err);
    assert.equal(JSON.parse(mem.out).streamed, false);
    await assert.rejects(captureCli(learn, ['--input', data, '--method', 'dl', '--features', '32', '--k', '3', '--max-memory', '4M', '--quiet', '--out-dict', out('D3.npy')]),
      /--method dl needs the whole data in memory \(the SAE methods stream data larger than memory from disk\)/);
    // an output among the shards is refused before any work (exit 2)
    const clash = await captureCli(learn, ['--input', path.join(data, 'shard_*.npy'), '--method', 'sae-topk', '--features', '32', '--k', '3', '--quiet', '--out-dict', path.join(data, 'shard_1.npy')]);
    assert.equal(clash.code, 2);
    assert.match(clash.err, /--out-dict .*shard_1\.npy is the same file as --input/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
