/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0), so users can bring activations dumped from NumPy or
 * PyTorch (`np.save('acts.npy', acts.numpy())`) and take codes and dictionaries back.
 *
 * Read, any rank, C or Fortran order (`fortran_order: True`, which NumPy writes for a transpose `a.T`, a column
 * selection `Z[:, perm]` or `np.asfortranarray`: transposed on read into one buffer of the final size, so the
 * result is the same C-order array `np.load` gives), little- or big-endian:
 * - kept as stored: float32, float64, int32, int64 (BigInt64Array), uint8, bool (Uint8Array of 0/1);
 * - converted exactly: float16 → float32 (IEEE half rules: subnormals, ±inf, NaN with its payload, as
 *   `a.astype(np.float32)`), int8 / int16 / uint16 → int32, uint32 → float64, uint64 → int64 (a value ≥ 2^63
 *   is an error naming it).
 * {@link readMatrix} then gives float32, exactly: float64 (so also uint32) stays float64; int64 (so also uint64)
 * becomes float64, an error for a value beyond ±(2^53 - 1); int32 (so also int8/int16/uint16) becomes float64 if
 * some |value| > 2^24, else float32; and NaN/±inf are refused.
 *
 * Refused with a message saying how to fix the file: complex, object (pickled), string/bytes, datetime,
 * void and long-double (`float128`, platform-dependent) dtypes ("unsupported dtype …; convert with
 * a.astype(np.float32)"), structured arrays ("cannot parse the header …"), a shape whose data does not fill the
 * file exactly (truncated file — checked before anything is allocated, so a header declaring a huge shape costs
 * nothing — or extra trailing bytes), a dimension over 2^53, and a shape that is not what the caller needs.
 *
 * Written: always C order, little-endian, float32/float64/int32/int64/uint8/bool, byte-identical to `np.save`;
 * atomically (temporary file + rename), so an interrupted write never truncates an existing file.
 */
import { DataFileError, ShapeError } from '../core/errors';
import { Matrix } from '../core/matrix';
import { readRegularFile, writeFileAtomic } from './files';

/** Element types of an {@link NpyArray} (other stored dtypes are converted to one of these on read). */
export type NpyDtype = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'bool';

/** Typed arrays backing {@link NpyArray}; int64 is held as BigInt64Array, bool as Uint8Array of 0/1. */
export type NpyData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

/** An n-dimensional array as read from / written to `.npy`, in C (row-major) order: last index fastest. */
export interface NpyArray {
  shape: number[];
  dtype: NpyDtype;
  data: NpyData;
}

/**
 * How one stored dtype (descr without its byte-order character) is read: `bytes` per stored element, the
 * {@link NpyDtype} it becomes, and, for dtypes that change representation, `convert` decoding one element
 * (`dv` at byte offset `off`, little-endian if `le`) into the output at index `i`.
 */
interface StoredKind {
  name: string;
  bytes: number;
  dtype: NpyDtype;
  convert?: (dv: DataView, off: number, le: boolean, out: Out, i: number) => void;
}

/** The output buffer seen through the views the converters write to. */
interface Out {
  u8: Uint8Array;
  u32: Uint32Array;
  i32: Int32Array;
  f64: Float64Array;
  i64: BigInt64Array;
}

const TWO_63 = 2n ** 63n;

/** A stored value that the dtype it is read into cannot hold (reported with the file's name by parseNpy). */
class ConversionError extends Error {}

const STORED: Record<string, StoredKind> = {
  f4: { name: 'float32', bytes: 4, dtype: 'float32' },
  f8: { name: 'float64', bytes: 8, dtype: 'float64' },
  i4: { name: 'int32', bytes: 4, dtype: 'int32' },
  i8: { name: 'int64', bytes: 8, dtype: 'int64' },
  u1: { name: 'uint8', bytes: 1, dtype: 'uint8' },
  b1: { name: 'bool', bytes: 1, dtype: 'bool', convert: (dv, off, _le, o, i) => { o.u8[i] = dv.getUint8(off) === 0 ? 0 : 1; } },
  f2: { name: 'float16', bytes: 2, dtype: 'float32', convert: (dv, off, le, o, i) => { o.u32[i] = halfToFloatBits(dv.getUint16(off, le)); } },
  i1: { name: 'int8', bytes: 1, dtype: 'int32', convert: (dv, off, _le, o, i) => { o.i32[i] = dv.getInt8(off); } },
  i2: { name: 'int16', bytes: 2, dtype: 'int32', convert: (dv, off, le, o, i) => { o.i32[i] = dv.getInt16(off, le); } },
  u2: { name: 'uint16', bytes: 2, dtype: 'int32', convert: (dv, off, le, o, i) => { o.i32[i] = dv.getUint16(off, le); } },
  u4: { name: 'uint32', bytes: 4, dtype: 'float64', convert: (dv, off, le, o, i) => { o.f64[i] = dv.getUint32(off, le); } },
  u8: {
    name: 'uint64', bytes: 8, dtype: 'int64',
    convert: (dv, off, le, o, i) => {
      const v = dv.getBigUint64(off, le);
      if (v >= TWO_63) throw new ConversionError(`uint64 value ${v} at index ${i} (C order) is over 2^63 - 1, the int64 range it is read into`);
      o.i64[i] = v;
    },
  },
};
const SUPPORTED = 'float16/32/64, int8/16/32/64, uint8/16/32/64, bool';
const DESCR_OF: Record<NpyDtype, string> = { float32: '<f4', float64: '<f8', int32: '<i4', int64: '<i8', uint8: '|u1', bool: '|b1' };
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Bits of the float32 equal to the IEEE binary16 value with bits `h`: exact for normals and subnormals (which
 * are normal in float32), ±0, ±inf, and NaN keeping sign and payload (shifted into the high mantissa bits) as
 * NumPy's half → float conversion does.
 */
function halfToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >> 10) & 0x1f;
  let mant = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (mant << 13)) >>> 0; // inf or NaN
  if (exp !== 0) return (sign | ((exp + 112) << 23) | (mant << 13)) >>> 0; // normal: rebias 15 → 127
  if (mant === 0) return sign >>> 0; // ±0
  // subnormal half m·2^-24: normalise so the leading 1 reaches bit 10
  let e = 113; // exponent of 2^-14 in float32 bias, decremented per shift
  while ((mant & 0x400) === 0) { mant <<= 1; e--; }
  return (sign | (e << 23) | ((mant & 0x3ff) << 13)) >>> 0;
}

