/**
 * Histograms (binned in TypeScript, drawn as bars: small JSON, identical bins for every series) and bar charts.
 */
import { ValueError } from '../core/errors';
import {
  AxesOptions, PlotlyFigure, PlotlyTrace, FONT, checkLength, makeFigure, paletteColor, plainArray, xyLayout,
} from './figure';

/** One series of a histogram. */
export interface HistogramSeries {
  name: string;
  values: ArrayLike<number>;
  color?: string;
}

/** Options of {@link histogramFigure}. `yTitle` defaults to the normalisation's name. */
export interface HistogramOptions extends Omit<AxesOptions, 'yTitle'> {
  yTitle?: string;
  /** Number of equal-width bins over the pooled range (default 40). */
  bins?: number;
  /** Explicit bin edges (overrides `bins`). */
  edges?: number[];
  /** Bin log10 of the values; non-positive values are left out and counted in a note (e.g. dead features). */
  logX?: boolean;
  /** 'count' (default), 'fraction' (sums to 1 per series) or 'density' (integrates to 1). */
  normalise?: 'count' | 'fraction' | 'density';
}

/** Bin edges and per-bin counts; `outside` counts values left out (non-finite, or ≤ 0 when binning log10). */
export interface Binned { edges: number[]; counts: number[]; outside: number }

/** Histogram counts of `values` on `edges` (last bin closed on the right). */
export function binValues(values: ArrayLike<number>, edges: number[]): Binned {
  const k = edges.length - 1;
  if (k < 1) throw new ValueError('binValues: need at least two edges');
  const counts = new Array<number>(k).fill(0);
  let outside = 0;
  const lo = edges[0];
  const hi = edges[k];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v < lo || v > hi) { outside++; continue; }
    // Binary search for the bin: edges[b] <= v < edges[b+1].
    let a = 0;
    let b = k;
    while (b - a > 1) { const mid = (a + b) >> 1; if (v >= edges[mid]) a = mid; else b = mid; }
    counts[a]++;
  }
  return { edges, counts, outside };
}

/**
 * Histogram of one or more series on shared bins, overlaid with transparency. With `logX`, values are
 * binned as log10(v) and the axis shows 10^k; values ≤ 0 are left out and counted in a note on the figure.
 */
export function histogramFigure(series: HistogramSeries[], opts: HistogramOptions): PlotlyFigure {
  if (!series.length) throw new ValueError('histogramFigure: pass at least one series');
  const tf = (v: number) => (opts.logX ? (v > 0 ? Math.log10(v) : NaN) : v);
  const transformed = series.map((s) => Float64Array.from(s.values as ArrayLike<number>, tf));
  let edges = opts.edges ? opts.edges.map(tf) : undefined;
  if (!edges) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const t of transformed) for (const v of t) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
    if (hi === lo) { lo -= 0.5; hi += 0.5; }
    const k = opts.bins ?? 40;
    edges = Array.from({ length: k + 1 }, (_, i) => lo + ((hi - lo) * i) / k);
  }
  const norm = opts.normalise ?? 'count';
  const notes: string[] = [];
  const data: PlotlyTrace[] = series.map((s, i) => {
    const b = binValues(transformed[i], edges!);
    const total = transformed[i].length;
    const y = b.counts.map((c, j) => norm === 'count' ? c : norm === 'fraction' ? c / Math.max(1, total)
      : c / Math.max(1, total) / (edges![j + 1] - edges![j]));
    if (b.outside > 0) notes.push(`${s.name}: ${b.outside} of ${total} ${opts.logX ? 'values ≤ 0 (or non-finite)' : 'non-finite values'} not shown`);
    const centres = b.counts.map((_, j) => (edges![j] + edges![j + 1]) / 2);
    const widths = b.counts.map((_, j) => edges![j + 1] - edges![j]);
    const color = s.color ?? paletteColor(i);
    return { type: 'bar', name: s.name, x: plainArray(centres), y: plainArray(y), width: plainArray(widths),
      marker: { color, opacity: series.length > 1 ? 0.55 : 0.85, line: { color, width: 1 } } };
  });
  const yTitle = opts.yTitle ?? (norm === 'count' ? 'count' : norm === 'fraction' ? 'fraction of values' : 'density');
  const layout = xyLayout({ ...opts, yTitle, xType: 'linear' }, { width: 760, height: 460, legend: series.length > 1 });
  layout.barmode = 'overlay';
  layout.bargap = 0;
  if (opts.logX) {
    const lo = Math.floor(edges[0]);
    const hi = Math.ceil(edges[edges.length - 1]);
    const tickvals = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
    Object.assign(layout.xaxis as object, { tickvals, ticktext: tickvals.map((k) => `10<sup>${k}</sup>`) });
  }
  if (notes.length) {
    const ann = (layout.annotations as unknown[] | undefined) ?? [];
    ann.push({ xref: 'paper', yref: 'paper', x: 0, y: 1.01, xanchor: 'left', yanchor: 'bottom', showarrow: false,
      align: 'left', text: notes.join('<br>'), font: { size: FONT.small, color: '#555' } });
    layout.annotations = ann;
    layout.margin = { l: 70, r: 30, t: 60 + 14 * notes.length, b: 60 };
  }
  return makeFigure(data, layout);
}

