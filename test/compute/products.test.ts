import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng';
import { csrOf, sampledDots, spmmAdd, spmmTAdd } from '../../src/compute/csr';
import { mm, mmNT, mmTN, tfMm } from '../../src/compute/dense';
import { setWasmKernels } from '../../src/compute/dispatch';
import { kernelModule, packPanels, wasmKernels, wasmArena, wasmOffset, wasmPins } from '../../src/compute/wasm';
import { kernelHelperReady, kernelThreads, kernelWorkerChunks, runKernel, setKernelThreads } from '../../src/compute/threads';
import { initBackend, tf } from '../../src/core/backend';

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
  assert.ok(wasmKernels(), 'WebAssembly SIMD should be available in Node ≥ 16');
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
      setWasmKernels(wasm);
      const out = new Float32Array(B * M).fill(1), G = new Float32Array(N * M).fill(-1), dz = new Float32Array(B * N);
      spmmAdd(z, s, N, D, M, out);
      spmmTAdd(z, s, N, Y, M, G);
      sampledDots(Y, s, N, D, M, dz);
      close(out, XD.map((v) => v + 1), 1e-5);
      close(G, ZY.map((v) => v - 1), 1e-5);
      close(dz, dots, 1e-5);
    }
    setWasmKernels(true);
  }
});

/** Every kernel's output on one problem: the dense products (plain and Bᵀ) and the three sparse ones. */
function allKernels(B: number, N: number, M: number, density: number, seed: number) {
  const { z, D, Y } = problem(B, N, M, density, seed);
  const s = csrOf(z, B, N);
  const out = new Float32Array(B * M).fill(0.5), G = new Float32Array(N * M).fill(-0.5), dz = new Float32Array(B * N);
  spmmAdd(z, s, N, D, M, out);
  spmmTAdd(z, s, N, Y, M, G);
  sampledDots(Y, s, N, D, M, dz);
  return { out, G, dz, zD: mm(z, B, N, D, M), YDt: mmNT(Y, B, M, D, N), z, D, Y };
}

test('dense products: the wasm GEMM (A row-major or given transposed) equals a float64 product to float32 rounding, at sizes off its 4×8 tiles', () => {
  for (const [n, k, m] of [[37, 29, 13], [64, 256, 1024], [5, 700, 9]]) {
    const r = new Rng(n + k + m);
    const a = r.fillNormal(new Float32Array(n * k)), b = r.fillNormal(new Float32Array(k * m));
    const bt = new Float32Array(m * k);
    for (let p = 0; p < k; p++) for (let j = 0; j < m; j++) bt[j * k + p] = b[p * m + j];
    const ref = new Float64Array(n * m);
    for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) for (let j = 0; j < m; j++) ref[i * m + j] += a[i * k + p] * b[p * m + j];
    const tol = 2e-6 * Math.sqrt(k);
    close(mm(a, n, k, b, m), ref, tol);
    close(mmNT(a, n, k, bt, m), ref, tol);
    // Aᵀ given (k×n): the kernels read A's columns in place; bitwise the product of the transposed copy
    const at = new Float32Array(k * n);
    for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) at[p * n + i] = a[i * k + p];
    const viaT = mmTN(at, k, n, b, m);
    close(viaT, ref, tol);
    assert.deepEqual(viaT, mm(a, n, k, b, m), `mmTN ${n}×${k}×${m} is bitwise mm of the transpose`);
  }
});

test('dense products with a bias row: mm and mmNT add it to every row, bitwise the product plus the bias added after, on the wasm GEMM (1 and 2 threads, off its 4×8 tiles and 8-column panels) and the JS loops', async () => {
  const prev = kernelThreads();
  try {
    for (const [n, k, m] of [[37, 29, 13], [130, 256, 1024], [5, 70, 9]]) {
      const r = new Rng(3 * n + k + m);
      const a = r.fillNormal(new Float32Array(n * k)), b = r.fillNormal(new Float32Array(k * m));
      const bt = new Float32Array(m * k);
      for (let p = 0; p < k; p++) for (let j = 0; j < m; j++) bt[j * k + p] = b[p * m + j];
      const bias = r.fillNormal(new Float32Array(m));
      for (const path of ['js', 'wasm, 1 thread', 'wasm, 2 threads']) {
        setWasmKernels(path !== 'js');
        setKernelThreads(path.endsWith('2 threads') ? 2 : 1);
        if (path.endsWith('2 threads')) assert.ok(await kernelHelperReady(), 'the kernel worker should start');
        const want = mm(a, n, k, b, m);
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) want[i * m + j] += bias[j];
        const out = new Float32Array(n * m).fill(9);
        assert.equal(mm(a, n, k, b, m, out, bias), out, 'into out');
        assert.deepEqual(out, want, `mm + bias ${n}×${k}×${m} (${path})`);
        assert.deepEqual(mmNT(a, n, k, bt, m, undefined, bias), want, `mmNT + bias ${n}×${k}×${m} (${path})`);
        assert.notDeepEqual(want, mm(a, n, k, b, m), 'the bias changes the product');
      }
    }
  } finally {
    setWasmKernels(true);
    setKernelThreads(prev);
  }
});

test('dense products: the wasm GEMM is bitwise tfjs-wasm\'s matMul (both sum over k in order, no fused multiply-add)', async () => {
  await initBackend();
  const r = new Rng(8);
  const [n, k, m] = [96, 256, 200];
  const a = r.fillNormal(new Float32Array(n * k)), b = r.fillNormal(new Float32Array(k * m));
  if (tf.getBackend() !== 'wasm') return; // the claim is about the wasm backend
  assert.deepEqual(mm(a, n, k, b, m), tfMm(a, n, k, b, m));
});

