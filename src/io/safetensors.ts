/**
 * safetensors files (Hugging Face's tensor format; SAELens stores SAE weights in `sae_weights.safetensors`):
 * an 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON (possibly padded with spaces), then
 * one byte buffer holding every tensor's little-endian, C-order bytes. The header maps each tensor's name to
 * `{ dtype, shape, data_offsets: [begin, end] }` (byte offsets into the buffer) and may hold a
 * `"__metadata__"` map of strings.
 *
 * Checked as the reference implementation checks (Rust `safetensors`): the header length fits the file and a
 * bound (default 100 MB, as there), the header is a JSON object, every dtype is known, shapes are lists of
 * non-negative integers, offsets are integers that tile the buffer exactly (sorted, no gaps, no overlaps, no
 * trailing bytes) and each tensor's byte count is its element count × dtype size. Errors name the file, the
 * tensor and the fix.
 *
 * Read: F64, F32, F16, BF16 (half precision widened to float32), I64, I32, I16, I8, U8, BOOL.
 * Written: F64, F32, I64, I32, I16, I8, U8, BOOL, with the header padded so the data start 8-byte aligned (as
 * Python's `safetensors` writes it).
 */
import os from 'node:os';
import { DataFileError, ShapeError, ValueError } from '../core/errors';
import { ReadLimits, readRegularFile, writeFileAtomic } from './files';

/** Element types of the format (the ones this module knows). */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** Typed arrays holding a tensor's values in memory (F16/BF16 are widened to Float32Array; BOOL is 0/1 bytes). */
export type SafeTensorData = Float64Array | Float32Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

/** One tensor: its stored dtype, its shape (C order) and its values. */
export interface SafeTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: SafeTensorData;
}

/** A whole file: tensors by name, and the `__metadata__` strings (null when absent). */
export interface SafetensorsFile {
  tensors: Record<string, SafeTensor>;
  metadata: Record<string, string> | null;
}

/** Options of {@link readSafetensors} / {@link parseSafetensors}. */
export interface SafetensorsReadOptions extends ReadLimits {
  /** Largest accepted JSON header in bytes (default 100 000 000, the reference implementation's bound). */
  maxHeaderBytes?: number;
}

/** Bytes per element of each dtype. */
export const SAFETENSORS_DTYPE_BYTES: Readonly<Record<SafetensorsDtype, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1,
};

const DEFAULT_MAX_HEADER = 100_000_000;

function assertLittleEndianHost(): void {
  if (os.endianness() !== 'LE') throw new ValueError('safetensors: this module needs a little-endian machine (the format is little-endian)');
}

/** IEEE half-precision bits → number. */
function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Decode `count` elements of `dtype` from little-endian bytes `raw` (any alignment). */
function decode(dtype: SafetensorsDtype, raw: Uint8Array, count: number): SafeTensorData {
  const copy = new Uint8Array(raw.byteLength); // aligned copy
  copy.set(raw);
  const buf = copy.buffer;
  switch (dtype) {
    case 'F64': return new Float64Array(buf, 0, count);
    case 'F32': return new Float32Array(buf, 0, count);
    case 'I64': return new BigInt64Array(buf, 0, count);
    case 'I32': return new Int32Array(buf, 0, count);
    case 'I16': return new Int16Array(buf, 0, count);
    case 'I8': return new Int8Array(buf, 0, count);
    case 'U8': case 'BOOL': return copy;
    case 'BF16': {
      const src = new Uint16Array(buf, 0, count), out = new Float32Array(count), bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = src[i] << 16;
      return out;
    }
    case 'F16': {
      const src = new Uint16Array(buf, 0, count), out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToNumber(src[i]);
      return out;
    }
    default: throw new ValueError(`safetensors: unknown dtype ${String(dtype)}`);
  }
}

/**
 * Parse safetensors bytes. `source` names the file in messages.
 * @throws DataFileError naming the file (and the tensor) and what is wrong.
 */
