import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { encodeSafetensors, parseSafetensors, readSafetensors, writeSafetensors, tensorToFloat32 } from '../../src/io/safetensors';
import { tempDir } from '../helpers/tmp';

const dir = path.join(__dirname, '..', 'fixtures', 'saelens');
const fixture = path.join(dir, 'st_dtypes.safetensors');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'st_expected.json'), 'utf8')) as {
  metadata: Record<string, string>; tensors: Record<string, { dtype: string; shape: number[]; values: (number | string)[] }>;
};
const num = (v: number | string): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : (v as number));
/** The fixture venv's Python (numpy + safetensors), if it has been made. */
const PY = path.join(__dirname, '..', '..', 'build', 'test-venv', 'bin', 'python');
const tmpDir = (): string => tempDir('st-');

test('reads every dtype Python safetensors wrote (F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL, empty, 0-d) and the metadata', () => {
  const f = readSafetensors(fixture);
  assert.deepEqual(f.metadata, expected.metadata);
  assert.deepEqual(Object.keys(f.tensors).sort(), Object.keys(expected.tensors).sort());
  for (const [name, exp] of Object.entries(expected.tensors)) {
    const t = f.tensors[name];
    assert.equal(t.dtype, exp.dtype, name);
    assert.deepEqual(t.shape, exp.shape, name);
    assert.deepEqual(Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v)), exp.values.map(num), name);
  }
  // half precision is widened to float32 exactly: F16's subnormal 2^-24 and BF16's 3.140625
  assert.equal(f.tensors.f16.data[3], 2 ** -24);
  assert.ok(f.tensors.bf16.data instanceof Float32Array);
  assert.equal(f.tensors.bf16.data[1], -3.140625);
});

test('round trip: what we write reads back identically, data 8-byte aligned', () => {
  const tensors = {
    a: { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 1e-30, 0, -0]) },
    b: { shape: [3], data: Float64Array.from([Math.PI, -1, 2 ** -1070]) },
    c: { shape: [2], data: BigInt64Array.from([-(2n ** 50n), 3n]) },
    flags: { dtype: 'BOOL' as const, shape: [2], data: Uint8Array.from([1, 0]) },
    e: { shape: [0, 5], data: new Float32Array(0) },
  };
  const file = path.join(tmpDir(), 'x.safetensors');
  writeSafetensors(file, tensors, { format: 'pt', note: 'é' });
  const bytes = fs.readFileSync(file);
  const headerLen = Number(bytes.readBigUInt64LE(0));
  assert.equal((8 + headerLen) % 8, 0);
  const back = readSafetensors(file);
  assert.deepEqual(back.metadata, { format: 'pt', note: 'é' });
  for (const [k, t] of Object.entries(tensors)) {
    assert.deepEqual(back.tensors[k].shape, t.shape, k);
    assert.deepEqual(Array.from(back.tensors[k].data as ArrayLike<unknown>), Array.from(t.data as ArrayLike<unknown>), k);
  }
  assert.equal(back.tensors.flags.dtype, 'BOOL');
});

test('files we write load in Python safetensors with the same values', { skip: !fs.existsSync(PY) && 'no build/test-venv (made by npm run setup from the local wheels of numpy and safetensors)' }, () => {
  const file = path.join(tmpDir(), 'x.safetensors');
  writeSafetensors(file, { w: { shape: [2, 2], data: Float32Array.from([1, 2, 3, 4.25]) }, i: { shape: [1], data: Int32Array.from([-7]) } }, { k: 'v' });
  const py = `from safetensors.numpy import load_file; from safetensors import safe_open; t=load_file(${JSON.stringify(file)});` +
    `m=safe_open(${JSON.stringify(file)}, 'np').metadata(); print(t['w'].dtype, t['w'].shape, float(t['w'].sum()), int(t['i'][0]), m)`;
  const r = spawnSync(PY, ['-c', py], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "float32 (2, 2) 10.25 -7 {'k': 'v'}");
});

test('our bytes equal Python safetensors\' bytes for the same tensors and metadata', () => {
  const py = fs.readFileSync(path.join(dir, 'st_f32_canonical.safetensors'));
  const f = parseSafetensors(py);
  const ours = Buffer.concat(encodeSafetensors({ w: f.tensors.w as never, b: f.tensors.b as never }, { format: 'pt' }));
  assert.deepEqual(ours, py);
});

