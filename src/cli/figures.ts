/**
 * `superposition figures`: re-render every plotly figure found in executed notebooks to
 * `<out>/<notebook>/<name>.svg` and `.png` (the same names show() uses), with one headless Chromium.
 */
import path from 'node:path';
import { OptionSpec, parseCommandLine } from './args';
import { projectRoot } from './paths';
import { closeRenderer, findNotebooks, notebookFigures, renderFigure, rendererStatus, writeStatics } from '../index';

export const summary = 'render every figure of the executed notebooks to figures/<notebook>/<name>.svg and .png';

const SPEC: Record<string, OptionSpec> = {
  notebooks: { type: 'string', help: 'folder of executed notebooks (searched recursively)', default: 'build/notebooks' },
  out: { type: 'string', help: 'output folder', default: 'figures' },
  scale: { type: 'number', help: 'PNG pixel ratio', default: 2, above: 0 },
  help: { type: 'boolean', help: 'show this help' },
};

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('figures', 'superposition figures [options]', SPEC, argv);
  if (typeof parsed === 'number') return parsed;
  const { options } = parsed;
  const root = projectRoot();
  const nbDir = path.resolve(root, String(options.notebooks));
  const outDir = path.resolve(root, String(options.out));
  const files = findNotebooks(nbDir);
  if (!files.length) {
    console.error(`superposition figures: no executed notebooks (*.ipynb) under ${nbDir}; run 'npm run workbook' first or pass --notebooks`);
    return 1;
  }
  const status = rendererStatus();
  if (!status.available) {
    console.error(`superposition figures: cannot render: ${status.reason}`);
    return 1;
  }
  const t0 = Date.now();
  let count = 0;
  let failed = 0;
  try {
    for (const f of files) {
      const figs = notebookFigures(f);
      for (const fig of figs) {
        try {
          const r = await renderFigure(fig.figure, { scale: Number(options.scale) });
          writeStatics(r, fig.name, { dir: outDir, notebook: fig.notebook });
          count++;
        } catch (e) {
          failed++;
          console.error(`  ${fig.notebook}/${fig.name} (cell ${fig.cell}): ${(e as Error).message}`);
        }
      }
      console.log(`${path.relative(root, f) || f}: ${figs.length} figure${figs.length === 1 ? '' : 's'}`);
    }
  } finally {
    await closeRenderer();
  }
  const rel = path.relative(root, outDir);
  console.log(`${count} figures written to ${rel && !rel.startsWith('..') ? rel : outDir}/ in ${((Date.now() - t0) / 1000).toFixed(1)} s` +
    (failed ? `; ${failed} failed` : ''));
  return failed ? 1 : 0;
}
