import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  featureNorms, featureGram, featureSuperposition, featureDimensionality, dimensionsPerFeature,
  classifyFeatures, countRepresented,
} from '../../src/toy/analysis';
import { fromRows } from '../../src/core/matrix';

const close = (a: number, b: number, tol = 1e-6): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('dimensionality: dedicated 1, antipodal pair 1/2, not learned 0', () => {
  // n=4 features in m=2: feature 0 dedicated (axis 0), features 1,2 antipodal on axis 1, feature 3 zero.
  const W = fromRows([[1, 0], [0, 0.9], [0, -0.9], [0, 0]]);
  const D = featureDimensionality(W);
  close(D[0], 1); close(D[1], 0.5); close(D[2], 0.5); close(D[3], 0);
  const s = featureSuperposition(W);
  close(s[0], 0); close(s[1], 0.81); close(s[3], 0);
  assert.deepEqual(Array.from(featureNorms(W)).map((v) => +v.toFixed(6)), [1, 0.9, 0.9, 0]);
  assert.deepEqual(classifyFeatures(W), ['dedicated', 'superposed', 'superposed', 'not learned']);
  assert.equal(countRepresented(W), 3);
  close(dimensionsPerFeature(W), 2 / (1 + 2 * 0.81));
});

test('regular polygons give the published fractions: triangle 2/3, pentagon 2/5, tetrahedron 3/4', () => {
  const polygon = (k: number) => fromRows(Array.from({ length: k }, (_, i) => [Math.cos(2 * Math.PI * i / k), Math.sin(2 * Math.PI * i / k)]));
  for (const v of featureDimensionality(polygon(3))) close(v, 2 / 3);
  for (const v of featureDimensionality(polygon(5))) close(v, 2 / 5);
  const tet = fromRows([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]].map((r) => r.map((x) => x / Math.sqrt(3))));
  for (const v of featureDimensionality(tet)) close(v, 3 / 4);
  close(dimensionsPerFeature(polygon(5)), 2 / 5);
  // the dimensionalities of a set of unit vectors spanning m dims sum to m (tight frame)
  close(Array.from(featureDimensionality(polygon(7))).reduce((a, b) => a + b, 0), 2);
});

test('Gram matrix is W·Wᵀ in the atoms-in-rows convention (the paper\'s WᵀW)', () => {
  const W = fromRows([[1, 2], [3, 4], [5, 6]]);
  const g = featureGram(W);
  assert.deepEqual(Array.from(g.data), [5, 11, 17, 11, 25, 39, 17, 39, 61]);
});

test('bad input gives clear errors', () => {
  assert.throws(() => dimensionsPerFeature(fromRows([[0, 0]])), /all zeros/);
  assert.throws(() => featureNorms([[1, NaN]]), /NaN/);
});

test('fractionLines counts features within ±tol of each fraction against nearby control windows', async () => {
  const { fractionLines } = await import('../../src/toy/analysis');
  const dims = [0.5, 0.501, 0.499, 0.52, 0.4, 0.75, 0.3];
  const rows = fractionLines(dims, { tol: 0.005, offsets: [0.02] });
  const half = rows.find((r) => r.label === '1/2')!;
  assert.equal(half.count, 3);
  assert.equal(half.control, 0.5); // 0.52 falls in the +0.02 window, nothing in the −0.02 window
  assert.equal(rows.find((r) => r.label === '2/5')!.count, 1);
  assert.equal(rows.find((r) => r.label === '3/4')!.count, 1);
  assert.equal(rows.find((r) => r.label === '2/3')!.count, 0);
});

test('fractionLines with between: control windows half-way to the neighbouring fractions, mirrored at the ends', async () => {
  const { fractionLines } = await import('../../src/toy/analysis');
  // midpoints: 3/8|2/5 0.3875, 2/5|1/2 0.45, 1/2|2/3 0.5833, 2/3|3/4 0.7083; mirrored: 0.3625 below 3/8, 0.7917 above 3/4
  const dims = [0.375, 0.376, 0.3875, 0.388, 0.4, 0.45, 0.5, 0.5, 0.7083, 0.7917, 0.379];
  const rows = Object.fromEntries(fractionLines(dims, { tol: 0.005, between: true }).map((r) => [r.label, r]));
  assert.deepEqual([rows['3/8'].count, rows['3/8'].control], [3, 1]); // 0.375, 0.376, 0.379; windows 0.3625 (0) and 0.3875 (2)
  assert.deepEqual([rows['2/5'].count, rows['2/5'].control], [1, 1.5]); // windows 0.3875 (2) and 0.45 (1)
  assert.deepEqual([rows['1/2'].count, rows['1/2'].control], [2, 0.5]);
  assert.deepEqual([rows['3/4'].count, rows['3/4'].control], [0, 1]);
  // the default offsets put a control window of 2/5 on the 3/8 line (0.38)
  assert.equal(fractionLines([0.376, 0.38], { tol: 0.005 }).find((r) => r.label === '2/5')!.control, 0.5);
  assert.throws(() => fractionLines(dims, { tol: 0.01, between: true }), /too wide.*smaller tol/);
});
