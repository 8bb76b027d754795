/**
 * Input validation at the public boundary: shapes, finiteness, ranges. Each check throws a
 * {@link ShapeError} or {@link ValueError} whose message names the argument, what was wrong and how to
 * fix it. Validate once, where user data enters; internal code trusts its inputs.
 */
import { ShapeError, ValueError } from './errors';
import { Matrix, MatrixLike, toMatrix } from './matrix';

/** Expected dimensions for {@link checkMatrix}; a string names the dimension for the message (e.g. 'M'). */
export interface ShapeSpec {
  rows?: number;
  cols?: number;
  /** Names of the dimensions in messages, e.g. ['B', 'M']. */
  names?: [string, string];
}

/**
 * Convert and validate a matrix argument: shape per `spec`, all entries finite.
 * @param name the argument's name in messages (e.g. 'X (data, B×M)').
 */
export function checkMatrix(name: string, x: MatrixLike, spec: ShapeSpec = {}): Matrix {
  if (x === null || x === undefined) throw new ValueError(`${name} is ${x}; pass a matrix (rows of numbers or a Matrix)`);
  const m = toMatrix(x);
  const [rn, cn] = spec.names ?? ['rows', 'cols'];
  if (spec.rows !== undefined && m.rows !== spec.rows) {
    throw new ShapeError(`${name} has ${m.rows} ${rn === 'rows' ? 'rows' : `rows (${rn})`} but ${spec.rows} are expected` +
      (m.cols === spec.rows ? ' — it looks transposed' : ''));
  }
  if (spec.cols !== undefined && m.cols !== spec.cols) {
    throw new ShapeError(`${name} has ${m.cols} ${cn === 'cols' ? 'columns' : `columns (${cn})`} but ${spec.cols} are expected` +
      (m.rows === spec.cols && spec.rows === undefined ? ' — is it transposed?' : ''));
  }
  checkFinite(name, m.data);
  return m;
}

/** Throw if any entry is NaN or ±Inf, naming the first bad index. */
export function checkFinite(name: string, a: ArrayLike<number>): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!Number.isFinite(v)) {
      throw new ValueError(`${name} contains ${v} at flat index ${i}; remove or impute non-finite values before calling`);
    }
  }
}

/** Throw unless `v` is a finite number ≥ `min` (and ≤ `max` if given). */
export function checkNumber(name: string, v: number, min = -Infinity, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${name} must be a finite number, got ${v}`);
  if (v < min) throw new ValueError(`${name} must be ≥ ${min}, got ${v}`);
  if (v > max) throw new ValueError(`${name} must be ≤ ${max}, got ${v}`);
  return v;
}

/** Throw unless `v` is an integer in [min, max]. */
export function checkInt(name: string, v: number, min = -Infinity, max = Infinity): number {
  if (!Number.isInteger(v)) throw new ValueError(`${name} must be an integer, got ${v}`);
  return checkNumber(name, v, min, max);
}

/** Throw unless every row of `m` has non-zero norm (atoms of a dictionary must). */
export function checkNoZeroRows(name: string, m: Matrix): void {
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let j = 0; j < m.cols; j++) s += m.data[i * m.cols + j] ** 2;
    if (s === 0) throw new ValueError(`${name}: row ${i} is all zeros; a dictionary atom must have a direction (remove or re-initialise it)`);
  }
}
