/** Boundary conversion for the metrics (internal): nested arrays become float64, not float32. */
import { Matrix, MatrixLike, fromRows, isMatrix } from '../core/matrix';
import { ShapeSpec, checkMatrix } from '../core/validate';
import { ValueError } from '../core/errors';

/**
 * {@link checkMatrix}, except that nested arrays are converted to float64 (metrics compute in float64
 * and must not round user input to float32). Matrix inputs are used as they are (no copy).
 */
export function checkMatrix64(name: string, x: MatrixLike, spec: ShapeSpec = {}): Matrix {
  if (x === null || x === undefined) throw new ValueError(`${name} is ${x}; pass a matrix (rows of numbers or a Matrix)`);
  return checkMatrix(name, isMatrix(x) ? x : fromRows(x as ReadonlyArray<ReadonlyArray<number>>, 'float64'), spec);
}

/**
 * Correlations are unchanged by scaling a column (cosines by scaling an atom), but their float64 sums of squares
 * overflow for |values| beyond ~1e154 and underflow to 0 below ~1e-154, which would score such a feature 0 without a
 * word. When some column (`by: 'col'`) or row (`by: 'row'`) has its largest |value| outside [1e-100, 1e100], return a
 * float64 copy with each of them divided by that largest |value|; otherwise `m` itself (results bitwise unchanged).
 * Used by the correlation and cosine metrics on their inputs. @internal
 */
export function rescaled(m: Matrix, by: 'col' | 'row'): Matrix {
  const { rows, cols, data } = m;
  const n = by === 'col' ? cols : rows;
  const peak = new Float64Array(n);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const k = by === 'col' ? j : i, a = Math.abs(data[i * cols + j]);
      if (a > peak[k]) peak[k] = a;
    }
  }
  if (peak.every((p) => p === 0 || (p >= 1e-100 && p <= 1e100))) return m;
  const out = new Float64Array(data.length);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const p = peak[by === 'col' ? j : i];
      out[i * cols + j] = p > 0 ? data[i * cols + j] / p : 0;
    }
  }
  return { rows, cols, data: out };
}
