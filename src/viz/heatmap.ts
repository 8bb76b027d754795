/**
 * Heatmaps (Gram matrices WᵀW with a diverging scale centred at 0) and phase diagrams (an empirical
 * probability map with theoretical curves and the empirical 50 % contour overlaid).
 */
import { ShapeError, ValueError } from '../core/errors';
import { Matrix, MatrixLike, toMatrix, toRows } from '../core/matrix';
import {
  AxesOptions, FigureOptions, PlotlyFigure, PlotlyTrace, DIVERGING_SCALE, FONT, SEQUENTIAL_SCALE, axisLayout,
  baseLayout, legendBelow, makeFigure, paletteColor, plainArray, roundSig, xyLayout,
} from './figure';

/** Options of {@link heatmapFigure}. */
export interface HeatmapOptions extends FigureOptions {
  xTitle: string;
  yTitle: string;
  /** Title of the colour bar, with units (e.g. 'inner product'). */
  colorTitle: string;
  /** Diverging scale centred at 0 with a symmetric range (default: when the data has both signs). */
  diverging?: boolean;
  zmin?: number;
  zmax?: number;
  /** Tick labels or coordinates of the columns / rows (default: indices 0…cols-1 / 0…rows-1). */
  x?: Array<number | string>;
  y?: Array<number | string>;
  /** Write each value in its cell (default: when the matrix has at most 12×12 entries). */
  showValues?: boolean;
  /** Row 0 at the top, like a printed matrix (default true). */
  matrixOrientation?: boolean;
}

function extent(m: Matrix): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i];
    if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  }
  return Number.isFinite(lo) ? [lo, hi] : [0, 1];
}

function zRows(m: Matrix, sig = 4): Array<Array<number | null>> {
  return toRows(m).map((r) => plainArray(r, sig));
}

/**
 * Heatmap of a rows×cols matrix `z` (e.g. WᵀW, n×n). With a diverging scale (white = 0, blue < 0, red > 0,
 * range symmetric about 0) when the data has both signs or `diverging` is set.
 */
export function heatmapFigure(z: MatrixLike, opts: HeatmapOptions): PlotlyFigure {
  const m = toMatrix(z, 'float64');
  if (m.rows === 0 || m.cols === 0) throw new ShapeError('heatmapFigure: z is empty');
  const [lo, hi] = extent(m);
  const diverging = opts.diverging ?? (lo < 0 && hi > 0);
  let zmin = opts.zmin ?? lo;
  let zmax = opts.zmax ?? hi;
  if (diverging && opts.zmin === undefined && opts.zmax === undefined) {
    const a = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    zmin = -a;
    zmax = a;
  }
  const x = opts.x ?? Array.from({ length: m.cols }, (_, j) => j);
  const y = opts.y ?? Array.from({ length: m.rows }, (_, i) => i);
  if (x.length !== m.cols) throw new ValueError(`heatmapFigure: ${x.length} x labels for ${m.cols} columns`);
  if (y.length !== m.rows) throw new ValueError(`heatmapFigure: ${y.length} y labels for ${m.rows} rows`);
  const trace: PlotlyTrace = {
    type: 'heatmap', z: zRows(m), x, y, zmin, zmax,
    colorscale: diverging ? DIVERGING_SCALE : SEQUENTIAL_SCALE,
    colorbar: { title: { text: opts.colorTitle, side: 'right' }, thickness: 16, outlinewidth: 0 },
    hovertemplate: `${opts.xTitle} %{x}<br>${opts.yTitle} %{y}<br>${opts.colorTitle} %{z:.3g}<extra></extra>`,
    xgap: m.cols <= 40 ? 1 : 0, ygap: m.rows <= 40 ? 1 : 0,
  };
  if (opts.showValues ?? (m.rows * m.cols <= 144)) {
    trace.texttemplate = '%{z:.2f}';
    trace.textfont = { size: Math.max(8, Math.min(13, Math.floor(300 / Math.max(m.rows, m.cols)))) };
  }
  const square = m.rows === m.cols;
  const layout = baseLayout(opts, { width: square ? 620 : 760, height: square ? 560 : 480 });
  const categorical = (a: Array<number | string>) => a.some((v) => typeof v === 'string');
  layout.xaxis = { ...axisLayout(opts.xTitle), showgrid: false, ticks: '', showline: false,
    ...(categorical(x) ? { type: 'category' } : {}) };
  layout.yaxis = { ...axisLayout(opts.yTitle), showgrid: false, ticks: '', showline: false,
    autorange: (opts.matrixOrientation ?? true) ? 'reversed' : true, ...(categorical(y) ? { type: 'category' } : {}) };
  // Index axes: integer ticks only (about 10 of them).
  if (!opts.x) Object.assign(layout.xaxis as object, { tick0: 0, dtick: Math.max(1, Math.ceil(m.cols / 10)) });
  if (!opts.y) Object.assign(layout.yaxis as object, { tick0: 0, dtick: Math.max(1, Math.ceil(m.rows / 10)) });
  if (square && !opts.x && !opts.y) {
    Object.assign(layout.yaxis as object, { scaleanchor: 'x', constrain: 'domain' });
    Object.assign(layout.xaxis as object, { constrain: 'domain' });
  }
  layout.plot_bgcolor = '#ffffff';
  return makeFigure([trace], layout);
}

