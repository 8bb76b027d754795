import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cholesky, solveSpd, svd } from '../../src/core/decompositions';
import { Rng } from '../../src/core/rng';
import { ValueError } from '../../src/core/errors';
import { close } from '../metrics/helpers';

test('solveSpd solves SPD systems to round-off; cholesky refuses a non-SPD matrix', () => {
  const rng = new Rng(70);
  const n = 12, m = 3;
  const G = rng.fillNormal(new Float64Array(n * n));
  const A = new Float64Array(n * n); // A = GᵀG + I
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? 1 : 0;
    for (let k = 0; k < n; k++) s += G[k * n + i] * G[k * n + j];
    A[i * n + j] = s;
  }
  const B = rng.fillNormal(new Float64Array(n * m));
  const X = solveSpd(A, n, B, m);
  for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += A[i * n + k] * X[k * m + c];
    close(s, B[i * m + c], 1e-10, `row ${i}`);
  }
  assert.throws(() => cholesky(Float64Array.from([1, 2, 2, 1]), 2), ValueError);
});

test('svd: U·diag(s)·Vᵀ reconstructs A, U and V are orthonormal, s descending (tall and wide)', () => {
  const rng = new Rng(71);
  for (const [r, c] of [[9, 4], [4, 9], [6, 6], [1, 3]]) {
    const A = rng.fillNormal(new Float64Array(r * c));
    const { u, s, v, k } = svd(A, r, c);
    assert.equal(k, Math.min(r, c));
    for (let i = 1; i < k; i++) assert.ok(s[i] <= s[i - 1]);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) {
      let t = 0;
      for (let q = 0; q < k; q++) t += u[i * k + q] * s[q] * v[j * k + q];
      close(t, A[i * c + j], 1e-12, `A[${i}][${j}] (${r}×${c})`);
    }
    for (const [M, rows] of [[u, r], [v, c]] as const) {
      for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) {
        let t = 0;
        for (let i = 0; i < rows; i++) t += M[i * k + p] * M[i * k + q];
        close(t, p === q ? 1 : 0, 1e-12, `orthonormal columns (${r}×${c})`);
      }
    }
  }
});
