// Renders figures in headless Chromium (one browser for the whole file) and checks the images.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  barFigure, closeRenderer, decodePng, exportFigure, figureBundle, heatmapFigure, imageGridFigure, nonWhiteFraction,
  pngSize, renderFigure, rendererStatus, show, DisplayBundle, PlotlyFigure,
} from '../../src/viz';

const status = rendererStatus();
const skip = status.available ? false : `static rendering unavailable: ${status.reason}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'viz-render-'));
// Started at once, so its browser starts while this file's tests run: a script that shows a figure and ends.
const exitCheck = skip ? null : new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
  const script = `const v = require(${JSON.stringify(path.resolve(__dirname, '../../src/viz'))});
    v.show(v.barFigure(['a'], [{ name: 'v', values: [1] }], { title: 'Exit check', xTitle: 'c', yTitle: 'v' }));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: path.resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WORKBOOK_FIGURES_DIR: path.join(tmp, 'exit'), WORKBOOK_NOTEBOOK: 'exit' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const timer = setTimeout(() => { child.kill('SIGKILL'); }, 120_000);
  child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
});
after(async () => { await closeRenderer(); fs.rmSync(tmp, { recursive: true, force: true }); });

/** Fraction of pixels within ±12 per channel of an RGB colour. */
function colourFraction(png: Buffer, rgb: [number, number, number]): number {
  const img = decodePng(png);
  let n = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    const p = i * img.channels;
    if (Math.abs(img.pixels[p] - rgb[0]) <= 12 && Math.abs(img.pixels[p + 1] - rgb[1]) <= 12 && Math.abs(img.pixels[p + 2] - rgb[2]) <= 12) n++;
  }
  return n / (img.width * img.height);
}

test('a bar chart renders to a valid PNG at 2× its CSS size with the bar colour, and to SVG with its title', { skip }, async () => {
  const fig = barFigure(['a', 'b', 'c'], [{ name: 'v', values: [1, 2, 3], color: '#D55E00' }], { title: 'Render check', xTitle: 'category', yTitle: 'value (units)' });
  const r = await renderFigure(fig);
  assert.deepEqual(pngSize(r.png), { width: 1520, height: 920 });
  const img = decodePng(r.png);
  const ink = nonWhiteFraction(img);
  assert.ok(ink > 0.05 && ink < 0.6, `non-white fraction ${ink.toFixed(3)}`);
  const orange = colourFraction(r.png, [0xd5, 0x5e, 0x00]);
  assert.ok(orange > 0.05, `bars cover ${(100 * orange).toFixed(1)} % of the image`);
  assert.match(r.svg, /^<svg[^>]*width="760"[^>]*height="460"/);
  assert.match(r.svg, />Render check</);
  assert.match(r.svg, />value \(units\)</);
});

test('a figure with nothing drawn renders (almost) all white: the ink check can fail', { skip }, async () => {
  const blank: PlotlyFigure = { data: [], layout: { width: 300, height: 200, xaxis: { visible: false }, yaxis: { visible: false } } };
  const r = await renderFigure(blank, { scale: 1 });
  assert.deepEqual(pngSize(r.png), { width: 300, height: 200 });
  assert.ok(nonWhiteFraction(decodePng(r.png)) < 0.001);
});

test('heatmap and image grid render with their colours (diverging red/blue, grey images)', { skip }, async () => {
  const h = await renderFigure(heatmapFigure([[1, -1], [-1, 1]], { title: 'G', xTitle: 'j', yTitle: 'i', colorTitle: 'v' }), { scale: 1 });
  assert.ok(colourFraction(h.png, [0x67, 0x00, 0x1f]) > 0.05, 'dark red cells');
  assert.ok(colourFraction(h.png, [0x05, 0x30, 0x61]) > 0.05, 'dark blue cells');
  const g = await renderFigure(imageGridFigure([[0, 0, 0, 0], [1, 1, 1, 1].map((v, i) => v * i)], { title: 'I', h: 2, w: 2 }), { scale: 1 });
  assert.ok(colourFraction(g.png, [0, 0, 0]) > 0.02, 'black pixels of the images');
});

test('exportFigure writes <dir>/<notebook>/<name>.svg and .png; many figures share one browser', { skip }, async () => {
  const t0 = Date.now();
  const n = 6;
  for (let i = 0; i < n; i++) {
    const fig = barFigure(['a'], [{ name: 'v', values: [i + 1] }], { title: `Bar ${i}`, xTitle: 'c', yTitle: 'v' });
    const p = await exportFigure(fig, { dir: tmp, notebook: 'nb' });
    assert.equal(p.png, path.join(tmp, 'nb', `bar-${i}.png`));
    assert.ok(fs.statSync(p.svg).size > 1000);
    assert.deepEqual(pngSize(fs.readFileSync(p.png)), { width: 1520, height: 920 });
  }
  console.log(`# ${n} figures exported in ${Date.now() - t0} ms (browser already running; other work on the machine)`);
});

