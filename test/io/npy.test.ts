import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readNpy, readMatrix, writeNpy, encodeNpy, parseNpy, NpyArray } from '../../src/io/npy';
import { matrix } from '../../src/core/matrix';
import { tempDir } from '../helpers/tmp';

/** Fixtures written by NumPy (make_fixtures.py); expected.json holds NumPy's own reading of each. */
const dir = path.join(__dirname, '..', 'fixtures', 'io');
const fixture = (name: string) => path.join(dir, name);
interface Expected { shape: number[]; dtype: string; values: (number | string)[]; hex: string }
const expected = JSON.parse(fs.readFileSync(fixture('expected.json'), 'utf8')) as Record<string, Expected>;
const tmpDir = () => tempDir('npy-');
const bytesOf = (a: NpyArray) => Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);

/** NumPy's value as JSON stored it: "nan"/"inf"/"-inf", big integers as decimal strings. */
function expectedValue(v: number | string): number | bigint {
  if (typeof v === 'number') return v;
  return v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : BigInt(v);
}

const numpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

test('the fixtures cover every readable dtype in C and Fortran order, both byte orders', () => {
  const names = Object.keys(expected);
  for (const kind of ['f2', 'f4', 'f8', 'i2', 'i4', 'i8', 'u2', 'u4', 'u8']) {
    for (const variant of ['le_c', 'le_f', 'be_c', 'be_f']) assert.ok(names.includes(`${kind}_${variant}.npy`), `${kind}_${variant}`);
  }
  for (const kind of ['i1', 'u1', 'b1']) for (const order of ['c', 'f']) assert.ok(names.includes(`${kind}_na_${order}.npy`));
});

test('reads every fixture NumPy wrote exactly as NumPy reads it: shape, dtype, values and bytes', () => {
  for (const [name, exp] of Object.entries(expected)) {
    const a = readNpy(fixture(name));
    assert.deepEqual(a.shape, exp.shape, name);
    assert.equal(a.dtype, exp.dtype, name);
    assert.equal(a.data.length, exp.values.length, name);
    exp.values.forEach((v, i) => {
      const want = expectedValue(v);
      const got = a.data[i];
      if (typeof got === 'bigint') assert.equal(got, BigInt(want), `${name}[${i}]`);
      else assert.ok(Object.is(got, typeof want === 'bigint' ? Number(want) : want), `${name}[${i}]: got ${got}, NumPy ${v}`);
    });
    // byte-identical to np.ascontiguousarray(a.astype(dtype)): NaN payloads, -0 and subnormals included
    assert.equal(bytesOf(a).toString('hex'), exp.hex, name);
  }
});

test('C-order and Fortran-order files of the same array give identical arrays', () => {
  const pairs: [string, string][] = [['cube_f32.npy', 'cube_f32_f.npy']];
  for (const name of Object.keys(expected)) if (name.endsWith('_c.npy')) pairs.push([name, name.replace(/_c\.npy$/, '_f.npy')]);
  assert.ok(pairs.length >= 22);
  for (const [c, f] of pairs) {
    const fileC = fs.readFileSync(fixture(c)), fileF = fs.readFileSync(fixture(f));
    assert.match(fileF.toString('latin1', 0, 128), /'fortran_order': True/, f);
    assert.match(fileC.toString('latin1', 0, 128), /'fortran_order': False/, c);
    assert.notDeepEqual(fileC, fileF, `${c} and ${f} store the data differently`);
    const a = readNpy(fixture(c)), b = readNpy(fixture(f));
    assert.deepEqual(b.shape, a.shape, f);
    assert.equal(b.dtype, a.dtype, f);
    assert.deepEqual(bytesOf(b), bytesOf(a), f);
  }
  // big- and little-endian files of the same array too
  for (const name of Object.keys(expected).filter((n) => /_le_[cf]\.npy$/.test(n))) {
    assert.deepEqual(bytesOf(readNpy(fixture(name.replace('_le_', '_be_')))), bytesOf(readNpy(fixture(name))), name);
  }
});

