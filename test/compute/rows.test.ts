import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng';
import { csrOf } from '../../src/compute/csr';
import { dispatchPolicy, setDispatchPolicy, setWasmKernels } from '../../src/compute/dispatch';
import { addRowVector, normaliseRowsInPlace, projectRowsTangent, reluBackward, residualRows, sparseCodes } from '../../src/compute/rows';
import { spmmTAdd } from '../../src/compute/csr';
import { wasmPins } from '../../src/compute/wasm';
import { kernelHelperReady, kernelThreads, setKernelThreads } from '../../src/compute/threads';
import { wasmKernels } from '../../src/compute/wasm';

/** Run `check` on every path: JS loops, then the wasm kernels on one and on two threads (every size on wasm). */
async function onEveryPath(check: (path: string) => void): Promise<void> {
  const prevThreads = kernelThreads(), prevMin = dispatchPolicy().elementwiseMinEntries;
  try {
    setDispatchPolicy({ elementwiseMinEntries: 0 });
    setWasmKernels(false);
    check('js');
    if (!wasmKernels()) return;
    setWasmKernels(true);
    setKernelThreads(1);
    check('wasm, 1 thread');
    setKernelThreads(2);
    if (await kernelHelperReady()) check('wasm, 2 threads');
  } finally {
    setWasmKernels(true);
    setKernelThreads(prevThreads);
    setDispatchPolicy({ elementwiseMinEntries: prevMin });
  }
}

/** Pre-activations with many ties, negatives, zeros of both signs, rows with few positive values. */
function preActivations(B: number, N: number, seed: number): Float32Array {
  const r = new Rng(seed), pre = new Float32Array(B * N);
  for (let b = 0; b < B; b++) {
    const shift = b % 5 === 0 ? -2.5 : 0; // about one entry in 160 positive: fewer than k for these rows
    for (let i = 0; i < N; i++) pre[b * N + i] = Math.round((r.normal() + shift) * 8) / 8;
  }
  pre[3] = -0; pre[4] = 0; pre[5] = 1e-40; // a denormal is a positive value
  return pre;
}

/** The codes by sorting each row: keep v ≥ the k-th largest and v > 0 (k = 0: every v > 0). */
function codesBySorting(pre: Float32Array, B: number, N: number, k: number): Float32Array {
  const z = new Float32Array(B * N);
  for (let b = 0; b < B; b++) {
    const row = Array.from(pre.subarray(b * N, (b + 1) * N));
    const thr = k > 0 && k < N ? [...row].sort((x, y) => y - x)[k - 1] : -Infinity;
    row.forEach((v, i) => { z[b * N + i] = v >= thr && v > 0 ? v : 0; });
  }
  return z;
}

test('sparseCodes: ReLU and TopK codes equal sorting each row (ties at the k-th kept, rows with fewer than k positives, odd N), bitwise the same on JS, wasm and two threads', async () => {
  for (const [B, N] of [[37, 301], [16, 1024], [3, 5]]) {
    const pre = preActivations(B, N, B + N);
    for (const k of [0, 1, 3, 32, N - 1, N, N + 4]) {
      const want = codesBySorting(pre, B, N, k);
      let first: { z: Float32Array; s: Float64Array } | null = null;
      await onEveryPath((path) => {
        const z = new Float32Array(B * N).fill(7), before = pre.slice();
        const s = sparseCodes(pre, B, N, k, z);
        assert.deepEqual(z, want, `B=${B} N=${N} k=${k} ${path}`);
        assert.deepEqual(pre, before, 'pre is not changed');
        for (let b = 0; b < B; b++) {
          let t = 0;
          for (let i = 0; i < N; i++) t += want[b * N + i];
          assert.ok(Math.abs(s[b] - t) <= 1e-12 * (1 + Math.abs(t)), `row sum ${b}: ${s[b]} vs ${t}`);
        }
        if (!first) first = { z, s }; else assert.deepEqual(s, first.s, `row sums bitwise the same (${path})`);
      });
    }
  }
  // a known answer: the 2nd largest of [3, −1, 2, 2, 0.5] is 2, both 2s are kept
  const z = new Float32Array(5);
  assert.deepEqual(Array.from(sparseCodes(Float32Array.of(3, -1, 2, 2, 0.5), 1, 5, 2, z)), [7]);
  assert.deepEqual(Array.from(z), [3, 0, 2, 2, 0]);
  assert.throws(() => sparseCodes(new Float32Array(4), 1, 4, -1, new Float32Array(4)), /k=-1 must be an integer ≥ 0/);
});

