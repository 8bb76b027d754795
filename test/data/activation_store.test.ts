import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ActivationStore } from '../../src/data/activation_store';
import { MatrixRows, openShards, RowSource } from '../../src/io/npy_stream';
import { writeNpy } from '../../src/io/npy';
import { matrix } from '../../src/core/matrix';
import { plantedSparseData } from '../../src/data/synthetic';
import { dictionaryRecovery } from '../../src/metrics/dictionary';
import { TopKSae } from '../../src/dictionary';
import { tempDir } from '../helpers/tmp';

/** A source whose row r is [r, r + 0.5, …] (M entries), recording the largest single read. */
class IdRows implements RowSource {
  maxRead = 0;
  reads = 0;
  constructor(readonly rows: number, readonly cols: number) {}
  readRows(a: number, b: number, out: Float32Array, offset = 0): void {
    this.maxRead = Math.max(this.maxRead, b - a);
    this.reads++;
    for (let r = a; r < b; r++) for (let j = 0; j < this.cols; j++) out[offset + (r - a) * this.cols + j] = r + j / 2;
  }
  close(): void { /* nothing */ }
}

/** Row ids of B×M batches of IdRows. */
const ids = (batch: Float32Array, M: number) => Array.from({ length: batch.length / M }, (_, i) => batch[i * M]);

test('every training row is handed out exactly once per pass, held-out rows never; the buffer holds a fixed number of rows whatever the data size', () => {
  for (const [R, bufferRows, chunkRows] of [[1000, 128, 16], [997, 100, 7], [50, 64, 1], [10_000, 256, 64]]) {
    const M = 3, src = new IdRows(R, M);
    const store = new ActivationStore(src, { bufferRows, chunkRows, seed: 5 });
    const held = store.holdOut(37);
    const heldIds = new Set(ids(held.data, M));
    assert.equal(heldIds.size, 37);
    assert.equal(store.rows, R - 37);
    assert.ok(held.data.every((v, q) => v === held.data[q - (q % M)] + (q % M) / 2), 'held-out rows read whole');
    const B = 10, out = new Float32Array(B * M);
    for (let pass = 0; pass < 2; pass++) {
      const seen = new Set<number>();
      // exactly one pass worth of rows (the store runs passes back to back)
      const rowsLeft = store.rows;
      const got: number[] = [];
      while (got.length < rowsLeft) { const b = Math.min(B, rowsLeft - got.length); store.next(out, b); got.push(...ids(out.subarray(0, b * M), M)); }
      for (const r of got) { assert.ok(!heldIds.has(r), `held-out row ${r} handed out`); seen.add(r); }
      assert.equal(seen.size, R - 37, `R=${R} pass ${pass}: every training row once`);
      assert.equal(store.passes, pass + 1);
    }
    const expectBuf = Math.min(bufferRows, R);
    assert.equal(store.bufferBytes, expectBuf * M * 4 + expectBuf * 4);
    assert.ok(src.maxRead <= Math.max(chunkRows, 37), `largest read ${src.maxRead} rows`);
  }
});

test('the order is shuffled across the whole data, reproducible by seed, different for another seed', () => {
  const draw = (seed: number) => {
    const store = new ActivationStore(new IdRows(4096, 1), { bufferRows: 512, chunkRows: 32, seed });
    const out = new Float32Array(512);
    store.next(out, 512);
    return Array.from(out);
  };
  const a = draw(1);
  assert.deepEqual(draw(1), a);
  assert.notDeepEqual(draw(2), a);
  // the first buffer mixes chunks from all over the data (not the first 512 rows) and no two neighbours are adjacent rows more than rarely
  assert.ok(Math.max(...a) > 2048 && Math.min(...a) < 2048);
  let adjacent = 0;
  for (let i = 1; i < a.length; i++) if (Math.abs(a[i] - a[i - 1]) === 1) adjacent++;
  assert.ok(adjacent < 20, `${adjacent} adjacent pairs`);
});

/** Planted data split into `shards` .npy files in a fresh folder; returns the folder and the data. */
function plantedShards(shards: number) {
  const p = plantedSparseData({ n: 48, m: 16, k: 3, samples: 12_000, seed: 3 });
  const dir = tempDir('store-');
  const per = Math.ceil(p.X.rows / shards), M = p.X.cols;
  for (let s = 0; s < shards; s++) {
    const a = s * per, b = Math.min(p.X.rows, a + per);
    writeNpy(path.join(dir, `acts_${s}.npy`), matrix(b - a, M, p.X.data.slice(a * M, b * M)));
  }
  return { dir, p };
}

