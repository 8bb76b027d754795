/**
 * `superposition encode`: sparse codes for your own arrays. Reads a dictionary D (N×M, one atom per row) and
 * data X (B×M) from .npy files (float32 or float64), runs one of the sparse encoders, writes the codes Z
 * (B×N, float32) to --out and prints one JSON line {"method","seconds","objective","mean_l0","iterations","converged"}.
 * X may be several shards (a folder, a glob, files joined by commas) and larger than memory: rows are read and
 * encoded in blocks of at most {@link ENCODE_BLOCK_ROWS} (fewer under --max-memory), and the codes are appended to
 * one Z.npy whose header is written first, fsynced and renamed into place once every block succeeded — so the output
 * may be larger than memory too. Samples are encoded independently, so the codes do not depend on the blocks.
 * Non-finite codes or objective (data too large for float32 arithmetic) are an error and nothing is written;
 * a solver that stopped at --max-iter before reaching --tol is reported on stderr and as "converged": false.
 */
import { initBackend } from '../core/backend';
import { Matrix, matrix } from '../core/matrix';
import { NpyRowWriter, openShards, rowBuffer, ShardedRows } from '../io/npy_stream';
import { sparseEncode, SPARSE_METHODS } from '../sparse/encode';
import type { SparseEncodeOptions } from '../sparse/types';
import { OptionSpec, parseCommandLine, UsageError } from './args';
import { CommandFailure } from './failure';
import { checkInputs, checkOutputs, FileArg, firstNonFinite, inputFiles, readInput, scaleAdvice } from './io';
import { checkMemory, MAX_MEMORY_OPTION, memoryLimit } from './limits';

export const summary = 'sparse codes of X.npy on a dictionary D.npy (fista, ista, cd, omp, iht) → Z.npy';

/** Default iteration limit of the iterative encoders (the solvers' own default). */
const DEFAULT_MAX_ITER = 1000;

const SPEC: Record<string, OptionSpec> = {
  dict: { type: 'string', help: 'dictionary D.npy, N×M (one atom per row)', required: true },
  input: { type: 'string', help: 'data X.npy, B×M (one sample per row); or shards read as one: a folder of .npy, a quoted glob \'acts/*.npy\' or files joined by commas; any size (read by row blocks)', required: true },
  method: { type: 'string', help: `encoder: ${SPARSE_METHODS.join(' | ')}`, required: true },
  lambda: { type: 'number', help: 'ℓ1 penalty λ (fista, ista, cd)', min: 0 },
  k: { type: 'number', help: 'atoms per sample (omp, iht)', integer: true, min: 1 },
  nonneg: { type: 'boolean', help: 'non-negative codes' },
  tol: { type: 'number', help: 'stopping tolerance (lasso: relative change; omp: ‖r‖² ≤ tol; iht: relative change)', min: 0 },
  'max-iter': { type: 'number', help: `maximum iterations per sample (fista, ista, cd, iht; default ${DEFAULT_MAX_ITER})`, integer: true, min: 1 },
  out: { type: 'string', help: 'output codes Z.npy, B×N float32 (written block by block, renamed into place at the end)', required: true },
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
    checkOutputs([{ option: '--out', file: String(o.out) }], [{ option: '--dict', file: String(o.dict) }, ...inputFiles('--input', String(o.input))]);
  });
  if (typeof parsed === 'number') return parsed;
  const o = parsed.options;
  const limit = memoryLimit(o['max-memory'] as string | undefined);
  const dictArg: FileArg = { option: '--dict', file: String(o.dict) };
  const out = String(o.out);
  checkMemory('encode', checkInputs([dictArg]), limit, 'use a smaller dictionary file');
  const D = readInput(dictArg, 'dictionary (--dict, N×M)');
  const X = openShards(String(o.input), 'data (--input, B×M)', '--input');
  const method = o.method as (typeof SPARSE_METHODS)[number];
  let r: { objective: number; iterations: number; converged: boolean; seconds: number; nnz: number };
  try {
    const M = X.cols, N = D.rows;
    if (M < 1) throw new CommandFailure(`--input ${o.input} has shape (${X.rows}, 0); encoding needs at least one column`);
    // The dictionary, its Gram matrix, then per row of a block: X in float64, codes and solver state (B×N, 3 float64
    // arrays), residual-side arrays (B×M) and the float32 codes.
    const fixed = N * M * 8 + N * N * 8, perRow = M * 24 + N * 28;
    const block = Math.max(1, Math.min(ENCODE_BLOCK_ROWS, X.rows, Math.floor((limit - fixed) / perRow)));
    checkMemory('encode', [
      { what: 'D', elements: N * M, bytesPerElement: 8 }, { what: 'Gram matrix (N×N)', elements: N * N, bytesPerElement: 8 },
      { what: `a block of ${block} samples: X, codes, solver state and residuals`, elements: block, bytesPerElement: perRow },
    ], limit, 'use a smaller dictionary');
    await initBackend(); // fast dense products (tfjs wasm / native) when available
    r = encodeByBlocks(X, D, block, out, {
      method, lambda: o.lambda as number | undefined, k: o.k as number | undefined, nonneg: Boolean(o.nonneg),
      tol: o.tol as number | undefined, maxIter: o['max-iter'] as number | undefined,
    });
  } finally {
    X.close();
  }
  if (!r.converged) {
    const maxIter = (o['max-iter'] as number | undefined) ?? DEFAULT_MAX_ITER;
    console.error(`superposition encode: warning: ${method} stopped at the iteration limit (--max-iter ${maxIter}) before every sample ` +
      `reached the tolerance${o.tol !== undefined ? ` (--tol ${o.tol})` : ''}; the codes in ${o.out} are not fully converged — ` +
      'raise --max-iter or loosen --tol');
  }
  console.log(JSON.stringify({
    method, seconds: r.seconds, objective: r.objective,
    mean_l0: X.rows ? r.nnz / X.rows : 0, iterations: r.iterations, converged: r.converged,
  }));
  return 0;
}

