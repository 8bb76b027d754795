/**
 * Notebook 06, step 3: units of a real layer to score and compare — the neurons, the PCA directions, the
 * features of learned dictionaries — and their universality across two networks trained with different
 * seeds. Shapes: activations B×M, dictionary codes B×N, dictionaries N×M.
 */
import { Matrix, asFloat64, matrix } from '../core/matrix';
import { Rng } from '../core/rng';
import { ShapeError, ValueError } from '../core/errors';
import { mcc } from '../metrics/mcc';
import { ActivationSet } from './activation_set';
import { UnitSet, pcaUnitSet, shuffledUnitSet } from './unit_sets';
import { ScoringData } from './unit_scores';

/** A learned dictionary's features on the test examples. */
export interface DictionaryFeatures {
  name: string;
  /** B_test×N codes (non-negative). */
  codes: Matrix;
  /** N×M dictionary (atoms in rows). */
  dictionary: Matrix;
}

/** Indices of the columns of A (B×U) that are not constant over the rows (live units). */
export function liveColumns(A: Matrix): Int32Array {
  const B = A.rows, U = A.cols, keep: number[] = [];
  for (let u = 0; u < U; u++) {
    const v0 = A.data[u];
    let varies = false;
    for (let b = 1; b < B && !varies; b++) varies = A.data[b * U + u] !== v0;
    if (varies) keep.push(u);
  }
  return Int32Array.from(keep);
}

function selectColumns(A: Matrix, cols: ArrayLike<number>): Matrix<Float64Array> {
  const B = A.rows, U = A.cols, K = cols.length, out = new Float64Array(B * K);
  for (let b = 0; b < B; b++) for (let k = 0; k < K; k++) out[b * K + k] = A.data[b * U + cols[k]];
  return matrix(B, K, out);
}

function identity(M: number): Matrix<Float64Array> {
  const d = new Float64Array(M * M);
  for (let i = 0; i < M; i++) d[i * M + i] = 1;
  return matrix(M, M, d);
}

/**
 * The neurons as units: the M columns of X (B×M) with unit-vector directions; when X has negative entries
 * (pre-activations, a residual stream) every neuron is split into its positive and negative half,
 * ReLU(x_j) and ReLU(−x_j) (2M units, interleaved, directions ±e_j), since the scores need non-negative activations.
 */
export function neuronUnitSet(X: Matrix, name = 'neurons'): UnitSet {
  const B = X.rows, M = X.cols;
  let signed = false;
  for (const v of X.data) if (v < 0) { signed = true; break; }
  if (!signed) return { name, acts: asFloat64(X), directions: identity(M) };
  const acts = new Float64Array(B * 2 * M), dirs = new Float64Array(2 * M * M);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < M; j++) { const v = X.data[b * M + j]; acts[b * 2 * M + 2 * j] = Math.max(0, v); acts[b * 2 * M + 2 * j + 1] = Math.max(0, -v); }
  }
  for (let j = 0; j < M; j++) { dirs[2 * j * M + j] = 1; dirs[(2 * j + 1) * M + j] = -1; }
  return { name, acts: matrix(B, 2 * M, acts), directions: matrix(2 * M, M, dirs) };
}

/**
 * Unit sets on the test examples of `set`: 'neurons' ({@link neuronUnitSet}: the M units themselves,
 * split into positive and negative halves when the activations are signed), 'PCA' (2M half-wave rectified principal directions of set.train), one set per dictionary in
 * `dictionaries` (its codes), and 'shuffled (null)' (the neurons with every column permuted across
 * examples: chance levels). Units that are constant on the test examples (dead) are dropped from every
 * set and counted in `dead`.
 */
