/** Per-unit extremes of activation (internal helper of the interpretability scores). */
import { Matrix } from '../core/matrix';
import { ValueError } from '../core/errors';

/** The `count` most and least activating examples of one unit, and its (lower) median activation. */
export interface UnitExtremes {
  /** Example indices by decreasing activation: top[0] is the most activating; ties by lower index first. */
  top: Int32Array;
  /** Example indices by increasing activation: bottom[0] is the least activating; ties by higher index first. */
  bottom: Int32Array;
  /** Lower median of the unit's activations over the B examples. */
  median: number;
}

/**
 * The extremes of unit `u` in `acts` (B×N) as if all B examples were sorted by activation (descending,
 * ties by index): `top` is the head of that order and `bottom` its tail read backwards. A native numeric
 * sort finds the cut values; only the candidates beyond them are sorted with a comparator, so this costs
 * little more than one Float64Array sort per unit.
 */
export function unitExtremes(acts: Matrix, u: number, count: number): UnitExtremes {
  const B = acts.rows, N = acts.cols;
  const v = new Float64Array(B);
  for (let i = 0; i < B; i++) v[i] = acts.data[i * N + u];
  const sorted = v.slice().sort();
  const c = Math.min(count, B);
  const hiCut = sorted[B - c], loCut = sorted[c - 1];
  const hi: number[] = [], lo: number[] = [];
  for (let i = 0; i < B; i++) {
    if (v[i] >= hiCut) hi.push(i);
    if (v[i] <= loCut) lo.push(i);
  }
  hi.sort((a, b) => v[b] - v[a] || a - b);
  lo.sort((a, b) => v[a] - v[b] || b - a);
  return { top: Int32Array.from(hi.slice(0, c)), bottom: Int32Array.from(lo.slice(0, c)), median: sorted[(B - 1) >> 1] };
}

/** Units to score: all 0..N−1 by default, else the given indices (validated). */
export function unitList(n: number, units: ArrayLike<number> | undefined, fn: string): Int32Array {
  if (units === undefined) return Int32Array.from({ length: n }, (_, i) => i);
  const out = Int32Array.from(units);
  for (const u of out) if (!(u >= 0 && u < n)) throw new ValueError(`${fn}: unit ${u} out of range 0..${n - 1}`);
  return out;
}