export function parseSafetensors(buf: Uint8Array, source = '<buffer>', opts: SafetensorsReadOptions = {}): SafetensorsFile {
  assertLittleEndianHost();
  const fail = (why: string, fix = 'the file is damaged or not a safetensors file; write it again with safetensors.numpy.save_file or safetensors.torch.save_file'): never => {
    throw new DataFileError(`${source}: ${why}${fix ? `; ${fix}` : ''}`);
  };
  if (buf.byteLength < 8) fail(`only ${buf.byteLength} bytes, shorter than the 8-byte header length`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n64 = dv.getBigUint64(0, true);
  const maxHeader = opts.maxHeaderBytes ?? DEFAULT_MAX_HEADER;
  if (n64 > BigInt(maxHeader)) {
    fail(`header length ${n64} bytes is over the limit of ${maxHeader} bytes`, n64 > BigInt(buf.byteLength) ? 'is this a safetensors file? (the first 8 bytes are the header length)' : 'pass a larger maxHeaderBytes if the file is genuine');
  }
  const n = Number(n64);
  if (8 + n > buf.byteLength) fail(`header length ${n} bytes runs past the end of the ${buf.byteLength}-byte file`, 'the file was cut short, or it is not a safetensors file');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(8, 8 + n));
  } catch {
    return fail('the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail('the header does not start with "{" (not a JSON object)');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) return fail('the header is not a JSON object');
  const dataStart = 8 + n, dataLen = buf.byteLength - dataStart;
  let metadata: Record<string, string> | null = null;
  const entries: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, v] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (!v || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((s) => typeof s !== 'string')) {
        fail('"__metadata__" must be an object of strings');
      }
      metadata = { ...(v as Record<string, string>) };
      continue;
    }
    const t = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!t || typeof t !== 'object') return fail(`tensor '${name}': its header entry is not an object`);
    const dtype = t.dtype as SafetensorsDtype;
    if (typeof dtype !== 'string' || !(dtype in SAFETENSORS_DTYPE_BYTES)) {
      return fail(`tensor '${name}' has dtype ${JSON.stringify(t.dtype)}, which is not supported (supported: ${Object.keys(SAFETENSORS_DTYPE_BYTES).join(', ')})`,
        'convert it before saving, e.g. tensor.float() in PyTorch or a.astype(np.float32) in NumPy');
    }
    const shape = t.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || (d as number) < 0)) {
      return fail(`tensor '${name}' has shape ${JSON.stringify(shape)}; a shape is a list of non-negative integers`);
    }
    const off = t.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || off.some((d) => !Number.isSafeInteger(d) || (d as number) < 0)) {
      return fail(`tensor '${name}' has data_offsets ${JSON.stringify(off)}; expected [begin, end], two non-negative integers`);
    }
    const [begin, end] = off as [number, number];
    if (end < begin) fail(`tensor '${name}' has data_offsets [${begin}, ${end}] with end before begin`);
    if (end > dataLen) fail(`tensor '${name}' has data_offsets [${begin}, ${end}] past the end of the ${dataLen}-byte data buffer`, 'the file was cut short; copy or download it again');
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const need = count * SAFETENSORS_DTYPE_BYTES[dtype];
    if (end - begin !== need) {
      fail(`tensor '${name}' of shape (${(shape as number[]).join(', ')}) and dtype ${dtype} needs ${need} bytes but its data_offsets [${begin}, ${end}] hold ${end - begin}`);
    }
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }
  // the tensors must tile the data buffer: sorted by offset, each starting where the previous one ended
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  for (const e of sorted) {
    if (e.begin < pos) fail(`tensor '${e.name}' (bytes ${e.begin}–${e.end}) overlaps the tensor before it (which ends at ${pos})`);
    if (e.begin > pos) fail(`${e.begin - pos} bytes of the data buffer before tensor '${e.name}' (at ${pos}–${e.begin}) belong to no tensor`);
    pos = e.end;
  }
  if (pos !== dataLen) {
    fail(`${dataLen - pos} bytes after the last tensor's data belong to no tensor (data buffer ${dataLen} bytes, tensors end at ${pos})`,
      'the file may have been appended to or be a different format; write it again');
  }
  const tensors: Record<string, SafeTensor> = {};
  for (const e of entries) {
    const count = e.shape.reduce((a, b) => a * b, 1);
    tensors[e.name] = { dtype: e.dtype, shape: e.shape, data: decode(e.dtype, buf.subarray(dataStart + e.begin, dataStart + e.end), count) };
  }
  return { tensors, metadata };
}

/**
 * Read a safetensors file (an untrusted regular file: no FIFOs or symlinks, size bound; see io/files).
 * @throws FileAccessError / DataFileError naming the file and what is wrong.
 */
export function readSafetensors(file: string, opts: SafetensorsReadOptions = {}): SafetensorsFile {
  return parseSafetensors(readRegularFile(file, opts), opts.what ?? file, opts);
}

