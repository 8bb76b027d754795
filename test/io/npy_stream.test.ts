import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { encodeNpy, encodeNpyHeader, readMatrix, writeNpy } from '../../src/io/npy';
import { MatrixRows, NpyRowReader, NpyRowWriter, openShards, resolveShards, ShardedRows } from '../../src/io/npy_stream';
import { matrix } from '../../src/core/matrix';
import { tempDir } from '../helpers/tmp';

const fixtures = path.join(__dirname, '..', 'fixtures', 'io');
const tmpDir = () => tempDir('npy-stream-');

/** Every row range [a, b) of an R-row reader, read into a fresh array at an offset, compared with `want` (float32). */
function checkAllRanges(r: { rows: number; cols: number; readRows(a: number, b: number, out: Float32Array, o?: number): void }, want: Float32Array, label: string): void {
  const M = r.cols;
  // every range of a small array; for a huge one (e.g. 2^40 rows of width 0) the ends and a middle
  const ends = r.rows <= 64 ? Array.from({ length: r.rows + 1 }, (_, i) => i) : [0, 1, Math.floor(r.rows / 2), r.rows - 1, r.rows];
  for (const a of ends) {
    for (const b of ends.filter((e) => e >= a)) {
      const out = new Float32Array(3 + (b - a) * M).fill(-7);
      r.readRows(a, b, out, 3);
      assert.deepEqual(Array.from(out.subarray(0, 3)), [-7, -7, -7], `${label} [${a},${b}) wrote before its offset`);
      assert.deepEqual(out.subarray(3), Float32Array.from(want.subarray(a * M, b * M)), `${label} rows [${a}, ${b})`);
    }
  }
}

test('every 2-D fixture NumPy wrote (each dtype, C and Fortran order, both byte orders) reads by any row range as readMatrix reads it, in float32', () => {
  let n = 0;
  for (const name of fs.readdirSync(fixtures).filter((f) => f.endsWith('.npy')).sort()) {
    const file = path.join(fixtures, name);
    let want: Float32Array;
    try {
      const m = readMatrix(file);
      want = Float32Array.from(m.data);
    } catch (e) {
      // not 2-D or not finite: the range reader refuses it too (on open or on the bad row)
      assert.throws(() => { const r = new NpyRowReader(file); try { r.readRows(0, r.rows, new Float32Array(r.rows * r.cols)); } finally { r.close(); } }, Error, name);
      continue;
    }
    const r = new NpyRowReader(file);
    try {
      assert.equal(r.rows * r.cols, want.length, name);
      checkAllRanges(r, want, name);
      n++;
    } finally { r.close(); }
  }
  assert.ok(n >= 30, `only ${n} fixtures were read`);
});

test('a Fortran-order file of many columns reads by column strips the same values as np.load', () => {
  const dir = tmpDir();
  const R = 37, M = 11;
  const a = new Float32Array(R * M).map((_, i) => i * 0.5 - 3);
  // Fortran order: element (r, j) stored at j·R + r
  const f = new Float32Array(R * M);
  for (let r = 0; r < R; r++) for (let j = 0; j < M; j++) f[j * R + r] = a[r * M + j];
  const head = new TextDecoder('latin1').decode(encodeNpyHeader([R, M], 'float32')).replace("'fortran_order': False", "'fortran_order': True ");
  const file = path.join(dir, 'f.npy');
  fs.writeFileSync(file, Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(f.buffer)]));
  assert.deepEqual(readMatrix(file).data, a); // the whole-file reader agrees
  const r = new NpyRowReader(file);
  try { checkAllRanges(r, a, 'fortran'); } finally { r.close(); }
});

test('shards read as one matrix: ranges across shard boundaries, and a width mismatch names both files', () => {
  const dir = tmpDir();
  const M = 3, sizes = [4, 1, 0, 6];
  const all: number[] = [];
  sizes.forEach((rows, s) => {
    const data = Float32Array.from({ length: rows * M }, (_, i) => 100 * s + i);
    all.push(...data);
    writeNpy(path.join(dir, `shard_${s}.npy`), matrix(rows, M, data));
  });
  const rows = openShards(dir, 'data');
  try {
    assert.equal(rows.rows, 11);
    checkAllRanges(rows, Float32Array.from(all), 'shards');
  } finally { rows.close(); }
  writeNpy(path.join(dir, 'shard_9.npy'), matrix(1, 2, new Float32Array(2)));
  assert.throws(() => openShards(dir), /shard_9\.npy has 2 columns but .*shard_0\.npy has 3/);
  // in-memory rows behave the same
  checkAllRanges(new ShardedRows([new MatrixRows(2, 3, new Float32Array(6).fill(1)), new MatrixRows(1, 3, new Float32Array(3).fill(2))]),
    Float32Array.from([1, 1, 1, 1, 1, 1, 2, 2, 2]), 'memory');
});

