import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readNpy, readMatrix, writeNpy, encodeNpy } from '../../src/io/npy';
import { matrix } from '../../src/core/matrix';

const dir = path.join(__dirname, '..', 'fixtures', 'io');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, { shape: number[]; values: number[] }>;

test('reads every dtype NumPy wrote, with the right shape and values', () => {
  for (const [name, exp] of Object.entries(expected)) {
    const a = readNpy(path.join(dir, name));
    assert.deepEqual(a.shape, exp.shape, name);
    const vals = Array.from(a.data as ArrayLike<number | bigint>, (v) => Number(v));
    assert.deepEqual(vals, exp.values.map((v) => (name.startsWith('f32') || name.startsWith('vec') || name.startsWith('cube') ? Math.fround(v) : v)), name);
  }
});

test('readMatrix converts to float and keeps float64', () => {
  const m = readMatrix(path.join(dir, 'f64.npy'));
  assert.ok(m.data instanceof Float64Array);
  assert.equal(m.rows, 2); assert.equal(m.cols, 3);
  const b = readMatrix(path.join(dir, 'bool.npy'));
  assert.deepEqual(Array.from(b.data), [1, 0, 1, 0, 1, 0]);
  const e = readMatrix(path.join(dir, 'empty_f32.npy'));
  assert.equal(e.rows, 0); assert.equal(e.cols, 5);
});

test('writes byte-identical files to numpy.save for the same array', () => {
  for (const name of ['f32.npy', 'f64.npy', 'empty_f32.npy', 'vec_f32.npy', 'cube_f32.npy']) {
    const npBytes = fs.readFileSync(path.join(dir, name));
    const ours = encodeNpy(readNpy(path.join(dir, name)));
    assert.deepEqual(Buffer.from(ours), npBytes, name);
  }
});

test('round trip through a file', () => {
  const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'npy-')), 'm.npy');
  const m = matrix(3, 2, Float32Array.from([1, -2, 3.5, 4, 5, 1e-30]));
  writeNpy(tmp, m);
  const back = readMatrix(tmp);
  assert.deepEqual(Array.from(back.data), Array.from(m.data));
});

test('files we write load in NumPy', { skip: !fs.existsSync('/usr/bin/python3') && 'no /usr/bin/python3' }, () => {
  const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'npy-')), 'm.npy');
  writeNpy(tmp, matrix(2, 2, Float64Array.from([1, 2, 3, 4.25])));
  const r = spawnSync('/usr/bin/python3', ['-c', `import numpy as np; a=np.load(${JSON.stringify(tmp)}); print(a.dtype, a.shape, a.sum())`], { encoding: 'utf8' });
  if (r.status !== 0 && /No module named/.test(r.stderr)) return; // numpy absent: the byte-identity test covers it
  assert.equal(r.stdout.trim(), 'float64 (2, 2) 10.25');
});

test('clear errors for files that cannot be read correctly', () => {
  const cases: [string, RegExp][] = [
    ['fortran_f32.npy', /Fortran \(column-major\) order.*ascontiguousarray/],
    ['f16.npy', /unsupported dtype '<f2'.*astype\(np\.float32\)/],
    ['truncated_f32.npy', /truncated.*needs 24 data bytes but only 19/],
    ['missing.npy', /missing\.npy: no such file/],
  ];
  for (const [name, re] of cases) assert.throws(() => readNpy(path.join(dir, name)), re, name);
  assert.throws(() => readMatrix(path.join(dir, 'vec_f32.npy'), 'X'), /X must be 2-D but has shape \(4\).*reshape/);
  assert.throws(() => readMatrix(path.join(dir, 'cube_f32.npy'), 'X'), /flatten.*reshape\(-1, 4\)/);
  assert.throws(() => readMatrix(path.join(dir, 'nan_f32.npy'), 'X'), /contains NaN at row 0, column 1/);
  const notNpy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'npy-')), 'x.npy');
  fs.writeFileSync(notNpy, 'PK\x03\x04 this is a zip');
  assert.throws(() => readNpy(notNpy), /not a NumPy \.npy file/);
});
