/**
 * Two cores for the engine's WebAssembly kernels ({@link ./wasm}): one worker thread
 * instantiates the same module over the same shared memory, and each kernel call is cut into chunks of its
 * rows (or columns) that both threads claim from a shared counter. The calling thread always works too and
 * takes whatever the worker has not claimed, so a busy second core (another process) costs at most the chunk
 * the worker holds, not half the product (measured with the other core saturated by a `yes` process: ReLU SAE
 * 12.1k samples/s on two threads against 11.6k on one, TopK 23.7k against 21.6k; idle 16.4k against 12.2k and
 * 26.8k against 21.7k). Callers stay synchronous: the calling thread blocks on Atomics until every chunk is done.
 *
 * Deterministic: a chunk writes its own rows (columns) of the output, each computed exactly as in the whole
 * call, so the result is bitwise the same whichever thread ran which chunk, and with one thread.
 * The worker runs the same compiled module as the calling thread (the FMA variant too, {@link ./wasm}).
 * Default: two threads where the machine has two cores or more; `WORKBOOK_THREADS=1` (or
 * {@link setKernelThreads}(1)) keeps everything on the calling thread.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { KernelModule, RELAXED_SIMD_FLAG, WasmKernels, kernelModule } from './wasm';

/** The kernels that can be split, by their index in the control block. */
const OPS = ['gacc', 'scat', 'sdots', 'gemm', 'adam', 'toydata', 'toyelem', 'bnfwd', 'bnbwd', 'pack', 'packt', 'colsum', 'addrow', 'act', 'rownnz', 'csrrows', 'resid', 'tangent', 'rownorm', 'csrgather', 'reluback', 'smce'] as const;
/** A kernel that can be split. */
export type KernelOp = (typeof OPS)[number];

/**
 * Pieces a row (or column) kernel's range is cut into for the two threads, claimed from the shared counter: enough
 * that a thread slowed by another process holds back one piece, not half the job.
 */
export const ROW_CHUNKS = 8;

/**
 * Control block (Int32 words): 0 job sequence number, 1 claim word (tag·4096 + next chunk, tag = low 16 bits
 * of the sequence), 2 finished chunks, 3 worker ready (1) or failed (−1), 4 a kernel failed, 5 op, 6 chunks,
 * 7 range total, 8 range alignment, 9 argument count, 10… arguments (the range [lo, hi) is appended), 31 chunks
 * the worker has run (a statistic), 32 the length of the first failed chunk's error text and 33… its UTF-16 code
 * units (at most {@link ERROR_CHARS}; the failure flag is taken first, so one chunk writes it).
 *
 * The chunk loop below is the one both threads run (source shared, so the worker needs no module loader). A
 * claimed chunk's job cannot change until that chunk is finished, so its fields are read after the claim. A thread
 * may still be in the loop of the last job (woken late) when the next is written: {@link writeJob} closes the claim
 * word first (chunk index 4095, never below the chunk count), so such a thread can no longer claim with the old
 * word while the new fields are half written (it would run a chunk with a mix of the two jobs' arguments).
 */
