/**
 * Shared pieces of the benchmarks: the result type, a timer, the runner of Python peers (scikit-learn / PyTorch /
 * numpy) on the same arrays in the same run, and the row that sets our number against the best peer's.
 *
 * Peers run under every peer stack present: Debian's `/usr/bin/python3` (python3-sklearn, python3-torch) and
 * `build/peers-venv/bin/python` (PyTorch CPU and scikit-learn 1.9 from the local wheel store; made by
 * `node environment/setup.mjs --peers`). Each peer process gets 2 threads (OMP/MKL/OpenBLAS and torch), and
 * OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are removed from that child's environment only: this machine sets them for
 * old OpenBLAS builds, and they slow a current numpy. Each peer reports the BLAS kernel it ran (threadpoolctl).
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

/** Threads every peer process gets (and our engine's default on this 2-core machine). */
export const PEER_THREADS = 2;

/** A Python with peer libraries: `label` names it in rows ('debian', 'venv'). */
export interface PeerStack { label: string; python: string }

/**
 * The peer stacks present on this machine: Debian's Python (`WORKBOOK_PEER_PYTHON` overrides its path) and the
 * peers-only virtual environment under build/. `WORKBOOK_PEER_STACKS=debian` (or `venv`) keeps one.
 */
export function peerStacks(): PeerStack[] {
  const all: PeerStack[] = [
    { label: 'debian', python: process.env.WORKBOOK_PEER_PYTHON ?? '/usr/bin/python3' },
    { label: 'venv', python: path.join(__dirname, '..', 'build', 'peers-venv', 'bin', 'python') },
  ];
  const keep = process.env.WORKBOOK_PEER_STACKS?.split(',');
  return all.filter((s) => fs.existsSync(s.python) && (!keep || keep.includes(s.label)));
}

/** The environment of a peer process: ours without the OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE overrides, `threads` threads. */
export function peerEnv(threads = PEER_THREADS): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  for (const k of ['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS']) env[k] = String(threads);
  return env;
}

/** One peer process's outcome: its last JSON line (`result`), or why it could not run (`reason`). */
export interface PeerRun { stack: string; result: Record<string, unknown> | null; reason?: string }

const scratch: string[] = [];
process.on('exit', () => { for (const d of scratch) fs.rmSync(d, { recursive: true, force: true }); });

