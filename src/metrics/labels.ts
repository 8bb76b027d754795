/** Validation of per-example labels (internal). */
import { ValueError } from '../core/errors';

/** Integer labels (one per example, length B) as an Int32Array, with a clear error otherwise. */
export function checkLabels(fn: string, labels: ArrayLike<number>, B: number, what = 'labels'): Int32Array {
  if (!labels || typeof labels.length !== 'number') throw new ValueError(`${fn}: ${what} must be an array of integers, one per example`);
  if (labels.length !== B) throw new ValueError(`${fn}: ${what} has ${labels.length} entries but there are ${B} examples (rows); pass one per example`);
  const out = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    const v = labels[i];
    if (!Number.isInteger(v)) throw new ValueError(`${fn}: ${what}[${i}] = ${v} is not an integer class id`);
    out[i] = v;
  }
  return out;
}
