/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0), so users can bring activations dumped from NumPy or
 * PyTorch (`np.save('acts.npy', acts.numpy())`) and take codes and dictionaries back.
 *
 * Supported: C order, little- or big-endian float32/float64/int32/int64/uint8/bool (int64 read as float64 values
 * when exact, else an error). Refused with a clear message: Fortran order (`np.ascontiguousarray` fixes it),
 * object/structured/complex/float16 dtypes, truncated files, extra trailing bytes, a shape that is not what the
 * caller needs.
 */
import fs from 'node:fs';
import { DataFileError, ShapeError } from '../core/errors';
import { Matrix } from '../core/matrix';

/** Element types the workbook reads and writes. */
export type NpyDtype = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'bool';

/** Typed arrays backing {@link NpyArray}; int64 is held as BigInt64Array. */
export type NpyData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

/** An n-dimensional array as read from / written to `.npy` (C order). */
export interface NpyArray {
  shape: number[];
  dtype: NpyDtype;
  data: NpyData;
}

const DESCR: Record<string, { dtype: NpyDtype; bytes: number }> = {
  f4: { dtype: 'float32', bytes: 4 },
  f8: { dtype: 'float64', bytes: 8 },
  i4: { dtype: 'int32', bytes: 4 },
  i8: { dtype: 'int64', bytes: 8 },
  u1: { dtype: 'uint8', bytes: 1 },
  b1: { dtype: 'bool', bytes: 1 },
};
const DESCR_OF: Record<NpyDtype, string> = { float32: '<f4', float64: '<f8', int32: '<i4', int64: '<i8', uint8: '|u1', bool: '|b1' };
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Parse `.npy` bytes; `source` names the file in messages. */
export function parseNpy(buf: Uint8Array, source = '<buffer>'): NpyArray {
  const fail = (why: string, fix = ''): never => {
    throw new DataFileError(`${source}: ${why}${fix ? `; ${fix}` : ''}`);
  };
  if (buf.length < 10 || MAGIC.some((b, i) => buf[i] !== b)) {
    fail('not a NumPy .npy file (magic bytes \\x93NUMPY missing)', 'save the array with numpy.save (not pickle, torch.save or .npz)');
  }
  const major = buf[6];
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let headerLen: number, headerStart: number;
  if (major === 1) { headerLen = dv.getUint16(8, true); headerStart = 10; }
  else if (major === 2 || major === 3) {
    if (buf.length < 12) fail('file truncated inside the header');
    headerLen = dv.getUint32(8, true); headerStart = 12;
  } else {
    return fail(`unsupported .npy format version ${major}.${buf[7]}`);
  }
  if (headerStart + headerLen > buf.length) fail('file truncated inside the header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(buf.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeStr = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeStr === undefined) {
    return fail(`cannot parse the header ${JSON.stringify(header.trim())}`, 'structured or object arrays are not supported');
  }
  if (fortran === 'True') {
    fail('array is stored in Fortran (column-major) order', 'save np.ascontiguousarray(a) instead, or a.copy(order="C")');
  }
  const shape = shapeStr.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`invalid shape (${shapeStr})`);
  const endian = descr[0];
  const kind = DESCR[descr.slice(1)];
  if (!kind || !'<>|='.includes(endian)) {
    return fail(`unsupported dtype '${descr}'`, 'convert with a.astype(np.float32) (supported: float32, float64, int32, int64, uint8, bool)');
  }
  const big = endian === '>';
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLen;
  const need = count * kind.bytes;
  const have = buf.length - dataStart;
  if (have < need) {
    fail(`file truncated: shape (${shape.join(', ')}) of ${kind.dtype} needs ${need} data bytes but only ${have} are present`,
      'the file was cut short while writing or copying; save it again');
  }
  if (have > need) fail(`${have - need} unexpected bytes after the data of shape (${shape.join(', ')})`, 'is it really one .npy array?');
  const raw = new Uint8Array(need); // aligned copy (Buffer#slice would share the pool)
  raw.set(buf.subarray(dataStart, dataStart + need));
  const rdv = new DataView(raw.buffer);
  let data: NpyData;
  switch (kind.dtype) {
    case 'float32': data = new Float32Array(count); if (big) for (let i = 0; i < count; i++) data[i] = rdv.getFloat32(4 * i, false); else data.set(new Float32Array(raw.buffer)); break;
    case 'float64': data = new Float64Array(count); if (big) for (let i = 0; i < count; i++) data[i] = rdv.getFloat64(8 * i, false); else data.set(new Float64Array(raw.buffer)); break;
    case 'int32': data = new Int32Array(count); if (big) for (let i = 0; i < count; i++) data[i] = rdv.getInt32(4 * i, false); else data.set(new Int32Array(raw.buffer)); break;
    case 'int64': data = new BigInt64Array(count); if (big) for (let i = 0; i < count; i++) data[i] = rdv.getBigInt64(8 * i, false); else data.set(new BigInt64Array(raw.buffer)); break;
    default: data = new Uint8Array(raw); break;
  }
  return { shape, dtype: kind.dtype, data };
}

