/**
 * `npm run bench` — every area's benchmark, with the Python peers (scikit-learn, PyTorch, numpy) of each peer stack
 * (Debian's and build/peers-venv's, see bench/common.ts) run side by side on the same arrays in the same run.
 * Prints each area's rows, then the speed table (our number, each stack's, ours / the best peer's, the target; for
 * throughput rows, medians over rounds in which the two sides take turns, and each round's ratio),
 * and writes build/bench/bench-<time>.json (and latest.json) with the peers' library versions and BLAS kernels.
 *   npm run bench [-- --quick] [-- --only toy|mlp|dictionary|sparse|gemm|stream]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend, describeBackend } from '../src/core/backend';
import { kernelVariant } from '../src/compute/wasm';
import { BenchResult, PEER_THREADS, peerStacks, runPeerOn } from './common';
import { plotScaling } from './plot';
import { closeRenderer } from '../src/viz/render';

const AREAS = ['toy', 'mlp', 'dictionary', 'sparse', 'gemm', 'stream'];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const onlyIdx = argv.indexOf('--only');
  const only = onlyIdx >= 0 ? argv[onlyIdx + 1] : undefined;
  const backend = await initBackend();
  console.log(`bench: ${describeBackend(backend)}; engine kernels ${kernelVariant() ?? 'none (no WebAssembly SIMD)'}${kernelVariant() === 'fma' ? ' (WORKBOOK_FMA=1)' : ''}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}); ${quick ? 'quick' : 'full'} mode`);
  const peers = describePeers();
  if (only && !AREAS.includes(only)) throw new Error(`--only ${only}: no such area; areas are ${AREAS.join(', ')}`);
  const all: (BenchResult & { area: string })[] = [];
  for (const area of AREAS) {
    if (only && area !== only) continue;
    const file = path.join(__dirname, `${area}.ts`);
    if (!fs.existsSync(file)) continue;
    console.log(`\n== ${area} ==`);
    const mod = require(file) as { bench(o: { quick: boolean }): Promise<BenchResult[]> };
    const rows = await mod.bench({ quick });
    for (const r of rows) all.push({ area, ...r });
    printTable(rows.filter((r) => !r.versus));
  }
  const versus = all.filter((r) => r.versus);
  if (versus.length) {
    console.log(`\n== speed table (ours / best peer; peers on ${PEER_THREADS} threads, OPENBLAS_CORETYPE/L2_SIZE unset for them) ==`);
    printTable(versus.map(speedRow));
  }
  const out = path.join(__dirname, '..', 'build', 'bench');
  fs.mkdirSync(out, { recursive: true });
  const doc = { date: new Date().toISOString(), quick, backend: backend.name, kernels: kernelVariant(), node: process.version, cpus: os.cpus().length, peers, results: all };
  const file = path.join(out, `bench-${doc.date.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(doc, null, 1));
  fs.writeFileSync(path.join(out, 'latest.json'), JSON.stringify(doc, null, 1));
  console.log(`\nbench: wrote ${path.relative(process.cwd(), file)}`);
  try {
    const figs = await plotScaling(file, [out]);
    if (figs.length) console.log(`bench: scaling figure ${figs.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
  } catch (e) {
    console.log(`bench: no scaling figure (${(e as Error).message})`);
  } finally {
    await closeRenderer();
  }
}

/** Print and return each peer stack's Python, library versions and BLAS kernel (bench/peers/peer_env.py). */
function describePeers(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const stack of peerStacks()) {
    const r = runPeerOn(stack, 'peer_env.py', [], 120);
    const env = r.result?.env as { python: string; libs: Record<string, string>; blas: unknown; torch?: { threads: number; blas: string } } | undefined;
    out[stack.label] = env ?? { skipped: r.reason };
    if (!env) { console.log(`peers ${stack.label}: ${r.reason}`); continue; }
    const blas = Array.isArray(env.blas)
      ? (env.blas as { internal_api: string; version: string; architecture?: string; num_threads: number }[])
        .map((b) => `${b.internal_api} ${b.version ?? ''} ${b.architecture ?? ''} (${b.num_threads} threads)`.replace(/\s+/g, ' ')).join('; ')
      : String(env.blas);
    console.log(`peers ${stack.label}: ${env.python}; ${Object.entries(env.libs).map(([k, v]) => `${k} ${v}`).join(', ')}; ` +
      `BLAS ${blas}${env.torch ? `; torch ${env.torch.threads} threads, ${env.torch.blas}` : ''}`);
  }
  if (!Object.keys(out).length) console.log('peers: no peer Python found (run node environment/setup.mjs --peers)');
  return out;
}

/** A versus row as a line of the speed table. */
function speedRow(r: BenchResult): Record<string, unknown> {
  const ratio = typeof r.ratio_vs_best === 'number' ? r.ratio_vs_best : undefined;
  return {
    benchmark: r.name, metric: r.metric, ours: r.ours,
    debian: r.debian === undefined ? 'n/a' : `${fmt(r.debian)} (${String(r.debian_impl)})`,
    venv: r.venv === undefined ? 'n/a' : `${fmt(r.venv)} (${String(r.venv_impl)})`,
    best_peer: r.best_peer ?? 'none', 'ours/best': ratio,
    'each round': Array.isArray(r.ratio_rounds) ? (r.ratio_rounds as number[]).map((x) => x.toFixed(2)).join(', ') : '',
    target: r.target ?? '', met: r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  };
}

function fmt(v: unknown): string {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v === undefined ? '' : String(v);
}

function printTable(rows: Record<string, unknown>[]): void {
  if (!rows.length) return;
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = fmt;
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k]).length)));
  console.log(keys.map((k, i) => k.padEnd(widths[i])).join('  '));
  for (const r of rows) console.log(keys.map((k, i) => cell(r[k]).padEnd(widths[i])).join('  '));
}

main().catch((e) => { console.error(e); process.exit(1); });
