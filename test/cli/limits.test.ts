import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../src/cli/args';
import { checkMemory, DEFAULT_MAX_MEMORY, formatBytes, memoryLimit, parseByteSize } from '../../src/cli/limits';
import { run as encode } from '../../src/cli/encode';
import { run as learn } from '../../src/cli/learn';
import { run as metrics } from '../../src/cli/metrics';
import { captureCli } from '../helpers/cli';
import { putNpy, randomMatrix, runCli, tempDir } from './helpers';

/** A 128-byte .npy whose header declares float32 shape (rows, cols) and that holds no data (valid when rows·cols = 0). */
function headerOnly(file: string, rows: number, cols: number): string {
  let h = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  h += ' '.repeat(128 - 10 - h.length - 1) + '\n';
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(h, 'latin1')]));
  assert.equal(fs.statSync(file).size, 128);
  return file;
}

/** The error an in-process run throws (the main entry prints it and exits 1), with the growth of ArrayBuffer memory meanwhile. */
async function failure(run: (argv: string[]) => Promise<number>, argv: string[]): Promise<{ e: Error; grew: number }> {
  const before = process.memoryUsage().arrayBuffers;
  try {
    const r = await captureCli(run, argv);
    assert.fail(`expected a failure, got exit ${r.code}: ${r.out} ${r.err}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    return { e: e as Error, grew: process.memoryUsage().arrayBuffers - before };
  }
}

test('sizes: bytes or binary suffixes; the limit comes from --max-memory, else WORKBOOK_MAX_MEMORY, else the default', () => {
  assert.equal(parseByteSize('1000'), 1000);
  assert.equal(parseByteSize('512M'), 512 * 2 ** 20);
  assert.equal(parseByteSize('8G'), 8 * 2 ** 30);
  assert.equal(parseByteSize('1.5GiB'), 1.5 * 2 ** 30);
  assert.equal(parseByteSize('2tb'), 2 * 2 ** 40);
  for (const bad of ['', '0', '-1', '1e9', 'lots', '8Q']) assert.throws(() => parseByteSize(bad), UsageError, bad);
  assert.equal(formatBytes(640), '640 B');
  assert.equal(formatBytes(96 * 2 ** 30), '96.0 GiB');
  const saved = process.env.WORKBOOK_MAX_MEMORY;
  try {
    delete process.env.WORKBOOK_MAX_MEMORY;
    assert.equal(memoryLimit(), DEFAULT_MAX_MEMORY);
    assert.ok(DEFAULT_MAX_MEMORY <= 8 * 2 ** 30 && DEFAULT_MAX_MEMORY > 0);
    process.env.WORKBOOK_MAX_MEMORY = '3G';
    assert.equal(memoryLimit(), 3 * 2 ** 30);
    assert.equal(memoryLimit('1G'), 2 ** 30, 'the option wins over the environment');
    process.env.WORKBOOK_MAX_MEMORY = 'much';
    assert.throws(() => memoryLimit(), /WORKBOOK_MAX_MEMORY needs a size/);
  } finally {
    if (saved === undefined) delete process.env.WORKBOOK_MAX_MEMORY; else process.env.WORKBOOK_MAX_MEMORY = saved;
  }
  assert.throws(() => checkMemory('learn', [{ what: 'codes', elements: 2 ** 31, bytesPerElement: 4 }], 2 ** 30, 'use fewer'),
    /learn would need about 8\.0 GiB of memory \(codes 8\.0 GiB\), over the limit of 1\.0 GiB; use fewer, or raise the limit with --max-memory/);
  assert.throws(() => checkMemory('learn', [{ what: 'Gram', elements: 2 ** 33, bytesPerElement: 8 }], Infinity, 'use fewer'), /more than the 4294967296 one array can hold/);
});

test('a 128-byte .npy declaring shape (1e9, 0) is refused before anything large is allocated', async () => {
  const dir = tempDir();
  try {
    const X = headerOnly(path.join(dir, 'X.npy'), 1e9, 0);
    const D = headerOnly(path.join(dir, 'D.npy'), 16, 0);
    const l = await failure(learn, ['--input', X, '--method', 'sae-relu', '--features', '16', '--out-dict', path.join(dir, 'o.npy'), '--quiet']);
    assert.equal(l.e.name, 'CommandFailure');
    assert.match(l.e.message, /has shape \(1000000000, 0\); learning needs at least one sample \(row\) and one column/);
    assert.ok(l.grew < 100e6, `ArrayBuffers grew by ${l.grew} bytes`);
    const e = await failure(encode, ['--dict', D, '--input', X, '--method', 'omp', '--k', '2', '--out', path.join(dir, 'o.npy')]);
    assert.equal(e.e.name, 'CommandFailure');
    // encode streams rows by blocks (memory bounded whatever B), so a width of 0 is what is refused
    assert.match(e.e.message, /has shape \(1000000000, 0\); encoding needs at least one column/);
    assert.ok(e.grew < 100e6, `ArrayBuffers grew by ${e.grew} bytes`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--features 1e9 is refused with a memory message, not a raw RangeError; --max-memory and WORKBOOK_MAX_MEMORY set the limit', async () => {
  const dir = tempDir();
  try {
    const X = putNpy(dir, 'X.npy', randomMatrix(200, 8, 1));
    const out = path.join(dir, 'D.npy');
    const big = await failure(learn, ['--input', X, '--method', 'sae-relu', '--features', '1e9', '--out-dict', out, '--quiet']);
    assert.equal(big.e.name, 'CommandFailure');
    assert.match(big.e.message, /learn would need (about [0-9.]+ (GiB|TiB) of memory|one array of [0-9.]+e\+\d+ elements) .*use fewer --features or fewer samples/);
    // dl with 40 000 atoms needs a 12.8 GB Gram matrix: over the default limit.
    const gram = await failure(learn, ['--input', X, '--method', 'dl', '--k', '2', '--features', '40000', '--out-dict', out, '--quiet']);
    assert.match(gram.e.message, /Gram matrix \(N×N\) 11\.9 GiB/);
    // A small run under a tiny limit is refused; the same run with a larger one succeeds.
    const args = ['--input', X, '--method', 'dl', '--k', '2', '--features', '16', '--epochs', '2', '--out-dict', out, '--quiet'];
    const tiny = await failure(learn, [...args, '--max-memory', '16K']);
    assert.match(tiny.e.message, /over the limit of 16\.0 KiB/);
    const saved = process.env.WORKBOOK_MAX_MEMORY;
    process.env.WORKBOOK_MAX_MEMORY = '16K';
    try {
      assert.match((await failure(learn, args)).e.message, /over the limit of 16\.0 KiB/);
      const ok = await captureCli(learn, [...args, '--max-memory', '64M']);
      assert.equal(ok.code, 0, ok.err);
    } finally {
      if (saved === undefined) delete process.env.WORKBOOK_MAX_MEMORY; else process.env.WORKBOOK_MAX_MEMORY = saved;
    }
    assert.equal((await captureCli(learn, args)).code, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('inputs must be regular files: /dev/zero, a FIFO and a directory are refused at once (no hang, no unbounded read)', async () => {
  const dir = tempDir();
  try {
    const D = putNpy(dir, 'D.npy', randomMatrix(16, 8, 2));
    const out = path.join(dir, 'o.npy');
    const zero = await failure(learn, ['--input', '/dev/zero', '--method', 'sae-relu', '--features', '16', '--out-dict', out, '--quiet']);
    assert.equal(zero.e.name, 'FileAccessError');
    assert.match(zero.e.message, /--input \/dev\/zero is a character device, not a regular file/);
    assert.match((await failure(metrics, ['--true', dir, '--pred', D])).e.message, /--true .* is a directory, not a regular file/);
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // A FIFO with no writer would block a plain read forever: run the real CLI with a timeout to catch a hang.
    const r = runCli(['encode', '--dict', D, '--input', fifo, '--method', 'omp', '--k', '2', '--out', out], { timeoutMs: 60_000 });
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /--input .*fifo is a FIFO \(named pipe\), not a regular file/);
    // A (sparse) file beyond the read limit is refused from its size, without reading it.
    const huge = path.join(dir, 'huge.npy');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, 3 * 2 ** 30);
    assert.match((await failure(metrics, ['--true', huge, '--pred', D])).e.message, /--true .*huge\.npy is 3221225472 bytes, over the limit/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