/** A tensor to write: values in a typed array of the dtype's kind (BOOL and U8: Uint8Array), C order. */
export interface SafeTensorInput {
  /** Stored dtype (default: from the array — Float32Array F32, Float64Array F64, Int32Array I32, …). */
  dtype?: Exclude<SafetensorsDtype, 'F16' | 'BF16'>;
  shape: number[];
  data: SafeTensorData;
}

const ARRAY_OF: Record<Exclude<SafetensorsDtype, 'F16' | 'BF16'>, { new(n: number): SafeTensorData; name: string }> = {
  F64: Float64Array, F32: Float32Array, I64: BigInt64Array, I32: Int32Array, I16: Int16Array, I8: Int8Array, U8: Uint8Array, BOOL: Uint8Array,
};

function dtypeOfArray(a: SafeTensorData): Exclude<SafetensorsDtype, 'F16' | 'BF16'> {
  if (a instanceof Float64Array) return 'F64';
  if (a instanceof Float32Array) return 'F32';
  if (a instanceof BigInt64Array) return 'I64';
  if (a instanceof Int32Array) return 'I32';
  if (a instanceof Int16Array) return 'I16';
  if (a instanceof Int8Array) return 'I8';
  return 'U8';
}

/**
 * Serialise tensors (and optional `__metadata__` strings) to safetensors bytes, as a list of parts to write
 * in order (the tensors' own bytes are not copied). Tensors are stored sorted by name; the header is padded
 * with spaces so that the data start at a multiple of 8 bytes.
 */
export function encodeSafetensors(tensors: Record<string, SafeTensorInput>, metadata?: Record<string, string>): Uint8Array[] {
  assertLittleEndianHost();
  const header: Record<string, unknown> = {};
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new ValueError(`safetensors metadata '${k}' must be a string, got ${typeof v}`);
    header.__metadata__ = metadata;
  }
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const name of Object.keys(tensors).sort()) {
    if (name === '' || name === '__metadata__') throw new ValueError(`safetensors: '${name}' cannot name a tensor`);
    const t = tensors[name];
    const dtype = t.dtype ?? dtypeOfArray(t.data);
    if (!(dtype in ARRAY_OF)) throw new ValueError(`safetensors: cannot write dtype ${String(dtype)} (writable: ${Object.keys(ARRAY_OF).join(', ')})`);
    if (!(t.data instanceof ARRAY_OF[dtype])) throw new ValueError(`safetensors: tensor '${name}' is stored as ${dtype} but its data is a ${t.data.constructor.name}, not a ${ARRAY_OF[dtype].name}`);
    if (!Array.isArray(t.shape) || t.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new ShapeError(`safetensors: tensor '${name}' has shape ${JSON.stringify(t.shape)}; give non-negative integers`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== count) throw new ShapeError(`safetensors: tensor '${name}' has ${t.data.length} values but shape (${t.shape.join(', ')}) needs ${count}`);
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    parts.push(bytes);
    offset += bytes.byteLength;
  }
  let json = JSON.stringify(header);
  const len = Buffer.byteLength(json, 'utf8');
  json += ' '.repeat((8 - ((8 + len) % 8)) % 8);
  const head = Buffer.from(json, 'utf8');
  const pre = new Uint8Array(8);
  new DataView(pre.buffer).setBigUint64(0, BigInt(head.byteLength), true);
  return [pre, head, ...parts];
}

/** Write tensors to a safetensors file atomically (temporary file + rename; see io/files). */
export function writeSafetensors(file: string, tensors: Record<string, SafeTensorInput>, metadata?: Record<string, string>): void {
  writeFileAtomic(file, encodeSafetensors(tensors, metadata));
}

/**
 * A tensor's values as float32 (F64 rounded, F16/BF16 already widened, integers converted; I64 values must be
 * exact), e.g. for SAE weights stored in any float precision. `what` names it in messages.
 */
export function tensorToFloat32(t: SafeTensor, what: string): Float32Array {
  if (t.data instanceof Float32Array) return t.data;
  if (t.data instanceof BigInt64Array) {
    const out = new Float32Array(t.data.length);
    for (let i = 0; i < out.length; i++) {
      const v = t.data[i];
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw new DataFileError(`${what}: int64 value ${v} at index ${i} is not exactly representable`);
      out[i] = Number(v);
    }
    return out;
  }
  return Float32Array.from(t.data as ArrayLike<number>);
}
