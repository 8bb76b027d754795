/**
 * Labelled scatter plots (e.g. MCC against inference FLOPs, one point per method, labelled) with an
 * optional Pareto frontier.
 */
import { ValueError } from '../core/errors';
import { AxesOptions, PlotlyFigure, PlotlyTrace, FONT, makeFigure, paletteColor, plainArray, xyLayout } from './figure';

/** One labelled point. */
export interface LabelledPoint {
  x: number;
  y: number;
  /** Text drawn next to the marker (e.g. 'FISTA (100 it)'). */
  label?: string;
  /** Series / legend group (e.g. the method family); points of a group share a colour. */
  group?: string;
  /** Symmetric error bars. */
  xError?: number;
  yError?: number;
}

/** Which corner is better, for the Pareto frontier. */
export interface ParetoSense { x: 'min' | 'max'; y: 'min' | 'max' }

/** Options of {@link labelledScatterFigure}. */
export interface LabelledScatterOptions extends AxesOptions {
  /** Draw the Pareto frontier of all points (e.g. `{x: 'min', y: 'max'}`: cheaper and better). */
  frontier?: ParetoSense;
  /** Where labels go relative to markers (default 'top center'). */
  textPosition?: string;
}

/**
 * Indices of the Pareto-optimal points (no other point is at least as good in both coordinates and
 * strictly better in one), sorted by x.
 */
export function paretoFront(points: ReadonlyArray<{ x: number; y: number }>, sense: ParetoSense): number[] {
  const sx = sense.x === 'min' ? 1 : -1;
  const sy = sense.y === 'min' ? 1 : -1;
  const idx: number[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
    let dominated = false;
    for (let j = 0; j < points.length && !dominated; j++) {
      if (j === i) continue;
      const q = points[j];
      const ge = sx * q.x <= sx * p.x && sy * q.y <= sy * p.y;
      const gt = sx * q.x < sx * p.x || sy * q.y < sy * p.y;
      if (ge && gt) dominated = true;
    }
    if (!dominated) idx.push(i);
  }
  return idx.sort((a, b) => points[a].x - points[b].x);
}

/** Scatter of labelled points, one colour and legend entry per group, with an optional Pareto frontier. */
export function labelledScatterFigure(points: LabelledPoint[], opts: LabelledScatterOptions): PlotlyFigure {
  if (!points.length) throw new ValueError('labelledScatterFigure: no points');
  const groups = [...new Set(points.map((p) => p.group ?? ''))];
  const data: PlotlyTrace[] = [];
  if (opts.frontier) {
    const f = paretoFront(points, opts.frontier);
    data.push({ type: 'scatter', mode: 'lines', name: 'Pareto frontier', x: plainArray(f.map((i) => points[i].x)),
      y: plainArray(f.map((i) => points[i].y)), line: { color: '#999', width: 1.5, dash: 'dot', shape: 'hv' }, hoverinfo: 'skip' });
  }
  groups.forEach((g, gi) => {
    const ps = points.filter((p) => (p.group ?? '') === g);
    const color = paletteColor(gi);
    const t: PlotlyTrace = {
      type: 'scatter', mode: ps.some((p) => p.label) ? 'markers+text' : 'markers', name: g || 'points',
      x: plainArray(ps.map((p) => p.x)), y: plainArray(ps.map((p) => p.y)), text: ps.map((p) => p.label ?? ''),
      textposition: opts.textPosition ?? 'top center', textfont: { size: FONT.small, color: '#333' },
      marker: { color, size: 10, line: { color: '#fff', width: 1 } }, cliponaxis: false,
      hovertemplate: '%{text}<br>x %{x:.3g}<br>y %{y:.3g}<extra></extra>',
    };
    if (ps.some((p) => p.xError !== undefined)) t.error_x = { type: 'data', array: plainArray(ps.map((p) => p.xError ?? 0)), color, thickness: 1.2 };
    if (ps.some((p) => p.yError !== undefined)) t.error_y = { type: 'data', array: plainArray(ps.map((p) => p.yError ?? 0)), color, thickness: 1.2 };
    data.push(t);
  });
  const layout = xyLayout(opts, { width: 820, height: 540, legend: groups.length > 1 || Boolean(opts.frontier) });
  return makeFigure(data, layout);
}