function withHeader(header: unknown, data: Uint8Array, pad = ''): Buffer {
  const h = Buffer.from(JSON.stringify(header) + pad, 'utf8');
  const pre = Buffer.alloc(8);
  pre.writeBigUInt64LE(BigInt(h.length));
  return Buffer.concat([pre, h, data]);
}

test('clear errors for damaged or foreign files, naming the file and the tensor', () => {
  const good = fs.readFileSync(fixture);
  const f32 = (n: number) => new Uint8Array(4 * n);
  const cases: [Buffer, RegExp][] = [
    [good.subarray(0, 5), /x\.st: only 5 bytes, shorter than the 8-byte header length/],
    [good.subarray(0, good.length - 3), /x\.st: .*(belong to no tensor|past the end)/],
    [Buffer.concat([good, Buffer.from([0, 0, 0, 0])]), /4 bytes after the last tensor's data belong to no tensor/],
    [Buffer.from('\x93NUMPY\x01\x00v\x00{}'), /header length \d+ bytes is over the limit.*is this a safetensors file/],
    [withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, f32(1)), /tensor 'a' has data_offsets \[0, 8\] past the end of the 4-byte data buffer.*cut short/],
    [withHeader({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32(2)), /tensor 'a' of shape \(3\) and dtype F32 needs 12 bytes but its data_offsets \[0, 8\] hold 8/],
    [withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)), /tensor 'b' \(bytes 4–8\) overlaps the tensor before it/],
    [withHeader({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)), /4 bytes of the data buffer before tensor 'a' \(at 0–4\) belong to no tensor/],
    [withHeader({ a: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, f32(2)), /tensor 'a' has dtype "C64", which is not supported.*\.float\(\)/],
    [withHeader({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, f32(1)), /tensor 'a' has shape \[-1\]/],
    [withHeader({ a: { dtype: 'F32', shape: [1], data_offsets: [0] } }, f32(1)), /tensor 'a' has data_offsets \[0\]; expected \[begin, end\]/],
    [withHeader({ __metadata__: { a: 1 } }, new Uint8Array(0)), /"__metadata__" must be an object of strings/],
    [withHeader([1, 2], new Uint8Array(0)), /does not start with "\{"/],
    [Buffer.concat([withHeader({}, new Uint8Array(0)).subarray(0, 8), Buffer.from('{"a":')]).fill(5, 0, 1).fill(0, 1, 8), /not valid JSON/],
  ];
  for (const [buf, re] of cases) assert.throws(() => parseSafetensors(buf, 'x.st'), re, String(re));
  assert.throws(() => parseSafetensors(withHeader({}, new Uint8Array(0), ' '.repeat(2000)), 'x.st', { maxHeaderBytes: 1000 }), /over the limit of 1000 bytes; pass a larger maxHeaderBytes/);
});

test('reads only regular files, and errors name the path', () => {
  const d = tmpDir();
  assert.throws(() => readSafetensors(path.join(d, 'missing.safetensors')), /missing\.safetensors: no such file/);
  assert.throws(() => readSafetensors(d), /is a directory, not a regular file/);
  fs.symlinkSync(fixture, path.join(d, 'link.safetensors'));
  assert.throws(() => readSafetensors(path.join(d, 'link.safetensors')), /symbolic link/);
});

test('writer refuses what it cannot write correctly', () => {
  assert.throws(() => encodeSafetensors({ a: { shape: [3], data: new Float32Array(2) } }), /tensor 'a' has 2 values but shape \(3\) needs 3/);
  assert.throws(() => encodeSafetensors({ a: { dtype: 'F64', shape: [2], data: new Float32Array(2) } }), /stored as F64 but its data is a Float32Array/);
  assert.throws(() => encodeSafetensors({ __metadata__: { shape: [0], data: new Float32Array(0) } }), /cannot name a tensor/);
});

test('tensorToFloat32 converts every numeric dtype', () => {
  const f = readSafetensors(fixture);
  assert.deepEqual(Array.from(tensorToFloat32(f.tensors.i64, 'i64')), [-(2 ** 40), 7]);
  assert.deepEqual(Array.from(tensorToFloat32(f.tensors.f64, 'f64')), expected.tensors.f64.values.map((v) => Math.fround(v as number)));
  assert.throws(() => tensorToFloat32({ dtype: 'I64', shape: [1], data: BigInt64Array.from([2n ** 60n]) }, 'big'), /big: int64 value .* not exactly representable/);
});
