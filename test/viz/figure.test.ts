import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  barFigure, binValues, describeFigure, directionsFigure, figureName, gridFigure, heatmapFigure, histogramFigure,
  imageGridFigure, labelledScatterFigure, lineFigure, paretoFront, phaseDiagramFigure, slugify, PlotlyFigure,
} from '../../src/viz';

type T = Record<string, any>;
const axis = (f: PlotlyFigure, k: string) => f.layout[k] as T;

test('every builder sets a title, axis titles and a size, and JSON round-trips (no typed arrays)', () => {
  const figs: PlotlyFigure[] = [
    lineFigure([{ name: 'a', x: new Float32Array([1, 2]), y: new Float64Array([3, 4]) }], { title: 'L', xTitle: 'x (s)', yTitle: 'y (m)' }),
    heatmapFigure([[1, -1], [-1, 1]], { title: 'H', xTitle: 'j', yTitle: 'i', colorTitle: 'v' }),
    histogramFigure([{ name: 'h', values: [1, 2, 3] }], { title: 'Hi', xTitle: 'v (units)' }),
    barFigure(['a', 'b'], [{ name: 's', values: [1, 2] }], { title: 'B', xTitle: 'cat', yTitle: 'n' }),
    labelledScatterFigure([{ x: 1, y: 2, label: 'p' }], { title: 'P', xTitle: 'FLOPs', yTitle: 'MCC' }),
    phaseDiagramFigure([0.1, 0.2], [0.1, 0.2, 0.3], [[1, 1], [1, 0], [0, 0]], { title: 'Ph', xTitle: 'δ', yTitle: 'ρ', colorTitle: 'P' }),
  ];
  for (const f of figs) {
    assert.ok(describeFigure(f).startsWith('Figure: '));
    assert.ok(Number(f.layout.width) > 300 && Number(f.layout.height) > 300);
    assert.ok(axis(f, 'xaxis').title.text.length > 0 && axis(f, 'yaxis').title.text.length > 0);
    assert.deepEqual(JSON.parse(JSON.stringify(f)), f);
  }
  assert.throws(() => lineFigure([{ name: 'a', x: [1], y: [1] }], { title: ' ', xTitle: 'x', yTitle: 'y' }), /needs a title/);
});

test('lineFigure: the error band is the closed polygon upper→, lower← and sits under its line; legend only for several series', () => {
  const f = lineFigure([{ name: 'm', x: [0, 1, 2], y: [1, 2, 3], error: [0.5, 0.5, 1] }], { title: 't', xTitle: 'x', yTitle: 'y' });
  assert.equal(f.data.length, 2);
  const band = f.data[0] as T;
  assert.deepEqual(band.x, [0, 1, 2, 2, 1, 0]);
  assert.deepEqual(band.y, [1.5, 2.5, 4, 2, 1.5, 0.5]);
  assert.equal(band.fill, 'toself');
  assert.equal(band.showlegend, false);
  assert.equal(f.layout.showlegend, false);
  const two = lineFigure([{ name: 'a', x: [0], y: [0] }, { name: 'b', x: [0], y: [1] }], { title: 't', xTitle: 'x', yTitle: 'y' });
  assert.equal(two.layout.showlegend, true);
  assert.notEqual((two.data[0] as T).line.color, (two.data[1] as T).line.color);
  assert.throws(() => lineFigure([{ name: 'a', x: [0, 1], y: [0] }], { title: 't', xTitle: 'x', yTitle: 'y' }), /1 values but 2/);
});

test('lineFigure: reference lines become shapes with labels; log axis ranges are given in log10', () => {
  const f = lineFigure([{ name: 'a', x: [1, 10], y: [0, 1] }], {
    title: 't', xTitle: 'x', yTitle: 'y', xType: 'log', xRange: [1, 100], refLines: [{ axis: 'y', value: 0.5, label: 'chance' }],
  });
  assert.deepEqual(axis(f, 'xaxis').range, [0, 2]);
  const s = (f.layout.shapes as T[])[0];
  assert.equal(s.y0, 0.5); assert.equal(s.y1, 0.5); assert.equal(s.xref, 'x domain');
  assert.equal((f.layout.annotations as T[])[0].text, 'chance');
});

test('heatmapFigure: signed data gets a symmetric diverging range centred on 0, rows top-down', () => {
  const f = heatmapFigure([[0.2, -0.7], [0.3, 1]], { title: 'WᵀW', xTitle: 'j', yTitle: 'i', colorTitle: 'v' });
  const t = f.data[0] as T;
  assert.equal(t.zmin, -1); assert.equal(t.zmax, 1);
  assert.equal(t.colorscale[5][1], '#f7f7f7');   // white at the centre
  assert.deepEqual(t.z, [[0.2, -0.7], [0.3, 1]]);
  assert.equal(axis(f, 'yaxis').autorange, 'reversed');
  const pos = heatmapFigure([[0, 2], [1, 3]], { title: 'p', xTitle: 'j', yTitle: 'i', colorTitle: 'v' });
  assert.equal((pos.data[0] as T).zmin, 0); assert.equal((pos.data[0] as T).zmax, 3);
  assert.equal((pos.data[0] as T).colorscale, 'Viridis');
});

