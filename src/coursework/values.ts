/**
 * What a student's function returned, in one comparable form: a numeric array with a shape (a number is
 * shape [], a vector [n], a matrix [rows, cols]) or, for functions returning an object, one such array per
 * field. Accepts numbers, booleans, nested arrays, typed arrays, `Matrix` ({rows, cols, data}) and tfjs
 * tensors (anything with `shape` and `dataSync()`). Also a JSON encoding that keeps NaN and ±Infinity, used
 * to bring a submission's results out of its sandboxed process.
 */

/** A numeric value with its shape (row-major data, float64). */
export interface Numeric {
  shape: number[];
  data: Float64Array;
}

/** A normalised return value: one array, or named fields (for functions that return an object). */
export type Value = { kind: 'array'; value: Numeric } | { kind: 'fields'; fields: Record<string, Numeric> };

/** Why a value could not be normalised (e.g. a string, a ragged array, undefined). */
export class NotNumericError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotNumericError';
  }
}

function describeType(x: unknown): string {
  if (x === undefined) return 'undefined';
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return `an object (${Object.prototype.toString.call(x).slice(8, -1)})`;
  return `a ${typeof x}`;
}

/** Normalise one numeric value (no object fields); throws {@link NotNumericError} with a description. */
export function toNumeric(x: unknown, what = 'the result'): Numeric {
  if (typeof x === 'number') return { shape: [], data: Float64Array.of(x) };
  if (typeof x === 'boolean') return { shape: [], data: Float64Array.of(x ? 1 : 0) };
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    const a = x as unknown as ArrayLike<number | bigint>;
    return { shape: [a.length], data: Float64Array.from(Array.from(a, Number)) };
  }
  if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
    const o = x as Record<string, unknown>;
    if (typeof o.rows === 'number' && typeof o.cols === 'number' && ArrayBuffer.isView(o.data)) {
      const d = Float64Array.from(o.data as unknown as ArrayLike<number>);
      if (d.length !== o.rows * o.cols) throw new NotNumericError(`${what} is a Matrix whose data has ${d.length} entries, not rows·cols = ${o.rows * o.cols}`);
      return { shape: [o.rows, o.cols], data: d };
    }
    if (Array.isArray(o.shape) && typeof o.dataSync === 'function') {
      return { shape: (o.shape as number[]).slice(), data: Float64Array.from((o.dataSync as () => ArrayLike<number>)()) };
    }
  }
  if (Array.isArray(x)) {
    if (x.length === 0) return { shape: [0], data: new Float64Array(0) };
    const parts = x.map((e, i) => toNumeric(e, `${what}[${i}]`));
    const s0 = parts[0].shape;
    for (let i = 1; i < parts.length; i++) {
      const s = parts[i].shape;
      if (s.length !== s0.length || s.some((v, k) => v !== s0[k])) {
        throw new NotNumericError(`${what} is ragged: ${what}[0] has shape (${s0.join(', ')}) but ${what}[${i}] has shape (${s.join(', ')})`);
      }
    }
    const n = parts[0].data.length;
    const data = new Float64Array(n * parts.length);
    parts.forEach((p, i) => data.set(p.data, i * n));
    return { shape: [x.length, ...s0], data };
  }
  throw new NotNumericError(`${what} is ${describeType(x)}, not a number or an array of numbers`);
}

/** Normalise a return value; objects that are not a Matrix or a tensor become {@link Value} fields. */
export function toValue(x: unknown): Value {
  if (x !== null && typeof x === 'object' && !Array.isArray(x) && !ArrayBuffer.isView(x)) {
    const o = x as Record<string, unknown>;
    const isMatrix = typeof o.rows === 'number' && typeof o.cols === 'number' && 'data' in o;
    const isTensor = Array.isArray(o.shape) && typeof o.dataSync === 'function';
    if (!isMatrix && !isTensor) {
      const fields: Record<string, Numeric> = {};
      for (const [k, v] of Object.entries(o)) fields[k] = toNumeric(v, `field '${k}' of the result`);
      return { kind: 'fields', fields };
    }
  }
  return { kind: 'array', value: toNumeric(x) };
}

/** Shape as text: "a number", "length 5", "shape (3, 4)". */
export function shapeText(shape: readonly number[]): string {
  if (shape.length === 0) return 'a single number';
  if (shape.length === 1) return `length ${shape[0]}`;
  return `shape (${shape.join(', ')})`;
}

const enc = (v: number): number | string => (Number.isFinite(v) ? v : String(v));
const dec = (v: number | string | null): number => (typeof v === 'number' ? v : v === null ? NaN : Number(v));

/** JSON-safe form of a value (NaN and ±Infinity as strings). */
export function encodeValue(v: Value): unknown {
  const e = (n: Numeric) => ({ shape: n.shape, data: Array.from(n.data, enc) });
  if (v.kind === 'array') return { kind: 'array', value: e(v.value) };
  return { kind: 'fields', fields: Object.fromEntries(Object.entries(v.fields).map(([k, n]) => [k, e(n)])) };
}

/** Inverse of {@link encodeValue}; throws on malformed input (it comes from an untrusted process). */
export function decodeValue(x: unknown): Value {
  const d = (n: unknown): Numeric => {
    const o = n as { shape?: unknown; data?: unknown };
    if (!o || !Array.isArray(o.shape) || !Array.isArray(o.data) || !o.shape.every((s) => Number.isInteger(s) && s >= 0)) {
      throw new Error('malformed value');
    }
    const size = (o.shape as number[]).reduce((a, b) => a * b, 1);
    if (size !== o.data.length) throw new Error('malformed value (size)');
    return { shape: o.shape as number[], data: Float64Array.from(o.data as (number | string)[], dec) };
  };
  const o = x as { kind?: string; value?: unknown; fields?: Record<string, unknown> };
  if (o && o.kind === 'array') return { kind: 'array', value: d(o.value) };
  if (o && o.kind === 'fields' && o.fields && typeof o.fields === 'object') {
    return { kind: 'fields', fields: Object.fromEntries(Object.entries(o.fields).map(([k, n]) => [k, d(n)])) };
  }
  throw new Error('malformed value');
}
