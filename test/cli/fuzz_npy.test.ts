/**
 * Fuzz test of the data commands against malformed .npy inputs: valid files are mutated (header bytes,
 * header length, shape and dtype text, truncation, trailing bytes, data bytes) from a fixed seed, and
 * `metrics` and `encode` run on each in a child process. Every outcome must be a clear error (a known error
 * class; reading errors name the file) or a correct result — never a hang (the child has a time limit), a
 * crash (a signal or an unexpected error class), a changed input file or a half-written output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { COLS, makeCases } from './fuzz_cases';
import { digest, leftoverTemps, putNpy, randomMatrix, tempDir } from './helpers';

const ALLOWED = new Set(['DataFileError', 'FileAccessError', 'ShapeError', 'ValueError', 'CommandFailure']);

interface Outcome { code?: number; out?: string; err?: string; error?: { name: string; message: string } }

/** An outcome is acceptable when it is a success or an error of a known class (reading errors name the file); never a usage error. */
function checkOutcome(what: string, o: Outcome, file: string): boolean {
  if (o.error) {
    assert.ok(ALLOWED.has(o.error.name), `${what}: unexpected ${o.error.name}: ${o.error.message}`);
    assert.ok(o.error.message.length > 10, `${what}: empty message`);
    if (o.error.name === 'DataFileError' || o.error.name === 'FileAccessError') {
      assert.ok(o.error.message.includes(file), `${what}: the message does not name the file: ${o.error.message}`);
    }
    return false;
  }
  assert.equal(o.code, 0, `${what}: exit ${o.code} ${o.err}`);
  return true;
}

test('fuzzed .npy inputs give a clear error or a correct result: no hang, no crash, no changed input, no half-written output', () => {
  const dir = tempDir('fuzz-npy-');
  try {
    fs.mkdirSync(path.join(dir, 'out'));
    putNpy(dir, 'D.npy', randomMatrix(4, COLS, 9));
    const cases = makeCases();
    const files = cases.map((c, i) => {
      const file = path.join(dir, `case${String(i).padStart(3, '0')}.npy`);
      fs.writeFileSync(file, c.bytes);
      return file;
    });
    const before = files.map(digest);
    fs.writeFileSync(path.join(dir, 'cases.json'), JSON.stringify(files.map((file) => ({ file }))));
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fuzz_npy_worker.ts'), dir],
      { encoding: 'utf8', timeout: 240_000, cwd: path.resolve(__dirname, '../..') });
    assert.ok(!(r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT'), 'the worker hung');
    assert.equal(r.signal, null, `the worker was killed by ${r.signal}: ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    const results = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'));
    assert.equal(results.length, cases.length);
    let ok = 0, refused = 0;
    cases.forEach((c, i) => {
      const res = results[i], file = files[i], what = `${c.name} (${path.basename(file)})`;
      assert.equal(digest(file), before[i], `${what}: the input file changed`);
      // metrics on (F, F): a success must be a perfect score over the varying features.
      if (checkOutcome(`${what} metrics`, res.metrics, file)) {
        ok++;
        const j = JSON.parse(res.metrics.out);
        assert.ok(res.shape, `${what}: metrics succeeded on a file readMatrix refuses`);
        assert.equal(j.constant_true, j.constant_pred);
        if (j.constant_true < res.shape[1]) assert.ok(Math.abs(j.mcc_pearson_varying - 1) < 1e-9, `${what}: MCC(Z, Z) over varying features ${j.mcc_pearson_varying}`);
        else assert.equal(j.mcc_pearson_varying, null);
      } else refused++;
      // encode: an output exists exactly when it succeeded, with one row per sample.
      const out = path.join(dir, 'out', `${path.basename(file)}.Z.npy`);
      if (checkOutcome(`${what} encode`, res.encode, file)) {
        assert.ok(res.wroteOutput, `${what}: encode succeeded without writing`);
        assert.equal(fs.readFileSync(out).length > 0, true);
      } else {
        assert.equal(res.wroteOutput, false, `${what}: a failed encode left an output`);
      }
      // Where the file's content is known, a read gives exactly it, or is refused for its NaN/Inf.
      if (c.expect) {
        const finite = c.expect.values.every(Number.isFinite);
        if (finite) {
          assert.deepEqual(res.shape, [c.expect.rows, c.expect.cols], `${what}: shape`);
          assert.deepEqual(res.values, c.expect.values, `${what}: values`);
        } else {
          assert.equal(res.shape, null, `${what}: a file with NaN/Inf was read`);
          assert.match(res.metrics.error?.message ?? '', /nan|inf/i, `${what}: ${JSON.stringify(res.metrics)}`);
        }
      }
    });
    assert.deepEqual(leftoverTemps(path.join(dir, 'out')), []);
    // The fuzzing must exercise both sides.
    assert.ok(ok >= 30 && refused >= 100, `ok ${ok}, refused ${refused}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