function elementSize(dtype: NpyDtype): number {
  return dtype === 'float64' || dtype === 'int64' ? 8 : dtype === 'uint8' || dtype === 'bool' ? 1 : 4;
}

function allocate(dtype: NpyDtype, count: number): NpyData {
  switch (dtype) {
    case 'float32': return new Float32Array(count);
    case 'float64': return new Float64Array(count);
    case 'int32': return new Int32Array(count);
    case 'int64': return new BigInt64Array(count);
    default: return new Uint8Array(count);
  }
}

function views(data: NpyData): Out {
  const b = data.buffer;
  const words = data.byteLength >> 2, dwords = data.byteLength >> 3;
  return {
    u8: new Uint8Array(b, 0, data.byteLength), u32: new Uint32Array(b, 0, words), i32: new Int32Array(b, 0, words),
    f64: new Float64Array(b, 0, dwords), i64: new BigInt64Array(b, 0, dwords),
  };
}

/** Parse the shape tuple's text, e.g. "2, 3" or "4," or "" (also Python 2's "3L, 4L"); null if malformed. */
function parseShape(text: string): bigint[] | null {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 1 && parts[0] === '') return [];
  const dims: bigint[] = [];
  for (const p of parts) {
    const m = /^(\d+)L?$/.exec(p);
    if (!m) return null;
    dims.push(BigInt(m[1]));
  }
  return dims;
}

/**
 * What the header of a `.npy` file declares, checked against the file's size: the stored dtype (`descr`, e.g.
 * 'f4', without its byte-order character), the {@link NpyDtype} it is read as, bytes per stored element, byte
 * order, Fortran order, the shape, and where the data starts (byte offset from the start of the file).
 */
