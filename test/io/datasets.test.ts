import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { loadFashionMnist, fashionMnistCandidates } from '../../src/io/datasets';
import { parseIdx } from '../../src/io/idx';
import { tempDir } from '../helpers/tmp';

test('IDX parser: a hand-made file, gzipped and not, and its errors', () => {
  const raw = Buffer.from([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255]);
  for (const bytes of [raw, zlib.gzipSync(raw)]) {
    const a = parseIdx(bytes, 't.idx');
    assert.deepEqual(a.shape, [2, 3]);
    assert.deepEqual(Array.from(a.data), [1, 2, 3, 4, 5, 255]);
  }
  assert.throws(() => parseIdx(raw.subarray(0, 15), 't.idx'), /t\.idx: IDX shape \(2, 3\) needs 6 data bytes but the file has 3/);
  assert.throws(() => parseIdx(Buffer.from('hello world'), 'x'), /not an IDX file/);
});

const have = fashionMnistCandidates().some((d) => fs.existsSync(path.join(d, 't10k-labels-idx1-ubyte.gz')));

test('Fashion-MNIST loads, checksummed, with the published split sizes and balanced classes', { skip: !have && 'Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)' }, async () => {
  const d = await loadFashionMnist();
  assert.equal(d.train.images.rows, 60000);
  assert.equal(d.test.images.rows, 10000);
  assert.equal(d.train.images.cols, 784);
  const counts = new Array(10).fill(0);
  for (const l of d.test.labels) counts[l]++;
  assert.deepEqual(counts, new Array(10).fill(1000)); // the test split has exactly 1000 per class
  let mx = 0, mn = 1;
  for (const v of d.test.images.data) { mx = Math.max(mx, v); mn = Math.min(mn, v); }
  assert.equal(mn, 0); assert.equal(mx, 1);
  // The first test image is an ankle boot (label 9) in the official release.
  assert.equal(d.test.labels[0], 9);
});

test('a corrupt copy is refused with a message naming the file and the fix', { skip: !have && 'Fashion-MNIST not installed' }, async () => {
  const dir = tempDir('fm-');
  const src = fashionMnistCandidates().find((d) => fs.existsSync(path.join(d, 't10k-labels-idx1-ubyte.gz')))!;
  fs.mkdirSync(path.join(dir, 'fashion-mnist'));
  for (const f of fs.readdirSync(src).filter((f) => f.endsWith('.gz'))) fs.copyFileSync(path.join(src, f), path.join(dir, 'fashion-mnist', f));
  const lab = path.join(dir, 'fashion-mnist', 't10k-labels-idx1-ubyte.gz');
  const raw = zlib.gunzipSync(fs.readFileSync(lab));
  raw[100] ^= 1;
  fs.writeFileSync(lab, zlib.gzipSync(raw));
  const old = process.env.WORKBOOK_DATA_DIR;
  process.env.WORKBOOK_DATA_DIR = dir;
  try {
    await assert.rejects(loadFashionMnist(), /t10k-labels-idx1-ubyte\.gz: checksum mismatch.*delete it and run again/);
  } finally {
    if (old === undefined) delete process.env.WORKBOOK_DATA_DIR; else process.env.WORKBOOK_DATA_DIR = old;
  }
});
