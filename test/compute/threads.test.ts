import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelHelperReady, kernelThreads, publishJob, runChunks, runKernel, setKernelThreads, writeJob } from '../../src/compute/threads';
import { kernelModule, wasmPins } from '../../src/compute/wasm';

/** A control block and op table whose ops record the arguments of every chunk they run. */
function recorder(): { ctrl: Int32Array; fns: ((...a: number[]) => void)[]; calls: number[][] } {
  const calls: number[][] = [];
  const op = (...a: number[]) => { calls.push(a); };
  return { ctrl: new Int32Array(32), fns: [op, op], calls };
}

test('chunk protocol: a thread still in the last job\'s loop claims nothing while the next job is being written', () => {
  const { ctrl, fns, calls } = recorder();
  // job A: op 0 over [0, 4) in 2 chunks, run to the end by the calling thread (the worker woke too late)
  writeJob(ctrl, 0, 2, 4, 1, [7]);
  publishJob(ctrl);
  runChunks(ctrl, fns, false);
  assert.deepEqual(calls, [[7, 0, 2], [7, 2, 4]]);
  // job B (8 chunks, other arguments) written but not yet published: the worker now enters A's loop. Before the
  // claim word was closed first, it read A's spent word (chunk 2) against B's chunk count (8) and ran chunk 2
  // with a mix of A's and B's arguments.
  writeJob(ctrl, 1, 8, 16, 1, [9]);
  runChunks(ctrl, fns, true);
  assert.equal(calls.length, 2, `no chunk may run between writing and publishing a job (ran ${JSON.stringify(calls.slice(2))})`);
  publishJob(ctrl);
  runChunks(ctrl, fns, false);
  assert.deepEqual(calls.slice(2).map((c) => c[0]), Array(8).fill(9));
  assert.deepEqual(calls.slice(2).map((c) => [c[1], c[2]]), [[0, 2], [2, 4], [4, 6], [6, 8], [8, 10], [10, 12], [12, 14], [14, 16]]);
});

test('two threads: jobs of 2 and 8 chunks in turn, each checked as soon as it returns (a worker claim from the last job would show)', async () => {
  const prev = kernelThreads();
  setKernelThreads(2);
  try {
    assert.ok(await kernelHelperReady(), 'the kernel worker should start');
    const km = kernelModule()!, pins = wasmPins()!;
    const R = 16, C = 8;
    const a = pins.f32(R * C), v = pins.f32(C), o1 = pins.f32(R * C), o2 = pins.f32(R * C);
    try {
      for (let i = 0; i < R * C; i++) a[i] = i;
      for (let j = 0; j < C; j++) v[j] = 1000 * (j + 1);
      for (let it = 0; it < 50_000; it++) {
        o1.fill(NaN); o2.fill(NaN);
        runKernel(km.kernels, 'addrow', [a.byteOffset, v.byteOffset, 0, o1.byteOffset, C], R, 1, 2);
        runKernel(km.kernels, 'addrow', [a.byteOffset, v.byteOffset, 1, o2.byteOffset, C], R, 1, 8);
        for (let i = 0; i < R * C; i++) {
          if (o1[i] !== a[i] + v[i % C] || o2[i] !== a[i] - v[i % C]) assert.fail(`round ${it}, entry ${i}: ${o1[i]} and ${o2[i]}`);
        }
      }
    } finally {
      pins.release();
    }
  } finally {
    setKernelThreads(prev);
  }
});

test('a kernel that fails says which kernel and why, on one thread and when a chunk fails on either thread of two', async () => {
  const prev = kernelThreads();
  try {
    const km = kernelModule()!;
    const beyond = km.memory.buffer.byteLength + (1 << 20); // outside the kernels' memory: every access traps
    const fail = () => runKernel(km.kernels, 'addrow', [beyond, beyond, 0, beyond, 64], 256, 1, 8);
    const want = /^Error: WebAssembly kernel 'addrow' failed: RuntimeError: memory access out of bounds \(arguments \d+, \d+, 0, \d+, 64 over \[0, 256\)\)$/;
    setKernelThreads(1);
    assert.throws(fail, want);
    setKernelThreads(2);
    assert.ok(await kernelHelperReady(), 'the kernel worker should start');
    // every chunk traps, on whichever thread claims it: the first failure's text is reported, then the next call
    // starts clean
    for (let i = 0; i < 20; i++) assert.throws(fail, want);
    const pins = wasmPins()!;
    try {
      const a = pins.f32(64).fill(0), v = pins.f32(8).fill(1), o = pins.f32(64);
      runKernel(km.kernels, 'addrow', [a.byteOffset, v.byteOffset, 0, o.byteOffset, 8], 8, 1, 8);
      assert.deepEqual(Array.from(o), Array(64).fill(1), 'a kernel after a failed one runs normally');
    } finally {
      pins.release();
    }
  } finally {
    setKernelThreads(prev);
  }
});