/** Rows encoded per solver call: bounds the memory of a run whatever the number of samples. */
export const ENCODE_BLOCK_ROWS = 16384;

/**
 * Encode the rows of X block by block (each block of ≤ `block` rows is one solver call; samples are independent)
 * and append the codes to `out` (an .npy written header first, renamed into place when every block succeeded).
 * Returns the batch-mean objective over all rows, the largest iteration count, whether every sample converged,
 * the solver seconds and the number of non-zero codes.
 */
function encodeByBlocks(X: ShardedRows, D: Matrix, block: number, out: string, opts: SparseEncodeOptions):
  { objective: number; iterations: number; converged: boolean; seconds: number; nnz: number } {
  const N = D.rows, M = X.cols;
  const writer = new NpyRowWriter(out, X.rows, N);
  let objective = 0, iterations = 0, converged = true, seconds = 0, nnz = 0;
  try {
    const xb = rowBuffer(X, block); // float64 data is encoded in float64, as readMatrix keeps it
    for (let a = 0; a < X.rows; a += block) {
      const b = Math.min(X.rows, a + block), n = b - a;
      X.readRows(a, b, xb);
      const Xb = matrix(n, M, xb.subarray(0, n * M));
      const r = sparseEncode(Xb, D, opts);
      const z = r.codes.data;
      const bad = firstNonFinite(z);
      if (bad >= 0 || !Number.isFinite(r.objective)) {
        const where = bad >= 0 ? `code ${z[bad]} at sample ${a + Math.floor(bad / N)}, feature ${bad % N}` : `objective ${r.objective}`;
        throw new CommandFailure(`the result is not finite (${where}); nothing was written to ${out}. ${scaleAdvice(Xb)}`);
      }
      for (let i = 0; i < z.length; i++) if (z[i] !== 0) nnz++;
      writer.append(z instanceof Float32Array ? z : Float32Array.from(z), n);
      objective += r.objective * n; iterations = Math.max(iterations, r.iterations); converged &&= r.converged; seconds += r.seconds;
    }
    writer.commit();
  } catch (e) {
    writer.abort();
    throw e;
  }
  return { objective: X.rows ? objective / X.rows : 0, iterations, converged, seconds, nnz };
}