/** A theoretical curve drawn over a phase diagram (same axes as the map). */
export interface TheoryCurve {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: string;
  dash?: 'solid' | 'dash' | 'dot' | 'dashdot';
}

/** Options of {@link phaseDiagramFigure}. */
export interface PhaseDiagramOptions extends Omit<AxesOptions, 'xRange' | 'yRange'> {
  /** Title of the colour bar (e.g. 'P(recovery)'). */
  colorTitle: string;
  zmin?: number;
  zmax?: number;
  /** Curves (e.g. the Donoho–Tanner weak threshold) drawn over the map. */
  theory?: TheoryCurve[];
  /** Draw the empirical contour at this level (default 0.5; null for none). Continuous maps only. */
  contourLevel?: number | null;
  /** Discrete phases: `z` holds integer codes 0…k-1 and these are their names (a categorical colour bar). */
  categories?: string[];
  /** Colours of the categories (default: the palette). */
  categoryColors?: string[];
}

/**
 * Phase diagram: `z` (len(y)×len(x): row i is y[i], column j is x[j]) as a heatmap on the grid (x, y),
 * with theoretical curves and the empirical `contourLevel` contour overlaid. With `categories`, `z` holds
 * phase codes and the colour bar names them.
 */
export function phaseDiagramFigure(x: ArrayLike<number>, y: ArrayLike<number>, z: MatrixLike, opts: PhaseDiagramOptions): PlotlyFigure {
  const m = toMatrix(z, 'float64');
  if (m.rows !== y.length || m.cols !== x.length) {
    throw new ShapeError(`phaseDiagramFigure: z must be len(y)×len(x) = ${y.length}×${x.length} (row i ↔ y[i]), got ${m.rows}×${m.cols}`);
  }
  const data: PlotlyTrace[] = [];
  const xs = plainArray(x);
  const ys = plainArray(y);
  if (opts.categories) {
    const k = opts.categories.length;
    const colors = opts.categoryColors ?? opts.categories.map((_, i) => paletteColor(i));
    // Stepped colour scale: code c ∈ [c-0.5, c+0.5] maps to one flat colour.
    const scale: Array<[number, string]> = [];
    for (let c = 0; c < k; c++) { scale.push([c / k, colors[c]], [(c + 1) / k, colors[c]]); }
    data.push({
      type: 'heatmap', x: xs, y: ys, z: zRows(m), zmin: -0.5, zmax: k - 0.5, colorscale: scale,
      colorbar: { title: { text: opts.colorTitle }, tickvals: opts.categories.map((_, c) => c), ticktext: opts.categories,
        thickness: 16, outlinewidth: 0 },
      hovertemplate: `${opts.xTitle} %{x:.3g}<br>${opts.yTitle} %{y:.3g}<br>phase %{z}<extra></extra>`,
    });
  } else {
    const zmin = opts.zmin ?? 0;
    const zmax = opts.zmax ?? 1;
    data.push({
      type: 'heatmap', x: xs, y: ys, z: zRows(m), zmin, zmax, colorscale: SEQUENTIAL_SCALE,
      colorbar: { title: { text: opts.colorTitle, side: 'right' }, thickness: 16, outlinewidth: 0 },
      hovertemplate: `${opts.xTitle} %{x:.3g}<br>${opts.yTitle} %{y:.3g}<br>${opts.colorTitle} %{z:.3g}<extra></extra>`,
    });
    const level = opts.contourLevel === undefined ? 0.5 : opts.contourLevel;
    if (level !== null && m.rows >= 2 && m.cols >= 2) {
      data.push({
        type: 'contour', x: xs, y: ys, z: zRows(m), showscale: false, name: `empirical ${roundSig(level, 3)} contour`,
        contours: { start: level, end: level, size: 1, coloring: 'none' }, line: { color: '#000000', width: 2.5 },
        hoverinfo: 'skip', showlegend: true, autocontour: false,
      });
    }
  }
  (opts.theory ?? []).forEach((c, i) => {
    data.push({ type: 'scatter', mode: 'lines', name: c.name, x: plainArray(c.x), y: plainArray(c.y),
      line: { color: c.color ?? ['#ff3030', '#ff9f1c', '#000000', '#e0e0e0'][i % 4], width: 2.5, dash: c.dash ?? 'dash' } });
  });
  const layout = xyLayout({ ...opts }, { width: 720, height: 540, legend: data.length > 1 });
  const xa = layout.xaxis as Record<string, unknown>;
  const ya = layout.yaxis as Record<string, unknown>;
  const lo = (a: ArrayLike<number>) => Math.min(...Array.from(a));
  const hi = (a: ArrayLike<number>) => Math.max(...Array.from(a));
  const half = (a: ArrayLike<number>) => (a.length > 1 ? (hi(a) - lo(a)) / (a.length - 1) / 2 : 0.5);
  if (opts.xType !== 'log') xa.range = [lo(x) - half(x), hi(x) + half(x)];
  if (opts.yType !== 'log') ya.range = [lo(y) - half(y), hi(y) + half(y)];
  xa.showgrid = false;
  ya.showgrid = false;
  layout.margin = { l: 70, r: 30, t: 60, b: 110 };
  legendBelow(layout);
  (layout.title as Record<string, unknown>).font = { size: FONT.title };
  return makeFigure(data, layout);
}
