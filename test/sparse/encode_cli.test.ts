import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/encode';
import { captureCli } from '../helpers/cli';
import { readMatrix, writeNpy } from '../../src/io/npy';
import { asFloat64 } from '../../src/core/matrix';
import { loadSparseFixtures, supportOf } from './fixtures';

const capture = (argv: string[]) => captureCli(run, argv);

test('superposition encode writes the codes and one JSON line (float64 and float32 input)', async () => {
  const f = loadSparseFixtures().find((x) => x.name === 'incoherent_signed')!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encode-'));
  try {
    writeNpy(path.join(dir, 'D.npy'), asFloat64(f.D));
    writeNpy(path.join(dir, 'X.npy'), asFloat64(f.X));
    const r = await capture(['--dict', path.join(dir, 'D.npy'), '--input', path.join(dir, 'X.npy'), '--method', 'cd',
      '--lambda', String(f.lam), '--tol', '1e-10', '--out', path.join(dir, 'Z.npy')]);
    assert.equal(r.code, 0, r.err);
    const line = JSON.parse(r.out.trim());
    assert.deepEqual(Object.keys(line).sort(), ['converged', 'iterations', 'mean_l0', 'method', 'objective', 'seconds']);
    assert.equal(line.method, 'cd');
    assert.ok(Math.abs(line.objective - f.lassoObjective) <= 1e-5 * f.lassoObjective);
    const Z = readMatrix(path.join(dir, 'Z.npy'));
    assert.equal(Z.rows, f.B); assert.equal(Z.cols, f.N);
    let nnz = 0;
    for (const v of Z.data) if (v !== 0) nnz++;
    assert.equal(line.mean_l0, nnz / f.B);
    // float32 input, OMP
    writeNpy(path.join(dir, 'X32.npy'), f.X.data instanceof Float64Array ? { rows: f.B, cols: f.M, data: Float32Array.from(f.X.data) } : f.X);
    const o = await capture(['--dict', path.join(dir, 'D.npy'), '--input', path.join(dir, 'X32.npy'), '--method', 'omp',
      '--k', String(f.K), '--out', path.join(dir, 'Zo.npy')]);
    assert.equal(o.code, 0, o.err);
    const Zo = readMatrix(path.join(dir, 'Zo.npy'));
    for (let b = 0; b < f.B; b++) assert.deepEqual(supportOf(Zo, b), f.ompSupport![b]);
    assert.equal(JSON.parse(o.out.trim()).mean_l0, f.K);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('superposition encode: usage errors exit with code 2 and say what is missing', async () => {
  const a = await capture(['--dict', 'D.npy', '--input', 'X.npy', '--method', 'omp', '--out', 'Z.npy']);
  assert.equal(a.code, 2);
  assert.match(a.err, /needs --k/);
  const b = await capture(['--dict', 'D.npy', '--input', 'X.npy', '--method', 'lars', '--out', 'Z.npy']);
  assert.equal(b.code, 2);
  assert.match(b.err, /--method must be one of fista, ista, cd, omp, iht|--method must be one of ista, fista, cd, omp, iht/);
  const c = await capture(['--input', 'X.npy', '--method', 'cd', '--lambda', '0.1', '--out', 'Z.npy']);
  assert.equal(c.code, 2);
  assert.match(c.err, /--dict is required/);
});