/** One series of a bar chart: one value per category. */
export interface BarSeries {
  name: string;
  values: ArrayLike<number>;
  /** Symmetric error bars. */
  error?: ArrayLike<number>;
  color?: string;
}

/** Options of {@link barFigure}. */
export interface BarOptions extends AxesOptions {
  /** 'group' (side by side, default) or 'stack'. */
  barmode?: 'group' | 'stack';
  /** Horizontal bars (categories on the y axis). */
  horizontal?: boolean;
  /** Colour each bar of a single series by a value (e.g. superposition ∈ [0,1]) with a colour bar. */
  colorValues?: ArrayLike<number>;
  colorTitle?: string;
  colorRange?: [number, number];
}

/**
 * Bar chart: `categories` on one axis, one bar per category and series. Shapes: each series has
 * `categories.length` values.
 */
export function barFigure(categories: Array<string | number>, series: BarSeries[], opts: BarOptions): PlotlyFigure {
  if (!series.length) throw new ValueError('barFigure: pass at least one series');
  if (opts.colorValues && series.length !== 1) throw new ValueError('barFigure: colorValues needs exactly one series');
  const cats = categories.map(String);
  const data: PlotlyTrace[] = series.map((s, i) => {
    checkLength(`bar series '${s.name}'`, s.values, cats.length);
    const vals = plainArray(s.values);
    const t: PlotlyTrace = {
      type: 'bar', name: s.name,
      x: opts.horizontal ? vals : cats, y: opts.horizontal ? cats : vals, orientation: opts.horizontal ? 'h' : 'v',
      marker: { color: s.color ?? paletteColor(i) },
    };
    if (s.error) {
      checkLength(`bar series '${s.name}' error`, s.error, cats.length);
      t[opts.horizontal ? 'error_x' : 'error_y'] = { type: 'data', array: plainArray(s.error), color: '#333', thickness: 1.2 };
    }
    if (opts.colorValues) {
      checkLength('barFigure colorValues', opts.colorValues, cats.length);
      const [cmin, cmax] = opts.colorRange ?? [0, 1];
      t.marker = { color: plainArray(opts.colorValues), cmin, cmax, colorscale: 'Viridis', showscale: true,
        colorbar: { title: { text: opts.colorTitle ?? 'value', side: 'right' }, thickness: 16, outlinewidth: 0 } };
    }
    return t;
  });
  const layout = xyLayout(opts, { width: 760, height: opts.horizontal ? Math.max(360, 40 + 22 * cats.length) : 460,
    legend: series.length > 1 });
  layout.barmode = opts.barmode ?? 'group';
  const catAxis = (opts.horizontal ? layout.yaxis : layout.xaxis) as Record<string, unknown>;
  catAxis.type = 'category';
  catAxis.showgrid = false;
  if (opts.horizontal) catAxis.autorange = 'reversed';
  return makeFigure(data, layout);
}