test('phaseDiagramFigure: checks z is len(y)×len(x), overlays the 0.5 contour and theory curves; categories get a stepped scale', () => {
  const x = [0.1, 0.2, 0.3], y = [0.1, 0.5];
  assert.throws(() => phaseDiagramFigure(x, y, [[1, 1], [1, 1], [1, 1]], { title: 't', xTitle: 'δ', yTitle: 'ρ', colorTitle: 'P' }), /len\(y\)×len\(x\) = 2×3/);
  const f = phaseDiagramFigure(x, y, [[1, 1, 1], [0, 0.5, 1]], {
    title: 't', xTitle: 'δ', yTitle: 'ρ', colorTitle: 'P', theory: [{ name: 'DT', x, y: [0.2, 0.3, 0.4] }],
  });
  assert.deepEqual(f.data.map((t) => t.type), ['heatmap', 'contour', 'scatter']);
  assert.equal((f.data[1] as T).contours.start, 0.5);
  assert.deepEqual(axis(f, 'xaxis').range.map((v: number) => +v.toFixed(6)), [0.05, 0.35]);
  const c = phaseDiagramFigure(x, y, [[0, 1, 2], [2, 1, 0]], { title: 't', xTitle: 'a', yTitle: 'b', colorTitle: 'phase', categories: ['A', 'B', 'C'] });
  const h = c.data[0] as T;
  assert.equal(c.data.length, 1);
  assert.equal(h.zmin, -0.5); assert.equal(h.zmax, 2.5);
  assert.deepEqual(h.colorbar.ticktext, ['A', 'B', 'C']);
  assert.equal(h.colorscale.length, 6);
});

test('binValues: half-open bins with the last bin closed; out-of-range and non-finite values counted apart', () => {
  const b = binValues([0, 0.5, 1, 1.5, 2, -1, 3, NaN], [0, 1, 2]);
  assert.deepEqual(b.counts, [2, 3]);
  assert.equal(b.outside, 3);
});

test('histogramFigure: shared bins across series, log10 binning leaves out values ≤ 0 and says so', () => {
  const f = histogramFigure([{ name: 'a', values: [0.01, 0.1, 1, 0, 0] }, { name: 'b', values: [0.1, 0.1] }],
    { title: 'density', xTitle: 'fraction active', logX: true, bins: 2 });
  const [a, b] = f.data as T[];
  assert.deepEqual(a.x, b.x);
  assert.deepEqual(a.x, [-1.5, -0.5]);
  assert.deepEqual(a.y, [1, 2]);
  assert.deepEqual(b.y, [0, 2]);
  assert.match((f.layout.annotations as T[]).at(-1)!.text, /a: 2 of 5 values ≤ 0/);
  const frac = histogramFigure([{ name: 'a', values: [1, 2, 3, 4] }], { title: 't', xTitle: 'v', bins: 2, normalise: 'fraction' });
  assert.deepEqual((frac.data[0] as T).y, [0.5, 0.5]);
});

test('imageGridFigure: tiles B×(h·w) rows into one matrix, per-tile scaling, blank gaps, labels', () => {
  // Two 2×3 images; the second is the first ×10 (same after per-tile scaling).
  const im = [0, 1, 2, 3, 4, 5];
  const f = imageGridFigure([im, im.map((v) => 10 * v)], { title: 'atoms', h: 2, w: 3, cols: 2, labels: ['a', 'b'] });
  const z = (f.data[0] as T).z as Array<Array<number | null>>;
  const labelRows = 2;   // max(2, round(h/4))
  const gap = 1;
  assert.equal(z.length, labelRows + 2);
  assert.equal(z[0].length, 3 + gap + 3);
  assert.deepEqual(z[labelRows], [0, 0.2, 0.4, null, 0, 0.2, 0.4]);
  assert.deepEqual(z[labelRows + 1], [0.6, 0.8, 1, null, 0.6, 0.8, 1]);
  assert.ok(z[0].every((v) => v === null));
  assert.deepEqual((f.layout.annotations as T[]).map((a) => a.text), ['a', 'b']);
  assert.throws(() => imageGridFigure([im], { title: 't', h: 2, w: 2 }), /h·w = 2·2 = 4 pixels, got 6/);
  // Signed images: diverging scale, scaled by max |v| per tile.
  const s = imageGridFigure([[-2, 1, 0, 2]], { title: 's', h: 2, w: 2 });
  assert.deepEqual(((s.data[0] as T).z as number[][]).slice(-2), [[-1, 0.5], [0, 1]]);
  assert.equal((s.data[0] as T).zmin, -1);
});