test('addRowVector adds or subtracts a row vector from every row (in place too), the same on every path', async () => {
  const r = new Rng(5), [rows, cols] = [29, 263];
  const a = r.fillNormal(new Float32Array(rows * cols)), v = r.fillNormal(new Float32Array(cols));
  await onEveryPath((path) => {
    for (const subtract of [false, true]) {
      const out = addRowVector(a, rows, cols, v, new Float32Array(rows * cols), subtract);
      for (let q = 0; q < rows * cols; q++) assert.equal(out[q], Math.fround(subtract ? a[q] - v[q % cols] : a[q] + v[q % cols]), `${path} entry ${q}`);
      const inPlace = a.slice();
      assert.equal(addRowVector(inPlace, rows, cols, v, inPlace, subtract), inPlace);
      assert.deepEqual(inPlace, out);
    }
  });
});

test('csrOf: the kernels\' row counts and rows equal the JS pass (empty rows, −0, NaN, into arrays with values)', async () => {
  const r = new Rng(8), [B, N] = [41, 203];
  const z = new Float32Array(B * N);
  for (let b = 0; b < B; b++) if (b % 7 !== 3) for (let i = 0; i < N; i++) if (r.uniform() < 0.2) z[b * N + i] = r.normal();
  z[10] = -0; z[11] = NaN; z[N - 1] = 2; z[B * N - 1] = 5;
  const outs: unknown[] = [];
  await onEveryPath(() => {
    const plain = csrOf(z, B, N);
    const into = { ptr: new Int32Array(B + 1), idx: new Int32Array(B * N), val: new Float32Array(B * N), nnz: 0 };
    const s = csrOf(z, B, N, into);
    assert.equal(s.idx, into.idx);
    assert.deepEqual(Array.from(s.idx.subarray(0, s.nnz)), Array.from(plain.idx.subarray(0, plain.nnz)));
    outs.push([Array.from(plain.ptr), Array.from(plain.idx.subarray(0, plain.nnz)), Array.from(s.val!.subarray(0, s.nnz))]);
  });
  const [ptr, idx, val] = outs[0] as [number[], number[], number[]];
  let nnz = 0;
  for (let b = 0; b < B; b++) {
    assert.equal(ptr[b], nnz);
    for (let i = 0; i < N; i++) if (z[b * N + i] !== 0) { assert.equal(idx[nnz], i); assert.ok(Object.is(val[nnz], z[b * N + i])); nnz++; }
  }
  assert.equal(ptr[B], nnz);
  for (const o of outs.slice(1)) assert.deepEqual(o, outs[0]);
});

test('residualRows: a ← (a + bias) − x and g = c·a in float32, row sums of a² in float64; the same bits on every path', async () => {
  const r = new Rng(9), [rows, cols] = [23, 130]; // cols mod 4 = 2: the scalar tail too
  const a0 = r.fillNormal(new Float32Array(rows * cols)), bias = r.fillNormal(new Float32Array(cols)), x = r.fillNormal(new Float32Array(rows * cols));
  const c = 2 / 23; // not a float32: the kernel multiplies by its float32 rounding
  const outs: [Float32Array, Float32Array, Float64Array][] = [];
  await onEveryPath((path) => {
    for (const shift of [true, false]) {
      const a = a0.slice(), g = new Float32Array(rows * cols).fill(7);
      const s = residualRows(a, rows, cols, shift ? { bias, x } : null, c, g);
      for (let q = 0; q < rows * cols; q++) {
        const want = shift ? Math.fround(Math.fround(a0[q] + bias[q % cols]) - x[q]) : a0[q];
        assert.equal(a[q], want, `${path} shift=${shift} a[${q}]`);
        assert.equal(g[q], Math.fround(Math.fround(c) * want), `${path} g[${q}]`);
      }
      for (let b = 0; b < rows; b++) {
        let t = 0;
        for (let j = 0; j < cols; j++) t += a[b * cols + j] ** 2;
        assert.ok(Math.abs(s[b] - t) <= 1e-12 * t, `${path} row ${b}: ${s[b]} vs ${t}`);
      }
      if (shift) outs.push([a, g, s]);
    }
  });
  for (const o of outs.slice(1)) assert.deepEqual(o, outs[0]);
});