test('two threads: every kernel split over the worker gives bitwise the one-thread result', async () => {
  const prev = kernelThreads();
  try {
    setKernelThreads(2);
    assert.ok(await kernelHelperReady(), 'the kernel worker should start');
    const before = kernelWorkerChunks();
    for (const [B, N, M, density] of [[256, 512, 96, 0.3], [1000, 300, 64, 0.05], [67, 130, 37, 0.5]]) {
      setKernelThreads(1);
      const one = allKernels(B, N, M, density, 3);
      setKernelThreads(2);
      for (let rep = 0; rep < 3; rep++) {
        const two = allKernels(B, N, M, density, 3);
        for (const key of ['out', 'G', 'dz', 'zD', 'YDt'] as const) assert.deepEqual(two[key], one[key], `${key} at B=${B} N=${N} M=${M}`);
      }
    }
    // which thread takes which chunk depends on timing, but over 45 calls the worker must have taken some
    assert.ok(kernelWorkerChunks() > before, 'the worker should have run some chunks');
  } finally {
    setKernelThreads(prev);
  }
});

test('pinned arrays live in the kernels\' memory (growing it as needed), kernels use them in place, arenas start above them', () => {
  const km = kernelModule()!;
  const pins = wasmPins()!;
  const grow = km.memory.buffer.byteLength / 4 + 1000; // more than the memory holds now: pinning must grow it
  const big = pins.f32(grow), idx = pins.i32(7);
  assert.equal(big.length, grow);
  assert.equal(wasmOffset(big) !== null && wasmOffset(idx)! > wasmOffset(big)!, true);
  assert.equal(wasmOffset(new Float32Array(4)), null);
  const w = wasmArena()!;
  assert.ok(w.alloc(1) >= wasmOffset(idx)! + 28, 'an arena must not overlap pinned arrays');
  // a product whose factors and output are pinned equals the copied-in one
  const { z, D } = problem(40, 30, 20, 0.3, 9);
  const s = csrOf(z, 40, 30);
  const plainOut = new Float32Array(40 * 20), pinnedOut = pins.f32(40 * 20), pinnedD = pins.f32(30 * 20);
  pinnedD.set(D); pinnedOut.fill(0);
  spmmAdd(z, s, 30, D, 20, plainOut);
  spmmAdd(z, s, 30, pinnedD, 20, pinnedOut);
  assert.deepEqual(Array.from(pinnedOut), Array.from(plainOut));
  assert.deepEqual(mm(z, 40, 30, pinnedD, 20, pins.f32(800)), mm(z, 40, 30, D, 20));
  pins.release();
  assert.ok(wasmArena()!.alloc(1) <= wasmOffset(big)! + 63, 'released pins are free again');
});

test('csrOf into arrays of B·N entries writes structure and values in place; kernels then read values from the CSR', () => {
  const [B, N, M] = [33, 50, 24];
  const { z, D, Y } = problem(B, N, M, 0.25, 10);
  const into = { ptr: new Int32Array(B + 1), idx: new Int32Array(B * N), val: new Float32Array(B * N), nnz: 0 };
  const s = csrOf(z, B, N, into), plain = csrOf(z, B, N);
  assert.equal(s.idx, into.idx);
  assert.deepEqual(Array.from(s.idx.subarray(0, s.nnz)), Array.from(plain.idx.subarray(0, plain.nnz)));
  for (let b = 0; b < B; b++) for (let p = s.ptr[b]; p < s.ptr[b + 1]; p++) assert.equal(s.val![p], z[b * N + s.idx[p]]);
  for (const wasm of [true, false]) {
    setWasmKernels(wasm);
    const a = new Float32Array(B * M), b = new Float32Array(B * M), ga = new Float32Array(N * M), gb = new Float32Array(N * M);
    spmmAdd(z, plain, N, D, M, a); spmmAdd(null, s, N, D, M, b);
    spmmTAdd(z, plain, N, Y, M, ga); spmmTAdd(null, s, N, Y, M, gb);
    assert.deepEqual(b, a); assert.deepEqual(gb, ga);
    assert.throws(() => spmmAdd(null, plain, N, D, M, a), /carries no values/);
  }
  setWasmKernels(true);
});

test('pack kernels: panels of a B (pack) or of a B given transposed (packt) in the kernels\' memory are bitwise packPanels\' (partial last panel zero-filled), on one and two threads', async () => {
  const km = wasmKernels();
  if (!km) return;
  const prev = kernelThreads();
  try {
    for (const [k, m] of [[3, 5], [40, 64], [37, 250]]) {
      const b = new Rng(k * m).fillNormal(new Float32Array(k * m)); // k×m, or m×k read as Bᵀ
      const nq = Math.ceil(m / 8);
      for (const transposed of [false, true]) {
        const ref = new Float32Array(k * 8 * nq);
        packPanels(b, k, m, transposed, ref);
        for (const threads of [1, 2]) {
          setKernelThreads(threads);
          if (threads === 2) await kernelHelperReady();
          const pins = wasmPins()!;
          try {
            const pb = pins.f32(k * m), out = pins.f32(k * 8 * nq).fill(NaN);
            pb.set(b);
            runKernel(km, transposed ? 'packt' : 'pack', [wasmOffset(pb)!, k, m, wasmOffset(out)!], nq, 1, 8);
            assert.deepEqual(Array.from(out), Array.from(ref), `${k}×${m}${transposed ? ' transposed' : ''}, ${threads} thread(s)`);
          } finally {
            pins.release();
          }
        }
      }
    }
  } finally {
    setKernelThreads(prev);
  }
});