export interface NpyHeader {
  descr: string;
  /** Stored dtype in NumPy's words, e.g. 'float16'. */
  stored: string;
  dtype: NpyDtype;
  /** Bytes per stored element. */
  itemBytes: number;
  littleEndian: boolean;
  fortran: boolean;
  shape: number[];
  /** Byte offset of the first data element. */
  dataOffset: number;
}

/**
 * Where the header dictionary of a `.npy` file lies: `start` (10 for format 1.0, 12 for 2.0/3.0) and its length in
 * bytes, from the first 12 bytes of the file (or the whole file if shorter). The data starts at start + length.
 * @throws DataFileError naming `source` for a file that is not `.npy` or has an unknown format version
 */
export function npyHeaderSpan(prefix: Uint8Array, source = '<buffer>'): { start: number; length: number; major: number } {
  const fail = (why: string, fix = ''): never => {
    throw new DataFileError(`${source}: ${why}${fix ? `; ${fix}` : ''}`);
  };
  if (prefix.length < 10 || MAGIC.some((b, i) => prefix[i] !== b)) {
    fail('not a NumPy .npy file (magic bytes \\x93NUMPY missing)', 'save the array with numpy.save (not pickle, torch.save or .npz)');
  }
  const major = prefix[6];
  const dv = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  if (major === 1) return { start: 10, length: dv.getUint16(8, true), major };
  if (major === 2 || major === 3) {
    if (prefix.length < 12) fail('file truncated inside the header');
    return { start: 12, length: dv.getUint32(8, true), major };
  }
  return fail(`unsupported .npy format version ${major}.${prefix[7]}`);
}

/**
 * Parse the header of a `.npy` file whose first bytes are `head` (at least up to the end of the header) and whose
 * size is `fileBytes`: the dtype must be readable (see the module comment) and the declared shape must fill the
 * data part exactly — checked in exact integers, so a header declaring a huge shape costs nothing.
 * @throws DataFileError naming `source`, what is wrong and how to fix it
 */
export function parseNpyHeader(head: Uint8Array, fileBytes: number, source = '<buffer>'): NpyHeader {
  const fail = (why: string, fix = ''): never => {
    throw new DataFileError(`${source}: ${why}${fix ? `; ${fix}` : ''}`);
  };
  const { start: headerStart, length: headerLen, major } = npyHeaderSpan(head, source);
  if (headerStart + headerLen > Math.min(head.length, fileBytes)) fail('file truncated inside the header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(head.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeStr = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeStr === undefined) {
    return fail(`cannot parse the header ${JSON.stringify(header.trim())}`, 'structured or object arrays are not supported');
  }
  const dims = parseShape(shapeStr);
  if (dims === null) return fail(`invalid shape (${shapeStr})`);
  const endian = descr[0];
  const kind = STORED[descr.slice(1)];
  if (!kind || !'<>|='.includes(endian)) {
    return fail(`unsupported dtype '${descr}'`, `convert with a.astype(np.float32) (supported: ${SUPPORTED})`);
  }
  const shapeText = `(${dims.join(', ')})`;
  // Size check in BigInt before anything is allocated: a header may declare any shape.
  const count = dims.reduce((a, b) => a * b, 1n);
  const dataStart = headerStart + headerLen;
  const need = count * BigInt(kind.bytes);
  const have = fileBytes - dataStart;
  if (BigInt(have) < need) {
    fail(`file truncated: shape ${shapeText} of ${kind.name} needs ${need} data bytes but only ${have} are present`,
      'the file was cut short while writing or copying (or its header is corrupt); save it again');
  }
  if (BigInt(have) > need) fail(`${BigInt(have) - need} unexpected bytes after the data of shape ${shapeText}`, 'is it really one .npy array?');
  const big = dims.find((d) => d > BigInt(Number.MAX_SAFE_INTEGER));
  if (big !== undefined) fail(`dimension ${big} of shape ${shapeText} is over 2^53 - 1`, 'the header is corrupt; save the array again');
  return {
    descr: descr.slice(1), stored: kind.name, dtype: kind.dtype, itemBytes: kind.bytes, littleEndian: endian !== '>',
    fortran: fortran === 'True', shape: dims.map(Number), dataOffset: dataStart,
  };
}