/** A fresh scratch folder for arrays handed to peers, removed when the benchmark process exits. */
export function scratchDir(prefix = 'bench-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/**
 * Run the peer script `bench/peers/<script>` with arguments under one stack; it prints one JSON object per line
 * (the last line wins). `result` is null (and `reason` says why) when it cannot run there (module missing, …).
 */
export function runPeerOn(stack: PeerStack, script: string, args: string[], timeoutSeconds = 1800): PeerRun {
  const file = path.join(__dirname, 'peers', script);
  const r = spawnSync(stack.python, [file, ...args], { encoding: 'utf8', timeout: timeoutSeconds * 1000, env: peerEnv() });
  if (r.error) return { stack: stack.label, result: null, reason: `could not run ${stack.python}: ${r.error.message}` };
  if (r.status !== 0) {
    const err = (r.stderr || '').trim().split('\n').slice(-3).join(' | ');
    const missing = /No module named '?(\w+)/.exec(err);
    return { stack: stack.label, result: null, reason: missing ? `python module missing: ${missing[1]}` : `peer failed: ${err}` };
  }
  const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{'));
  if (!lines.length) return { stack: stack.label, result: null, reason: 'peer printed no JSON' };
  return { stack: stack.label, result: JSON.parse(lines[lines.length - 1]) as Record<string, unknown> };
}

/** {@link runPeerOn} under every stack of {@link peerStacks} in turn (never two at once: they would share the cores). */
export function runPeers(script: string, args: string[], timeoutSeconds = 1800): PeerRun[] {
  const stacks = peerStacks();
  if (!stacks.length) return [{ stack: 'none', result: null, reason: 'no peer Python found (run node environment/setup.mjs --peers)' }];
  return stacks.map((s) => runPeerOn(s, script, args, timeoutSeconds));
}

/** One peer's number for a comparison: which stack, which library (e.g. 'torch 2.13.0'), the value. */
export interface PeerValue { stack: string; impl: string; value: number }

/** How a comparison is read: 'rate' (higher is better, ratio = ours / best peer's) or 'time' (lower is better). */
export type Sense = 'rate' | 'time';

/**
 * The row that sets our number against every peer stack's: `ratio_vs_best` = ours / the best peer's (fastest
 * time or highest rate), `best_peer` names it, `met` checks the target (ratio ≥ target for rates, ≤ for times;
 * absent without a target). Rows with `versus: true` make up the speed table `npm run bench` prints last.
 */
export function versusRow(o: {
  name: string; metric: string; sense: Sense; ours: number; peers: PeerValue[]; target?: number; extra?: Record<string, unknown>;
}): BenchResult {
  const row: BenchResult = { name: o.name, impl: 'workbook vs peers', seconds: 0, versus: true, metric: o.metric, sense: o.sense, ours: o.ours };
  for (const s of ['debian', 'venv']) {
    const p = o.peers.find((q) => q.stack === s);
    row[s] = p ? p.value : undefined;
    row[`${s}_impl`] = p ? p.impl : undefined;
  }
  const valid = o.peers.filter((p) => Number.isFinite(p.value) && p.value > 0);
  if (valid.length) {
    const best = valid.reduce((a, b) => ((o.sense === 'rate' ? b.value > a.value : b.value < a.value) ? b : a));
    row.best_peer = `${best.stack} ${best.impl}`;
    row.ratio_vs_best = o.ours / best.value;
  }
  if (o.target !== undefined) {
    row.target = `${o.sense === 'rate' ? '≥' : '≤'} ${o.target}×`;
    if (typeof row.ratio_vs_best === 'number') row.met = o.sense === 'rate' ? row.ratio_vs_best >= o.target : row.ratio_vs_best <= o.target;
  }
  return Object.assign(row, o.extra ?? {});
}

/** Peer values of one numeric field of each successful run (`impl` from the peer's own `impl` field). */
export function peerValues(runs: PeerRun[], field: string | ((r: Record<string, unknown>) => number)): PeerValue[] {
  return runs.filter((r) => r.result).map((r) => ({
    stack: r.stack, impl: String(r.result!.impl ?? '?'),
    value: typeof field === 'function' ? field(r.result!) : Number(r.result![field]),
  }));
}

/** Detail rows of peer runs: the peer's own numbers (keys in `fields`), or why it was skipped. */
export function peerRows(name: string, runs: PeerRun[], fields: string[]): BenchResult[] {
  return runs.map((r) => {
    if (!r.result) return { name, impl: `${r.stack} peer`, seconds: NaN, skipped: r.reason };
    const row: BenchResult = { name, impl: `${r.stack} ${String(r.result.impl)}`, seconds: Number(r.result.seconds ?? NaN) };
    for (const f of fields) row[f] = r.result[f];
    return row;
  });
}

/**
 * Rounds of each throughput comparison in a full run: ours and every peer stack take turns this many times, so that
 * a slow spell of the shared machine (runs here vary by ±20 %) falls on both sides; the versus row compares the
 * medians and lists every round's ratio. Quick runs (tests, smoke checks) take one round.
 */
export const ROUNDS = 3;

/** Rounds for a run in `quick` mode or not ({@link ROUNDS}). */
export function roundsFor(quick: boolean): number {
  return quick ? 1 : ROUNDS;
}

/** The median of `xs` (the mean of the middle two for an even count; NaN when empty). */
export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b), h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** What {@link alternate} measured: ours (one value per round) and the peer runs of each round. */
export interface Rounds<T> { ours: T[]; peers: PeerRun[][] }

/**
 * `n` rounds, each measuring ours (`ours(round)`) and then every peer stack (`peers(round)`), in that order: the two
 * sides alternate instead of ours running n times and then the peers n times.
 */
export async function alternate<T>(n: number, ours: (round: number) => Promise<T>, peers: (round: number) => PeerRun[]): Promise<Rounds<T>> {
  const out: Rounds<T> = { ours: [], peers: [] };
  for (let i = 0; i < n; i++) {
    out.ours.push(await ours(i));
    out.peers.push(peers(i));
  }
  return out;
}

/**
 * The versus row of a throughput comparison measured in rounds ({@link alternate}): ours and each stack's value are
 * medians over the rounds (a stack counts in the rounds it ran), `ratio_rounds` holds each round's ours / best peer
 * and `ours_rounds` our values; the rest as {@link versusRow}.
 */
export function versusRounds(o: { name: string; metric: string; ours: number[]; peers: PeerRun[][]; field: string; target?: number }): BenchResult {
  const perRound = o.peers.map((runs) => peerValues(runs, o.field));
  const stacks = [...new Set(perRound.flat().map((p) => p.stack))];
  const peers: PeerValue[] = stacks.map((stack) => {
    const vals = perRound.flatMap((r) => r.filter((p) => p.stack === stack));
    return { stack, impl: vals[0].impl, value: median(vals.map((p) => p.value)) };
  });
  const ratios = perRound.map((r, i) => {
    const best = Math.max(...r.map((p) => p.value).filter((v) => Number.isFinite(v) && v > 0));
    return Number.isFinite(best) ? o.ours[i] / best : NaN;
  });
  return versusRow({ name: o.name, metric: o.metric, sense: 'rate', ours: median(o.ours), peers, target: o.target,
    extra: { rounds: o.ours.length, ours_rounds: o.ours, ratio_rounds: ratios } });
}

/** Detail rows of every round's peer runs ({@link peerRows}), each with its round number. */
export function peerRoundRows(name: string, rounds: PeerRun[][], fields: string[]): BenchResult[] {
  return rounds.flatMap((runs, i) => peerRows(name, runs, fields).map((r) => ({ ...r, round: i + 1 })));
}

/** Seconds taken by `fn` (wall clock, one run). */
export async function timeIt<T>(fn: () => T | Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, value };
}
