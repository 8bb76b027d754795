/**
 * The figure type shared by every builder in `viz/`, and the house style they all use.
 *
 * A figure is a plain plotly.js spec (`{data, layout, config}`), JSON-serialisable (no typed arrays,
 * no functions), so it can go into a notebook as `application/vnd.plotly.v1+json`, be rendered to
 * SVG/PNG by headless Chromium, and be re-rendered later from the saved notebook.
 */
import { ValueError } from '../core/errors';

/** One plotly trace (scatter, heatmap, bar, contour…), as a plain JSON object. */
export type PlotlyTrace = Record<string, unknown>;

/** A plotly.js figure spec. `layout.width`/`layout.height` (CSS px) are always set by the builders. */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** Options common to every builder. */
export interface FigureOptions {
  /** Figure title (required: every figure says what it shows). */
  title: string;
  /** File name (without extension) for the static export; default: a slug of the title. */
  name?: string;
  /** Size in CSS pixels (defaults depend on the figure kind; PNGs are rendered at 2× this). */
  width?: number;
  height?: number;
}

/** A horizontal (`axis: 'y'`) or vertical (`axis: 'x'`) reference line, e.g. a chance level or a bound. */
export interface RefLine {
  axis: 'x' | 'y';
  value: number;
  /** Text drawn next to the line (e.g. 'chance 0.5'). */
  label?: string;
  dash?: 'dash' | 'dot' | 'dashdot' | 'solid';
  color?: string;
}

/** Options of builders that draw x/y axes. Axis titles should carry units, e.g. 'λ (penalty)' or 'time (s)'. */
export interface AxesOptions extends FigureOptions {
  xTitle: string;
  yTitle: string;
  xType?: 'linear' | 'log';
  yType?: 'linear' | 'log';
  xRange?: [number, number];
  yRange?: [number, number];
  refLines?: RefLine[];
}

/** Colour-blind-safe categorical palette (Okabe–Ito, then Tableau-like extras). */
export const PALETTE = [
  '#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442',
  '#8C564B', '#7F7F7F', '#BCBD22', '#17BECF',
] as const;

/** Diverging colour scale (ColorBrewer RdBu, blue = negative, white = 0, red = positive). */
export const DIVERGING_SCALE: Array<[number, string]> = [
  [0, '#053061'], [0.1, '#2166ac'], [0.2, '#4393c3'], [0.3, '#92c5de'], [0.4, '#d1e5f0'], [0.5, '#f7f7f7'],
  [0.6, '#fddbc7'], [0.7, '#f4a582'], [0.8, '#d6604d'], [0.9, '#b2182b'], [1, '#67001f'],
];

/** Sequential colour scale for probabilities and magnitudes (viridis). */
export const SEQUENTIAL_SCALE = 'Viridis';

/** Grey scale for images: 0 = black, 1 = white. */
export const GREY_SCALE: Array<[number, string]> = [[0, '#000000'], [1, '#ffffff']];

/** Font sizes of the house style (px). */
export const FONT = { family: 'Liberation Sans, Arial, Helvetica, sans-serif', size: 14, title: 18, small: 11 } as const;

/** Colour `i` of the palette (cycling). */
export function paletteColor(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** `#rrggbb` → `rgba(r,g,b,alpha)`. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return color;
  return `rgba(${parseInt(m[1], 16)},${parseInt(m[2], 16)},${parseInt(m[3], 16)},${alpha})`;
}

/** A file-name slug of a title: lower case ASCII, words joined by '-', at most 60 characters. */
export function slugify(s: string): string {
  const map: Record<string, string> = { 'ᵀ': 't', 'λ': 'lambda', 'ρ': 'rho', 'δ': 'delta', '×': 'x', '²': '2', '‖': '' };
  const t = s.normalize('NFKD').replace(/[ᵀλρδ×²‖]/g, (c) => map[c] ?? '').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return (t.slice(0, 60).replace(/-+$/, '') || 'figure');
}

/** The title text of a figure ('' if none). */
export function figureTitle(fig: PlotlyFigure): string {
  const t = fig.layout.title;
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text;
  return '';
}

/** The export name of a figure: `layout.meta.name` if a builder stored one, else a slug of its title. */
export function figureName(fig: PlotlyFigure): string {
  const meta = fig.layout.meta as { name?: unknown } | undefined;
  if (meta && typeof meta.name === 'string' && meta.name) return slugify(meta.name);
  return slugify(figureTitle(fig).replace(/<[^>]+>/g, ' '));
}

/** Figure size in CSS px (layout width/height, defaults 760×480). */
export function figureSize(fig: PlotlyFigure): { width: number; height: number } {
  const w = Number(fig.layout.width);
  const h = Number(fig.layout.height);
  return { width: Number.isFinite(w) && w > 0 ? w : 760, height: Number.isFinite(h) && h > 0 ? h : 480 };
}

/** A one-line description of a figure: its title, kind of traces and size. */
export function describeFigure(fig: PlotlyFigure): string {
  const kinds = [...new Set(fig.data.map((t) => String(t.type ?? 'scatter')))];
  const named = fig.data.filter((t) => t.showlegend !== false && typeof t.name === 'string' && t.name).length;
  const { width, height } = figureSize(fig);
  const title = figureTitle(fig).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() || '(untitled)';
  return `Figure: ${title} — ${kinds.join('+')}${named > 1 ? `, ${named} series` : ''}, ${width}×${height}px`;
}

/** Round to `sig` significant digits (keeps figure JSON small); non-finite values become null (a gap). */
export function roundSig(v: number, sig = 5): number | null {
  if (!Number.isFinite(v)) return null;
  if (v === 0) return 0;
  return Number(v.toPrecision(sig));
}