test('a transpose and a column selection saved by NumPy read as the matrices NumPy shows', () => {
  // transpose_f64.npy is (np.arange(15) / 8).reshape(3, 5).T: entry (i, j) = (5 j + i) / 8
  const t = readMatrix(fixture('transpose_f64.npy'));
  assert.equal(t.rows, 5); assert.equal(t.cols, 3);
  for (let i = 0; i < 5; i++) for (let j = 0; j < 3; j++) assert.equal(t.data[i * 3 + j], (5 * j + i) / 8);
  // perm_f32.npy is [I3 | arange(9).reshape(3, 3)][:, [5, 0, 3, 1, 4, 2]]
  const p = readMatrix(fixture('perm_f32.npy'));
  assert.deepEqual(Array.from(p.data), [2, 1, 0, 0, 1, 0, 5, 0, 3, 1, 4, 0, 8, 0, 6, 0, 7, 1]);
  // a rank-3 Fortran file through a conversion (big-endian int16 → int32)
  const c = readNpy(fixture('cube_i2_be_f.npy'));
  assert.deepEqual(c.shape, [2, 3, 4]);
  assert.deepEqual(Array.from(c.data as Int32Array), Array.from({ length: 24 }, (_, i) => i - 12));
});

test('fortran_order True with at most one non-unit dimension (same bytes as C order) reads as C order', () => {
  const c = fs.readFileSync(fixture('f4_le_c.npy'));
  const row = encodeNpy({ shape: [1, 12], dtype: 'float32', data: readNpy(fixture('f4_le_c.npy')).data });
  const asF = Buffer.from(Buffer.from(row).toString('latin1').replace("'fortran_order': False", "'fortran_order': True "), 'latin1');
  const a = parseNpy(asF);
  assert.deepEqual(a.shape, [1, 12]);
  assert.deepEqual(bytesOf(a), c.subarray(c.length - 48));
});

