/**
 * `show(figure | table)`: put a figure or a table in the notebook, in a form every front end can draw,
 * and write the figure's static SVG/PNG.
 *
 * In the tslab kernel a figure becomes ONE display_data output with
 *   - `application/vnd.plotly.v1+json` — interactive in JupyterLab / Notebook 7 (plotly renderer extension)
 *     and VS Code, also in saved, untrusted notebooks;
 *   - `image/png` — rendered by headless Chromium, drawn by everything else (GitHub, nbviewer, classic
 *     Notebook, JupyterLab without the extension);
 *   - `text/plain` — a one-line description.
 * `{html: true}` adds `text/html` with plotly.js inlined (for classic Notebook users; note it is blank in
 * untrusted notebooks and front ends prefer it over the PNG). Outside a kernel, show() prints the
 * description. In both cases the figure is written to `figures/<notebook>/<name>.svg|png` (see export.ts).
 */
import fs from 'node:fs';
import { ValueError } from '../core/errors';
import { PlotlyFigure, describeFigure, figureName, figureSize } from './figure';
import { DisplayBundle, KernelWriter, kernelWriter, tslabVersion, TSLAB_TESTED_VERSIONS } from './kernel';
import { RenderedFigure, renderFigure, rendererStatus } from './render';
import { StaticPaths, displayPath, writeStatics } from './export';
import { AnyTable, isTable, tableBundle, TableDisplayOptions } from './table';

/** Options of {@link show}. */
export interface ShowOptions extends TableDisplayOptions {
  /** File name of the static export (default: the figure's name or a slug of its title). */
  name?: string;
  /**
   * Add `text/html` with plotly.js inlined, for classic Notebook. `true`: the library is inlined in the
   * first such figure of the kernel session only (~5 MB); `'always'`: in every one.
   */
  html?: boolean | 'always';
  /** Write the static SVG/PNG files (default true). */
  static?: boolean;
}

const said = new Set<string>();
/** Print a notice once per process. */
function sayOnce(key: string, msg: string): void {
  if (said.has(key)) return;
  said.add(key);
  console.log(msg);
}

let plotlyInlined = false;

/** A standalone HTML snippet drawing the figure with plotly.js (inlined if `inline`). */
export function plotlyHtml(fig: PlotlyFigure, inline: boolean): string {
  const id = `sw-plot-${Math.random().toString(36).slice(2, 10)}`;
  const { width, height } = figureSize(fig);
  const json = (v: unknown) => JSON.stringify(v ?? {}).replace(/</g, '\\u003c');
  let lib = '';
  if (inline) {
    const src = fs.readFileSync(require.resolve('plotly.js-dist'), 'utf8').replace(/<\/script/gi, '<\\/script');
    // Hide CommonJS/AMD globals (classic Notebook has require.js) so plotly.js sets window.Plotly.
    lib = `<script type="text/javascript">(function(){var module=undefined,exports=undefined,define=undefined;\n${src}\n}).call(window);</script>\n`;
  }
  return `<div id="${id}" style="width:${width}px;height:${height}px"></div>\n${lib}<script type="text/javascript">` +
    `(function(){var n=0;function draw(){var P=window.Plotly;if(!P){if(n++<200)setTimeout(draw,50);return;}` +
    `P.newPlot(${json(id)},${json(fig.data)},${json(fig.layout)},${json(fig.config)});}draw();})();</script>`;
}

/**
 * The display bundle of a figure: plotly JSON + PNG (if rendered) + a one-line text (+ HTML on request).
 * The PNG is the 1× rendering when there is one (`pngNotebook`); `metadata['image/png']` gives the CSS size.
 */
export function figureBundle(fig: PlotlyFigure, rendered: RenderedFigure | null, opts: { html?: boolean | 'always'; text?: string } = {}): DisplayBundle {
  const data: Record<string, unknown> = {
    'application/vnd.plotly.v1+json': { data: fig.data, layout: fig.layout, config: fig.config ?? {} },
    'text/plain': opts.text ?? describeFigure(fig),
  };
  const metadata: Record<string, unknown> = { 'superposition-workbook': { name: figureName(fig) } };
  if (rendered) {
    data['image/png'] = (rendered.pngNotebook ?? rendered.png).toString('base64');
    metadata['image/png'] = { width: rendered.width, height: rendered.height };
  }
  if (opts.html) {
    const inline = opts.html === 'always' || !plotlyInlined;
    data['text/html'] = plotlyHtml(fig, inline);
    if (inline) plotlyInlined = true;
  }
  return { data, metadata, transient: {} };
}

/** True for a plotly figure spec `{data: [...], layout: {...}}`. */
export function isFigure(x: unknown): x is PlotlyFigure {
  return typeof x === 'object' && x !== null && Array.isArray((x as PlotlyFigure).data) &&
    typeof (x as PlotlyFigure).layout === 'object' && (x as PlotlyFigure).layout !== null;
}

function emit(bundle: DisplayBundle, w: KernelWriter | null): boolean {
  if (!w) return false;
  if (!w.current()) {
    sayOnce('not-awaited', 'show() finished after its cell had ended, so the figure may be missing from the saved notebook: ' +
      'write `await show(...)`.');
  }
  if (w.via === 'public') {
    sayOnce('tslab-public', `show(): tslab ${tslabVersion()} has no internal display writer (tested with ${TSLAB_TESTED_VERSIONS.join(', ')}); ` +
      'each figure is shown as a PNG only.');
  }
  w.write(bundle);
  return true;
}

async function showFigure(fig: PlotlyFigure, opts: ShowOptions): Promise<void> {
  const name = opts.name ?? figureName(fig);
  const wantStatic = opts.static ?? true;
  const writer = kernelWriter();
  const inKernel = writer !== null;
  let rendered: RenderedFigure | null = null;
  let paths: StaticPaths | null = null;
  if (inKernel || wantStatic) {
    const status = rendererStatus();
    if (!status.available) {
      sayOnce('static-off', `Static images are off: ${status.reason}. Figures are still shown interactively; no PNG/SVG files are written.`);
    } else {
      try {
        rendered = await renderFigure(fig, { notebookPng: inKernel });
        if (wantStatic) paths = writeStatics(rendered, name);
      } catch (e) {
        sayOnce('static-failed', `Static images are off: rendering in Chromium failed (${(e as Error).message}). Figures are still shown interactively.`);
      }
    }
  }
  const text = describeFigure(fig) + (paths ? ` (saved ${displayPath(paths.png)})` : '');
  if (!emit(figureBundle(fig, rendered, { html: opts.html, text }), writer)) console.log(text);
}

/**
 * Show a plotly figure (from the builders in viz/) or an arquero table in the notebook. Always
 * `await show(x)`: the figure's PNG is rendered asynchronously and the output must be written while the
 * cell runs. Outside a kernel it prints a one-line description. Figures are also written as SVG and PNG
 * to `figures/<notebook>/<name>.*` (unless `{static: false}`).
 */
export async function show(x: PlotlyFigure | AnyTable, opts: ShowOptions = {}): Promise<void> {
  if (isTable(x)) {
    const b = tableBundle(x, opts);
    if (!emit(b, kernelWriter())) console.log(String(b.data['text/plain']));
    return;
  }
  if (!isFigure(x)) throw new ValueError('show: expected a figure ({data, layout}, from a viz builder) or an arquero table');
  await showFigure(x, opts);
}
