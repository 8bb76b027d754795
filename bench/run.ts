/**
 * `npm run bench` — every area's benchmark, with the Python peers (scikit-learn, PyTorch) run side by side on the
 * same arrays in the same run. Writes build/bench/bench-<time>.json (and latest.json) and prints a table.
 *   npm run bench [-- --quick] [-- --only sparse]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend, describeBackend } from '../src/core/backend';
import { BenchResult } from './common';
import { plotScaling } from './plot';
import { closeRenderer } from '../src/viz/render';

const AREAS = ['sparse', 'dictionary'];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const onlyIdx = argv.indexOf('--only');
  const only = onlyIdx >= 0 ? argv[onlyIdx + 1] : undefined;
  const backend = await initBackend();
  console.log(`bench: ${describeBackend(backend)}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}); ${quick ? 'quick' : 'full'} mode`);
  const all: (BenchResult & { area: string })[] = [];
  for (const area of AREAS) {
    if (only && area !== only) continue;
    const file = path.join(__dirname, `${area}.ts`);
    if (!fs.existsSync(file)) continue;
    console.log(`\n== ${area} ==`);
    const mod = require(file) as { bench(o: { quick: boolean }): Promise<BenchResult[]> };
    const rows = await mod.bench({ quick });
    for (const r of rows) all.push({ area, ...r });
    printTable(rows);
  }
  const out = path.join(__dirname, '..', 'build', 'bench');
  fs.mkdirSync(out, { recursive: true });
  const doc = { date: new Date().toISOString(), quick, backend: backend.name, node: process.version, cpus: os.cpus().length, results: all };
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

function printTable(rows: BenchResult[]): void {
  if (!rows.length) return;
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v === undefined ? '' : String(v));
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k]).length)));
  console.log(keys.map((k, i) => k.padEnd(widths[i])).join('  '));
  for (const r of rows) console.log(keys.map((k, i) => cell(r[k]).padEnd(widths[i])).join('  '));
}

main().catch((e) => { console.error(e); process.exit(1); });
