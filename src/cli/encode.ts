/**
 * `superposition encode`: sparse codes for your own arrays. Reads a dictionary D (N×M, one atom per row) and
 * data X (B×M) from .npy files (float32 or float64), runs one of the sparse encoders, writes the codes Z
 * (B×N, float32) to --out and prints one JSON line {"method","seconds","objective","mean_l0","iterations","converged"}.
 * Non-finite codes or objective (data too large for float32 arithmetic) are an error and nothing is written;
 * a solver that stopped at --max-iter before reaching --tol is reported on stderr and as "converged": false.
 */
import { initBackend } from '../core/backend';
import { sparseEncode, SPARSE_METHODS } from '../sparse/encode';
import { OptionSpec, parseCommandLine, UsageError } from './args';
import { CommandFailure } from './failure';
import { checkInputs, checkOutputs, FileArg, firstNonFinite, readInput, scaleAdvice, writeOutputs } from './io';
import { checkMemory, MAX_MEMORY_OPTION, memoryLimit } from './limits';

export const summary = 'sparse codes of X.npy on a dictionary D.npy (fista, ista, cd, omp, iht) → Z.npy';

/** Default iteration limit of the iterative encoders (the solvers' own default). */
const DEFAULT_MAX_ITER = 1000;

const SPEC: Record<string, OptionSpec> = {
  dict: { type: 'string', help: 'dictionary D.npy, N×M (one atom per row)', required: true },
  input: { type: 'string', help: 'data X.npy, B×M (one sample per row)', required: true },
  method: { type: 'string', help: `encoder: ${SPARSE_METHODS.join(' | ')}`, required: true },
  lambda: { type: 'number', help: 'ℓ1 penalty λ (fista, ista, cd)', min: 0 },
  k: { type: 'number', help: 'atoms per sample (omp, iht)', integer: true, min: 1 },
  nonneg: { type: 'boolean', help: 'non-negative codes' },
  tol: { type: 'number', help: 'stopping tolerance (lasso: relative change; omp: ‖r‖² ≤ tol; iht: relative change)', min: 0 },
  'max-iter': { type: 'number', help: `maximum iterations per sample (fista, ista, cd, iht; default ${DEFAULT_MAX_ITER})`, integer: true, min: 1 },
  out: { type: 'string', help: 'output codes Z.npy, B×N float32', required: true },
  'max-memory': MAX_MEMORY_OPTION,
  help: { type: 'boolean', help: 'show this help' },
};

const USAGE = 'superposition encode --dict D.npy --input X.npy --method fista|ista|cd|omp|iht [--lambda L] [--k K] [--nonneg] [--tol T] [--max-iter N] --out Z.npy';

/** Run `superposition encode` with `argv` (the arguments after the command name); resolves to the exit code (0, or 2 for a usage error) and throws on failures (exit 1). */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('encode', USAGE, SPEC, argv, ({ options: o }) => {
    const m = String(o.method);
    if (!(SPARSE_METHODS as readonly string[]).includes(m)) throw new UsageError(`--method must be one of ${SPARSE_METHODS.join(', ')}, got '${m}'`);
    if ((m === 'omp' || m === 'iht') && o.k === undefined) throw new UsageError(`--method ${m} needs --k (atoms per sample)`);
    if ((m === 'fista' || m === 'ista' || m === 'cd') && o.lambda === undefined) throw new UsageError(`--method ${m} needs --lambda (the ℓ1 penalty)`);
    memoryLimit(o['max-memory'] as string | undefined);
    checkOutputs([{ option: '--out', file: String(o.out) }], [{ option: '--dict', file: String(o.dict) }, { option: '--input', file: String(o.input) }]);
  });
  if (typeof parsed === 'number') return parsed;
  const o = parsed.options;
  const limit = memoryLimit(o['max-memory'] as string | undefined);
  const dictArg: FileArg = { option: '--dict', file: String(o.dict) };
  const inputArg: FileArg = { option: '--input', file: String(o.input) };
  checkMemory('encode', checkInputs([dictArg, inputArg]), limit, 'use smaller files');
  const D = readInput(dictArg, 'dictionary (--dict, N×M)');
  const X = readInput(inputArg, 'data (--input, B×M)');
  const B = X.rows, M = X.cols, N = D.rows;
  // Codes, the solver's state (Q, C) and residual-side arrays in float64, the Gram matrix, the float32 result.
  checkMemory('encode', [
    { what: 'X', elements: B * M, bytesPerElement: 8 }, { what: 'D', elements: N * M, bytesPerElement: 8 },
    { what: 'codes and solver state (B×N, 3 float64 arrays)', elements: B * N, bytesPerElement: 24 },
    { what: 'Gram matrix (N×N)', elements: N * N, bytesPerElement: 8 },
    { what: 'residuals (B×M)', elements: B * M, bytesPerElement: 16 },
    { what: 'codes Z (B×N float32)', elements: B * N, bytesPerElement: 4 },
  ], limit, 'encode fewer samples at a time (split X) or use a smaller dictionary');
  await initBackend(); // fast dense products (tfjs wasm / native) when available
  const method = o.method as (typeof SPARSE_METHODS)[number];
  const r = sparseEncode(X, D, {
    method, lambda: o.lambda as number | undefined, k: o.k as number | undefined, nonneg: Boolean(o.nonneg),
    tol: o.tol as number | undefined, maxIter: o['max-iter'] as number | undefined,
  });
  const bad = firstNonFinite(r.codes.data);
  if (bad >= 0 || !Number.isFinite(r.objective)) {
    const where = bad >= 0 ? `code ${r.codes.data[bad]} at sample ${Math.floor(bad / N)}, feature ${bad % N}` : `objective ${r.objective}`;
    throw new CommandFailure(`the result is not finite (${where}); nothing was written to ${o.out}. ${scaleAdvice(X)}`);
  }
  writeOutputs([{ file: String(o.out), data: r.codes }]);
  if (!r.converged) {
    const maxIter = (o['max-iter'] as number | undefined) ?? DEFAULT_MAX_ITER;
    console.error(`superposition encode: warning: ${method} stopped at the iteration limit (--max-iter ${maxIter}) before every sample ` +
      `reached the tolerance${o.tol !== undefined ? ` (--tol ${o.tol})` : ''}; the codes in ${o.out} are not fully converged — ` +
      'raise --max-iter or loosen --tol');
  }
  let nnz = 0;
  for (let i = 0; i < r.codes.data.length; i++) if (r.codes.data[i] !== 0) nnz++;
  console.log(JSON.stringify({
    method, seconds: r.seconds, objective: r.objective,
    mean_l0: r.codes.rows ? nnz / r.codes.rows : 0, iterations: r.iterations, converged: r.converged,
  }));
  return 0;
}
