/**
 * Label-based interpretability of units: purity of a unit's top activations and the class
 * selectivity index. Activations `acts` are B×N (B examples, N units), labels one integer per example.
 */
import { MatrixLike } from '../core/matrix';
import { checkInt } from '../core/validate';
import { ValueError } from '../core/errors';
import { checkMatrix64 } from './input';
import { checkLabels } from './labels';
import { unitExtremes, unitList } from './ranking';

/** Result of {@link labelPurity}. */
export interface LabelPurity {
  /** Mean purity over the scored units. */
  mean: number;
  /** Share of the modal class among each unit's top-k examples, in [1/k, 1]. */
  perUnit: Float64Array;
  /** The modal class of each unit's top-k (smallest id on ties). */
  modalClass: Int32Array;
  units: Int32Array;
  /** Purity of k examples drawn at random ≈ share of the most frequent class in the data (a lower bound; small k biases it up). */
  baseRate: number;
}

/**
 * Label purity of each unit: among the `k` (default 20) most activating examples (ties by index), the
 * share of the most common label. 1 = all top examples share a class. Compare with `baseRate`.
 */
export function labelPurity(acts: MatrixLike, labels: ArrayLike<number>, opts: { k?: number; units?: ArrayLike<number> } = {}): LabelPurity {
  const A = checkMatrix64('labelPurity: acts (B×N activations)', acts, { names: ['B', 'N'] });
  const L = checkLabels('labelPurity', labels, A.rows);
  const k = checkInt('labelPurity: k', opts.k ?? 20, 1, A.rows);
  const units = unitList(A.cols, opts.units, 'labelPurity');
  const perUnit = new Float64Array(units.length), modal = new Int32Array(units.length);
  units.forEach((u, idx) => {
    const order = unitExtremes(A, u, k).top;
    const counts = new Map<number, number>();
    for (let r = 0; r < k; r++) counts.set(L[order[r]], (counts.get(L[order[r]]) ?? 0) + 1);
    let best = -1, cls = 0;
    for (const [c, n] of counts) if (n > best || (n === best && c < cls)) { best = n; cls = c; }
    perUnit[idx] = best / k;
    modal[idx] = cls;
  });
  const all = new Map<number, number>();
  for (const l of L) all.set(l, (all.get(l) ?? 0) + 1);
  const baseRate = Math.max(...all.values()) / A.rows;
  return { mean: perUnit.reduce((a, b) => a + b, 0) / Math.max(1, perUnit.length), perUnit, modalClass: modal, units, baseRate };
}

/**
 * Class selectivity index per unit (Morcos et al. 2018): with μ_c the unit's mean activation over the
 * examples of class c, μ_max the largest class mean and μ_rest the mean of the other class means,
 * SI = (μ_max − μ_rest) / (μ_max + μ_rest). Defined for non-negative activations (e.g. after ReLU), in
 * [0, 1]: 0 = same mean for every class, 1 = fires for one class only. A unit that never fires scores 0.
 * Needs at least 2 classes. Returns per-unit SI (length N) and their mean.
 */
export function classSelectivity(acts: MatrixLike, labels: ArrayLike<number>): { mean: number; perUnit: Float64Array; preferredClass: Int32Array } {
  const A = checkMatrix64('classSelectivity: acts (B×N non-negative activations)', acts, { names: ['B', 'N'] });
  for (let i = 0; i < A.data.length; i++) {
    if (A.data[i] < 0) throw new ValueError(`classSelectivity: acts has a negative entry ${A.data[i]} at flat index ${i}; the index is defined for non-negative activations (apply ReLU or shift first)`);
  }
  const L = checkLabels('classSelectivity', labels, A.rows);
  const classes = Array.from(new Set(L)).sort((a, b) => a - b);
  if (classes.length < 2) throw new ValueError('classSelectivity: needs at least 2 classes among the labels');
  const ci = new Map(classes.map((c, i) => [c, i] as [number, number]));
  const C = classes.length, N = A.cols;
  const sums = new Float64Array(C * N), counts = new Float64Array(C);
  for (let i = 0; i < A.rows; i++) {
    const c = ci.get(L[i])!;
    counts[c]++;
    for (let u = 0; u < N; u++) sums[c * N + u] += A.data[i * N + u];
  }
  const perUnit = new Float64Array(N), pref = new Int32Array(N);
  for (let u = 0; u < N; u++) {
    let max = -Infinity, arg = 0, total = 0;
    for (let c = 0; c < C; c++) {
      const m = sums[c * N + u] / counts[c];
      total += m;
      if (m > max) { max = m; arg = c; }
    }
    const rest = (total - max) / (C - 1);
    perUnit[u] = max + rest > 0 ? (max - rest) / (max + rest) : 0;
    pref[u] = classes[arg];
  }
  return { mean: perUnit.reduce((a, b) => a + b, 0) / N, perUnit, preferredClass: pref };
}
