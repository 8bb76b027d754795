import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng';
import { csrOf, sampledDots, setWasmSparse, spmmAdd, spmmTAdd } from '../../src/dictionary/kernels';
import { sparseKernels } from '../../src/dictionary/sparse_wasm';
import { matmulHelperReady, matmulThreads, setMatmulThreads, splitMm, tfMm } from '../../src/dictionary/mm_worker';
import { initBackend } from '../../src/core/backend';
import { fastBackend } from '../../src/core/linalg';

/** Sparse B×N codes (about `density` non-zero, some rows empty), and dense factors. */
function problem(B: number, N: number, M: number, density: number, seed: number) {
  const r = new Rng(seed);
  const z = new Float32Array(B * N);
  for (let b = 1; b < B; b++) for (let i = 0; i < N; i++) if (r.uniform() < density) z[b * N + i] = r.normal();
  return { z, D: r.fillNormal(new Float32Array(N * M)), Y: r.fillNormal(new Float32Array(B * M)) };
}

function close(a: Float32Array, b: Float64Array | Float32Array, tol: number): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])), `entry ${i}: ${a[i]} vs ${b[i]}`);
}

test('sparse kernels: the wasm SIMD module loads here, and matches dense float64 products (wasm and JS loops)', () => {
  assert.ok(sparseKernels(), 'WebAssembly SIMD should be available in Node ≥ 16');
  for (const [B, N, M] of [[7, 13, 37], [32, 64, 16], [5, 9, 3]]) {
    const { z, D, Y } = problem(B, N, M, 0.2, B + N + M);
    const s = csrOf(z, B, N);
    const XD = new Float64Array(B * M), ZY = new Float64Array(N * M), dots = new Float64Array(B * N);
    for (let b = 0; b < B; b++) for (let i = 0; i < N; i++) {
      let d = 0;
      for (let j = 0; j < M; j++) { XD[b * M + j] += z[b * N + i] * D[i * M + j]; ZY[i * M + j] += z[b * N + i] * Y[b * M + j]; d += Y[b * M + j] * D[i * M + j]; }
      if (z[b * N + i] !== 0) dots[b * N + i] = d;
    }
    for (const wasm of [true, false]) {
      setWasmSparse(wasm);
      const out = new Float32Array(B * M).fill(1), G = new Float32Array(N * M).fill(-1), dz = new Float32Array(B * N);
      spmmAdd(z, s, N, D, M, out);
      spmmTAdd(z, s, N, Y, M, G);
      sampledDots(Y, s, N, D, M, dz);
      close(out, XD.map((v) => v + 1), 1e-5);
      close(G, ZY.map((v) => v - 1), 1e-5);
      close(dz, dots, 1e-5);
    }
    setWasmSparse(true);
  }
});

test('two-thread products: each column half is one matMul, so the result is bitwise the one-thread product', async () => {
  await initBackend();
  const r = new Rng(5);
  const prev = matmulThreads();
  setMatmulThreads(2);
  try {
    if (fastBackend() !== 'wasm') return; // the split is for the single-threaded wasm backend only
    assert.ok(await matmulHelperReady(), 'the helper worker should start');
    for (const [n, k, m] of [[300, 200, 301], [64, 1024, 512]]) {
      const a = r.fillNormal(new Float32Array(n * k)), b = r.fillNormal(new Float32Array(k * m));
      const one = tfMm(a, n, k, b, m), two = splitMm(a, n, k, b, m);
      assert.deepEqual(two, one);
    }
  } finally {
    setMatmulThreads(prev);
  }
});
