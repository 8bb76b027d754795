/**
 * Line and scatter figures with optional error bands, and feature directions drawn in the plane.
 */
import { ShapeError, ValueError } from '../core/errors';
import { MatrixLike, toMatrix } from '../core/matrix';
import {
  AxesOptions, FigureOptions, PlotlyFigure, PlotlyTrace, FONT, axisLayout, baseLayout, checkLength, makeFigure,
  paletteColor, plainArray, withAlpha, xyLayout,
} from './figure';

/** One series of a line/scatter figure. All arrays have one value per x. */
export interface LineSeries {
  /** Legend label. */
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Symmetric band y ± error (e.g. a standard error or a std over seeds). */
  error?: ArrayLike<number>;
  /** Asymmetric band [lower, upper] (e.g. a bootstrap interval); overrides `error`. */
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
  /** Draw error bars instead of a shaded band (for sparse x values). */
  errorStyle?: 'band' | 'bars';
  mode?: 'lines' | 'markers' | 'lines+markers';
  dash?: 'solid' | 'dash' | 'dot' | 'dashdot';
  color?: string;
  /** Marker size in px (default 7). */
  markerSize?: number;
}

/** Options of {@link lineFigure}. */
export interface LineOptions extends AxesOptions {
  /** Mode used for series that do not set one (default 'lines+markers'). */
  mode?: 'lines' | 'markers' | 'lines+markers';
  /** Show the legend (default: when there are several series). */
  legend?: boolean;
}

/**
 * Line chart of one or more series, each with an optional error band (y ± error, or [lower, upper]).
 * Shapes: every array of a series has the length of its `x`. Units belong in `xTitle`/`yTitle`.
 */
export function lineFigure(series: LineSeries[], opts: LineOptions): PlotlyFigure {
  if (!Array.isArray(series) || series.length === 0) throw new ValueError('lineFigure: pass at least one series');
  const data: PlotlyTrace[] = [];
  series.forEach((s, i) => {
    const n = s.x.length;
    checkLength(`series '${s.name}' y`, s.y, n);
    const color = s.color ?? paletteColor(i);
    const lower = s.lower ?? (s.error ? Array.from(s.y, (v, k) => v - s.error![k]) : undefined);
    const upper = s.upper ?? (s.error ? Array.from(s.y, (v, k) => v + s.error![k]) : undefined);
    if (s.error) checkLength(`series '${s.name}' error`, s.error, n);
    if (lower) checkLength(`series '${s.name}' lower`, lower, n);
    if (upper) checkLength(`series '${s.name}' upper`, upper, n);
    const mode = s.mode ?? opts.mode ?? 'lines+markers';
    const trace: PlotlyTrace = {
      type: 'scatter', mode, name: s.name, x: plainArray(s.x), y: plainArray(s.y), legendgroup: `g${i}`,
      line: { color, width: 2.2, dash: s.dash ?? 'solid' }, marker: { color, size: s.markerSize ?? 7 },
    };
    if (lower && upper && s.errorStyle === 'bars') {
      trace.error_y = {
        type: 'data', symmetric: false, color, thickness: 1.5, width: 4,
        array: plainArray(Array.from(upper, (u, k) => u - (s.y[k] as number))),
        arrayminus: plainArray(Array.from(lower, (l, k) => (s.y[k] as number) - l)),
      };
    } else if (lower && upper) {
      // Band: a closed polygon (x forward along the upper edge, back along the lower edge).
      const xs = Array.from(s.x);
      data.push({
        type: 'scatter', mode: 'lines', x: plainArray([...xs, ...xs.slice().reverse()]),
        y: plainArray([...Array.from(upper), ...Array.from(lower).reverse()]),
        fill: 'toself', fillcolor: withAlpha(color, 0.18), line: { width: 0, color: withAlpha(color, 0) },
        hoverinfo: 'skip', showlegend: false, legendgroup: `g${i}`, name: `${s.name} (band)`,
      });
    }
    data.push(trace);
  });
  const legend = opts.legend ?? series.length > 1;
  return makeFigure(data, xyLayout(opts, { width: 760, height: 480, legend }));
}

