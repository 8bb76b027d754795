/**
 * Figures of a benchmark run: time against B, N and K for the sparse solvers (the `scaling …` rows), written to
 * build/bench/scaling.svg|png (and to docs/ with --docs, for the README).
 *   node --import tsx bench/plot.ts [build/bench/latest.json] [--docs]
 */
import fs from 'node:fs';
import path from 'node:path';
import { lineFigure, LineSeries } from '../src/viz/line';
import { gridFigure } from '../src/viz/grid';
import { exportFigure } from '../src/viz/export';
import { closeRenderer } from '../src/viz/render';

interface Row { area: string; name: string; impl: string; seconds: number; cpuSeconds?: number }

/** Parse "scaling B: N=256 M=64 B=128 K=5" into the varied letter and the sizes. */
function parseScaling(name: string): { varied: string; sizes: Record<string, number> } | null {
  const m = /^scaling (\w): (.*)$/.exec(name);
  if (!m) return null;
  const sizes: Record<string, number> = {};
  for (const kv of m[2].split(/\s+/)) { const [k, v] = kv.split('='); sizes[k] = Number(v); }
  return { varied: m[1], sizes };
}

export async function plotScaling(file: string, outDirs: string[]): Promise<string[]> {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { results: Row[]; quick: boolean; date: string };
  const panels = ['B', 'N', 'K'].filter((v) => doc.results.some((r) => parseScaling(r.name)?.varied === v)).map((v) => {
    const rows = doc.results.filter((r) => parseScaling(r.name)?.varied === v);
    const impls = [...new Set(rows.map((r) => r.impl))];
    const series: LineSeries[] = impls.map((impl) => {
      const rs = rows.filter((r) => r.impl === impl).sort((a, b) => parseScaling(a.name)!.sizes[v] - parseScaling(b.name)!.sizes[v]);
      return { name: impl, x: rs.map((r) => parseScaling(r.name)!.sizes[v]), y: rs.map((r) => r.cpuSeconds ?? r.seconds), mode: 'lines+markers' };
    });
    const fixed = rows.length ? Object.entries(parseScaling(rows[0].name)!.sizes).filter(([k]) => k !== v).map(([k, x]) => `${k}=${x}`).join(', ') : '';
    return lineFigure(series, { title: `varying ${v} (${fixed})`, xTitle: v, yTitle: 'CPU seconds', xType: 'log', yType: 'log' });
  });
  if (!panels.length) return [];
  const fig = gridFigure(panels, { title: `Sparse inference scaling (${doc.quick ? 'quick' : 'full'} bench)`, cols: 3 });
  const written: string[] = [];
  for (const dir of outDirs) {
    const p = await exportFigure(fig, { dir, notebook: '.', name: 'bench-scaling' });
    written.push(p.png);
  }
  return written;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--')) ?? path.join(__dirname, '..', 'build', 'bench', 'latest.json');
  const dirs = [path.join(__dirname, '..', 'build', 'bench')];
  if (args.includes('--docs')) dirs.push(path.join(__dirname, '..', 'docs'));
  plotScaling(file, dirs).then((w) => { console.log(w.length ? `wrote ${w.join(', ')}` : 'no scaling rows in this bench file'); return closeRenderer(); })
    .catch((e) => { console.error(e); process.exit(1); });
}