/**
 * Decode `count` consecutive stored elements (`bytes`, in the file's dtype and byte order) into a new array of
 * the header's {@link NpyDtype}, in the order stored (the caller places Fortran-order elements).
 * @throws DataFileError naming `source` for a value the dtype read into cannot hold (uint64 ≥ 2^63)
 */
export function decodeNpyElements(bytes: Uint8Array, count: number, h: NpyHeader, source = '<buffer>'): NpyData {
  const data = allocate(h.dtype, count);
  decodeOrFail(new DataView(bytes.buffer, bytes.byteOffset, count * h.itemBytes), STORED[h.descr], h.littleEndian, null, data, source);
  return data;
}

/** {@link decode}, with a value out of range reported as a DataFileError naming `source`. */
function decodeOrFail(src: DataView, kind: StoredKind, le: boolean, fortranShape: number[] | null, data: NpyData, source: string): void {
  try {
    decode(src, kind, le, fortranShape, data);
  } catch (e) {
    if (e instanceof ConversionError) throw new DataFileError(`${source}: ${e.message}; convert in NumPy first, e.g. a.astype(np.float64)`);
    throw e;
  }
}

/**
 * Parse `.npy` bytes into a C-order {@link NpyArray} (see the module comment for the dtypes read, converted
 * and refused). The declared shape is checked against the data size before the result is allocated.
 * @param buf the whole file
 * @param source names the file in messages
 * @throws DataFileError naming `source`, what is wrong and how to fix it
 */
export function parseNpy(buf: Uint8Array, source = '<buffer>'): NpyArray {
  const h = parseNpyHeader(buf, buf.length, source);
  const n = h.shape.reduce((a, b) => a * b, 1);
  const data = allocate(h.dtype, n);
  const src = new DataView(buf.buffer, buf.byteOffset + h.dataOffset, buf.length - h.dataOffset);
  decodeOrFail(src, STORED[h.descr], h.littleEndian, h.fortran ? h.shape : null, data, source);
  return { shape: h.shape, dtype: h.dtype, data };
}

/**
 * Decode the elements of `src` into `data` (C order). `fortranShape` is the shape when the file is in
 * Fortran order (first index fastest): the source is then walked sequentially while an odometer over the
 * indices tracks the C-order destination, so the transpose needs no memory beyond `data` for any rank.
 */
function decode(src: DataView, kind: StoredKind, le: boolean, fortranShape: number[] | null, data: NpyData): void {
  const n = data.length, w = kind.bytes;
  const stored = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
  const outBytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // Fast path: bytes already in the output's layout (little-endian, C order or rank ≤ 1, no conversion).
  const trivialOrder = fortranShape === null || fortranShape.filter((d) => d !== 1).length <= 1;
  if (!kind.convert && trivialOrder && (le || w === 1)) {
    outBytes.set(stored);
    return;
  }
  const out = views(data);
  // Element copier: a converter, or a byte-order fix of the raw bits (keeps NaN payloads, unlike float reads).
  const put = kind.convert ?? (w === 1 ? (dv: DataView, off: number, _le: boolean, o: Out, i: number) => { o.u8[i] = dv.getUint8(off); }
    : w === 4 ? (dv: DataView, off: number, l: boolean, o: Out, i: number) => { o.u32[i] = dv.getUint32(off, l); }
      : (dv: DataView, off: number, l: boolean, o: Out, i: number) => {
        const lo = dv.getUint32(l ? off : off + 4, l), hi = dv.getUint32(l ? off + 4 : off, l);
        o.u32[2 * i] = lo; o.u32[2 * i + 1] = hi;
      });
  if (trivialOrder) {
    for (let i = 0; i < n; i++) put(src, i * w, le, out, i);
    return;
  }
  const shape = fortranShape!;
  const rank = shape.length;
  const cStride = new Array<number>(rank);
  for (let k = rank - 1, s = 1; k >= 0; k--) { cStride[k] = s; s *= shape[k]; }
  const idx = new Array<number>(rank).fill(0);
  let dest = 0;
  for (let s = 0; s < n; s++) {
    put(src, s * w, le, out, dest);
    // advance the odometer, first index fastest
    let k = 0;
    idx[0]++; dest += cStride[0];
    while (k < rank - 1 && idx[k] === shape[k]) {
      dest -= shape[k] * cStride[k]; idx[k] = 0;
      k++; idx[k]++; dest += cStride[k];
    }
  }
}

