/**
 * Cases of the .npy fuzz test (fuzz_npy.test.ts): valid float32/float64 files (format 1.0 and 2.0) and their
 * mutations from a fixed seed — header bytes, header length, shape and dtype text, Fortran flag, truncation,
 * trailing bytes, data bytes (with the values a correct read must give).
 */
import { Rng } from '../../src/core/rng';
import { randomMatrix } from './helpers';

/** Shape of the valid base arrays. */
export const ROWS = 20, COLS = 6;
/** A .npy file from a header dictionary text and raw data bytes (format 1.0 or 2.0, header padded to 64 bytes). */
function npyBytes(dict: string, data: Uint8Array, version: 1 | 2 = 1): Buffer {
  const pre = version === 1 ? 10 : 12;
  let h = dict;
  h += ' '.repeat((64 - ((pre + h.length + 1) % 64)) % 64) + '\n';
  const head = Buffer.alloc(pre);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(head);
  if (version === 1) head.writeUInt16LE(h.length, 8); else head.writeUInt32LE(h.length, 8);
  return Buffer.concat([head, Buffer.from(h, 'latin1'), data]);
}

const dictOf = (descr: string, shape: string, fortran = 'False') => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

/** One fuzz case: its name, the file's bytes and, when known, what a correct read gives. */
export interface Case {
  name: string;
  bytes: Buffer;
  /** The matrix the file holds when the mutation keeps it valid (for checking a successful read), else undefined. */
  expect?: { rows: number; cols: number; values: number[] };
}

/** Every case: the valid bases and their seeded mutations. */
export function makeCases(): Case[] {
  const g = new Rng(17);
  const f32 = randomMatrix(ROWS, COLS, 5), f64 = randomMatrix(ROWS, COLS, 6, 1, true);
  const raw32 = new Uint8Array(f32.data.buffer.slice(0)), raw64 = new Uint8Array(f64.data.buffer.slice(0));
  const shape = `(${ROWS}, ${COLS})`;
  const bases: Case[] = [
    { name: 'f4', bytes: npyBytes(dictOf('<f4', shape), raw32), expect: { rows: ROWS, cols: COLS, values: Array.from(f32.data) } },
    { name: 'f8', bytes: npyBytes(dictOf('<f8', shape), raw64), expect: { rows: ROWS, cols: COLS, values: Array.from(f64.data) } },
    { name: 'f4v2', bytes: npyBytes(dictOf('<f4', shape), raw32, 2), expect: { rows: ROWS, cols: COLS, values: Array.from(f32.data) } },
  ];
  const cases: Case[] = [...bases];
  const pick = <T>(a: readonly T[]): T => a[g.int(a.length)];
  const headerEnd = (b: Buffer) => (b[6] === 1 ? 10 + b.readUInt16LE(8) : 12 + b.readUInt32LE(8));
  const CHARS = "(),:' 0123456789-+eE.xTrueFals<>|=fiucbOSUV[]{}\n\0\x93";
  for (let i = 0; i < 60; i++) { // random header bytes
    const base = pick(bases), b = Buffer.from(base.bytes), end = headerEnd(b);
    const n = 1 + g.int(3);
    for (let k = 0; k < n; k++) b[g.int(end)] = g.uniform() < 0.5 ? g.int(256) : CHARS.charCodeAt(g.int(CHARS.length));
    cases.push({ name: `header-bytes-${i}`, bytes: b });
  }
  for (const v of [0, 1, 9, 63, 65, 118, 65535]) { // header length field
    const b = Buffer.from(bases[0].bytes);
    b.writeUInt16LE(v, 8);
    cases.push({ name: `header-len-${v}`, bytes: b });
  }
  const big = Buffer.from(bases[2].bytes); big.writeUInt32LE(0xffffffff, 8);
  cases.push({ name: 'header-len-v2-max', bytes: big });
  for (const s of ['()', '(20,)', '(20, 6, 1)', '(1000000000, 0)', '(0, 6)', '(1, 6)', '(2, 6)', '(-1, 6)', '(20.5, 6)', '(2147483648, 6)',
    '(9007199254740993, 6)', '(1e3, 6)', '(20, 6', '(18446744073709551616, 0)', '(0, 18446744073709551616)', '(99999999999, 99999999999)',
    '(6, 20)', '(120, 1)', '(40, 3)', '(20, 6, )', '(0x14, 6)', '( 20 ,6 )', '(20L, 6L)', '(True, 6)']) {
    cases.push({ name: `shape-${s}`, bytes: npyBytes(dictOf('<f4', s), raw32) });
  }
  for (const d of ['>f4', '<f8', '=f4', '|f4', '<f2', '<i4', '>i4', '<i8', '|u1', '|b1', '<u4', '<u8', '<c8', 'O', '|O', '|S4', '<U1', '<f16', '', '<V4', '<M8', 'float32']) {
    cases.push({ name: `descr-${d}`, bytes: npyBytes(dictOf(d, shape), raw32) });
  }
  cases.push({ name: 'fortran', bytes: npyBytes(dictOf('<f4', shape, 'True'), raw32) });
  cases.push({ name: 'fortran-maybe', bytes: npyBytes(dictOf('<f4', shape, 'Maybe'), raw32) });
  cases.push({ name: 'no-dict', bytes: npyBytes('hello', raw32) });
  for (let i = 0; i < 25; i++) { // truncation anywhere
    const base = pick(bases);
    cases.push({ name: `truncated-${i}`, bytes: base.bytes.subarray(0, g.int(base.bytes.length)) });
  }
  for (let i = 0; i < 8; i++) { // trailing bytes
    const base = pick(bases), extra = Buffer.alloc(1 + g.int(16));
    for (let k = 0; k < extra.length; k++) extra[k] = g.int(256);
    cases.push({ name: `trailing-${i}`, bytes: Buffer.concat([base.bytes, extra]) });
  }
  for (let i = 0; i < 40; i++) { // data bytes (the header stays valid, so the expected values are known)
    const base = pick(bases), b = Buffer.from(base.bytes), start = headerEnd(b), is64 = base.name === 'f8';
    const n = 1 + g.int(4);
    for (let k = 0; k < n; k++) {
      const at = start + g.int(b.length - start);
      // Often hit an exponent byte (the last of each value) to make NaN, Inf, huge or tiny values.
      const pos = g.uniform() < 0.5 ? at - ((at - start) % (is64 ? 8 : 4)) + (is64 ? 7 : 3) : at;
      b[pos] = g.uniform() < 0.3 ? 0x7f : g.uniform() < 0.5 ? 0xff : g.int(256);
    }
    const data = b.subarray(start);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const values = Array.from({ length: ROWS * COLS }, (_, q) => (is64 ? view.getFloat64(8 * q, true) : view.getFloat32(4 * q, true)));
    cases.push({ name: `data-${i}`, bytes: b, expect: { rows: ROWS, cols: COLS, values } });
  }
  return cases;
}
