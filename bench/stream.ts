/**
 * `stream` area: peak memory of SAE training from shards larger than the buffer. Each run is its own process (so
 * its peak resident set, /proc/self/status VmHWM, is its own): a TopK SAE trained for one pass over .npy shards
 * through an {@link ActivationStore} of 16384 rows, with data 4× and 16× the buffer — the peak should not grow with
 * the data — and the same 16× data trained in memory (readMatrix of one file), whose peak does.
 *   node --import tsx bench/stream.ts [--quick]      (or npm run bench -- --only stream)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { BenchOptions, BenchResult } from './common';
import { ActivationStore } from '../src/data/activation_store';
import { plantedSparseData } from '../src/data/synthetic';
import { openShards } from '../src/io/npy_stream';
import { readMatrix, writeNpy } from '../src/io/npy';
import { matrix } from '../src/core/matrix';
import { createLearner } from '../src/dictionary';

const M = 256, N = 512, K = 16, BUFFER = 16384, SHARD_ROWS = 16384;

/** Peak resident set (VmHWM) of this process in bytes. */
function peakRss(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
}

/** Child: train from `input` (shards folder, or one file with --memory) and print {seconds, peak, rows}. */
function child(input: string, memory: boolean, samples: number): void {
  const sae = createLearner({ method: 'sae-topk', features: N, k: K, seed: 0 });
  const t0 = performance.now();
  let rows: number;
  if (memory) {
    const X = readMatrix(input);
    rows = X.rows;
    sae.fit(X, { samples, batch: 1024, progress: false, patience: 0 });
  } else {
    const src = openShards(input);
    rows = src.rows;
    const store = new ActivationStore(src, { bufferRows: BUFFER, seed: 0 });
    sae.fit(store, { samples, batch: 1024, progress: false, patience: 0 });
    src.close();
  }
  console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, peak: peakRss(), rows }));
}

/** Write `shards` shards of SHARD_ROWS planted rows each into a fresh folder (and, if `whole`, one file of all). */
function makeData(dir: string, shards: number, whole: boolean): void {
  fs.mkdirSync(dir, { recursive: true });
  const all = whole ? new Float32Array(shards * SHARD_ROWS * M) : null;
  const D = plantedSparseData({ n: N, m: M, k: 0, samples: 0, seed: 1 }).D;
  for (let s = 0; s < shards; s++) {
    const p = plantedSparseData({ n: N, m: M, k: K, samples: SHARD_ROWS, seed: 10 + s, dictionary: D });
    writeNpy(path.join(dir, `shard_${String(s).padStart(3, '0')}.npy`), p.X);
    all?.set(p.X.data, s * SHARD_ROWS * M);
  }
  if (all) writeNpy(path.join(dir, '..', `whole_${shards}.npy`), matrix(shards * SHARD_ROWS, M, all));
}

export async function bench({ quick }: BenchOptions): Promise<BenchResult[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stream-'));
  const rows: BenchResult[] = [];
  try {
    const sizes = quick ? [4, 8] : [4, 16];
    for (const x of sizes) makeData(path.join(root, `x${x}`), x, x === sizes[sizes.length - 1]);
    const runs: [string, string, boolean, number][] = [
      ...sizes.map((x) => [`stream ${x}× buffer`, path.join(root, `x${x}`), false, x] as [string, string, boolean, number]),
      [`in memory ${sizes[sizes.length - 1]}× buffer`, path.join(root, `whole_${sizes[sizes.length - 1]}.npy`), true, sizes[sizes.length - 1]],
    ];
    for (const [name, input, memory, x] of runs) {
      const samples = x * SHARD_ROWS; // one pass over the data
      const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', input, memory ? 'memory' : 'stream', String(samples)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`stream bench child failed: ${r.stderr}`);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; peak: number; rows: number };
      const dataMiB = (out.rows * M * 4) / 2 ** 20;
      rows.push({
        name, impl: memory ? 'readMatrix + fit(X)' : `ActivationStore(${BUFFER} rows)`, seconds: out.seconds,
        data_MiB: Math.round(dataMiB), buffer_MiB: Math.round((BUFFER * M * 4) / 2 ** 20), peak_rss_MiB: Math.round(out.peak / 2 ** 20),
      });
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return rows;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const c = argv.indexOf('--child');
  if (c >= 0) child(argv[c + 1], argv[c + 2] === 'memory', Number(argv[c + 3]));
  else void bench({ quick: argv.includes('--quick') }).then((r) => console.table(r));
}
