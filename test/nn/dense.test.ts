import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transposeInto } from '../../src/nn/dense';
import { columnSums } from '../../src/compute/rows';
import { wasmKernels, wasmPins } from '../../src/compute/wasm';
import { kernelHelperReady, kernelThreads, setKernelThreads } from '../../src/compute/threads';
import { Rng } from '../../src/core/rng';

test('transposeInto: out[j][i] = a[i][j] for shapes around the 16×16 tiles', () => {
  for (const [rows, cols] of [[1, 1], [3, 40], [37, 5], [16, 16], [33, 17], [1024, 50]]) {
    const a = Float32Array.from({ length: rows * cols }, (_, k) => k + 0.5);
    const out = transposeInto(a, rows, cols, new Float32Array(rows * cols).fill(NaN));
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) assert.equal(out[j * rows + i], a[i * cols + j], `${rows}×${cols} [${i}][${j}]`);
  }
});

test('columnSums: the colsum kernel (one and two threads) gives bitwise the float64 JS loop; odd widths stay in JS', async () => {
  if (!wasmKernels()) return;
  const saved = kernelThreads();
  try {
    for (const [rows, cols] of [[1024, 50], [300, 64], [999, 33]]) {
      const a = new Rng(rows + cols).fillNormal(new Float32Array(rows * cols), 0.3, 2);
      const ref = new Float64Array(cols);
      for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) ref[j] += a[r * cols + j];
      for (const threads of [1, 2]) {
        setKernelThreads(threads);
        if (threads === 2) await kernelHelperReady();
        const pins = wasmPins()!;
        try {
          const pa = pins.f32(rows * cols);
          pa.set(a);
          const out = new Float64Array(cols);
          columnSums(pa, rows, cols, out);
          assert.deepEqual(out, ref, `${rows}×${cols}, ${threads} thread(s)`);
        } finally {
          pins.release();
        }
      }
    }
  } finally {
    setKernelThreads(saved);
  }
});