test('readMatrix gives float32 (float64 kept; uint32 and int32 beyond 2^24 as float64), exactly, any stored order and dtype', () => {
  const m = readMatrix(fixture('f64.npy'));
  assert.ok(m.data instanceof Float64Array);
  assert.equal(m.rows, 2); assert.equal(m.cols, 3);
  const b = readMatrix(fixture('bool.npy'));
  assert.deepEqual(Array.from(b.data), [1, 0, 1, 0, 1, 0]);
  const e = readMatrix(fixture('empty_f32.npy'));
  assert.equal(e.rows, 0); assert.equal(e.cols, 5);
  for (const [name, ctor] of [['i1_na_f.npy', Float32Array], ['i2_be_f.npy', Float32Array], ['u2_le_f.npy', Float32Array],
    ['u1_na_f.npy', Float32Array], ['b1_na_f.npy', Float32Array], ['u4_be_f.npy', Float64Array], ['f4_le_c.npy', Float32Array],
    ['i4_be_f.npy', Float64Array] /* holds 16777217 = 2^24 + 1, which float32 would round */] as const) {
    if (name === 'f4_le_c.npy') { assert.throws(() => readMatrix(fixture(name)), /contains Infinity at row 2, column 0/); continue; }
    const x = readMatrix(fixture(name));
    assert.ok(x.data instanceof ctor, name);
    assert.equal(x.rows, 3); assert.equal(x.cols, 4);
    assert.deepEqual(Array.from(x.data), expected[name].values, name);
  }
  assert.deepEqual(Array.from(readMatrix(fixture('fortran_f32.npy')).data), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(Array.from(readMatrix(fixture('f16.npy')).data), [0, 1, 2, 3, 4, 5]);
});

test('integers beyond what a float holds exactly are errors naming the value', () => {
  assert.throws(() => readMatrix(fixture('big_i64.npy')), /big_i64\.npy: int64 value 9007199254740993 at index 1 cannot be represented exactly/);
  assert.throws(() => readMatrix(fixture('u8_le_f.npy')), /int64 value 9223372036854775807 at index \d+ cannot be represented exactly/);
  assert.throws(() => readNpy(fixture('over_u64.npy')), /over_u64\.npy: uint64 value 9223372036854775808 at index 2 .*over 2\^63 - 1.*astype/);
});

test('refuses complex, object (pickled), structured and string arrays with a message saying how to fix them', () => {
  const cases: [string, RegExp][] = [
    ['c8.npy', /c8\.npy: unsupported dtype '<c8'; convert with a\.astype\(np\.float32\)/],
    ['c16.npy', /unsupported dtype '<c16'; convert with a\.astype\(np\.float32\)/],
    ['object.npy', /unsupported dtype '\|O'; convert with a\.astype\(np\.float32\)/],
    ['str_U.npy', /unsupported dtype '<U2'; convert with a\.astype\(np\.float32\)/],
    ['bytes_S.npy', /unsupported dtype '\|S2'; convert with a\.astype\(np\.float32\)/],
    ['structured.npy', /structured\.npy: cannot parse the header .*'x'.*; structured or object arrays are not supported/],
  ];
  for (const [name, re] of cases) assert.throws(() => readNpy(fixture(name)), re, name);
});

test('a header declaring a huge shape is refused from the size check, before anything is allocated', () => {
  assert.equal(fs.statSync(fixture('huge_shape.npy')).size, 128);
  // allocating 10^18 floats first would throw a RangeError instead of this message
  assert.throws(() => readNpy(fixture('huge_shape.npy')),
    /huge_shape\.npy: file truncated: shape \(1000000000, 1000000000\) of float32 needs 4000000000000000000 data bytes but only 0 are present/);
  const empty = readNpy(fixture('huge_empty.npy'));
  assert.deepEqual(empty.shape, [1e9, 0]);
  assert.equal(empty.data.length, 0);
  const hdr = (shape: string) => {
    const text = `{'descr': '<f8', 'fortran_order': True, 'shape': (${shape}), }`.padEnd(117, ' ') + '\n';
    return Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 118, 0]), Buffer.from(text, 'latin1')]);
  };
  assert.throws(() => parseNpy(hdr('18446744073709551616, 18446744073709551616, 3')), /needs 8166776806102523123120990578362437074944 data bytes but only 0/);
  assert.throws(() => parseNpy(hdr('18446744073709551616, 0')), /dimension 18446744073709551616 of shape \(18446744073709551616, 0\) is over 2\^53 - 1/);
  assert.throws(() => parseNpy(hdr('3, -1')), /invalid shape \(3, -1\)/);
  assert.deepEqual(parseNpy(Buffer.concat([hdr('2L, 0L'), Buffer.alloc(0)])).shape, [2, 0]);
});

test('clear errors for truncated files, extra bytes, missing and non-regular files', () => {
  const cases: [string, RegExp][] = [
    ['truncated_f32.npy', /truncated.*needs 24 data bytes but only 19/],
    ['extra_f32.npy', /extra_f32\.npy: 4 unexpected bytes after the data of shape \(2, 3\)/],
    ['missing.npy', /missing\.npy: no such file/],
  ];
  for (const [name, re] of cases) assert.throws(() => readNpy(fixture(name)), re, name);
  assert.throws(() => readMatrix(fixture('vec_f32.npy'), 'X'), /X must be 2-D but has shape \(4\).*reshape/);
  assert.throws(() => readMatrix(fixture('cube_f32.npy'), 'X'), /flatten.*reshape\(-1, 4\)/);
  assert.throws(() => readMatrix(fixture('nan_f32.npy'), 'X'), /contains NaN at row 0, column 1/);
  const d = tmpDir();
  const notNpy = path.join(d, 'x.npy');
  fs.writeFileSync(notNpy, 'PK\x03\x04 this is a zip');
  assert.throws(() => readNpy(notNpy), /not a NumPy \.npy file/);
  const link = path.join(d, 'link.npy');
  fs.symlinkSync(fixture('f32.npy'), link);
  assert.throws(() => readNpy(link), /link\.npy is a symbolic link, not a regular file/);
  assert.throws(() => readNpy(d), /is a directory, not a regular file/);
});