test('an input names a file, a folder (its .npy in numeric order), a glob in the file name, or several of these with commas', () => {
  const dir = tmpDir();
  for (const n of ['s_10.npy', 's_2.npy', 's_1.npy', 'other.npy', 'notes.txt']) fs.writeFileSync(path.join(dir, n), '');
  const names = (l: string[]) => l.map((f) => path.basename(f));
  assert.deepEqual(names(resolveShards(dir)), ['other.npy', 's_1.npy', 's_2.npy', 's_10.npy']);
  assert.deepEqual(names(resolveShards(path.join(dir, 's_*.npy'))), ['s_1.npy', 's_2.npy', 's_10.npy']);
  assert.deepEqual(names(resolveShards(path.join(dir, 's_[12].npy'))), ['s_1.npy', 's_2.npy']);
  assert.deepEqual(names(resolveShards(`${path.join(dir, 'other.npy')},${path.join(dir, 's_?.npy')}`)), ['other.npy', 's_1.npy', 's_2.npy']);
  assert.throws(() => resolveShards(path.join(dir, 'x_*.npy')), /no file matches the pattern x_\*\.npy/);
  const empty = tmpDir();
  assert.throws(() => resolveShards(empty), /a folder with no \.npy file/);
});

test('a 3 GB .npy (sparse file: no disk used) reads by row ranges past 2 GiB, where reading it whole fails', () => {
  const dir = tmpDir();
  const file = path.join(dir, 'big.npy');
  const M = 1000, R = 800_000; // 3.2e9 bytes of float32
  const head = encodeNpyHeader([R, M], 'float32');
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, head, 0, head.length, 0);
    // known values in row 700_000 (byte offset ≈ 2.8e9, beyond 2^31) and in the last row
    const row = Float32Array.from({ length: M }, (_, j) => j + 0.25);
    fs.writeSync(fd, new Uint8Array(row.buffer), 0, 4 * M, head.length + 700_000 * M * 4);
    fs.writeSync(fd, new Uint8Array(row.buffer), 0, 4 * M, head.length + (R - 1) * M * 4);
    fs.ftruncateSync(fd, head.length + R * M * 4);
  } finally { fs.closeSync(fd); }
  try {
    assert.equal(fs.statSync(file).size, head.length + 3_200_000_000);
    assert.throws(() => readMatrix(file), /over the limit/); // the whole-file reader cannot
    const r = new NpyRowReader(file);
    try {
      assert.equal(r.rows, R);
      const out = new Float32Array(3 * M);
      r.readRows(699_999, 700_002, out);
      assert.ok(out.subarray(0, M).every((v) => v === 0));
      assert.deepEqual(Array.from(out.subarray(M, M + 4)), [0.25, 1.25, 2.25, 3.25]);
      assert.equal(out[2 * M - 1], M - 1 + 0.25);
      assert.ok(out.subarray(2 * M).every((v) => v === 0));
      r.readRows(R - 1, R, out);
      assert.equal(out[M - 1], M - 1 + 0.25);
      assert.throws(() => r.readRows(R - 1, R + 1, out), /outside \[0, 800000\)/);
    } finally { r.close(); }
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('refusals name the file and the place: truncated data, non-finite value at its row and column, a 1-D array', () => {
  const dir = tmpDir();
  const good = encodeNpy(matrix(3, 2, Float32Array.from([1, 2, 3, NaN, 5, 6])));
  const cut = path.join(dir, 'cut.npy');
  fs.writeFileSync(cut, good.subarray(0, good.length - 4));
  assert.throws(() => new NpyRowReader(cut), /cut\.npy: file truncated: shape \(3, 2\)/);
  const nan = path.join(dir, 'nan.npy');
  fs.writeFileSync(nan, good);
  const r = new NpyRowReader(nan);
  try {
    const out = new Float32Array(6);
    r.readRows(0, 1, out); // rows before the bad one read fine
    assert.throws(() => r.readRows(0, 3, out), /nan\.npy: NaN at row 1, column 1/);
  } finally { r.close(); }
  const big = path.join(dir, 'big64.npy');
  writeNpy(big, matrix(1, 2, Float64Array.from([1, 1e300])));
  const r2 = new NpyRowReader(big);
  try { assert.throws(() => r2.readRows(0, 1, new Float32Array(2)), /value 1e\+300 \(beyond float32's range\) at row 0, column 1/); } finally { r2.close(); }
  const vec = path.join(dir, 'vec.npy');
  writeNpy(vec, { shape: [4], dtype: 'float32', data: new Float32Array(4) });
  assert.throws(() => new NpyRowReader(vec, 'data (--input, B×M)'), /data \(--input, B×M\) must be 2-D but has shape \(4\); reshape/);
});

test('NpyRowWriter writes the bytes np.save writes, in row blocks, atomically; a short write changes nothing', () => {
  const dir = tmpDir();
  const file = path.join(dir, 'z.npy');
  const Z = matrix(5, 3, Float32Array.from({ length: 15 }, (_, i) => i / 7));
  const w = new NpyRowWriter(file, 5, 3);
  w.append(Z.data.subarray(0, 6));
  assert.ok(!fs.existsSync(file), 'nothing at the target before commit');
  w.append(Z.data.subarray(6, 15));
  w.commit();
  assert.deepEqual(new Uint8Array(fs.readFileSync(file)), encodeNpy(Z));
  // a writer that gets too few rows refuses to commit and leaves the old file and no temporary
  const w2 = new NpyRowWriter(file, 5, 3);
  w2.append(new Float32Array(3));
  assert.throws(() => w2.commit(), /1 rows written, the header declares 5; nothing was changed there/);
  assert.deepEqual(new Uint8Array(fs.readFileSync(file)), encodeNpy(Z));
  assert.deepEqual(fs.readdirSync(dir), ['z.npy']);
  const w3 = new NpyRowWriter(file, 1, 3);
  assert.throws(() => w3.append(new Float32Array(6)), /2 rows appended, the header declares 1/);
  w3.abort();
  assert.deepEqual(fs.readdirSync(dir), ['z.npy']);
});
