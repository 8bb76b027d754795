/**
 * Sparse probing: how well does the single best unit detect a binary concept?
 */
import { MatrixLike, selectRows } from '../core/matrix';

import { ValueError } from '../core/errors';
import { checkMatrix64 } from './input';
import { checkLabels } from './labels';
import { trainTestSplit } from './split';

/** A one-feature threshold classifier: predicts `positiveAbove ? z > threshold : z ≤ threshold`. */
export interface Stump { unit: number; threshold: number; positiveAbove: boolean; trainAccuracy: number }

/** Result of {@link sparseProbing}. */
export interface SparseProbe {
  /** The unit with the best training accuracy (lowest index on ties), with its threshold. */
  best: Stump;
  /** Held-out accuracy of that stump. */
  testAccuracy: number;
  /** Training accuracy of the best stump on every unit (length N). */
  perUnitTrainAccuracy: Float64Array;
  /** Accuracy of always predicting the majority class of the training split, on the test split (the chance baseline). */
  majorityBaseline: number;
}

/** Best threshold on one feature: values v (length n), labels y ∈ {0,1}. Exhaustive over midpoints; O(n log n). */
export function fitStump(v: Float64Array, y: Uint8Array): { threshold: number; positiveAbove: boolean; accuracy: number } {
  const n = v.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b]);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i];
  // Threshold below everything: all predicted positive (positiveAbove) → correct = pos.
  let posBelow = 0, negBelow = 0;
  let bestCorrect = Math.max(pos, n - pos);
  let best = { threshold: v[idx[0]] - 1, positiveAbove: pos >= n - pos };
  for (let k = 0; k < n; k++) {
    if (y[idx[k]]) posBelow++; else negBelow++;
    if (k < n - 1 && v[idx[k + 1]] === v[idx[k]]) continue; // cut only between distinct values
    const thr = k < n - 1 ? (v[idx[k]] + v[idx[k + 1]]) / 2 : v[idx[k]];
    const above = negBelow + (pos - posBelow); // positives above, negatives at/below
    const below = posBelow + (n - k - 1 - (pos - posBelow)); // positives at/below, negatives above
    if (above > bestCorrect) { bestCorrect = above; best = { threshold: thr, positiveAbove: true }; }
    if (below > bestCorrect) { bestCorrect = below; best = { threshold: thr, positiveAbove: false }; }
  }
  return { ...best, accuracy: bestCorrect / n };
}

/**
 * Sparse probing with one unit (k = 1 sparse probe): split the B examples (seeded, `trainFraction`
 * default 0.5); for each unit fit the best threshold classifier on the training split (exhaustive);
 * pick the unit with the best training accuracy; report its held-out accuracy. `concept` is one 0/1
 * (or boolean) per example. Chance = the majority baseline (0.5 for balanced concepts).
 */
export function sparseProbing(acts: MatrixLike, concept: ArrayLike<number | boolean>, opts: { trainFraction?: number; seed?: number } = {}): SparseProbe {
  const A = checkMatrix64('sparseProbing: acts (B×N activations)', acts, { names: ['B', 'N'] });
  const y01 = Array.from(concept as ArrayLike<number | boolean>, (v) => (typeof v === 'boolean' ? Number(v) : v));
  const L = checkLabels('sparseProbing', y01, A.rows, 'concept');
  for (const v of L) if (v !== 0 && v !== 1) throw new ValueError(`sparseProbing: concept must be 0/1 or boolean per example, found ${v}`);
  const split = trainTestSplit(A.rows, opts.trainFraction ?? 0.5, opts.seed ?? 0);
  const tr = selectRows(A, split.train), te = selectRows(A, split.test);
  const yTr = Uint8Array.from(split.train, (i) => L[i]), yTe = Uint8Array.from(split.test, (i) => L[i]);
  const N = A.cols, nTr = tr.rows, nTe = te.rows;
  const perUnit = new Float64Array(N);
  let best: Stump | null = null;
  const v = new Float64Array(nTr);
  for (let u = 0; u < N; u++) {
    for (let i = 0; i < nTr; i++) v[i] = tr.data[i * N + u];
    const s = fitStump(v, yTr);
    perUnit[u] = s.accuracy;
    if (!best || s.accuracy > best.trainAccuracy) best = { unit: u, threshold: s.threshold, positiveAbove: s.positiveAbove, trainAccuracy: s.accuracy };
  }
  const b = best!;
  let correct = 0;
  for (let i = 0; i < nTe; i++) {
    const z = te.data[i * N + b.unit];
    const pred = b.positiveAbove ? z > b.threshold : z <= b.threshold;
    if (Number(pred) === yTe[i]) correct++;
  }
  let posTr = 0;
  for (const y of yTr) posTr += y;
  const majority = posTr * 2 >= nTr ? 1 : 0;
  let maj = 0;
  for (const y of yTe) if (y === majority) maj++;
  return { best: b, testAccuracy: correct / nTe, perUnitTrainAccuracy: perUnit, majorityBaseline: maj / nTe };
}