test('show() outside a kernel prints the description and writes figures/<WORKBOOK_NOTEBOOK>/<name>.*', { skip }, async () => {
  process.env.WORKBOOK_FIGURES_DIR = path.join(tmp, 'figs');
  process.env.WORKBOOK_NOTEBOOK = 'notebooks/01_superposition.ipynb';
  const log = console.log;
  const printed: string[] = [];
  console.log = (s: string) => { printed.push(String(s)); };
  try {
    await show(barFigure(['a'], [{ name: 'v', values: [1] }], { title: 'Shown', xTitle: 'c', yTitle: 'v' }), { name: 'explicit name' });
  } finally {
    console.log = log;
    delete process.env.WORKBOOK_FIGURES_DIR;
    delete process.env.WORKBOOK_NOTEBOOK;
  }
  const png = path.join(tmp, 'figs', '01_superposition', 'explicit-name.png');
  assert.ok(fs.existsSync(png) && fs.existsSync(png.replace(/png$/, 'svg')));
  assert.equal(printed.length, 1);
  assert.match(printed[0], /^Figure: Shown — bar, 760×460px \(saved .*explicit-name\.png\)$/);
});

test('show() in a kernel: one display_data whose image/png is the figure at 1× (its CSS size)', { skip }, async () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: ((c: DisplayBundle, u: boolean) => void) | null };
  const calls: DisplayBundle[] = [];
  process.env.WORKBOOK_FIGURES_DIR = path.join(tmp, 'figs');
  jupyter.lastWriteDisplayData = (c) => { calls.push(c); };
  try {
    await show(barFigure(['a', 'b'], [{ name: 'v', values: [1, 2] }], { title: 'In kernel', xTitle: 'c', yTitle: 'v' }));
  } finally {
    jupyter.lastWriteDisplayData = null;
    delete process.env.WORKBOOK_FIGURES_DIR;
  }
  assert.equal(calls.length, 1);
  const b = calls[0];
  assert.deepEqual(Object.keys(b.data).sort(), ['application/vnd.plotly.v1+json', 'image/png', 'text/plain']);
  const png = Buffer.from(String(b.data['image/png']), 'base64');
  assert.deepEqual(pngSize(png), { width: 760, height: 460 });
  assert.ok(nonWhiteFraction(decodePng(png)) > 0.05);
  assert.deepEqual(b.metadata['image/png'], { width: 760, height: 460 });
  // The static file on disk stays at 2×.
  assert.deepEqual(pngSize(fs.readFileSync(path.join(tmp, 'figs', 'interactive', 'in-kernel.png'))), { width: 1520, height: 920 });
});

test('show() not awaited: the output still goes to the cell that called it, with a notice to await', { skip }, async () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: ((c: DisplayBundle, u: boolean) => void) | null };
  const cell1: DisplayBundle[] = [];
  const cell2: DisplayBundle[] = [];
  process.env.WORKBOOK_FIGURES_DIR = path.join(tmp, 'figs');
  const log = console.log;
  const printed: string[] = [];
  console.log = (s: string) => { printed.push(String(s)); };
  try {
    jupyter.lastWriteDisplayData = (c) => { cell1.push(c); };
    const pending = show(barFigure(['a'], [{ name: 'v', values: [1] }], { title: 'Late', xTitle: 'c', yTitle: 'v' }));
    jupyter.lastWriteDisplayData = (c) => { cell2.push(c); };   // the next cell starts before the PNG is ready
    await pending;
  } finally {
    jupyter.lastWriteDisplayData = null;
    console.log = log;
    delete process.env.WORKBOOK_FIGURES_DIR;
  }
  assert.equal(cell1.length, 1);
  assert.equal(cell2.length, 0);
  assert.ok(printed.some((s) => /await show/.test(s)));
});

test('superposition figures re-renders the plotly outputs of executed notebooks under the same names', { skip }, async () => {
  const nbDir = path.join(tmp, 'notebooks');
  fs.mkdirSync(nbDir, { recursive: true });
  const f1 = barFigure(['a'], [{ name: 'v', values: [1] }], { title: 'Same title', xTitle: 'c', yTitle: 'v' });
  const out = (b: DisplayBundle) => ({ output_type: 'display_data', data: b.data, metadata: b.metadata });
  const nb = {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [
      { cell_type: 'markdown', source: 'x', metadata: {} },
      { cell_type: 'code', source: '', metadata: {}, execution_count: 1, outputs: [out(figureBundle(f1, null)), out(figureBundle(f1, null))] },
      { cell_type: 'code', source: '', metadata: {}, execution_count: 2, outputs: [{ output_type: 'stream', name: 'stdout', text: 'hi' }] },
    ],
  };
  fs.writeFileSync(path.join(nbDir, '03_cs.ipynb'), JSON.stringify(nb));
  const { run } = await import('../../src/cli/figures');
  const log = console.log;
  console.log = () => undefined;
  let code: number;
  try {
    code = await run(['--notebooks', nbDir, '--out', path.join(tmp, 'out')]);
  } finally {
    console.log = log;
  }
  assert.equal(code, 0);
  assert.deepEqual(fs.readdirSync(path.join(tmp, 'out', '03_cs')).sort(),
    ['same-title-2.png', 'same-title-2.svg', 'same-title.png', 'same-title.svg']);
  assert.deepEqual(pngSize(fs.readFileSync(path.join(tmp, 'out', '03_cs', 'same-title.png'))), { width: 1520, height: 920 });
});

test('a plain script that shows a figure exits by itself (the idle browser does not keep it alive)', { skip }, async () => {
  const r = await exitCheck!;
  assert.equal(r.code, 0, `the script did not exit within 120 s (stderr: ${r.stderr.slice(-500)})`);
  assert.match(r.stdout, /Figure: Exit check/);
  assert.ok(fs.existsSync(path.join(tmp, 'exit', 'exit', 'exit-check.png')));
});
