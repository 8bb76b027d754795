/** Per-unit orderings of examples by activation (internal helper of the interpretability scores). */
import { Matrix } from '../core/matrix';
import { ValueError } from '../core/errors';

/**
 * Example indices 0..B−1 sorted by the activation of unit `u` in `acts` (B×N), descending; ties keep
 * the lower index first (deterministic).
 */
export function unitOrder(acts: Matrix, u: number): Int32Array {
  const B = acts.rows, N = acts.cols;
  const v = new Float64Array(B);
  for (let i = 0; i < B; i++) v[i] = acts.data[i * N + u];
  const idx = new Int32Array(B);
  for (let i = 0; i < B; i++) idx[i] = i;
  idx.sort((a, b) => v[b] - v[a] || a - b);
  return idx;
}

/** Units to score: all 0..N−1 by default, else the given indices (validated). */
export function unitList(n: number, units: ArrayLike<number> | undefined, fn: string): Int32Array {
  if (units === undefined) return Int32Array.from({ length: n }, (_, i) => i);
  const out = Int32Array.from(units);
  for (const u of out) if (!(u >= 0 && u < n)) throw new ValueError(`${fn}: unit ${u} out of range 0..${n - 1}`);
  return out;
}
