import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readMatrix } from '../../src/io/npy';
import { run as encode } from '../../src/cli/encode';
import { run as learn } from '../../src/cli/learn';
import { captureCli } from '../helpers/cli';
import { writeFilesAtomic } from '../../src/io/files';
import { digest, leftoverTemps, putNpy, randomMatrix, runCli, tempDir } from './helpers';

/** X 200×8, D 16×8: the codes Z are 200×16 float32 (12.9 kB), the dictionary 16×8 (640 B). */
function inputs(dir: string): { X: string; D: string } {
  return { X: putNpy(dir, 'X.npy', randomMatrix(200, 8, 1)), D: putNpy(dir, 'D.npy', randomMatrix(16, 8, 2)) };
}

test('--out equal to --input or --dict is refused (exit 2) and the input is untouched — also through a symlink or hard link', async () => {
  const dir = tempDir();
  try {
    const { X, D } = inputs(dir);
    const before = { X: digest(X), D: digest(D) };
    const base = ['--method', 'omp', '--k', '2'];
    for (const [out, opt] of [[X, '--input'], [D, '--dict']]) {
      const r = await captureCli(encode, ['--dict', D, '--input', X, ...base, '--out', out]);
      assert.equal(r.code, 2);
      assert.match(r.err, new RegExp(`--out .* is the same file as ${opt}; writing it would overwrite your input`));
    }
    fs.symlinkSync(X, path.join(dir, 'link.npy'));
    fs.linkSync(X, path.join(dir, 'hard.npy'));
    for (const alias of ['link.npy', 'hard.npy']) {
      const r = await captureCli(encode, ['--dict', D, '--input', X, ...base, '--out', path.join(dir, alias)]);
      assert.equal(r.code, 2, alias);
    }
    const l = await captureCli(learn, ['--input', X, '--method', 'dl', '--k', '2', '--features', '16', '--out-dict', X, '--quiet']);
    assert.equal(l.code, 2);
    assert.match(l.err, /--out-dict .* is the same file as --input/);
    const both = await captureCli(learn, ['--input', X, '--method', 'dl', '--k', '2', '--features', '16', '--out-dict', path.join(dir, 'o.npy'), '--out-codes', path.join(dir, 'o.npy'), '--quiet']);
    assert.equal(both.code, 2);
    assert.match(both.err, /--out-codes and --out-dict name the same file/);
    assert.deepEqual({ X: digest(X), D: digest(D) }, before);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an output that is a device or a directory, or in a missing folder, is refused before any work (exit 2)', async () => {
  const dir = tempDir();
  try {
    const { X, D } = inputs(dir);
    const base = ['--dict', D, '--input', X, '--method', 'omp', '--k', '2', '--out'];
    const dev = await captureCli(encode, [...base, '/dev/null']);
    assert.equal(dev.code, 2);
    assert.match(dev.err, /--out \/dev\/null exists and is not a regular file/);
    assert.equal((await captureCli(encode, [...base, dir])).code, 2);
    const missing = await captureCli(encode, [...base, path.join(dir, 'no', 'Z.npy')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /the folder .*no does not exist/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('over the file-size limit (ulimit -f) encode fails naming the file, and the previous good output survives intact', () => {
  const dir = tempDir();
  try {
    const { X, D } = inputs(dir);
    const Z = path.join(dir, 'Z.npy');
    const args = ['encode', '--dict', D, '--input', X, '--method', 'omp', '--k', '2', '--out', Z];
    const good = runCli(args);
    assert.equal(good.code, 0, good.err);
    const before = digest(Z);
    assert.equal(readMatrix(Z).rows, 200);
    // 8 KiB limit: the 12.9 kB codes cannot be written. The CLI itself ignores SIGXFSZ, so the write fails with EFBIG.
    for (const prefix of ['ulimit -f 8;', "trap '' XFSZ; ulimit -f 8;"]) {
      const r = runCli(['encode', '--dict', D, '--input', X, '--method', 'fista', '--lambda', '0.1', '--out', Z], { shellPrefix: prefix });
      assert.equal(r.signal, null, `killed by ${r.signal}`);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, new RegExp(`cannot write ${Z.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the file is over the file-size limit; nothing was changed there`));
      assert.equal(r.out, '', 'no JSON line for a failed run');
      assert.equal(digest(Z), before, 'the previous Z.npy is unchanged');
      assert.deepEqual(leftoverTemps(dir), []);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('learn writes --out-dict and --out-codes together: when the codes do not fit, the old dictionary is not replaced either', () => {
  const dir = tempDir();
  try {
    const { X } = inputs(dir);
    const Dout = path.join(dir, 'Dl.npy'), Zout = path.join(dir, 'Zl.npy');
    fs.writeFileSync(Dout, 'previous dictionary');
    fs.writeFileSync(Zout, 'previous codes');
    const r = runCli(['learn', '--input', X, '--method', 'dl', '--k', '2', '--features', '16', '--epochs', '3', '--out-dict', Dout, '--out-codes', Zout, '--quiet'],
      { shellPrefix: 'ulimit -f 8;' });
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /cannot write .*Zl\.npy: the file is over the file-size limit/);
    assert.equal(fs.readFileSync(Dout, 'utf8'), 'previous dictionary');
    assert.equal(fs.readFileSync(Zout, 'utf8'), 'previous codes');
    assert.deepEqual(leftoverTemps(dir), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('learn --save-model that cannot be written leaves --out-dict as it was and no half-written model; --save-model naming a file is a usage error', () => {
  const dir = tempDir();
  try {
    const { X } = inputs(dir);
    const Dout = path.join(dir, 'Dm.npy'), model = path.join(dir, 'model');
    fs.writeFileSync(Dout, 'previous dictionary');
    // 512 features × 8: each weight array is 16 KiB, over the 8 KiB file-size limit
    const args = ['learn', '--input', X, '--method', 'sae-topk', '--k', '2', '--features', '512', '--samples', '2000', '--out-dict', Dout, '--save-model', model, '--quiet'];
    const r = runCli(args, { shellPrefix: 'ulimit -f 8;' });
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /cannot write .*model\/\w+\.npy: the file is over the file-size limit/);
    assert.equal(fs.readFileSync(Dout, 'utf8'), 'previous dictionary');
    assert.deepEqual(fs.existsSync(model) ? fs.readdirSync(model) : [], [], 'no model file was left behind');
    assert.deepEqual(leftoverTemps(dir), []);
    const clash = runCli([...args.slice(0, -3), '--save-model', Dout, '--quiet']);
    assert.equal(clash.code, 2, clash.err);
    assert.match(clash.err, /--save-model .*Dm\.npy exists and is not a directory/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('writeFilesAtomic: all files or none (a failing second file leaves the first target as it was)', () => {
  const dir = tempDir();
  try {
    const a = path.join(dir, 'a.txt');
    fs.writeFileSync(a, 'old a');
    assert.throws(() => writeFilesAtomic([{ file: a, data: 'new a' }, { file: path.join(dir, 'missing', 'b.txt'), data: 'b' }]),
      /cannot write .*b\.txt: the folder .*missing does not exist; nothing was changed there/);
    assert.equal(fs.readFileSync(a, 'utf8'), 'old a');
    assert.deepEqual(leftoverTemps(dir), []);
    writeFilesAtomic([{ file: a, data: 'new a' }, { file: path.join(dir, 'b.txt'), data: [Buffer.from('b1'), Buffer.from('b2')] }]);
    assert.equal(fs.readFileSync(a, 'utf8'), 'new a');
    assert.equal(fs.readFileSync(path.join(dir, 'b.txt'), 'utf8'), 'b1b2');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('on a full disk (a 20 kB tmpfs) encode fails naming the file, and the previous good output survives intact', (t) => {
  const dir = tempDir();
  try {
    const { X, D } = inputs(dir);
    const mnt = path.join(dir, 'small');
    fs.mkdirSync(mnt);
    // A private mount namespace, so the tmpfs disappears with the shell; needs root (skipped elsewhere).
    const cli = `"${process.execPath}" --import tsx src/cli/main.ts encode --dict "${D}" --input "${X}" --out "${mnt}/Z.npy"`;
    const script = `mount -t tmpfs -o size=20k tmpfs "${mnt}" || exit 99
${cli} --method omp --k 2 >/dev/null || exit 98
sha256sum "${mnt}/Z.npy"
${cli} --method fista --lambda 0.1 2>"${dir}/err.txt"; echo "rc=$?"
sha256sum "${mnt}/Z.npy"; ls -a "${mnt}"`;
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'bash', '-c', script], { encoding: 'utf8', cwd: path.resolve(__dirname, '../..'), timeout: 120_000 });
    if (r.error || r.status === 99 || /unshare: /.test(r.stderr ?? '')) { t.skip(`cannot mount a tmpfs here: ${r.error?.message ?? r.stderr}`); return; }
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[1], 'rc=1', r.stdout);
    assert.equal(lines[0].split(' ')[0], lines[2].split(' ')[0], 'Z.npy changed');
    assert.deepEqual(lines.slice(3).sort(), ['.', '..', 'Z.npy'], 'no temporary file left');
    assert.match(fs.readFileSync(path.join(dir, 'err.txt'), 'utf8'), /cannot write .*small\/Z\.npy: the disk is full; nothing was changed there/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
