import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { run as encode } from '../../src/cli/encode';
import { matrix } from '../../src/core/matrix';
import { encodeNpy } from '../../src/io/npy';
import { sparseEncode } from '../../src/sparse/encode';
import { leftoverTemps, putNpy, randomMatrix, tempDir } from './helpers';

/** Run encode with stdout captured; returns the printed JSON. */
async function encodeJson(argv: string[]): Promise<Record<string, number | boolean | string>> {
  const log = console.log;
  let out = '';
  console.log = (s: string) => { out += s; };
  try { assert.equal(await encode(argv), 0); } finally { console.log = log; }
  return JSON.parse(out);
}

test('encode reads shards (a folder, a glob) by row blocks and writes one Z.npy equal to encoding all rows at once', async () => {
  const dir = tempDir();
  try {
    const D = randomMatrix(24, 8, 2);
    const dFile = putNpy(dir, 'D.npy', D);
    const X = randomMatrix(300, 8, 1);
    fs.mkdirSync(path.join(dir, 'acts'));
    for (const [s, a, b] of [[0, 0, 120], [1, 120, 121], [2, 121, 300]]) {
      putNpy(path.join(dir, 'acts'), `part_${s}.npy`, matrix(b - a, 8, X.data.slice(a * 8, b * 8) as Float32Array));
    }
    const whole = sparseEncode(X, D, { method: 'omp', k: 3 });
    const want = encodeNpy(matrix(300, 24, Float32Array.from(whole.codes.data)));
    const out = path.join(dir, 'Z.npy');
    // a memory limit small enough for blocks of a few dozen rows: several blocks, the same codes
    for (const input of [path.join(dir, 'acts'), path.join(dir, 'acts', 'part_*.npy')]) {
      for (const mem of [[], ['--max-memory', '40K']]) {
        fs.rmSync(out, { force: true });
        const r = await encodeJson(['--dict', dFile, '--input', input, '--method', 'omp', '--k', '3', '--out', out, ...mem]);
        assert.deepEqual(new Uint8Array(fs.readFileSync(out)), want, `${input} ${mem.join(' ')}`);
        assert.ok(Math.abs(Number(r.objective) - whole.objective) < 1e-6 * Math.abs(whole.objective), `objective ${r.objective} vs ${whole.objective}`);
        assert.equal(r.mean_l0, 3);
      }
    }
    assert.deepEqual(leftoverTemps(dir), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
