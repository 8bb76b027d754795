/**
 * Checkpoints of an SAE fit: everything a fit needs to continue exactly where it stopped — the parameters, Adam's
 * moments, the trainer's state (batch order and position in it, feature activity, running averages, how far its
 * random streams have advanced) and the loop's record (every batch loss and evaluation so far, so the loop's
 * early-stop and divergence state are rebuilt by replaying them). A resumed fit gives bitwise the model of an
 * uninterrupted one on the same number of threads.
 *
 * On disk: `checkpoint.json` (JSON: numbers and the index of the arrays) and `checkpoint.bin` (the arrays' raw
 * little-endian bytes), written together atomically (temp files + fsync + rename), so a crash leaves the previous
 * checkpoint or the new one, never a mix.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataFileError } from '../core/errors';
import { readRegularFile, writeFilesAtomic } from '../io/files';

/** Format tag of checkpoint.json. */
export const SAE_CHECKPOINT_FORMAT = 'superposition-workbook/sae-checkpoint';

/** A checkpoint in memory: JSON-able metadata and named typed arrays. */
export interface SaeCheckpoint {
  meta: Record<string, unknown>;
  arrays: Record<string, Float32Array | Int32Array>;
}

/** Write a checkpoint to `dir` (created if missing) atomically; replaces the previous one there. */
export function writeSaeCheckpoint(dir: string, ck: SaeCheckpoint): void {
  const index: Record<string, { type: 'f32' | 'i32'; offset: number; length: number }> = {};
  let bytes = 0;
  for (const [k, a] of Object.entries(ck.arrays)) {
    index[k] = { type: a instanceof Float32Array ? 'f32' : 'i32', offset: bytes, length: a.length };
    bytes += a.length * 4;
  }
  const bin = new Uint8Array(bytes);
  for (const [k, a] of Object.entries(ck.arrays)) bin.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), index[k].offset);
  const json = JSON.stringify({ format: SAE_CHECKPOINT_FORMAT, version: 1, meta: ck.meta, arrays: index });
  fs.mkdirSync(dir, { recursive: true });
  writeFilesAtomic([{ file: path.join(dir, 'checkpoint.bin'), data: bin }, { file: path.join(dir, 'checkpoint.json'), data: json }]);
}

/** Read a checkpoint written by {@link writeSaeCheckpoint}; errors name the file and what is wrong. */
export function readSaeCheckpoint(dir: string): SaeCheckpoint {
  const jf = path.join(dir, 'checkpoint.json'), bf = path.join(dir, 'checkpoint.bin');
  let doc: { format?: string; meta?: Record<string, unknown>; arrays?: Record<string, { type: string; offset: number; length: number }> };
  try {
    doc = JSON.parse(Buffer.from(readRegularFile(jf, { maxBytes: 1 << 30 })).toString('utf8'));
  } catch (e) {
    throw new DataFileError(`${jf}: cannot read the checkpoint (${(e as Error).message}); pass the directory given to --checkpoint`);
  }
  if (doc.format !== SAE_CHECKPOINT_FORMAT || !doc.meta || !doc.arrays) throw new DataFileError(`${jf}: not an SAE checkpoint (format '${doc.format}', expected '${SAE_CHECKPOINT_FORMAT}')`);
  const bin = readRegularFile(bf, { maxBytes: 2 ** 31 - 1 });
  const arrays: Record<string, Float32Array | Int32Array> = {};
  for (const [k, e] of Object.entries(doc.arrays)) {
    if (e.offset + e.length * 4 > bin.byteLength) throw new DataFileError(`${bf}: array '${k}' runs past the end of the file (${bin.byteLength} bytes): the checkpoint is damaged`);
    const copy = new Uint8Array(bin.subarray(e.offset, e.offset + e.length * 4)).buffer;
    arrays[k] = e.type === 'f32' ? new Float32Array(copy) : new Int32Array(copy);
  }
  return { meta: doc.meta, arrays };
}