/** A plain JSON array from any array-like of numbers, rounded to `sig` significant digits. */
export function plainArray(a: ArrayLike<number>, sig = 5): Array<number | null> {
  const out = new Array<number | null>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = roundSig(a[i], sig);
  return out;
}

/** Check a user-supplied array-like of numbers has the expected length. */
export function checkLength(what: string, a: ArrayLike<number>, n: number): void {
  if (a.length !== n) throw new ValueError(`${what} has ${a.length} values but ${n} are needed (one per x value)`);
}

/** Axis layout in the house style. */
export function axisLayout(title: string, opts: { type?: 'linear' | 'log'; range?: [number, number] } = {}): Record<string, unknown> {
  const ax: Record<string, unknown> = {
    title: { text: title, font: { size: FONT.size + 1 } },
    type: opts.type ?? 'linear',
    showline: true, linecolor: '#444', mirror: false, ticks: 'outside', tickcolor: '#444',
    gridcolor: '#e6e6e6', zeroline: false, automargin: true,
  };
  if (opts.range) {
    ax.range = opts.type === 'log' ? opts.range.map((v) => Math.log10(v)) : opts.range;
  }
  return ax;
}

/** The base layout of every figure: title, fonts, white background, margins, size, legend. */
export function baseLayout(opts: FigureOptions, defaults: { width: number; height: number; legend?: boolean }): Record<string, unknown> {
  if (typeof opts.title !== 'string' || !opts.title.trim()) {
    throw new ValueError('every figure needs a title: pass { title: "…" }');
  }
  const layout: Record<string, unknown> = {
    title: { text: opts.title, font: { size: FONT.title }, x: 0.5, xanchor: 'center' },
    font: { family: FONT.family, size: FONT.size, color: '#222' },
    width: opts.width ?? defaults.width,
    height: opts.height ?? defaults.height,
    paper_bgcolor: '#ffffff', plot_bgcolor: '#ffffff',
    margin: { l: 70, r: 30, t: 60, b: 60 },
    showlegend: defaults.legend ?? false,
    legend: { bgcolor: 'rgba(255,255,255,0.85)', bordercolor: '#ccc', borderwidth: 1, font: { size: FONT.size - 1 } },
    hovermode: 'closest',
  };
  if (opts.name) layout.meta = { name: opts.name };
  return layout;
}

/** Layout for an x/y figure: base layout plus both axes and reference lines. */
export function xyLayout(opts: AxesOptions, defaults: { width: number; height: number; legend?: boolean }): Record<string, unknown> {
  const layout = baseLayout(opts, defaults);
  layout.xaxis = axisLayout(opts.xTitle, { type: opts.xType, range: opts.xRange });
  layout.yaxis = axisLayout(opts.yTitle, { type: opts.yType, range: opts.yRange });
  if (opts.refLines?.length) addRefLines(layout, opts.refLines);
  return layout;
}

/** Add reference lines (with labels) to a layout, on the first x/y axes. */
export function addRefLines(layout: Record<string, unknown>, lines: RefLine[]): void {
  const shapes = (layout.shapes as unknown[] | undefined) ?? [];
  const annotations = (layout.annotations as unknown[] | undefined) ?? [];
  for (const l of lines) {
    const color = l.color ?? '#555';
    const line = { color, width: 1.5, dash: l.dash ?? 'dash' };
    if (l.axis === 'y') {
      shapes.push({ type: 'line', xref: 'x domain', yref: 'y', x0: 0, x1: 1, y0: l.value, y1: l.value, line, layer: 'below' });
      if (l.label) {
        annotations.push({ xref: 'x domain', yref: 'y', x: 1, y: l.value, text: l.label, showarrow: false,
          xanchor: 'right', yanchor: 'bottom', font: { size: FONT.small + 1, color } });
      }
    } else {
      shapes.push({ type: 'line', xref: 'x', yref: 'y domain', x0: l.value, x1: l.value, y0: 0, y1: 1, line, layer: 'below' });
      if (l.label) {
        annotations.push({ xref: 'x', yref: 'y domain', x: l.value, y: 1, text: l.label, showarrow: false,
          xanchor: 'left', yanchor: 'top', textangle: 0, font: { size: FONT.small + 1, color } });
      }
    }
  }
  layout.shapes = shapes;
  layout.annotations = annotations;
}

/**
 * Put the legend horizontally under the plot, below the x-axis title (plotly positions legends in
 * fractions of the plot area, so the offset in px is converted with the figure's size and margins).
 */
export function legendBelow(layout: Record<string, unknown>, rows = 1): void {
  const margin = (layout.margin as { t: number; b: number; l: number; r: number } | undefined) ?? { t: 60, b: 60, l: 70, r: 30 };
  const b = Math.max(margin.b, 100 + 22 * (rows - 1));
  layout.margin = { ...margin, b };
  const plotH = Math.max(50, Number(layout.height) - margin.t - b);
  layout.legend = { ...(layout.legend as object), orientation: 'h', x: 0, xanchor: 'left', y: -68 / plotH, yanchor: 'top' };
}

/** Default plotly config: responsive, no plotly logo, PNG download at 2×. */
export function defaultConfig(name: string): Record<string, unknown> {
  return { responsive: true, displaylogo: false, toImageButtonOptions: { format: 'png', filename: name, scale: 2 } };
}

/** Assemble a figure from traces and layout. */
export function makeFigure(data: PlotlyTrace[], layout: Record<string, unknown>): PlotlyFigure {
  const fig: PlotlyFigure = { data, layout };
  fig.config = defaultConfig(figureName(fig));
  return fig;
}
