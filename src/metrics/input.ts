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
