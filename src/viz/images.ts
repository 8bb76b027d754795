/**
 * Image grids: dictionary atoms or top-activating examples, from a B×(h·w) matrix (one image per row,
 * row-major pixels), tiled into one heatmap with thin gaps and a label above each tile.
 */
import { ShapeError, ValueError } from '../core/errors';
import { MatrixLike, toMatrix } from '../core/matrix';
import {
  FigureOptions, PlotlyFigure, DIVERGING_SCALE, FONT, GREY_SCALE, baseLayout, makeFigure, roundSig,
} from './figure';

/** Options of {@link imageGridFigure}. */
export interface ImageGridOptions extends FigureOptions {
  /** Image height and width in pixels (h·w must equal the number of columns). */
  h: number;
  w: number;
  /** Tiles per row (default: ⌈√B⌉, at most 10). */
  cols?: number;
  /** One label per image, drawn above its tile (e.g. 'unit 17 · 0.93'). */
  labels?: string[];
  /**
   * 'each' (default): every tile scaled to its own range (signed: ±max|v|; unsigned: [min, max]);
   * 'global': one range for all tiles, with a colour bar titled `colorTitle`.
   */
  scale?: 'each' | 'global';
  /** Signed images (atoms) on a diverging scale; default: when any value is negative. */
  diverging?: boolean;
  /** Colour bar title for `scale: 'global'` (units of the pixel values). */
  colorTitle?: string;
  /** Tile size in CSS px (default: chosen so the figure is about 720 px wide). */
  tilePx?: number;
}

/**
 * A grid of B images (rows of `images`, each h·w pixels, row-major) as one figure. Images are scaled to
 * [-1, 1] (diverging) or [0, 1] (grey: 0 = black, 1 = white) per tile or globally; gaps are blank.
 */
export function imageGridFigure(images: MatrixLike, opts: ImageGridOptions): PlotlyFigure {
  const m = toMatrix(images, 'float64');
  const { h, w } = opts;
  if (!(Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0)) throw new ValueError(`imageGridFigure: h and w must be positive integers, got ${h}, ${w}`);
  if (m.cols !== h * w) throw new ShapeError(`imageGridFigure: each row must hold h·w = ${h}·${w} = ${h * w} pixels, got ${m.cols} columns`);
  const B = m.rows;
  if (B === 0) throw new ShapeError('imageGridFigure: no images (0 rows)');
  if (opts.labels && opts.labels.length !== B) throw new ValueError(`imageGridFigure: ${opts.labels.length} labels for ${B} images`);
  const cols = Math.max(1, Math.min(opts.cols ?? Math.min(10, Math.ceil(Math.sqrt(B))), B));
  const rows = Math.ceil(B / cols);
  let anyNeg = false;
  let gmin = Infinity;
  let gmax = -Infinity;
  for (const v of m.data) { if (v < 0) anyNeg = true; if (Number.isFinite(v)) { gmin = Math.min(gmin, v); gmax = Math.max(gmax, v); } }
  const diverging = opts.diverging ?? anyNeg;
  const scaleMode = opts.scale ?? 'each';
  const gap = Math.max(1, Math.round(Math.max(h, w) / 10));
  const labelRows = opts.labels ? Math.max(2, Math.round(h / 4)) : 0;
  const cellH = h + gap + labelRows;
  const cellW = w + gap;
  const H = rows * cellH - gap;
  const W = cols * cellW - gap;
  const z: Array<Array<number | null>> = Array.from({ length: H }, () => new Array<number | null>(W).fill(null));
  const annotations: unknown[] = [];
  const gabs = Math.max(Math.abs(gmin), Math.abs(gmax)) || 1;
  for (let b = 0; b < B; b++) {
    const r0 = Math.floor(b / cols) * cellH + labelRows;
    const c0 = (b % cols) * cellW;
    const px = m.data.subarray(b * h * w, (b + 1) * h * w);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of px) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const a = scaleMode === 'each' ? (Math.max(Math.abs(lo), Math.abs(hi)) || 1) : gabs;
    const mn = scaleMode === 'each' ? lo : gmin;
    const span = (scaleMode === 'each' ? hi - lo : gmax - gmin) || 1;
    for (let i = 0; i < h; i++) {
      const zr = z[r0 + i];
      for (let j = 0; j < w; j++) {
        const v = px[i * w + j];
        zr[c0 + j] = scaleMode === 'global' ? roundSig(v, 4) : roundSig(diverging ? v / a : (v - mn) / span, 3);
      }
    }
    if (opts.labels) {
      annotations.push({ xref: 'x', yref: 'y', x: c0 + (w - 1) / 2, y: r0 - 0.6, text: opts.labels[b], showarrow: false,
        yanchor: 'bottom', xanchor: 'center', font: { size: Math.max(9, Math.min(FONT.small + 1, Math.round(opts.tilePx ?? 72) / 7)) } });
    }
  }
  const tile = opts.tilePx ?? Math.max(48, Math.min(140, Math.floor(720 / cols)));
  const global = scaleMode === 'global';
  const trace = {
    type: 'heatmap', z,
    colorscale: diverging ? DIVERGING_SCALE : GREY_SCALE,
    zmin: global ? (diverging ? -gabs : gmin) : (diverging ? -1 : 0),
    zmax: global ? (diverging ? gabs : gmax) : 1,
    showscale: global,
    colorbar: global ? { title: { text: opts.colorTitle ?? 'pixel value', side: 'right' }, thickness: 14, outlinewidth: 0 } : undefined,
    hoverongaps: false,
    hovertemplate: 'x %{x}, y %{y}: %{z:.3g}<extra></extra>',
  };
  const layout = baseLayout(opts, { width: 0, height: 0 });
  const plotW = cols * tile;
  const plotH = Math.round((H / W) * plotW);
  const margin = { l: 20, r: global ? 90 : 20, t: 70, b: 20 };
  layout.width = opts.width ?? plotW + margin.l + margin.r;
  layout.height = opts.height ?? plotH + margin.t + margin.b;
  layout.margin = margin;
  layout.xaxis = { visible: false, range: [-0.5, W - 0.5], constrain: 'domain' };
  layout.yaxis = { visible: false, range: [H - 0.5, -0.5], scaleanchor: 'x', scaleratio: 1, constrain: 'domain' };
  layout.plot_bgcolor = '#ffffff';
  layout.annotations = annotations;
  return makeFigure([trace], layout);
}