/** Scatter plot: {@link lineFigure} with markers only. */
export function scatterFigure(series: LineSeries[], opts: LineOptions): PlotlyFigure {
  return lineFigure(series, { ...opts, mode: opts.mode ?? 'markers' });
}

/** Options of {@link directionsFigure}. */
export interface DirectionsOptions extends FigureOptions {
  /** Labels of the rows (default 'feature 1…n'). */
  labels?: string[];
  /** Axis titles (default 'dimension 1', 'dimension 2'). */
  xTitle?: string;
  yTitle?: string;
  /** Show the unit circle (default true). */
  unitCircle?: boolean;
  /** Colour value per row (e.g. importance) instead of one palette colour per row. */
  colorValues?: ArrayLike<number>;
  colorTitle?: string;
}

/**
 * The rows of `W` (n×2: one 2-D direction per feature, e.g. the columns of a toy model's W transposed)
 * drawn as arrows from the origin, with equal axis scales and the unit circle for reference.
 */
export function directionsFigure(W: MatrixLike, opts: DirectionsOptions): PlotlyFigure {
  const m = toMatrix(W, 'float64');
  if (m.cols !== 2) throw new ShapeError(`directionsFigure: W must be n×2 (one 2-D direction per row), got ${m.rows}×${m.cols}`);
  const n = m.rows;
  const labels = opts.labels ?? Array.from({ length: n }, (_, i) => `feature ${i + 1}`);
  if (labels.length !== n) throw new ValueError(`directionsFigure: ${labels.length} labels for ${n} rows`);
  let r = 1;
  for (let i = 0; i < n; i++) r = Math.max(r, Math.hypot(m.data[2 * i], m.data[2 * i + 1]));
  r *= 1.15;
  const data: PlotlyTrace[] = [];
  if (opts.unitCircle ?? true) {
    const t = Array.from({ length: 121 }, (_, k) => (2 * Math.PI * k) / 120);
    data.push({ type: 'scatter', mode: 'lines', x: plainArray(t.map(Math.cos), 4), y: plainArray(t.map(Math.sin), 4),
      line: { color: '#bbb', width: 1, dash: 'dot' }, hoverinfo: 'skip', showlegend: false, name: 'unit circle' });
  }
  let cmin = Infinity;
  let cmax = -Infinity;
  if (opts.colorValues) {
    checkLength('directionsFigure colorValues', opts.colorValues, n);
    for (let i = 0; i < n; i++) { cmin = Math.min(cmin, opts.colorValues[i]); cmax = Math.max(cmax, opts.colorValues[i]); }
  }
  for (let i = 0; i < n; i++) {
    const x = m.data[2 * i];
    const y = m.data[2 * i + 1];
    let color = paletteColor(i);
    if (opts.colorValues) {
      const f = cmax > cmin ? (opts.colorValues[i] - cmin) / (cmax - cmin) : 1;
      color = `rgb(${Math.round(30 + 200 * (1 - f))},${Math.round(60 + 60 * (1 - f))},${Math.round(120 + 100 * f)})`;
    }
    data.push({ type: 'scatter', mode: 'lines+markers', name: labels[i], x: plainArray([0, x]), y: plainArray([0, y]),
      line: { color, width: 2.5 }, marker: { color, size: [0, 9], symbol: 'circle' } });
  }
  const layout = baseLayout(opts, { width: 520, height: 520, legend: n <= 12 && !opts.colorValues });
  layout.xaxis = { ...axisLayout(opts.xTitle ?? 'dimension 1'), range: [-r, r], zeroline: true, zerolinecolor: '#ccc' };
  layout.yaxis = { ...axisLayout(opts.yTitle ?? 'dimension 2'), range: [-r, r], zeroline: true, zerolinecolor: '#ccc',
    scaleanchor: 'x', scaleratio: 1 };
  if (opts.colorValues) {
    layout.annotations = [{ xref: 'paper', yref: 'paper', x: 1, y: 1.02, showarrow: false, xanchor: 'right',
      text: `colour: ${opts.colorTitle ?? 'value'} (blue = high)`, font: { size: FONT.small } }];
  }
  return makeFigure(data, layout);
}