test('an SAE trains from shards four times the buffer: the store holds at most its buffer, and the result is as good as in-memory training', () => {
  const { dir, p } = plantedShards(4);
  const rows = openShards(dir, 'data');
  const M = rows.cols, bufferRows = 3000; // the data is 12 000 rows: 4× the buffer
  const reads: number[] = [];
  const counted: RowSource = { rows: rows.rows, cols: M, readRows: (a, b, o, off) => { reads.push(b - a); rows.readRows(a, b, o, off); }, close: () => rows.close() };
  const store = new ActivationStore(counted, { bufferRows, chunkRows: 64, seed: 0 });
  const opts = { samples: 400_000, batch: 256, progress: false, lr: 3e-3 };
  const streamed = new TopKSae({ features: 48, k: 3, seed: 1 });
  const r = streamed.fit(store, opts);
  rows.close();
  // memory bound: the store's buffer (3000 rows) and single reads of ≤ 64 rows (the held-out rows: ≤ 1200 at once)
  assert.equal(store.bufferBytes, bufferRows * M * 4 + bufferRows * 4);
  assert.ok(store.bufferBytes < (p.X.data.byteLength / 3), 'buffer well under the data size');
  assert.ok(Math.max(...reads) <= 64, `largest read ${Math.max(...reads)} rows`);
  assert.ok(store.passes >= 10, `${store.passes} passes over the shards`);
  assert.ok(Number.isFinite(r.heldoutLoss), 'the held-out rows came from the stream');
  const inMemory = new TopKSae({ features: 48, k: 3, seed: 1 });
  const r0 = inMemory.fit(p.X, opts);
  const cosS = dictionaryRecovery(p.D, streamed.dictionary).meanBestCos;
  const cos0 = dictionaryRecovery(p.D, inMemory.dictionary).meanBestCos;
  assert.ok(cosS > 0.9 && cosS > cos0 - 0.03, `streamed mean best cosine ${cosS} vs in memory ${cos0}`);
  assert.ok(r.heldoutLoss < 1.15 * r0.heldoutLoss, `held-out loss ${r.heldoutLoss} vs ${r0.heldoutLoss}`);
});

test('with the buffer holding everything, training from shards equals training from the same rows in memory, bitwise', () => {
  const { dir, p } = plantedShards(3);
  const fitFrom = (src: RowSource) => {
    const sae = new TopKSae({ features: 48, k: 3, seed: 2 });
    sae.fit(new ActivationStore(src, { bufferRows: 20_000, chunkRows: 50, seed: 9 }), { steps: 200, batch: 128, progress: false });
    return sae;
  };
  const shards = openShards(dir);
  const a = fitFrom(shards);
  shards.close();
  const b = fitFrom(new MatrixRows(p.X.rows, p.X.cols, p.X.data));
  assert.deepEqual(a.D, b.D);
  assert.deepEqual(a.E, b.E);
  assert.deepEqual(a.report!.history.map((h) => h.loss), b.report!.history.map((h) => h.loss));
});

test('skip(n) leaves the stream where batches of n rows would, without reading the buffers it passes over whole', () => {
  const M = 2, B = 24;
  for (const n of [0, 5, 511, 512, 513, 3000, 9000]) {
    const fresh = () => { const src = new IdRows(4000, M); const s = new ActivationStore(src, { bufferRows: 512, chunkRows: 32, seed: 3 }); s.holdOut(100); return { src, s }; };
    const a = fresh(), b = fresh();
    const out = new Float32Array(B * M);
    for (let left = n; left > 0; left -= Math.min(B, left)) a.s.next(out, Math.min(B, left));
    const readsBefore = b.src.reads;
    b.s.skip(n);
    const skipReads = b.src.reads - readsBefore;
    const outA = new Float32Array(3 * B * M), outB = new Float32Array(3 * B * M);
    a.s.next(outA, 3 * B); b.s.next(outB, 3 * B);
    assert.deepEqual(ids(outB, M), ids(outA, M), `n=${n}: the same rows after skip as after next`);
    assert.equal(b.s.delivered, a.s.delivered);
    assert.equal(b.s.passes, a.s.passes);
    // skipping reads nothing (the reads of the buffer it stops in happen on the next batch)
    assert.equal(skipReads, 0, `n=${n}: skip read ${skipReads} chunks`);
  }
  const s = new ActivationStore(new IdRows(10, 1));
  assert.throws(() => s.skip(-1), /integer ≥ 0/);
});
