import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readMatrix } from '../../src/io/npy';
import { run as encode } from '../../src/cli/encode';
import { captureCli } from '../helpers/cli';
import { putNpy, randomMatrix, tempDir } from './helpers';

test('encode says when a solver stopped at --max-iter before reaching the tolerance (and is quiet when it converged)', async () => {
  const dir = tempDir();
  try {
    const X = putNpy(dir, 'X.npy', randomMatrix(200, 8, 1));
    const D = putNpy(dir, 'D.npy', randomMatrix(16, 8, 2));
    const Z = path.join(dir, 'Z.npy');
    for (const method of [['fista', '--lambda', '0.1'], ['ista', '--lambda', '0.1'], ['cd', '--lambda', '0.1'], ['iht', '--k', '3']]) {
      const r = await captureCli(encode, ['--dict', D, '--input', X, '--method', ...method, '--max-iter', '2', '--tol', '1e-12', '--out', Z]);
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out);
      assert.equal(j.converged, false, method[0]);
      assert.equal(j.iterations, 2);
      assert.match(r.err, new RegExp(`warning: ${method[0]} stopped at the iteration limit \\(--max-iter 2\\) before every sample reached the tolerance \\(--tol 1e-12\\); .* raise --max-iter or loosen --tol`));
      assert.equal(readMatrix(Z).rows, 200, 'the codes are still written');
      const done = await captureCli(encode, ['--dict', D, '--input', X, '--method', ...method, '--max-iter', '100000', '--out', Z]);
      assert.equal(JSON.parse(done.out).converged, true, `${method[0]} converges given enough iterations`);
      assert.equal(done.err, '');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
