/**
 * Dense float32 products: the engine's GEMM (`mm`) against numpy's matmul (OpenBLAS or whatever BLAS each peer
 * stack's numpy loads) in the same run, on 1 and 2 threads. numpy on 2 cores is this machine's practical limit;
 * the speed table reports our 2-thread GFLOP/s against the best peer's.
 *
 * Shapes n×k×m (A n×k times B k×m): 1024×1024×1024 and 1024×256×1024 (the SAE's product at M=256, F=1024,
 * batch 1024). Each: one warm-up product, then products until `minSeconds` have passed; the median time gives
 * GFLOP/s = 2·n·k·m / t. The engine's result is checked against float64 products of 8 rows (max_rel_err).
 *   npm run bench -- --only gemm [--quick]      or      node --import tsx bench/gemm.ts [--quick]
 */
// The engine's entry points, through the public index (one import to change if they move).
import { kernelThreads, mm, setKernelThreads } from '../src/index';
import { Rng } from '../src/core/rng';
import { BenchResult, PEER_THREADS, median, peerRows, runPeers, versusRow } from './common';

const SHAPES: [number, number, number][] = [[1024, 1024, 1024], [1024, 256, 1024]];
const THREADS = [1, 2];

/** Max |C − C64| / max |C64| over the first 8 rows, C64 the float64 product. */
function relError(a: Float32Array, b: Float32Array, c: Float32Array, k: number, m: number): number {
  let err = 0, scale = 0;
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += a[i * k + q] * b[q * m + j];
      err = Math.max(err, Math.abs(c[i * m + j] - s));
      scale = Math.max(scale, Math.abs(s));
    }
  }
  return err / scale;
}

/** Median seconds of one product `mm(a, b)` over products run for at least `minSeconds` (at least 3). */
function timeProduct(a: Float32Array, b: Float32Array, n: number, k: number, m: number, c: Float32Array, minSeconds: number): number {
  mm(a, n, k, b, m, c);
  const times: number[] = [];
  const end = performance.now() + minSeconds * 1000;
  while (performance.now() < end || times.length < 3) {
    const t0 = performance.now();
    mm(a, n, k, b, m, c);
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

/** GEMM rows: ours and numpy's per shape and thread count, and one versus row per shape at 2 threads. */
export async function bench(opts: { quick: boolean }): Promise<BenchResult[]> {
  const minSeconds = opts.quick ? 0.3 : 1;
  const rng = new Rng(5);
  const out: BenchResult[] = [];
  const before = kernelThreads();
  const ours: Record<string, number> = {};
  try {
    for (const [n, k, m] of SHAPES) {
      const a = rng.fillNormal(new Float32Array(n * k), 0, 1), b = rng.fillNormal(new Float32Array(k * m), 0, 1);
      const c = new Float32Array(n * m);
      for (const t of THREADS) {
        setKernelThreads(t);
        const sec = timeProduct(a, b, n, k, m, c, minSeconds);
        const gflops = (2 * n * k * m) / sec / 1e9;
        ours[`${n}x${k}x${m}/${t}`] = gflops;
        out.push({ name: `gemm ${n}×${k}·${k}×${m}`, impl: 'workbook mm', threads: t, seconds: sec, gflops, max_rel_err: relError(a, b, c, k, m) });
      }
    }
  } finally {
    setKernelThreads(before);
  }
  const shapes = SHAPES.map((s) => s.join('x')).join(',');
  const runs = runPeers('gemm_numpy.py', ['--shapes', shapes, '--threads', THREADS.join(','), '--min-seconds', String(minSeconds)]);
  for (const [n, k, m] of SHAPES) {
    const key = `${n}x${k}x${m}`, name = `gemm ${n}×${k}·${k}×${m}`;
    for (const t of THREADS) {
      out.push(...peerRows(name, runs.map((r) => ({
        ...r,
        result: r.result ? { impl: r.result.impl, ...(r.result.results as Record<string, unknown>[]).find((q) => q.shape === key && q.threads === t) } : null,
      })), ['threads', 'gflops', 'max_rel_err']));
    }
    const peers = runs.filter((r) => r.result).map((r) => ({
      stack: r.stack, impl: String(r.result!.impl),
      value: Number((r.result!.results as { shape: string; threads: number; gflops: number }[]).find((q) => q.shape === key && q.threads === PEER_THREADS)?.gflops),
    }));
    out.push(versusRow({ name: `GEMM ${n}×${k}·${k}×${m} float32, ${PEER_THREADS} threads`, metric: 'GFLOP/s', sense: 'rate', ours: ours[`${key}/${PEER_THREADS}`], peers }));
  }
  return out;
}

if (require.main === module) {
  bench({ quick: process.argv.includes('--quick') }).then((r) => console.table(r), (e) => { console.error(e); process.exit(1); });
}
