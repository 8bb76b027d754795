/**
 * Several figures side by side as panels of one figure (e.g. one panel per feature density, or the
 * empirical phase diagram beside the theoretical one).
 */
import { ValueError } from '../core/errors';
import { FigureOptions, PlotlyFigure, PlotlyTrace, FONT, baseLayout, figureTitle, legendBelow, makeFigure } from './figure';

/** Options of {@link gridFigure}. */
export interface GridOptions extends FigureOptions {
  /** Panels per row (default: all in one row, up to 4). */
  cols?: number;
  /** Size of one panel in CSS px (default 380×340). */
  panelWidth?: number;
  panelHeight?: number;
  /** Panel titles (default: each panel's own title). */
  panelTitles?: string[];
  /** Space between panels as a fraction of the figure (default 0.08 horizontally, 0.12 vertically). */
  hSpacing?: number;
  vSpacing?: number;
}

function remapRef(ref: unknown, k: number, dom: { x: [number, number]; y: [number, number] }, axis: 'x' | 'y'): { ref: unknown; map?: (v: number) => number } {
  const sx = k === 1 ? 'x' : `x${k}`;
  const sy = k === 1 ? 'y' : `y${k}`;
  if (ref === undefined || ref === (axis === 'x' ? 'x' : 'y')) return { ref: axis === 'x' ? sx : sy };
  if (ref === `${axis} domain`) return { ref: `${axis === 'x' ? sx : sy} domain` };
  if (ref === 'paper') {
    const [a, b] = axis === 'x' ? dom.x : dom.y;
    return { ref: 'paper', map: (v: number) => a + v * (b - a) };
  }
  return { ref };
}

/**
 * Combine x/y figures (line, scatter, bar, heatmap, phase diagram, directions…) into one figure of panels,
 * `cols` per row. Axes, reference lines and annotations move with their panel; legend entries with the
 * same name are shown once; colour bars sit to the right of their panel.
 */
export function gridFigure(panels: PlotlyFigure[], opts: GridOptions): PlotlyFigure {
  if (!panels.length) throw new ValueError('gridFigure: no panels');
  const n = panels.length;
  const cols = Math.max(1, Math.min(opts.cols ?? Math.min(4, n), n));
  const rows = Math.ceil(n / cols);
  const anyColorbar = panels.some((p) => p.data.some((t) => (t.type === 'heatmap' && t.showscale !== false) || (t.marker as { showscale?: boolean } | undefined)?.showscale));
  // One colour bar per row when every panel uses the same colour mapping (e.g. probabilities in [0, 1]).
  const mapping = (t: PlotlyTrace) => JSON.stringify([t.colorscale, t.zmin, t.zmax, (t.colorbar as { title?: unknown } | undefined)?.title]);
  const mapped = panels.flatMap((p) => p.data.filter((t) => t.colorbar && t.showscale !== false));
  const shared = mapped.length > 1 && new Set(mapped.map(mapping)).size === 1;
  const hs = opts.hSpacing ?? (anyColorbar && !shared ? 0.15 : 0.08);
  const vs = opts.vSpacing ?? 0.12;
  const pw = (1 - hs * (cols - 1)) / cols;
  const ph = (1 - vs * (rows - 1)) / rows;
  const titles = opts.panelTitles ?? panels.map(figureTitle);
  if (titles.length !== n) throw new ValueError(`gridFigure: ${titles.length} panel titles for ${n} panels`);
  const anyLegend = panels.some((p) => p.layout.showlegend === true);
  const layout = baseLayout(opts, {
    width: cols * (opts.panelWidth ?? 380) + (anyColorbar ? 60 : 0) + 60,
    height: rows * (opts.panelHeight ?? 340) + 90 + (anyLegend ? 50 : 0), legend: anyLegend,
  });
  layout.margin = { l: 70, r: anyColorbar ? 80 : 30, t: 90, b: 60 };
  if (anyLegend) legendBelow(layout);
  const data: PlotlyTrace[] = [];
  const shapes: unknown[] = [];
  const annotations: unknown[] = [];
  const seen = new Set<string>();
  panels.forEach((p, i) => {
    const k = i + 1;
    const r = Math.floor(i / cols);
    const c = i % cols;
    const dom = { x: [c * (pw + hs), c * (pw + hs) + pw] as [number, number], y: [1 - r * (ph + vs) - ph, 1 - r * (ph + vs)] as [number, number] };
    const xa = k === 1 ? 'x' : `x${k}`;
    const ya = k === 1 ? 'y' : `y${k}`;
    const xk = k === 1 ? 'xaxis' : `xaxis${k}`;
    const yk = k === 1 ? 'yaxis' : `yaxis${k}`;
    const pxa: Record<string, unknown> = { ...(p.layout.xaxis as Record<string, unknown> | undefined), domain: dom.x, anchor: ya };
    const pya: Record<string, unknown> = { ...(p.layout.yaxis as Record<string, unknown> | undefined), domain: dom.y, anchor: xa };
    if (pya.scaleanchor === 'x') pya.scaleanchor = xa;
    if (pxa.scaleanchor === 'y') pxa.scaleanchor = ya;
    layout[xk] = pxa;
    layout[yk] = pya;
    for (const t0 of p.data) {
      const t: PlotlyTrace = { ...t0, xaxis: xa, yaxis: ya };
      const name = typeof t.name === 'string' ? t.name : '';
      if (name && t.showlegend !== false && p.layout.showlegend === true) {
        t.legendgroup = name;
        if (seen.has(name)) t.showlegend = false;
        seen.add(name);
      } else if (t.showlegend !== false) {
        t.showlegend = false;
      }
      const cb = t.colorbar as Record<string, unknown> | undefined;
      if (cb && t.showscale !== false && shared && c !== cols - 1 && i !== n - 1) {
        t.showscale = false;
      } else if (cb && t.showscale !== false) {
        t.colorbar = { ...cb, x: dom.x[1] + 0.01, xanchor: 'left', y: (dom.y[0] + dom.y[1]) / 2, yanchor: 'middle', len: ph * 0.95, thickness: 12 };
      }
      data.push(t);
    }
    const move = (o0: Record<string, unknown>, xs: string[], ys: string[]): Record<string, unknown> => {
      const o = { ...o0 };
      const rx = remapRef(o.xref, k, dom, 'x');
      const ry = remapRef(o.yref, k, dom, 'y');
      o.xref = rx.ref;
      o.yref = ry.ref;
      if (rx.map) for (const key of xs) o[key] = rx.map(Number(o[key]));
      if (ry.map) for (const key of ys) o[key] = ry.map(Number(o[key]));
      return o;
    };
    for (const s0 of (p.layout.shapes as Array<Record<string, unknown>> | undefined) ?? []) shapes.push(move(s0, ['x0', 'x1'], ['y0', 'y1']));
    for (const a0 of (p.layout.annotations as Array<Record<string, unknown>> | undefined) ?? []) annotations.push(move(a0, ['x'], ['y']));
    if (titles[i]) {
      annotations.push({ xref: 'paper', yref: 'paper', x: (dom.x[0] + dom.x[1]) / 2, y: dom.y[1] + 0.01, xanchor: 'center',
        yanchor: 'bottom', showarrow: false, text: titles[i], font: { size: FONT.size } });
    }
  });
  layout.shapes = shapes;
  layout.annotations = annotations;
  const fig = makeFigure(data, layout);
  return fig;
}
