/**
 * Lasso objective and duality gap of given codes, evaluated exactly from residuals (float64).
 */
import { MatrixLike } from '../core/matrix';
import { checkMatrix } from '../core/validate';
import { checkLambda, checkXD, evalLasso } from './problem';

function checked(fn: string, X: MatrixLike, D: MatrixLike, Z: MatrixLike, lambda: number) {
  const { X: x, D: d } = checkXD(fn, X, D);
  const z = checkMatrix(`${fn}: Z (codes, B×N)`, Z, { rows: x.rows, cols: d.rows, names: ['B', 'N'] });
  return { x, d, z, lambda: checkLambda(fn, lambda) };
}

/**
 * Batch-mean lasso objective (1/B) Σ_b ½‖x_b − z_b D‖² + λ‖z_b‖₁.
 * @param X data B×M; @param D dictionary N×M (atoms in rows); @param Z codes B×N; @param lambda λ ≥ 0.
 */
export function lassoObjective(X: MatrixLike, D: MatrixLike, Z: MatrixLike, lambda: number): number {
  const { x, d, z, lambda: l } = checked('lassoObjective', X, D, Z, lambda);
  return evalLasso(x, d, z.data, l, false).meanPrimal;
}

/**
 * Batch-mean duality gap of codes Z for the lasso (≥ 0; 0 exactly at the optimum). The dual point is the
 * residual r = x − zD scaled into the dual feasible set {ν : |d_j·ν| ≤ λ ∀j} (non-negative lasso:
 * d_j·ν ≤ λ); dual objective ½‖x‖² − ½‖x − ν‖².
 * @param X data B×M; @param D dictionary N×M; @param Z codes B×N; @param lambda λ ≥ 0; @param nonneg z ≥ 0 problem.
 */
export function dualityGap(X: MatrixLike, D: MatrixLike, Z: MatrixLike, lambda: number, nonneg = false): number {
  const { x, d, z, lambda: l } = checked('dualityGap', X, D, Z, lambda);
  return evalLasso(x, d, z.data, l, nonneg).meanGap;
}
