/**
 * Files of the data commands (`encode`, `learn`, `metrics`): inputs are checked to be regular files before
 * anything is read (a FIFO, /dev/zero or a directory is refused at once), outputs are checked before any work
 * (never the same file as an input or as another output, never a device or directory, in a folder that
 * exists), and all outputs of a run are written together at the end, atomically, once the results are known
 * to be good.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Matrix } from '../core/matrix';
import { checkRegularFile, DEFAULT_MAX_READ_BYTES, FileData, sameFile, writeFilesAtomic } from '../io/files';
import { encodeNpy, readMatrix } from '../io/npy';
import { resolveShards } from '../io/npy_stream';
import { UsageError } from './args';
import { ArrayNeed } from './limits';

/** A file named on the command line: the option that named it and the path. */
export interface FileArg {
  option: string;
  file: string;
}

/**
 * Check that every input is a regular file of at most `maxBytes` (default 2 GiB), without reading it.
 * @returns what reading them costs, for {@link checkMemory}: the file bytes, held about three times while parsed.
 * @throws FileAccessError naming the option and file.
 */
export function checkInputs(inputs: FileArg[], maxBytes = DEFAULT_MAX_READ_BYTES): ArrayNeed[] {
  return inputs.map(({ option, file }) => {
    const st = checkRegularFile(file, { maxBytes, what: `${option} ${file}` });
    return { what: `reading ${option}`, elements: st.size, bytesPerElement: 3 };
  });
}

/**
 * Check the outputs before any work: none is the same file as an input (or as another output), none is an
 * existing non-regular file (a device, a directory), and each folder exists.
 * @throws UsageError (exit 2) naming the options.
 */
export function checkOutputs(outputs: FileArg[], inputs: FileArg[]): void {
  for (let i = 0; i < outputs.length; i++) {
    const o = outputs[i];
    for (const inp of inputs) {
      if (sameFile(o.file, inp.file)) {
        throw new UsageError(`${o.option} ${o.file} is the same file as ${inp.option}; writing it would overwrite your input — give another output path`);
      }
    }
    for (const p of outputs.slice(0, i)) {
      if (sameFile(o.file, p.file)) throw new UsageError(`${o.option} and ${p.option} name the same file ${o.file}; give two different paths`);
    }
    let st: fs.Stats | null = null;
    try { st = fs.statSync(o.file); } catch { /* a new file */ }
    if (st && !st.isFile()) {
      throw new UsageError(`${o.option} ${o.file} exists and is not a regular file (${st.isDirectory() ? 'a directory' : 'a device, FIFO or socket'}); give a file path`);
    }
    const dir = path.dirname(path.resolve(o.file));
    let dst: fs.Stats | null = null;
    try { dst = fs.statSync(dir); } catch { /* reported below */ }
    if (!dst?.isDirectory()) throw new UsageError(`${o.option} ${o.file}: the folder ${dir} does not exist; create it first`);
  }
}

/**
 * The files an input option names — one file, or shards (a folder, a glob, files joined by commas; see
 * {@link resolveShards}) — for {@link checkOutputs}; a name that resolves to nothing is kept as given (its
 * reader reports it).
 */
export function inputFiles(option: string, input: string): FileArg[] {
  try {
    return resolveShards(input).map((file) => ({ option, file }));
  } catch {
    return [{ option, file: input }];
  }
}

/** Read a checked input as a 2-D matrix; `role` names it in messages, e.g. 'data (--input, B×M)'. */
export function readInput(input: FileArg, role: string): Matrix {
  return readMatrix(input.file, role);
}

/**
 * Write all outputs of a run together (see {@link writeFilesAtomic}): a failure such as a full disk or the
 * file-size limit leaves every previous file as it was, and the error names the file.
 */
export function writeOutputs(outputs: { file: string; data: Matrix | FileData }[]): void {
  writeFilesAtomic(outputs.map(({ file, data }) => ({
    file, data: typeof data === 'string' || data instanceof Uint8Array || Array.isArray(data) ? data : encodeNpy(data),
  })));
}

/** Index of the first NaN or ±Inf in `data`, or −1. */
export function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

/** Largest |value| in `data` (0 when empty). */
export function maxAbs(data: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) { const a = Math.abs(data[i]); if (a > m) m = a; }
  return m;
}

/**
 * What to try when a result is not finite or training diverged: name the scale of the data (called `name`)
 * when it is large enough to overflow float32 arithmetic (squares overflow beyond ~1.8e19), and always
 * suggest scaling it. `X` is the data or its largest |value|.
 */
export function scaleAdvice(X: Matrix | number, name = 'X'): string {
  const m = typeof X === 'number' ? X : maxAbs(X.data);
  const big = m > 1e15 ? `${name} has values as large as ${m.toExponential(1)}, beyond what float32 arithmetic can square (≈1.8e19); ` : '';
  return `${big}scale the data first, e.g. X / X.std() in NumPy (or standardise each column), and try again`;
}
