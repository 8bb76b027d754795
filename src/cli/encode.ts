/**
 * `superposition encode`: sparse codes for your own arrays. Reads a dictionary D (N×M, one atom per row) and
 * data X (B×M) from .npy files (float32 or float64), runs one of the sparse encoders, writes the codes Z
 * (B×N, float32) to --out and prints one JSON line {"method","seconds","objective","mean_l0","iterations"}.
 */
import { initBackend } from '../core/backend';
import { readMatrix, writeNpy } from '../io/npy';
import { sparseEncode, SPARSE_METHODS } from '../sparse/encode';
import { OptionSpec, parseCommandLine, UsageError } from './args';

export const summary = 'sparse codes of X.npy on a dictionary D.npy (fista, ista, cd, omp, iht) → Z.npy';

const SPEC: Record<string, OptionSpec> = {
  dict: { type: 'string', help: 'dictionary D.npy, N×M (one atom per row)', required: true },
  input: { type: 'string', help: 'data X.npy, B×M (one sample per row)', required: true },
  method: { type: 'string', help: `encoder: ${SPARSE_METHODS.join(' | ')}`, required: true },
  lambda: { type: 'number', help: 'ℓ1 penalty λ ≥ 0 (fista, ista, cd)' },
  k: { type: 'number', help: 'atoms per sample (omp, iht)' },
  nonneg: { type: 'boolean', help: 'non-negative codes' },
  tol: { type: 'number', help: 'stopping tolerance (lasso: relative change; omp: ‖r‖² ≤ tol; iht: relative change)' },
  'max-iter': { type: 'number', help: 'maximum iterations per sample' },
  out: { type: 'string', help: 'output codes Z.npy, B×N float32', required: true },
  help: { type: 'boolean', help: 'show this help' },
};

const USAGE = 'superposition encode --dict D.npy --input X.npy --method fista|ista|cd|omp|iht [--lambda L] [--k K] [--nonneg] [--tol T] [--max-iter N] --out Z.npy';

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('encode', USAGE, SPEC, argv, ({ options: o }) => {
    const m = String(o.method);
    if (!(SPARSE_METHODS as readonly string[]).includes(m)) throw new UsageError(`--method must be one of ${SPARSE_METHODS.join(', ')}, got '${m}'`);
    if ((m === 'omp' || m === 'iht') && o.k === undefined) throw new UsageError(`--method ${m} needs --k (atoms per sample)`);
    if ((m === 'fista' || m === 'ista' || m === 'cd') && o.lambda === undefined) throw new UsageError(`--method ${m} needs --lambda (the ℓ1 penalty)`);
  });
  if (typeof parsed === 'number') return parsed;
  const o = parsed.options;
  const D = readMatrix(String(o.dict), 'dictionary (--dict)');
  const X = readMatrix(String(o.input), 'data (--input)');
  await initBackend(); // fast dense products (tfjs wasm / native) when available
  const r = sparseEncode(X, D, {
    method: o.method as (typeof SPARSE_METHODS)[number],
    lambda: o.lambda as number | undefined, k: o.k as number | undefined, nonneg: Boolean(o.nonneg),
    tol: o.tol as number | undefined, maxIter: o['max-iter'] as number | undefined,
  });
  writeNpy(String(o.out), r.codes);
  let nnz = 0;
  for (let i = 0; i < r.codes.data.length; i++) if (r.codes.data[i] !== 0) nnz++;
  console.log(JSON.stringify({
    method: o.method, seconds: r.seconds, objective: r.objective,
    mean_l0: r.codes.rows ? nnz / r.codes.rows : 0, iterations: r.iterations,
  }));
  return 0;
}
