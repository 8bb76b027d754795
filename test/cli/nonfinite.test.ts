import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { run as encode } from '../../src/cli/encode';
import { run as learn } from '../../src/cli/learn';
import { run as metrics } from '../../src/cli/metrics';
import { matrix } from '../../src/core/matrix';
import { captureCli } from '../helpers/cli';
import { digest, putNpy, randomMatrix, runCli, tempDir } from './helpers';

/** Run in-process and return the error the command threw (the main entry prints it and exits 1). */
async function failure(run: (argv: string[]) => Promise<number>, argv: string[]): Promise<Error> {
  try {
    const r = await captureCli(run, argv);
    assert.fail(`expected a failure, got exit ${r.code}: ${r.out} ${r.err}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    return e as Error;
  }
}

test('encode: X = 3e38 (float32) or 1e200 (float64) gives an error naming the cause and the fix, not "objective": null and Inf codes', async () => {
  const dir = tempDir();
  try {
    const D = putNpy(dir, 'D.npy', randomMatrix(16, 8, 2));
    const Z = path.join(dir, 'Z.npy');
    fs.writeFileSync(Z, 'previous codes');
    for (const [name, X] of [['X38.npy', randomMatrix(200, 8, 1, 3e38)], ['X200.npy', randomMatrix(200, 8, 1, 1e200, true)]] as const) {
      const file = putNpy(dir, name, X);
      for (const method of [['fista', '--lambda', '0.1'], ['omp', '--k', '2']]) {
        const e = await failure(encode, ['--dict', D, '--input', file, '--method', ...method, '--out', Z]);
        assert.equal(e.name, 'CommandFailure', `${name} ${method[0]}: ${e.message}`);
        assert.match(e.message, /the result is not finite .*nothing was written to .*Z\.npy/);
        assert.match(e.message, /X has values as large as [0-9.]+e\+(38|199|200).*scale the data first/);
      }
    }
    assert.equal(fs.readFileSync(Z, 'utf8'), 'previous codes');
    // Through the real entry point: exit 1, the message on stderr, nothing on stdout.
    const r = runCli(['encode', '--dict', D, '--input', path.join(dir, 'X38.npy'), '--method', 'fista', '--lambda', '0.1', '--out', Z]);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.match(r.err, /^superposition encode: the result is not finite/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('learn: X = 1e30 no longer writes an all-NaN dictionary with exit 0 — it fails, says why, and writes nothing', async () => {
  const dir = tempDir();
  try {
    const X = putNpy(dir, 'X.npy', randomMatrix(200, 8, 1, 1e30));
    const Dout = path.join(dir, 'Dl.npy');
    fs.writeFileSync(Dout, 'previous dictionary');
    for (const method of ['sae-relu', 'sae-topk']) {
      const e = await failure(learn, ['--input', X, '--method', method, '--k', '2', '--features', '16', '--epochs', '2', '--out-dict', Dout, '--quiet']);
      assert.ok(['CommandFailure'].includes(e.name), `${method}: ${e.name}: ${e.message}`);
      assert.match(e.message, /diverged|not finite/);
      assert.match(e.message, /(scale the data|standardise X|rescale X)/);
      assert.match(e.message, /nothing was written/);
    }
    assert.equal(fs.readFileSync(Dout, 'utf8'), 'previous dictionary');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('learn --lr 1e6: every feature dead is an error with what to try (lower --lr), not exit 0', async () => {
  const dir = tempDir();
  try {
    const X = putNpy(dir, 'X.npy', randomMatrix(200, 8, 1));
    const Dout = path.join(dir, 'Dl.npy');
    const e = await failure(learn, ['--input', X, '--method', 'sae-relu', '--features', '16', '--lr', '1e6', '--out-dict', Dout, '--quiet']);
    assert.equal(e.name, 'CommandFailure');
    assert.match(e.message, /(every feature is dead .*lower learning rate \(--lr, now 1000000\)|diverged .*lower the learning rate)/);
    assert.equal(fs.existsSync(Dout), false, 'no dictionary written');
    // The same data with the default rate trains, so the failure is the rate's, not the data's.
    const ok = await captureCli(learn, ['--input', X, '--method', 'sae-relu', '--features', '16', '--out-dict', Dout, '--quiet']);
    assert.equal(ok.code, 0, ok.err);
    assert.ok(JSON.parse(ok.out).dead_fraction < 1);
    assert.ok(digest(Dout).length > 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('metrics: codes or atoms with values near 1e307 or 1e-300 score correctly, not as uncorrelated (float64 sums of squares overflow / underflow)', async () => {
  const dir = tempDir();
  try {
    const z = randomMatrix(20, 6, 3, 1, true);
    const big = Float64Array.from(z.data);
    big[19 * 6 + 4] = -4.9e307; // one huge entry in column 4: its variance overflows float64
    const perfect = (out: string, key: string) => assert.ok(Math.abs(JSON.parse(out)[key] - 1) < 1e-12, `${key}: ${out}`);
    for (const [name, data] of [['Zbig.npy', big], ['Ztiny.npy', big.map((v) => v * 1e-300)], ['Z.npy', z.data]] as const) {
      const f = putNpy(dir, name, matrix(20, 6, data));
      const r = await captureCli(metrics, ['--true', f, '--pred', f, '--true-dict', f, '--pred-dict', f]);
      assert.equal(r.code, 0, r.err);
      for (const key of ['mcc_pearson', 'mcc_spearman', 'dict_mean_best_cos', 'dict_matched_cos']) perfect(r.out, key);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
