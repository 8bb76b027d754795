/**
 * Saving and loading learned models: a directory with `model.json` (kind, hyper-parameters, shapes, the
 * training report) and one `.npy` file per array (written with `io/npy`, readable by `numpy.load`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { encodeNpy, readNpy } from '../io/npy';
import { writeFilesAtomic } from '../io/files';
import { DataFileError } from '../core/errors';

/** Format tag in model.json. */
export const MODEL_FORMAT = 'superposition-workbook/dictionary-model';

/** Metadata stored in model.json. */
export interface ModelMeta {
  format: string;
  version: number;
  kind: string;
  config: Record<string, unknown>;
  /** M (data dimension). */
  dim: number;
  /** array name → [rows, cols] */
  arrays: Record<string, [number, number]>;
  report?: unknown;
}

/**
 * Write `arrays` (name → row-major data with [rows, cols]) and metadata to `dir` (created if missing). Every file is
 * written to a temporary name first and all are renamed together at the end, so a failed save (disk full, file-size
 * limit) leaves the previous model in `dir` as it was.
 */
export function writeModelDir(dir: string, meta: Omit<ModelMeta, 'format' | 'version' | 'arrays'>,
  arrays: Record<string, { shape: [number, number]; data: Float32Array | Float64Array }>): void {
  fs.mkdirSync(dir, { recursive: true });
  const shapes: Record<string, [number, number]> = {};
  const files: { file: string; data: Uint8Array }[] = [];
  for (const [name, a] of Object.entries(arrays)) {
    files.push({ file: path.join(dir, `${name}.npy`), data: encodeNpy({ rows: a.shape[0], cols: a.shape[1], data: a.data }) });
    shapes[name] = a.shape;
  }
  const full: ModelMeta = { format: MODEL_FORMAT, version: 1, ...meta, arrays: shapes };
  writeFilesAtomic([...files, { file: path.join(dir, 'model.json'), data: new TextEncoder().encode(JSON.stringify(full, null, 1)) }]);
}

/** Read a model directory written by {@link writeModelDir}; arrays come back as float32. */
export function readModelDir(dir: string): { meta: ModelMeta; arrays: Record<string, Float32Array> } {
  const file = path.join(dir, 'model.json');
  if (!fs.existsSync(file)) throw new DataFileError(`${dir}: no model.json here; pass the directory a model was saved to with save(dir)`);
  const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as ModelMeta;
  if (meta.format !== MODEL_FORMAT) throw new DataFileError(`${file}: not a dictionary model (format '${meta.format}', expected '${MODEL_FORMAT}')`);
  const arrays: Record<string, Float32Array> = {};
  for (const [name, shape] of Object.entries(meta.arrays)) {
    const a = readNpy(path.join(dir, `${name}.npy`));
    if (a.shape.length !== 2 || a.shape[0] !== shape[0] || a.shape[1] !== shape[1]) {
      throw new DataFileError(`${dir}/${name}.npy has shape (${a.shape.join(', ')}) but model.json says (${shape.join(', ')})`);
    }
    arrays[name] = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data as ArrayLike<number>);
  }
  return { meta, arrays };
}