/** Read a `.npy` file. Errors name the file and what is wrong with it. */
export function readNpy(file: string): NpyArray {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFileError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${code ?? String(e)})`);
  }
  return parseNpy(buf, file);
}

/** Convert any numeric NpyArray's values to float (float64 stays float64; everything else becomes float32). */
function toFloat(a: NpyArray, source: string): Float32Array | Float64Array {
  if (a.data instanceof Float64Array || a.data instanceof Float32Array) return a.data;
  if (a.data instanceof BigInt64Array) {
    const out = new Float64Array(a.data.length);
    for (let i = 0; i < a.data.length; i++) {
      const v = a.data[i];
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new DataFileError(`${source}: int64 value ${v} at index ${i} cannot be represented exactly as a float`);
      }
      out[i] = Number(v);
    }
    return out;
  }
  return Float32Array.from(a.data as ArrayLike<number>);
}

/**
 * Read a 2-D `.npy` as a {@link Matrix} (float32, or float64 if stored so; integer/bool data converted).
 * A 1-D array is refused (say which shape you mean with `a.reshape(-1, 1)` or `a[None]`).
 * @param file path of the `.npy` file
 * @param name the role in messages, e.g. 'dictionary D (N×M)'
 */
export function readMatrix(file: string, name = 'array'): Matrix {
  const a = readNpy(file);
  if (a.shape.length !== 2) {
    throw new ShapeError(`${file}: ${name} must be 2-D but has shape (${a.shape.join(', ')})` +
      (a.shape.length === 1 ? '; reshape it in NumPy with a.reshape(1, -1) (one sample) or a.reshape(-1, 1) (one feature)' :
        a.shape.length > 2 ? `; flatten the leading dimensions, e.g. a.reshape(-1, ${a.shape[a.shape.length - 1]})` : ''));
  }
  const data = toFloat(a, file);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const r = Math.floor(i / a.shape[1]);
      throw new DataFileError(`${file}: ${name} contains ${data[i]} at row ${r}, column ${i - r * a.shape[1]}; remove or impute non-finite values`);
    }
  }
  return { rows: a.shape[0], cols: a.shape[1], data };
}

/** Serialise to `.npy` bytes (format 1.0, or 2.0 if the header needs it; little-endian, C order). */
export function encodeNpy(a: Matrix | NpyArray): Uint8Array {
  const arr: NpyArray = 'shape' in a ? a : { shape: [a.rows, a.cols], dtype: a.data instanceof Float64Array ? 'float64' : 'float32', data: a.data };
  const count = arr.shape.reduce((x, y) => x * y, 1);
  if (arr.data.length !== count) {
    throw new ShapeError(`encodeNpy: data has ${arr.data.length} entries but shape (${arr.shape.join(', ')}) needs ${count}`);
  }
  const shapeStr = arr.shape.length === 1 ? `${arr.shape[0]},` : arr.shape.join(', ');
  let dict = `{'descr': '${DESCR_OF[arr.dtype]}', 'fortran_order': False, 'shape': (${shapeStr}), }`;
  let version = 1;
  let pre = 10;
  let total = pre + dict.length + 1;
  if (total + ((64 - (total % 64)) % 64) - pre > 65535) { version = 2; pre = 12; total = pre + dict.length + 1; }
  dict += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const header = new TextEncoder().encode(dict);
  const body = new Uint8Array(arr.data.buffer, arr.data.byteOffset, arr.data.byteLength);
  const out = new Uint8Array(pre + header.length + body.length);
  out.set(MAGIC, 0);
  out[6] = version; out[7] = 0;
  const dv = new DataView(out.buffer);
  if (version === 1) dv.setUint16(8, header.length, true); else dv.setUint32(8, header.length, true);
  out.set(header, pre);
  out.set(body, pre + header.length);
  return out;
}

/** Write a Matrix (2-D) or NpyArray to a `.npy` file that `numpy.load` reads. */
export function writeNpy(file: string, a: Matrix | NpyArray): void {
  fs.writeFileSync(file, encodeNpy(a));
}
