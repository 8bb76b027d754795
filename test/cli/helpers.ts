/**
 * Helpers of the command-line tests: run `superposition` as a child process (real exit codes, stderr, signals,
 * shell limits such as `ulimit -f`), write small .npy inputs, and fingerprint files to show they are unchanged.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Matrix, matrix } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';
import { encodeNpy } from '../../src/io/npy';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'src/cli/main.ts');

/** Result of one CLI run. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/**
 * Run `superposition <args>` in a child Node (through tsx). `shellPrefix` runs it under bash after that text
 * (e.g. `ulimit -f 8;`), `env` adds variables, `timeoutMs` kills a run that hangs (default 120 s).
 */
export function runCli(args: string[], opts: { shellPrefix?: string; env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {}): CliRun {
  const env = { ...process.env, ...opts.env };
  const node = [process.execPath, '--import', 'tsx', MAIN, ...args];
  const r = opts.shellPrefix
    ? spawnSync('bash', ['-c', `${opts.shellPrefix} exec "$@"`, 'bash', ...node], { env, cwd: opts.cwd ?? ROOT, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000 })
    : spawnSync(node[0], node.slice(1), { env, cwd: opts.cwd ?? ROOT, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') throw new Error(`superposition ${args.join(' ')} did not finish (hang)`);
  return { code: r.status, signal: r.signal, out: r.stdout ?? '', err: r.stderr ?? '' };
}

/** A fresh temporary folder; remove it with `fs.rmSync(dir, { recursive: true, force: true })`. */
export function tempDir(prefix = 'cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Uniform(−scale, scale) entries, B×M float32 (or float64), from a seed. */
export function randomMatrix(rows: number, cols: number, seed: number, scale = 1, f64 = false): Matrix {
  const g = new Rng(seed);
  const data = f64 ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = scale * (2 * g.uniform() - 1);
  return matrix(rows, cols, data);
}

/** Write a matrix as .npy at `dir/name` and return the path. */
export function putNpy(dir: string, name: string, m: Matrix): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, encodeNpy(m));
  return file;
}

/** SHA-256 of a file's bytes (to show a file is unchanged). */
export function digest(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Names in `dir` that look like left-over temporary files of an atomic write. */
export function leftoverTemps(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'));
}