export function realUnitSets(set: ActivationSet, dictionaries: DictionaryFeatures[], seed = 0): { sets: UnitSet[]; dead: Record<string, number> } {
  const B = set.test.rows, M = set.test.cols;
  const neurons = neuronUnitSet(set.test);
  const all: UnitSet[] = [neurons, pcaUnitSet(set.train, set.test)];
  for (const d of dictionaries) {
    if (d.codes.rows !== B) throw new ShapeError(`realUnitSets: '${d.name}' has codes for ${d.codes.rows} examples but the test set has ${B}`);
    if (d.dictionary.rows !== d.codes.cols || d.dictionary.cols !== M) {
      throw new ShapeError(`realUnitSets: '${d.name}' codes are B×${d.codes.cols} but its dictionary is ${d.dictionary.rows}×${d.dictionary.cols} (want ${d.codes.cols}×${M})`);
    }
    all.push({ name: d.name, acts: asFloat64(d.codes), directions: d.dictionary });
  }
  all.push(shuffledUnitSet(neurons, seed + 303));
  const dead: Record<string, number> = {};
  const sets = all.map((s) => {
    const keep = liveColumns(s.acts);
    dead[s.name] = s.acts.cols - keep.length;
    if (keep.length === s.acts.cols) return s;
    const dirs = new Float64Array(keep.length * M);
    keep.forEach((u, k) => { for (let j = 0; j < M; j++) dirs[k * M + j] = s.directions.data[u * M + j]; });
    return { name: s.name, acts: selectColumns(s.acts, keep), directions: matrix(keep.length, M, dirs) };
  });
  return { sets, dead };
}

/** What {@link scoreUnitSets} needs from an activation set (labels and images of the test examples). */
export function scoringDataOf(set: ActivationSet): ScoringData {
  if (!set.testLabels || !set.testImages) {
    throw new ValueError(`${set.source}: scoring units needs the test examples' ${!set.testLabels ? 'labels' : 'images'}; pass them to loadActivationSet({ activations, images, labels })`);
  }
  return { labels: set.testLabels, classes: set.classes, images: set.testImages };
}

/** Result of {@link crossSeedMatch}. */
export interface CrossSeedMatch {
  /** Mean over A's units of |corr| with the Hungarian-matched unit of B (MCC), in [0, 1]. */
  mcc: number;
  /** Per live unit of A: |corr| with its match. */
  perUnit: Float64Array;
  /** Units left out because they are constant on these examples (dead), in A and in B. */
  deadA: number;
  deadB: number;
  /** The same MCC against B with its rows shuffled (no shared examples): the chance level. */
  chance: number;
}

/**
 * Do two networks (or two dictionaries learned on two networks) have the same units? `a` (S×U_A) and
 * `b` (S×U_B) are activations or codes of the same S examples; units are matched one-to-one by the
 * Hungarian assignment on |Pearson r| ({@link mcc}, with A as the reference). Dead units (constant on these
 * examples) are left out on both sides and counted. The chance level matches A against B with its rows
 * permuted (seeded).
 */
export function crossSeedMatch(aIn: Matrix, bIn: Matrix, seed = 0): CrossSeedMatch {
  if (aIn.rows !== bIn.rows) throw new ShapeError(`crossSeedMatch: ${aIn.rows} examples in a but ${bIn.rows} in b; pass activations of the same examples in the same order`);
  const la = liveColumns(aIn), lb = liveColumns(bIn);
  if (!la.length || !lb.length) throw new ValueError('crossSeedMatch: every unit is constant on these examples in one of the two sets');
  const a = selectColumns(aIn, la), b = selectColumns(bIn, lb);
  const r = mcc(a, b, { precision: 'auto' });
  const perm = new Rng(seed).permutation(b.rows), U = b.cols;
  const shuffled = new Float64Array(b.rows * U);
  for (let s = 0; s < b.rows; s++) for (let u = 0; u < U; u++) shuffled[s * U + u] = b.data[perm[s] * U + u];
  return { mcc: r.mcc, perUnit: r.perFeature, deadA: aIn.cols - la.length, deadB: bIn.cols - lb.length, chance: mcc(a, matrix(b.rows, U, shuffled), { precision: 'auto' }).mcc };
}