/**
 * Read a `.npy` file (a regular file of at most 2 GiB; see {@link parseNpy} for what is read).
 * Errors name the file and what is wrong with it.
 */
export function readNpy(file: string): NpyArray {
  return parseNpy(readRegularFile(file), file);
}

/**
 * Convert any numeric NpyArray's values to float, exactly: float32/float64 kept; int64 to float64 (an error for a
 * value beyond ±(2^53 - 1)); int32 to float64 if some |value| > 2^24 (float32's exact integers), else float32;
 * uint8/bool to float32.
 */
export function toFloat(a: NpyArray, source: string): Float32Array | Float64Array {
  if (a.data instanceof Float64Array || a.data instanceof Float32Array) return a.data;
  if (a.data instanceof Int32Array && a.data.some((v) => v > 2 ** 24 || v < -(2 ** 24))) return Float64Array.from(a.data);
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
 * Read a 2-D `.npy` as a {@link Matrix}: float32, or float64 if stored so (integer/bool data converted exactly,
 * see the module comment); NaN/±inf are refused.
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

/** The header (magic, version, length, padded dict) and the data bytes of `a`, as `np.save` writes them. */
function encodeParts(a: Matrix | NpyArray): [Uint8Array, Uint8Array] {
  const arr: NpyArray = 'shape' in a ? a : { shape: [a.rows, a.cols], dtype: a.data instanceof Float64Array ? 'float64' : 'float32', data: a.data };
  const count = arr.shape.reduce((x, y) => x * y, 1);
  if (arr.data.length !== count) {
    throw new ShapeError(`encodeNpy: data has ${arr.data.length} entries but shape (${arr.shape.join(', ')}) needs ${count}`);
  }
  if (arr.data.BYTES_PER_ELEMENT !== elementSize(arr.dtype)) {
    throw new ShapeError(`encodeNpy: dtype ${arr.dtype} does not match its data (${arr.data.constructor.name})`);
  }
  return [encodeNpyHeader(arr.shape, arr.dtype), new Uint8Array(arr.data.buffer, arr.data.byteOffset, arr.data.byteLength)];
}

/**
 * The header bytes `np.save` writes for a C-order little-endian array of `shape` and `dtype` (magic, version,
 * length, dictionary padded to a multiple of 64 bytes); the data follows it.
 */
export function encodeNpyHeader(shape: number[], dtype: NpyDtype): Uint8Array {
  const shapeStr = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let dict = `{'descr': '${DESCR_OF[dtype]}', 'fortran_order': False, 'shape': (${shapeStr}), }`;
  let version = 1;
  let pre = 10;
  let total = pre + dict.length + 1;
  if (total + ((64 - (total % 64)) % 64) - pre > 65535) { version = 2; pre = 12; total = pre + dict.length + 1; }
  dict += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const dictBytes = new TextEncoder().encode(dict);
  const head = new Uint8Array(pre + dictBytes.length);
  head.set(MAGIC, 0);
  head[6] = version; head[7] = 0;
  const dv = new DataView(head.buffer);
  if (version === 1) dv.setUint16(8, dictBytes.length, true); else dv.setUint32(8, dictBytes.length, true);
  head.set(dictBytes, pre);
  return head;
}

/** Serialise to `.npy` bytes (format 1.0, or 2.0 if the header needs it; little-endian, C order). */
export function encodeNpy(a: Matrix | NpyArray): Uint8Array {
  const [head, body] = encodeParts(a);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/**
 * Write a Matrix (2-D) or NpyArray to a `.npy` file that `numpy.load` reads (C order, little-endian), atomically:
 * an interrupted write leaves any existing `file` untouched. Errors name the file.
 */
export function writeNpy(file: string, a: Matrix | NpyArray): void {
  writeFileAtomic(file, encodeParts(a));
}