test('paretoFront: the non-dominated points for (min x, max y), sorted by x', () => {
  const pts = [{ x: 1, y: 0.5 }, { x: 2, y: 0.4 }, { x: 3, y: 0.9 }, { x: 4, y: 0.9 }, { x: 0.5, y: 0.1 }, { x: 5, y: 0.95 }];
  assert.deepEqual(paretoFront(pts, { x: 'min', y: 'max' }), [4, 0, 2, 5]);
  assert.deepEqual(paretoFront(pts, { x: 'max', y: 'max' }), [5]);
  const f = labelledScatterFigure(pts.map((p, i) => ({ ...p, label: `p${i}`, group: i < 3 ? 'A' : 'B' })),
    { title: 't', xTitle: 'FLOPs', yTitle: 'MCC', frontier: { x: 'min', y: 'max' } });
  assert.deepEqual((f.data[0] as T).x, [0.5, 1, 3, 5]);
  assert.deepEqual(f.data.slice(1).map((t) => t.name), ['A', 'B']);
  assert.deepEqual((f.data[1] as T).text, ['p0', 'p1', 'p2']);
});

test('barFigure: per-bar colour values need one series; horizontal bars swap axes', () => {
  const f = barFigure([1, 2, 3], [{ name: 'norm', values: [1, 0.5, 0] }], {
    title: 'norms', xTitle: 'feature', yTitle: '‖W_i‖', colorValues: [0, 0.5, 1], colorTitle: 'superposition' });
  assert.deepEqual((f.data[0] as T).marker.color, [0, 0.5, 1]);
  assert.deepEqual((f.data[0] as T).x, ['1', '2', '3']);
  assert.throws(() => barFigure(['a'], [{ name: 'a', values: [1] }, { name: 'b', values: [1] }], {
    title: 't', xTitle: 'x', yTitle: 'y', colorValues: [1] }), /exactly one series/);
  const h = barFigure(['a', 'b'], [{ name: 's', values: [1, 2] }], { title: 't', xTitle: 'v', yTitle: 'c', horizontal: true });
  assert.deepEqual((h.data[0] as T).y, ['a', 'b']);
  assert.equal((h.data[0] as T).orientation, 'h');
});

test('directionsFigure: one arrow per row from the origin, equal axis scales; rejects non-2-D rows', () => {
  const f = directionsFigure([[1, 0], [0, -2]], { title: 'dirs' });
  const arrows = f.data.filter((t) => t.name !== 'unit circle') as T[];
  assert.deepEqual(arrows.map((a) => [a.x, a.y]), [[[0, 1], [0, 0]], [[0, 0], [0, -2]]]);
  assert.equal(axis(f, 'yaxis').scaleanchor, 'x');
  assert.deepEqual(axis(f, 'xaxis').range, axis(f, 'yaxis').range);
  assert.throws(() => directionsFigure([[1, 2, 3]], { title: 'x' }), /n×2/);
});

test('gridFigure: panels get their own axes and domains, shapes follow their panel, shared legend entries once', () => {
  const a = lineFigure([{ name: 's1', x: [0], y: [0] }, { name: 's2', x: [0], y: [1] }],
    { title: 'A', xTitle: 'x', yTitle: 'y', refLines: [{ axis: 'y', value: 0.5 }] });
  const b = lineFigure([{ name: 's1', x: [0], y: [2] }, { name: 's2', x: [0], y: [3] }], { title: 'B', xTitle: 'x', yTitle: 'y' });
  const g = gridFigure([a, b], { title: 'both', cols: 2 });
  assert.deepEqual(g.data.map((t) => [t.xaxis, t.yaxis]), [['x', 'y'], ['x', 'y'], ['x2', 'y2'], ['x2', 'y2']]);
  assert.deepEqual(g.data.map((t) => t.showlegend !== false), [true, true, false, false]);
  assert.ok(axis(g, 'xaxis').domain[1] < axis(g, 'xaxis2').domain[0]);
  assert.equal(axis(g, 'yaxis2').anchor, 'x2');
  assert.equal((g.layout.shapes as T[])[0].xref, 'x domain');
  assert.deepEqual((g.layout.annotations as T[]).map((x) => x.text), ['A', 'B']);
  // Heatmaps with the same colour mapping share one colour bar per row.
  const h = heatmapFigure([[1, -1], [-1, 1]], { title: 'h', xTitle: 'j', yTitle: 'i', colorTitle: 'v' });
  const gh = gridFigure([h, h, h], { title: 'hs' });
  assert.deepEqual(gh.data.map((t) => t.showscale !== false), [false, false, true]);
});

test('names: explicit names win over the title slug; slugs are ASCII file names', () => {
  assert.equal(slugify('Gram matrix WᵀW (S = 0.99)'), 'gram-matrix-wtw-s-0-99');
  assert.equal(slugify('δ = M/N, ρ = K/M'), 'delta-m-n-rho-k-m');
  assert.equal(slugify('***'), 'figure');
  const f = lineFigure([{ name: 'a', x: [0], y: [0] }], { title: 'A title', name: 'My Name', xTitle: 'x', yTitle: 'y' });
  assert.equal(figureName(f), 'my-name');
  assert.equal(figureName({ ...f, layout: { ...f.layout, meta: undefined } }), 'a-title');
});
