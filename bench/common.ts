/**
 * Shared pieces of the benchmarks: the result type, a timer, and the runner of Python peers
 * (scikit-learn / PyTorch from Debian's /usr/bin/python3) on the same arrays in the same run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One measured row: what ran (`name`), by whom (`impl`: 'workbook/…' or 'sklearn/…', 'torch/…'), and how long. */
export interface BenchResult {
  name: string;
  impl: string;
  seconds: number;
  [metric: string]: unknown;
}

/** Options every area's `bench()` receives. */
export interface BenchOptions {
  quick: boolean;
}

/** The Python that has Debian's numpy/scikit-learn/torch (not a pyenv shim earlier on PATH). */
export const PEER_PYTHON = process.env.WORKBOOK_PEER_PYTHON ?? '/usr/bin/python3';

/** A fresh scratch folder for arrays handed to peers. */
export function scratchDir(prefix = 'bench-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Run a peer script `bench/peers/<script>` with arguments; it prints one JSON object per line (the last
 * line wins). Returns null (and the reason) when the peer cannot run here (no python, module missing).
 */
export function runPeer(script: string, args: string[], timeoutSeconds = 1800): { result: Record<string, unknown> | null; reason?: string } {
  if (!fs.existsSync(PEER_PYTHON)) return { result: null, reason: `${PEER_PYTHON} not found` };
  const file = path.join(__dirname, 'peers', script);
  const r = spawnSync(PEER_PYTHON, [file, ...args], {
    encoding: 'utf8', timeout: timeoutSeconds * 1000,
    // Peers get the machine's threads as users would; OpenBLAS settings of the environment are kept as they are.
    env: { ...process.env },
  });
  if (r.status !== 0) {
    const err = (r.stderr || '').trim().split('\n').slice(-3).join(' | ');
    return { result: null, reason: /No module named '?(\w+)/.test(err) ? `python module missing: ${/No module named '?(\w+)/.exec(err)![1]}` : `peer failed: ${err}` };
  }
  const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{'));
  if (!lines.length) return { result: null, reason: 'peer printed no JSON' };
  return { result: JSON.parse(lines[lines.length - 1]) as Record<string, unknown> };
}

/** Seconds taken by `fn` (wall clock, one run). */
export async function timeIt<T>(fn: () => T | Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, value };
}