test('writes byte-identical files to numpy.save for the same array', () => {
  for (const name of ['f32.npy', 'f64.npy', 'i32.npy', 'i64.npy', 'u8.npy', 'bool.npy', 'empty_f32.npy', 'vec_f32.npy', 'cube_f32.npy',
    'scalar_f64.npy', 'i8_le_c.npy', 'b1_na_c.npy']) {
    const npBytes = fs.readFileSync(fixture(name));
    assert.deepEqual(Buffer.from(encodeNpy(readNpy(fixture(name)))), npBytes, name);
  }
  // a Fortran file written back is the C-order file NumPy writes for the same array
  assert.deepEqual(Buffer.from(encodeNpy(readNpy(fixture('f8_le_f.npy')))), fs.readFileSync(fixture('f8_le_c.npy')));
});

test('round trip through a file; writing replaces the old file whole and leaves no temporary file', () => {
  const d = tmpDir();
  const tmp = path.join(d, 'm.npy');
  fs.writeFileSync(tmp, 'old contents');
  const m = matrix(3, 2, Float32Array.from([1, -2, 3.5, 4, 5, 1e-30]));
  writeNpy(tmp, m);
  assert.deepEqual(Array.from(readMatrix(tmp).data), Array.from(m.data));
  assert.deepEqual(fs.readdirSync(d), ['m.npy']);
  fs.mkdirSync(path.join(d, 'sub.npy'));
  assert.throws(() => writeNpy(path.join(d, 'sub.npy'), m), /cannot write .*sub\.npy.*nothing was changed there/);
  assert.deepEqual(fs.readdirSync(d).sort(), ['m.npy', 'sub.npy']);
  assert.throws(() => writeNpy(tmp, { shape: [2, 2], dtype: 'float32', data: new Float32Array(3) }), /data has 3 entries but shape \(2, 2\) needs 4/);
  assert.throws(() => writeNpy(tmp, { shape: [2], dtype: 'float64', data: new Float32Array(2) }), /dtype float64 does not match its data \(Float32Array\)/);
  assert.deepEqual(Array.from(readMatrix(tmp).data), Array.from(m.data), 'a failed write keeps the old file');
});

test('files we write load in NumPy, and equal what NumPy read from the Fortran-order originals', { skip: !numpy && 'no NumPy for /usr/bin/python3' }, () => {
  const d = tmpDir();
  const tmp = path.join(d, 'm.npy');
  writeNpy(tmp, matrix(2, 2, Float64Array.from([1, 2, 3, 4.25])));
  const names = ['f2_be_f.npy', 'i8_le_f.npy', 'u4_be_f.npy', 'b1_na_f.npy', 'cube_i2_be_f.npy', 'perm_f32.npy', 'scalar_f64.npy'];
  for (const name of names) writeNpy(path.join(d, name), readNpy(fixture(name)));
  const script = `
import sys, numpy as np
a = np.load(sys.argv[1]); print(a.dtype, a.shape, a.sum())
for name in sys.argv[3:]:
    ours, orig = np.load(sys.argv[2] + '/' + name), np.load(${JSON.stringify(dir)} + '/' + name)
    assert not np.isfortran(ours) and ours.dtype.byteorder in '=|', name
    assert np.array_equal(ours, orig, equal_nan=True), name
print('ok')`;
  const r = spawnSync('/usr/bin/python3', ['-c', script, tmp, d, ...names], { encoding: 'utf8' });
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, 'float64 (2, 2) 10.25\nok\n');
});
