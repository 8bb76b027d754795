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
import { UnitSet, pcaUnitSet, randomAtomTopKCodes, shuffledUnitSet } from './unit_sets';
import { JudgedTwoAfc, ScoringData, judgedTwoAfc } from './unit_scores';
import { reconstructionFrontier } from './frontier';
import { BootstrapCi, bootstrapMeanCi } from '../metrics/bootstrap';
import { classSelectivity } from '../metrics/selectivity';

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
    const live = liveUnits(s);
    dead[s.name] = s.acts.cols - live.acts.cols;
    return live;
  });
  return { sets, dead };
}

/** `s` without its units that are constant on the examples (dead); `s` itself when every unit is live. */
export function liveUnits(s: UnitSet): UnitSet {
  const keep = liveColumns(s.acts), M = s.directions.cols;
  if (keep.length === s.acts.cols) return s;
  const dirs = new Float64Array(keep.length * M);
  keep.forEach((u, k) => { for (let j = 0; j < M; j++) dirs[k * M + j] = s.directions.data[u * M + j]; });
  return { name: s.name, acts: selectColumns(s.acts, keep), directions: matrix(keep.length, M, dirs) };
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

/** The three unit kinds of {@link dictionaryAdvantageByLayer}, in its rows' order. */
export const DEPTH_UNIT_KINDS = ['neurons', 'SAE features', 'random atoms (TopK)'] as const;

/** One layer of {@link dictionaryAdvantageByLayer}. Scores are means over live scored units with 95 % bootstrap CIs. */
export interface LayerAdvantage {
  /** Index in the list of activation sets given, its source and its width M. */
  layer: number;
  source: string;
  width: number;
  /** FVU of the TopK SAE's encoder on the test activations and its dead features there. */
  saeFvu: number;
  saeDead: number;
  /** Class selectivity, 2AFC with the pixel judge and with the label judge, per unit kind ({@link DEPTH_UNIT_KINDS}). */
  selectivity: Record<string, BootstrapCi>;
  twoAfcPixels: Record<string, BootstrapCi>;
  twoAfcLabels: Record<string, BootstrapCi>;
  /** SAE features' mean minus the neurons' mean, per score (> 0: the dictionary is ahead). */
  advantage: { selectivity: number; twoAfcPixels: number; twoAfcLabels: number };
}

/** Options of {@link dictionaryAdvantageByLayer}. */
export interface LayerAdvantageOptions {
  /** Dictionary size as a multiple of the layer's width (default 4) and active features K (default 8). */
  size?: number;
  k?: number;
  /** SAE training (see reconstructionFrontier): Adam steps, batch (default 256), learning rate (default 1e-3). */
  steps?: number;
  batch?: number;
  lr?: number;
  /** Psychophysics pools and tasks (see scoreUnitSets; default quantile 0.02, active-only pools, 20 tasks). */
  quantile?: number;
  tasks?: number;
  seed?: number;
  /** Called before each layer (e.g. a progress line). */
  onLayer?: (source: string, index: number, total: number) => void;
}

/**
 * Does the dictionary's advantage over the neurons grow with depth (Colin et al.)? For each activation set (one
 * layer each, same test examples): a TopK SAE (size × width atoms, K) is trained on its training activations;
 * its live features, the live neurons ({@link neuronUnitSet}: signed layers split into halves) and the
 * density-matched control ({@link randomAtomTopKCodes}: TopK on as many random atoms, same K) are scored on the
 * test examples by class selectivity and by 2AFC under the pixel and the label judge ({@link judgedTwoAfc}).
 */
export function dictionaryAdvantageByLayer(layers: ActivationSet[], o: LayerAdvantageOptions = {}): LayerAdvantage[] {
  if (!layers.length) throw new ValueError('dictionaryAdvantageByLayer: pass at least one activation set (one per layer)');
  const size = o.size ?? 4, k = o.k ?? 8, seed = o.seed ?? 0;
  const B = layers[0].test.rows;
  layers.forEach((set, li) => {
    if (set.test.rows !== B) throw new ShapeError(`dictionaryAdvantageByLayer: layer ${li} has ${set.test.rows} test examples but layer 0 has ${B}; record every layer on the same examples`);
  });
  return layers.map((set, li) => {
    o.onLayer?.(set.source, li, layers.length);
    const data = scoringDataOf(set), M = set.test.cols, N = Math.round(size * M);
    const fr = reconstructionFrontier(set, { sizes: [size], ks: [k], steps: o.steps, batch: o.batch ?? 256, lr: o.lr ?? 1e-3, basisKs: [], dlSizes: [], seed: seed + 10 * li });
    const sae = fr.models[0], rnd = randomAtomTopKCodes(set.train, set.test, N, k, seed + 10 * li + 5);
    const all: UnitSet[] = [neuronUnitSet(set.test), { name: 'SAE features', acts: asFloat64(sae.testCodes), directions: sae.model.dictionary },
      { name: 'random atoms (TopK)', acts: asFloat64(rnd.codes), directions: rnd.dictionary }];
    const sets = all.map(liveUnits);
    const opts = { quantile: o.quantile ?? 0.02, activeOnly: true, tasks: o.tasks ?? 20, seed: seed + 1 };
    const byKind = (rows: JudgedTwoAfc[]) => Object.fromEntries(rows.map((r) => [r.representation, { mean: r.mean, lo: r.lo, hi: r.hi, n: r.n }]));
    const selectivity = Object.fromEntries(sets.map((s, i) => [s.name, bootstrapMeanCi(classSelectivity(s.acts, data.labels).perUnit, { seed: seed + 31 * i })]));
    const twoAfcPixels = byKind(judgedTwoAfc(data, sets, { ...opts, judge: 'pixels' }));
    const twoAfcLabels = byKind(judgedTwoAfc(data, sets, { ...opts, judge: 'labels' }));
    const adv = (r: Record<string, BootstrapCi>) => r['SAE features'].mean - r.neurons.mean;
    return {
      layer: li, source: set.source, width: M, saeFvu: fr.rows.find((r) => r.codes === 'encoder')!.fvu, saeDead: N - sets[1].acts.cols,
      selectivity, twoAfcPixels, twoAfcLabels,
      advantage: { selectivity: adv(selectivity), twoAfcPixels: adv(twoAfcPixels), twoAfcLabels: adv(twoAfcLabels) },
    };
  });
}
