/**
 * Pluggable similarity between examples, used by the psychophysics-style scores: a function of two
 * example indices (rows of the data set the activations were computed on).
 */
import { MatrixLike } from '../core/matrix';

import { ValueError } from '../core/errors';
import { checkMatrix64 } from './input';
import { normalizeRowSet, rowsAsRows } from './vectors';

/** Similarity of examples i and j (indices 0..B−1); larger = more alike. Must be symmetric. */
export type Similarity = (i: number, j: number) => number;

/**
 * Cosine similarity of example embeddings (B×E, one row per example): sim(i, j) = cos(e_i, e_j), in
 * [−1, 1]; a zero embedding has similarity 0 with everything. With raw pixels or a small local network
 * as the embedding, scores built on it are proxies of the published ones (which use DreamSim).
 */
export function cosineSimilarity(embeddings: MatrixLike): Similarity {
  const E = checkMatrix64('cosineSimilarity: embeddings (B×E, one row per example)', embeddings);
  const d = E.cols;
  const a = rowsAsRows(E);
  normalizeRowSet(a, E.rows, d);
  return (i, j) => {
    let s = 0;
    const oi = i * d, oj = j * d;
    for (let k = 0; k < d; k++) s += a[oi + k] * a[oj + k];
    return s;
  };
}

/** Label similarity: sim(i, j) = 1 if labels[i] === labels[j], else 0. An exact, cheap judge for labelled data. */
export function labelSimilarity(labels: ArrayLike<number>): Similarity {
  if (!labels || typeof labels.length !== 'number' || labels.length === 0) throw new ValueError('labelSimilarity: labels must be a non-empty array of class ids, one per example');
  const l = Int32Array.from(labels as ArrayLike<number>);
  return (i, j) => (l[i] === l[j] ? 1 : 0);
}

/** Mean of sim(q, e) over e in `set`. @internal */
export function meanSim(sim: Similarity, q: number, set: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < set.length; k++) s += sim(q, set[k]);
  return s / set.length;
}