test('row constraint: projectRowsTangent leaves g ⟂ p, normaliseRowsInPlace gives unit rows (zero rows kept); known answers; the same bits on every path', async () => {
  // hand example: p = (3, 4) → (0.6, 0.8); g = (1, 0) loses 0.6·(0.6, 0.8) → (0.64, −0.48)
  const p1 = Float32Array.of(3, 4, 0, 0), g1 = Float32Array.of(1, 0, 5, 6);
  normaliseRowsInPlace(p1, 2, 2);
  assert.deepEqual(Array.from(p1), [Math.fround(0.6), Math.fround(0.8), 0, 0]);
  projectRowsTangent(g1, p1, 2, 2);
  assert.ok(Math.abs(g1[0] - 0.64) < 1e-7 && Math.abs(g1[1] + 0.48) < 1e-7);
  assert.deepEqual(Array.from(g1.subarray(2)), [5, 6], 'a zero row of p leaves g as it is');
  const r = new Rng(4), [rows, cols] = [37, 257];
  const p0 = r.fillNormal(new Float32Array(rows * cols), 0, 3), g0 = r.fillNormal(new Float32Array(rows * cols));
  p0.fill(0, 5 * cols, 6 * cols); // a zero row
  const outs: [Float32Array, Float32Array][] = [];
  await onEveryPath((path) => {
    const p = p0.slice(), g = g0.slice();
    normaliseRowsInPlace(p, rows, cols);
    projectRowsTangent(g, p, rows, cols);
    for (let i = 0; i < rows; i++) {
      let nn = 0, dot = 0, gn = 0;
      for (let j = 0; j < cols; j++) { nn += p[i * cols + j] ** 2; dot += g[i * cols + j] * p[i * cols + j]; gn += g[i * cols + j] ** 2; }
      if (i === 5) { assert.equal(nn, 0); continue; }
      assert.ok(Math.abs(nn - 1) < 1e-6, `${path} row ${i}: |p|² = ${nn}`);
      assert.ok(Math.abs(dot) < 1e-6 * Math.sqrt(gn), `${path} row ${i}: ⟨g, p⟩ = ${dot}`);
    }
    outs.push([p, g]);
  });
  for (const o of outs.slice(1)) assert.deepEqual(o, outs[0]);
});

test('reluBackward: dz + c where pre > 0, else 0 (NaN, −0 and denormals in pre; odd length), the same bits on every path', async () => {
  const n = 4099, r = new Rng(6);
  const pre = preActivations(1, n, 3), dz0 = r.fillNormal(new Float32Array(n));
  pre[7] = NaN;
  const c = 0.01 / 3, outs: Float32Array[] = [];
  await onEveryPath((path) => {
    const dz = dz0.slice();
    reluBackward(dz, pre, n, c);
    for (let q = 0; q < n; q++) assert.ok(Object.is(dz[q], pre[q] > 0 ? Math.fround(dz0[q] + Math.fround(c)) : 0), `${path} entry ${q}`);
    outs.push(dz);
  });
  for (const o of outs.slice(1)) assert.deepEqual(o, outs[0]);
});

test('sparse products gather the values of a dense z in the kernels\' memory at the CSR positions on the kernels: the same as from a plain z', async () => {
  const pins = wasmPins();
  if (!pins) return;
  try {
    const r = new Rng(10), [B, N, M] = [64, 300, 24];
    const z = new Float32Array(B * N);
    for (let q = 0; q < B * N; q++) if (r.uniform() < 0.3) z[q] = r.normal();
    const s = csrOf(z, B, N), Y = r.fillNormal(new Float32Array(B * M));
    const pz = pins.f32(B * N); pz.set(z);
    const outs: Float32Array[] = [];
    await onEveryPath(() => {
      for (const zz of [z, pz]) { const G = new Float32Array(N * M); spmmTAdd(zz, s, N, Y, M, G); outs.push(G); }
    });
    for (const o of outs.slice(1)) assert.ok(o.every((v, q) => Math.abs(v - outs[0][q]) <= 1e-5 * (1 + Math.abs(outs[0][q]))));
    for (let q = 2; q < outs.length; q += 2) assert.deepEqual(outs[q + 1], outs[q], 'pinned z (gathered on the kernels) = plain z (gathered in JS)');
    // a known entry: G[i] = Σ_b z[b][i]·Y[b]
    let want = 0;
    for (let b = 0; b < B; b++) want += z[b * N + 5] * Y[b * M];
    assert.ok(Math.abs(outs[outs.length - 1][5 * M] - want) < 1e-4);
  } finally {
    pins.release();
  }
});
