/**
 * Worker of fuzz_npy.test.ts (run as a child so that a hang or a crash shows as a timeout or a signal): for
 * each case file listed in <dir>/cases.json, run `superposition metrics --true F --pred F` and
 * `superposition encode --dict D --input F --method omp --k 1 --out <new file>` in-process, and record the
 * exit code or the error, the parsed matrix when it reads, and whether the output file appeared.
 * Writes <dir>/results.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { run as metrics } from '../../src/cli/metrics';
import { run as encode } from '../../src/cli/encode';
import { readMatrix } from '../../src/io/npy';
import { captureCli } from '../helpers/cli';

interface Outcome { code?: number; out?: string; err?: string; error?: { name: string; message: string } }

async function attempt(run: (argv: string[]) => Promise<number>, argv: string[]): Promise<Outcome> {
  try {
    const r = await captureCli(run, argv);
    return { code: r.code, out: r.out, err: r.err };
  } catch (e) {
    const x = e instanceof Error ? e : new Error(String(e));
    return { error: { name: x.name, message: x.message } };
  }
}

(async () => {
  const dir = process.argv[2];
  const cases: { file: string }[] = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8'));
  const D = path.join(dir, 'D.npy');
  const results = [];
  for (const c of cases) {
    const m = await attempt(metrics, ['--true', c.file, '--pred', c.file]);
    const out = path.join(dir, 'out', `${path.basename(c.file)}.Z.npy`);
    const e = await attempt(encode, ['--dict', D, '--input', c.file, '--method', 'omp', '--k', '1', '--out', out]);
    let values: number[] | null = null, shape: number[] | null = null;
    try { const X = readMatrix(c.file); values = Array.from(X.data); shape = [X.rows, X.cols]; } catch { /* reported by the runs */ }
    results.push({ file: c.file, metrics: m, encode: e, wroteOutput: fs.existsSync(out), shape, values });
  }
  fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify(results));
})().catch((e) => { console.error(e); process.exitCode = 3; });
