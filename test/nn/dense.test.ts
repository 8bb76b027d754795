import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transposeInto } from '../../src/nn/dense';

test('transposeInto: out[j][i] = a[i][j] for shapes around the 16×16 tiles', () => {
  for (const [rows, cols] of [[1, 1], [3, 40], [37, 5], [16, 16], [33, 17], [1024, 50]]) {
    const a = Float32Array.from({ length: rows * cols }, (_, k) => k + 0.5);
    const out = transposeInto(a, rows, cols, new Float32Array(rows * cols).fill(NaN));
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) assert.equal(out[j * rows + i], a[i * cols + j], `${rows}×${cols} [${i}][${j}]`);
  }
});
