/**
 * IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or not.
 * Format: magic 0x0000 <type> <ndim>, then ndim big-endian uint32 dimensions, then the data (C order).
 */
import zlib from 'node:zlib';
import { DataFileError } from '../core/errors';

/** An IDX array: unsigned bytes (the only type Fashion-MNIST uses) or other numeric types as float64. */
export interface IdxArray {
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { bytes: number; read: (dv: DataView, o: number) => number; make: (n: number) => IdxArray['data'] }> = {
  0x08: { bytes: 1, read: (dv, o) => dv.getUint8(o), make: (n) => new Uint8Array(n) },
  0x09: { bytes: 1, read: (dv, o) => dv.getInt8(o), make: (n) => new Int8Array(n) },
  0x0b: { bytes: 2, read: (dv, o) => dv.getInt16(o, false), make: (n) => new Int16Array(n) },
  0x0c: { bytes: 4, read: (dv, o) => dv.getInt32(o, false), make: (n) => new Int32Array(n) },
  0x0d: { bytes: 4, read: (dv, o) => dv.getFloat32(o, false), make: (n) => new Float32Array(n) },
  0x0e: { bytes: 8, read: (dv, o) => dv.getFloat64(o, false), make: (n) => new Float64Array(n) },
};

/** Parse IDX bytes (gunzipped automatically when they start with the gzip magic). `source` names the file. */
export function parseIdx(bytes: Uint8Array, source = '<buffer>'): IdxArray {
  let buf = bytes;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try { buf = zlib.gunzipSync(buf); } catch (e) {
      throw new DataFileError(`${source}: corrupt gzip data (${(e as Error).message}); delete the file and fetch it again`);
    }
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0 || !TYPES[buf[2]]) {
    throw new DataFileError(`${source}: not an IDX file (bad magic number)`);
  }
  const t = TYPES[buf[2]];
  const ndim = buf[3];
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 4 + 4 * ndim) throw new DataFileError(`${source}: IDX header truncated`);
  const shape = Array.from({ length: ndim }, (_, i) => dv.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const off = 4 + 4 * ndim;
  if (buf.length - off !== count * t.bytes) {
    throw new DataFileError(`${source}: IDX shape (${shape.join(', ')}) needs ${count * t.bytes} data bytes but the file has ${buf.length - off}; the file is truncated or corrupt`);
  }
  let data: IdxArray['data'];
  if (t.bytes === 1 && buf[2] === 0x08) {
    data = new Uint8Array(count);
    data.set(buf.subarray(off, off + count));
  } else {
    data = t.make(count);
    for (let i = 0; i < count; i++) data[i] = t.read(dv, off + i * t.bytes);
  }
  return { shape, data };
}
