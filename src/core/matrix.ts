/**
 * Dense row-major matrices on typed arrays: the workbook's plain data type between modules.
 *
 * Convention used everywhere: a dictionary `D` is N×M (one atom per row), data `X` is B×M, codes `Z`
 * are B×N, and X ≈ Z·D. Hot loops use float32; metrics and fixtures may use float64.
 */
import { ShapeError, ValueError } from './errors';

/** A typed array of floats. */
export type FloatArray = Float32Array | Float64Array;

/** A dense matrix: `data[i * cols + j]` is entry (i, j). */
export interface Matrix<T extends FloatArray = FloatArray> {
  readonly rows: number;
  readonly cols: number;
  readonly data: T;
}

/** Anything a public function accepts as a matrix: a {@link Matrix}, or nested arrays (rows of numbers). */
export type MatrixLike = Matrix | ReadonlyArray<ReadonlyArray<number>>;

/** Wrap `data` (length rows·cols) as a matrix; with no data, a zero float32 matrix. */
export function matrix<T extends FloatArray = Float32Array>(rows: number, cols: number, data?: T): Matrix<T> {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new ShapeError(`matrix: rows and cols must be non-negative integers, got ${rows}×${cols}`);
  }
  const d = (data ?? new Float32Array(rows * cols)) as T;
  if (d.length !== rows * cols) {
    throw new ShapeError(`matrix: data has ${d.length} entries but ${rows}×${cols} needs ${rows * cols}`);
  }
  return { rows, cols, data: d };
}

/** A zero matrix of the given element type (float32 by default). */
export function zeros(rows: number, cols: number, dtype: 'float32' | 'float64' = 'float32'): Matrix {
  return matrix(rows, cols, dtype === 'float32' ? new Float32Array(rows * cols) : new Float64Array(rows * cols));
}

/** True if `x` has the shape of a {@link Matrix}. */
export function isMatrix(x: unknown): x is Matrix {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Partial<Matrix>;
  return typeof m.rows === 'number' && typeof m.cols === 'number' &&
    (m.data instanceof Float32Array || m.data instanceof Float64Array);
}

/** Build a matrix from rows of numbers (all rows the same length). */
export function fromRows(rows: ReadonlyArray<ReadonlyArray<number>>, dtype: 'float32' | 'float64' = 'float32'): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const out = zeros(r, c, dtype);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) {
      throw new ShapeError(`fromRows: row ${i} has ${rows[i].length} entries but row 0 has ${c}; rows must be equally long`);
    }
    for (let j = 0; j < c; j++) out.data[i * c + j] = rows[i][j];
  }
  return out;
}

/** Accept a {@link MatrixLike}; nested arrays are copied into float32 (or float64). */
export function toMatrix(x: MatrixLike, dtype: 'float32' | 'float64' = 'float32'): Matrix {
  return isMatrix(x) ? x : fromRows(x as ReadonlyArray<ReadonlyArray<number>>, dtype);
}

/** Rows as plain arrays (for printing, JSON, tests). */
export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** A view (no copy) of row i. */
export function row<T extends FloatArray>(m: Matrix<T>, i: number): T {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols) as T;
}

/** Copy of column j. */
export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j];
  return out;
}

/** A deep copy (same element type). */
export function copy<T extends FloatArray>(m: Matrix<T>): Matrix<T> {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() as T };
}

/** Same values as float32 (no copy if already float32). */
export function asFloat32(m: Matrix): Matrix<Float32Array> {
  return m.data instanceof Float32Array ? (m as Matrix<Float32Array>) : matrix(m.rows, m.cols, Float32Array.from(m.data));
}

/** Same values as float64 (no copy if already float64). */
export function asFloat64(m: Matrix): Matrix<Float64Array> {
  return m.data instanceof Float64Array ? (m as Matrix<Float64Array>) : matrix(m.rows, m.cols, Float64Array.from(m.data));
}

/** Transpose (a copy, same element type). */
export function transpose<T extends FloatArray>(m: Matrix<T>): Matrix<T> {
  const { rows, cols, data } = m;
  const out = new (data.constructor as { new (n: number): T })(rows * cols);
  const bs = 32;
  for (let i0 = 0; i0 < rows; i0 += bs) {
    const i1 = Math.min(rows, i0 + bs);
    for (let j0 = 0; j0 < cols; j0 += bs) {
      const j1 = Math.min(cols, j0 + bs);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = data[i * cols + j];
    }
  }
  return { rows: cols, cols: rows, data: out };
}

/** Rows selected by index (a copy). */
export function selectRows<T extends FloatArray>(m: Matrix<T>, idx: ArrayLike<number>): Matrix<T> {
  const out = new (m.data.constructor as { new (n: number): T })(idx.length * m.cols);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    if (i < 0 || i >= m.rows) throw new ShapeError(`selectRows: index ${i} out of range 0..${m.rows - 1}`);
    out.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), k * m.cols);
  }
  return { rows: idx.length, cols: m.cols, data: out };
}

/**
 * C = A·B with float64 accumulation; A is n×k, B is k×m, C is n×m in A's element type.
 * A plain cache-friendly i-k-j loop: fine for the small and medium sizes of metrics and tests. The hot
 * paths (sparse inference, SAE training) use the engine's products in `compute/`.
 */
export function matmul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) {
    throw new ShapeError(`matmul: A is ${a.rows}×${a.cols} and B is ${b.rows}×${b.cols}; A's columns must equal B's rows`);
  }
  const n = a.rows, k = a.cols, m = b.cols;
  const acc = new Float64Array(m);
  const out = a.data instanceof Float64Array ? new Float64Array(n * m) : new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    acc.fill(0);
    for (let p = 0; p < k; p++) {
      const aip = a.data[i * k + p];
      if (aip === 0) continue;
      const off = p * m;
      for (let j = 0; j < m; j++) acc[j] += aip * b.data[off + j];
    }
    out.set(acc, i * m);
  }
  return { rows: n, cols: m, data: out };
}

/** Euclidean norm of each row (float64). */
export function rowNorms(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let j = 0; j < m.cols; j++) { const v = m.data[i * m.cols + j]; s += v * v; }
    out[i] = Math.sqrt(s);
  }
  return out;
}

/** Copy with every row scaled to unit Euclidean norm; throws on a zero row (it has no direction). */
export function normalizeRows<T extends FloatArray>(m: Matrix<T>, what = 'matrix'): Matrix<T> {
  const out = copy(m);
  const norms = rowNorms(m);
  for (let i = 0; i < m.rows; i++) {
    if (!(norms[i] > 0)) throw new ValueError(`${what}: row ${i} has zero norm and cannot be normalised`);
    const inv = 1 / norms[i];
    for (let j = 0; j < m.cols; j++) out.data[i * m.cols + j] *= inv;
  }
  return out;
}

/** Shape as a string "r×c" for messages. */
export function shapeOf(m: Matrix): string {
  return `${m.rows}×${m.cols}`;
}
