import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, UsageError, OptionSpec } from '../../src/cli/args';
import { run as learn } from '../../src/cli/learn';
import { run as encode } from '../../src/cli/encode';
import { run as metrics } from '../../src/cli/metrics';
import { captureCli } from '../helpers/cli';

// Usage errors are found before any file is read, so these paths need not exist.
const LEARN = ['--input', 'X.npy', '--method', 'sae-relu', '--features', '16', '--out-dict', 'D.npy', '--quiet'];
const ENCODE = ['--dict', 'D.npy', '--input', 'X.npy', '--method', 'fista', '--lambda', '0.1', '--out', 'Z.npy'];

async function usageError(run: (argv: string[]) => Promise<number>, argv: string[], message: RegExp): Promise<void> {
  const r = await captureCli(run, argv);
  assert.equal(r.code, 2, `${argv.join(' ')} should be a usage error; stdout ${r.out} stderr ${r.err}`);
  assert.match(r.err, message);
}

test('an empty value is refused, not read as 0 (--lambda= used to mean λ = 0)', async () => {
  await usageError(learn, [...LEARN, '--lambda='], /--lambda needs a value, got an empty one/);
  await usageError(encode, [...ENCODE.slice(0, 6), '--lambda=', '--out', 'Z.npy'], /--lambda needs a value/);
  await usageError(learn, [...LEARN.slice(0, 6), '--out-dict='], /--out-dict needs a value/);
  // A value that is the next option is a missing value, not the text '--k'.
  await usageError(learn, [...LEARN, '--lambda', '--k', '3'], /--lambda needs a value, but the next argument is the option --k/);
});

test('--epochs 0 or negative is refused (it used to run one step)', async () => {
  await usageError(learn, [...LEARN, '--epochs', '0'], /--epochs needs a number > 0, got '0'/);
  await usageError(learn, [...LEARN, '--epochs', '-3'], /--epochs needs a number > 0/);
  await usageError(learn, [...LEARN.slice(0, 2), '--method', 'dl', '--k', '2', ...LEARN.slice(4), '--epochs', '2.5'], /outer iterations .* integer/);
});

test('integers are integers: --k 1.5, --seed 0.5, --features 2.5, --batch 0, --max-iter 1.5 are refused', async () => {
  await usageError(learn, [...LEARN.slice(0, 2), '--method', 'sae-topk', ...LEARN.slice(4), '--k', '1.5'], /--k needs an integer ≥ 1, got '1.5'/);
  await usageError(learn, [...LEARN, '--seed', '0.5'], /--seed needs an integer ≥ 0/);
  await usageError(learn, [...LEARN.slice(0, 4), '--features', '2.5', ...LEARN.slice(6)], /--features needs an integer ≥ 1/);
  await usageError(learn, [...LEARN, '--batch', '0'], /--batch needs an integer ≥ 1/);
  await usageError(encode, [...ENCODE, '--max-iter', '1.5'], /--max-iter needs an integer ≥ 1/);
  await usageError(learn, [...LEARN.slice(0, 2), '--method', 'sae-topk', ...LEARN.slice(4), '--k', '17'], /--k 17 is more than --features 16/);
});

test('numbers are plain decimals in range: hex, blanks, Infinity, negative penalties and rates are refused', async () => {
  await usageError(learn, [...LEARN, '--lambda', '0x10'], /--lambda needs a number ≥ 0, got '0x10'/);
  await usageError(learn, [...LEARN, '--lambda', ' 1'], /--lambda needs a number/);
  await usageError(learn, [...LEARN, '--lambda', '-0.1'], /--lambda needs a number ≥ 0/);
  await usageError(learn, [...LEARN, '--lr', '0'], /--lr needs a number > 0/);
  await usageError(learn, [...LEARN, '--lr', 'Infinity'], /--lr needs a number > 0/);
  await usageError(encode, [...ENCODE, '--tol', '-1'], /--tol needs a number ≥ 0/);
});

test('a stray positional argument is refused by encode, learn and metrics', async () => {
  await usageError(learn, [...LEARN, 'extra.npy'], /unexpected argument 'extra.npy'/);
  await usageError(encode, [...ENCODE, 'Z2.npy'], /unexpected argument 'Z2.npy'/);
  await usageError(metrics, ['--true', 'Z.npy', '--pred', 'Zh.npy', '-x'], /unexpected argument '-x' \(options start with --\)/);
});

test('flags take true/false/yes/no/1/0 only (--nonneg=maybe used to mean true)', async () => {
  await usageError(encode, [...ENCODE, '--nonneg=maybe'], /--nonneg is a flag: give --nonneg alone or --nonneg=true\|false, got 'maybe'/);
  const spec: Record<string, OptionSpec> = { nonneg: { type: 'boolean', help: '' } };
  for (const [text, v] of [['--nonneg', true], ['--nonneg=true', true], ['--nonneg=YES', true], ['--nonneg=1', true], ['--nonneg=false', false], ['--nonneg=no', false], ['--nonneg=0', false]] as const) {
    assert.equal(parseArgs([text], spec).options.nonneg, v, text);
  }
});

test('an option given twice and a bad --max-memory are usage errors', async () => {
  await usageError(learn, [...LEARN, '--features', '8'], /--features is given twice/);
  await usageError(learn, [...LEARN, '--max-memory', '12Q'], /--max-memory needs a size such as 512M, 8G or 2T, got '12Q'/);
  assert.throws(() => parseArgs(['--n', '1e400'], { n: { type: 'number', help: '' } }), UsageError);
  assert.equal(parseArgs(['--n', '-2.5e-3'], { n: { type: 'number', help: '' } }).options.n, -2.5e-3);
  assert.equal(parseArgs(['--n=.5'], { n: { type: 'number', help: '', above: 0 } }).options.n, 0.5);
});

test('the help lists each option with its range', async () => {
  const r = await captureCli(learn, ['--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /--epochs <n> .*\(a number > 0\)/);
  assert.match(r.out, /--seed <n> .*\(default 0; an integer ≥ 0 and ≤ 4294967295\)/);
  assert.match(r.out, /--max-memory <value> +memory limit for this run/);
});