const CHUNK_LOOP = `
  const tag = Atomics.load(ctrl, 0) & 0xffff;
  for (;;) {
    const v = Atomics.load(ctrl, 1);
    if ((v >>> 12) !== tag || (v & 4095) >= ctrl[6]) return;
    if (Atomics.compareExchange(ctrl, 1, v, v + 1) !== v) continue;
    const c = v & 4095, n = ctrl[6], total = ctrl[7], align = ctrl[8], na = ctrl[9];
    const bound = (i) => (i >= n ? total : Math.min(total, Math.floor((i * total) / n / align) * align));
    const args = [];
    for (let i = 0; i < na; i++) args.push(ctrl[10 + i]);
    args.push(bound(c), bound(c + 1));
    try { fns[ctrl[5]](...args); } catch (e) {
      if (Atomics.compareExchange(ctrl, 4, 0, 1) === 0) {
        const text = String(e instanceof Error ? e.name + ': ' + e.message : e).slice(0, ctrl.length - 33);
        for (let i = 0; i < text.length; i++) ctrl[33 + i] = text.charCodeAt(i);
        ctrl[32] = text.length;
      }
    }
    if (worker) Atomics.add(ctrl, 31, 1);
    if (Atomics.add(ctrl, 2, 1) + 1 === n) Atomics.notify(ctrl, 2);
  }
`;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const ctrl = new Int32Array(workerData.ctrl);
try {
  // the FMA variant needs relaxed SIMD enabled in this thread too before it is instantiated
  if (workerData.relaxedFlag) require('node:v8').setFlagsFromString(workerData.relaxedFlag);
  const k = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } }).exports;
  const fns = workerData.ops.map((name) => k[name]);
  const runChunks = new Function('ctrl', 'fns', 'worker', workerData.loop);
  Atomics.store(ctrl, 3, 1); Atomics.notify(ctrl, 3);
  let seen = Atomics.load(ctrl, 0);
  for (;;) {
    // spin a little before sleeping: the next job often follows within microseconds
    for (let i = 0, end = performance.now() + workerData.spinMs; Atomics.load(ctrl, 0) === seen; i++) {
      if ((i & 255) === 0 && performance.now() > end) break;
    }
    Atomics.wait(ctrl, 0, seen);
    seen = Atomics.load(ctrl, 0);
    runChunks(ctrl, fns, true);
  }
} catch (e) {
  Atomics.store(ctrl, 3, -1); Atomics.notify(ctrl, 3);
}
`;

/**
 * Claim and run chunks of the current job until none is left (the chunk loop above): `worker` counts them in word 31.
 * Exported for the protocol's tests.
 */
export const runChunks = new Function('ctrl', 'fns', 'worker', CHUNK_LOOP) as (ctrl: Int32Array, fns: ((...a: number[]) => void)[], worker: boolean) => void;

/**
 * How long (ms) a thread that waits on the other spins before it sleeps on Atomics.wait: the worker for the next
 * job, the calling thread for the worker's last chunk. Waking a sleeping thread costs more than many of the engine's
 * kernels take (see the README's Speed section); a spin ends at the first change it sees, and at worst burns this
 * long per job.
 */
const SPIN_MS = 0.05;

/** Words of the control block (see above): 33 for the protocol and the statistic, then the error text. */
const CTRL_WORDS = 256;
/** Longest error text a failed chunk leaves in the control block. */
const ERROR_CHARS = CTRL_WORDS - 33;

/** The error text a failed chunk left in `ctrl` (see the control block). */
function chunkError(ctrl: Int32Array): string {
  const n = Math.min(ctrl[32], ERROR_CHARS);
  return String.fromCharCode(...Array.from(ctrl.subarray(33, 33 + n)));
}

/** The error of kernel `op` failing with `text` on `args` over [0, total). */
function kernelFailed(op: KernelOp, args: number[], total: number, text: string): Error {
  return new Error(`WebAssembly kernel '${op}' failed: ${text} (arguments ${args.join(', ')} over [0, ${total}))`);
}

/** A chunk index that closes a claim word: no job has 4095 chunks or more. */
const CLOSED = 4095;

/**
 * Write the next job into the control block `ctrl`: op (index), chunk count, range and arguments, after closing
 * the last job's claim word (see the control block). The job starts with {@link publishJob}.
 */
export function writeJob(ctrl: Int32Array, op: number, n: number, total: number, align: number, args: number[]): void {
  Atomics.store(ctrl, 1, (Atomics.load(ctrl, 1) & ~4095) | CLOSED);
  ctrl[5] = op; ctrl[6] = n; ctrl[7] = total; ctrl[8] = align; ctrl[9] = args.length;
  for (let i = 0; i < args.length; i++) ctrl[10 + i] = args[i];
}

/** Start the job written by {@link writeJob}: no chunk finished, the claim word open at chunk 0 under a new tag, the worker woken. */
export function publishJob(ctrl: Int32Array): void {
  Atomics.store(ctrl, 2, 0);
  const seq = (Atomics.load(ctrl, 0) + 1) & 0x7fffffff;
  Atomics.store(ctrl, 1, (seq & 0xffff) * 4096);
  Atomics.store(ctrl, 0, seq);
  Atomics.notify(ctrl, 0, 1);
}

const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
const fromEnv = Number(process.env.WORKBOOK_THREADS);
let threads = Math.max(1, Math.min(2, cores, Number.isFinite(fromEnv) && fromEnv >= 1 ? fromEnv : 2));

/** Threads for the WebAssembly kernels: 1 or 2 (default 2 on machines with two cores or more; env `WORKBOOK_THREADS`). */
export function setKernelThreads(n: number): void { threads = n >= 2 ? 2 : 1; }
/** The current setting of {@link setKernelThreads}. */
export function kernelThreads(): number { return threads; }

interface Helper { worker: Worker; ctrl: Int32Array; fns: ((...a: number[]) => void)[]; dead: boolean }
let helper: Helper | null | undefined;

function startHelper(km: KernelModule): Helper | null {
  if (helper !== undefined) return helper && !helper.dead ? helper : null;
  try {
    const ctrl = new Int32Array(new SharedArrayBuffer(4 * CTRL_WORDS));
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        ctrl: ctrl.buffer, module: km.module, memory: km.memory, ops: [...OPS], loop: CHUNK_LOOP, spinMs: SPIN_MS,
        relaxedFlag: km.variant === 'fma' ? RELAXED_SIMD_FLAG : null,
      },
    });
    worker.unref();
    const k = km.kernels as unknown as Record<string, (...a: number[]) => void>;
    const h: Helper = { worker, ctrl, fns: OPS.map((name) => k[name]), dead: false };
    worker.on('error', () => { h.dead = true; });
    worker.on('exit', () => { h.dead = true; });
    helper = h;
    return h;
  } catch {
    helper = null;
    return null;
  }
}

/** Start the worker (if two threads are set) and resolve once it is ready (false if it failed or timed out). */
export async function kernelHelperReady(timeoutMs = 20000): Promise<boolean> {
  const km = kernelModule();
  if (threads < 2 || !km) return false;
  const h = startHelper(km);
  for (const t0 = Date.now(); Date.now() - t0 < timeoutMs; await new Promise((r) => setTimeout(r, 10))) {
    if (!h || h.dead || Atomics.load(h.ctrl, 3) === -1) return false;
    if (Atomics.load(h.ctrl, 3) === 1) return true;
  }
  return false;
}

/** Chunks the worker thread has run since it started (0 without it): shows that the split happens. */
export function kernelWorkerChunks(): number {
  return helper ? Atomics.load(helper.ctrl, 31) : 0;
}

/**
 * Run kernel `op` of `kernels` with `args` followed by a range [lo, hi) over [0, total): the whole range on this
 * thread, or `chunks` pieces (multiples of `align`) shared with the worker when two threads are set, the worker
 * is ready and the range has at least two pieces. The worker starts on the first call and joins when ready.
 */
export function runKernel(kernels: WasmKernels, op: KernelOp, args: number[], total: number, align: number, chunks: number): void {
  const fn = kernels[op] as (...a: number[]) => void;
  const km = threads > 1 && chunks > 1 && total >= 2 * align ? kernelModule() : null;
  const h = km && km.kernels === kernels ? startHelper(km) : null;
  if (!h || Atomics.load(h.ctrl, 3) !== 1) {
    try { fn(...args, 0, total); } catch (e) { throw kernelFailed(op, args, total, e instanceof Error ? `${e.name}: ${e.message}` : String(e)); }
    return;
  }
  const ctrl = h.ctrl, n = Math.min(chunks, CLOSED - 1, Math.ceil(total / align));
  writeJob(ctrl, OPS.indexOf(op), n, total, align, args);
  publishJob(ctrl);
  runChunks(ctrl, h.fns, false);
  // every chunk is claimed: wait for the worker's (a wasm trap there is reported, not hung on), spinning first
  for (let i = 0, end = performance.now() + SPIN_MS; Atomics.load(ctrl, 2) < n; i++) {
    if ((i & 255) === 0 && performance.now() > end) break;
  }
  for (let waited = 0; ;) {
    const f = Atomics.load(ctrl, 2);
    if (f >= n) break;
    if (Atomics.wait(ctrl, 2, f, 5000) === 'timed-out' && (waited += 5) >= 120) {
      h.dead = true; helper = null;
      throw new Error(`the kernel worker thread did not finish '${op}' in 120 s; set WORKBOOK_THREADS=1 to run on one thread`);
    }
  }
  if (Atomics.load(ctrl, 4)) {
    const text = chunkError(ctrl);
    Atomics.store(ctrl, 4, 0);
    throw kernelFailed(op, args, total, text);
  }
}
