/**
 * A second core for the big float32 products of the dictionary models: one worker thread with its own tfjs
 * wasm backend computes half of the columns of C = A·B while the calling thread computes the other half
 * (the wasm backend is single-threaded in Node). Operands and results travel through a SharedArrayBuffer;
 * the calling thread blocks on Atomics until the worker is done, so callers stay synchronous.
 *
 * Deterministic: a product is always split the same way (columns [0, m/2) here, [m/2, m) there) whether or
 * not the worker is up — until it is ready (~1 s after the first big product) this thread computes both
 * halves — and each half is one plain tfjs matMul, so the result never depends on scheduling.
 * Off by default: `WORKBOOK_THREADS=2` (or {@link setMatmulThreads}(2)) turns it on. On this project's 2-core
 * machines the second core is often busy with other jobs, and then waiting for the helper costs more than the
 * split saves (measured under load: ReLU SAE 3514/3641 samples/s on one thread, 3033/3413 on two); a product
 * whose helper half comes back late switches this thread to whole products for the next 50.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { tf } from '../core/backend';

/** Control words (Int32 indices into the control buffer). */
const REQ = 0, DONE = 1, READY = 2, N_ = 3, K_ = 4, M_ = 5, GEN = 6, FAIL = 7;

const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const tf = require(workerData.tfjs);
require(workerData.wasm);
const ctrl = new Int32Array(workerData.ctrl);
const [REQ, DONE, READY, N_, K_, M_, GEN, FAIL] = [0, 1, 2, 3, 4, 5, 6, 7];
(async () => {
  if (!(await tf.setBackend('wasm'))) throw new Error('no wasm backend in the worker');
  await tf.ready();
  let buf = null, gen = -1, seen = 0;
  Atomics.store(ctrl, READY, 1); Atomics.notify(ctrl, READY);
  for (;;) {
    Atomics.wait(ctrl, REQ, seen);
    seen = Atomics.load(ctrl, REQ);
    try {
      if (Atomics.load(ctrl, GEN) !== gen) {
        let msg;
        while ((msg = receiveMessageOnPort(workerData.port))) buf = msg.message;
        gen = Atomics.load(ctrl, GEN);
      }
      const n = ctrl[N_], k = ctrl[K_], m = ctrl[M_];
      const a = tf.tensor2d(new Float32Array(buf, 0, n * k), [n, k]);
      const b = tf.tensor2d(new Float32Array(buf, 4 * n * k, k * m), [k, m]);
      const c = tf.matMul(a, b);
      new Float32Array(buf, 4 * (n * k + k * m), n * m).set(c.dataSync());
      a.dispose(); b.dispose(); c.dispose();
    } catch (e) {
      Atomics.store(ctrl, FAIL, 1);
    }
    Atomics.store(ctrl, DONE, seen); Atomics.notify(ctrl, DONE);
  }
})().catch(() => { Atomics.store(ctrl, READY, -1); Atomics.notify(ctrl, READY); });
`;

const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
let threads = Math.max(1, Math.min(2, cores, Number(process.env.WORKBOOK_THREADS) || 1));

/** Threads for the big products: 1 or 2 (default 1, or env `WORKBOOK_THREADS=2`; see the module comment). */
export function setMatmulThreads(n: number): void { threads = n >= 2 ? 2 : 1; }
/** The current setting of {@link setMatmulThreads}. */
export function matmulThreads(): number { return threads; }

interface Helper {
  worker: Worker;
  ctrl: Int32Array;
  port: MessagePort;
  buf: SharedArrayBuffer;
  seq: number;
  dead: boolean;
}
type MessagePort = import('node:worker_threads').MessagePort;

let helper: Helper | null = null;
/** Big products left to compute whole on this thread (the helper was found slow), and slow calls in a row. */
let skip = 0, slow = 0;

function startHelper(): Helper | null {
  if (helper) return helper.dead ? null : helper;
  try {
    const ctrl = new Int32Array(new SharedArrayBuffer(64));
    const { port1, port2 } = new (require('node:worker_threads') as typeof import('node:worker_threads')).MessageChannel();
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        tfjs: require.resolve('@tensorflow/tfjs'), wasm: require.resolve('@tensorflow/tfjs-backend-wasm'),
        ctrl: ctrl.buffer, port: port2,
      },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    const h: Helper = { worker, ctrl, port: port1, buf: new SharedArrayBuffer(0), seq: 0, dead: false };
    Atomics.store(ctrl, GEN, -1);
    worker.on('error', () => { h.dead = true; });
    worker.on('exit', () => { h.dead = true; });
    helper = h;
    return h;
  } catch {
    return null;
  }
}

/** Start the helper (if threads are on) and resolve once it is ready (false if it failed or timed out). */
export async function matmulHelperReady(timeoutMs = 20000): Promise<boolean> {
  if (threads < 2) return false;
  const h = startHelper();
  for (const t0 = Date.now(); Date.now() - t0 < timeoutMs; await new Promise((r) => setTimeout(r, 20))) {
    if (!h || h.dead || Atomics.load(h.ctrl, READY) === -1) return false;
    if (ready(h)) return true;
  }
  return false;
}

function ready(h: Helper | null): h is Helper {
  return h !== null && !h.dead && Atomics.load(h.ctrl, READY) === 1 && Atomics.load(h.ctrl, FAIL) === 0;
}

/** One plain tfjs matMul of float32 row-major operands. */
export function tfMm(a: Float32Array, n: number, k: number, b: Float32Array, m: number): Float32Array {
  const ta = tf.tensor2d(a, [n, k]), tb = tf.tensor2d(b, [k, m]);
  const tc = tf.matMul(ta, tb);
  const out = tc.dataSync() as Float32Array;
  ta.dispose(); tb.dispose(); tc.dispose();
  return out;
}

/** Columns [c0, c1) of B (k×m) as a k×(c1−c0) array (into `to` if given). */
function columns(b: Float32Array, k: number, m: number, c0: number, c1: number, to?: Float32Array): Float32Array {
  const w = c1 - c0, out = to ?? new Float32Array(k * w);
  for (let r = 0; r < k; r++) out.set(b.subarray(r * m + c0, r * m + c1), r * w);
  return out;
}

/**
 * C = A·B (A n×k, B k×m) split by columns over two threads (see the module comment); the caller checks
 * that the product is big enough to be worth it.
 */
export function splitMm(a: Float32Array, n: number, k: number, b: Float32Array, m: number): Float32Array {
  const h = startHelper();
  const half = m >> 1, w2 = m - half;
  const out = new Float32Array(n * m);
  const put = (c: Float32Array, c0: number, w: number) => { for (let r = 0; r < n; r++) out.set(c.subarray(r * w, (r + 1) * w), r * m + c0); };
  // The halves are bitwise what one matMul gives (each output column sums over k in the same order; the
  // tests check it), so computing the product whole here when the helper is not ready, or not worth it, is exact.
  if (!ready(h) || skip > 0) {
    if (skip > 0) skip--;
    return tfMm(a, n, k, b, m);
  }
  const bytes = 4 * (n * k + k * w2 + n * w2);
  if (h.buf.byteLength < bytes) {
    h.buf = new SharedArrayBuffer(Math.max(bytes, 2 * h.buf.byteLength));
    h.port.postMessage(h.buf);
    Atomics.add(h.ctrl, GEN, 1);
  }
  new Float32Array(h.buf, 0, n * k).set(a.subarray(0, n * k));
  columns(b, k, m, half, m, new Float32Array(h.buf, 4 * n * k, k * w2));
  h.ctrl[N_] = n; h.ctrl[K_] = k; h.ctrl[M_] = w2;
  const seq = ++h.seq;
  Atomics.store(h.ctrl, REQ, seq);
  Atomics.notify(h.ctrl, REQ);
  const t0 = performance.now();
  put(tfMm(a, n, k, columns(b, k, m, 0, half), half), 0, half);
  const t1 = performance.now();
  // 'timed-out' only if the worker died mid-request (its exit event cannot be seen while this thread blocks)
  while (Atomics.load(h.ctrl, DONE) !== seq) if (Atomics.wait(h.ctrl, DONE, seq - 1, 60000) === 'timed-out') break;
  // When the other core is busy (another process), waiting for the helper costs more than the split saves:
  // then compute products whole for a while, and try again.
  if (performance.now() - t0 > 0.9 * 2 * (t1 - t0)) { if (++slow >= 3) { skip = 50; slow = 0; } } else slow = 0;
  if (Atomics.load(h.ctrl, DONE) === seq && Atomics.load(h.ctrl, FAIL) === 0) {
    put(new Float32Array(h.buf, 4 * (n * k + k * w2), n * w2), half, w2);
  } else {
    h.dead = true;
    put(tfMm(a, n, k, columns(b, k, m, half, m), w2), half, w2);
  }
  return out;
}
