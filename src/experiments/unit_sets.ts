/**
 * Sets of "units" that read an activation — ground-truth codes, random directions, PCA components, a learned
 * dictionary, a shuffled null — each with its activations (B×U) and directions (U×M), for scoring with every
 * interpretability metric (notebooks 05 and 06).
 */
import { Rng } from '../core/rng';
import { Matrix, asFloat64, matrix } from '../core/matrix';
import { ValueError } from '../core/errors';
import { colMeans, principalDirections } from '../core/decompositions';
import { checkInt, checkMatrix } from '../core/validate';
import { randomUnitDictionary } from '../data/synthetic';
import { LabelledPlantedData } from '../data/labelled';
import { countNonzero } from '../metrics/vectors';
import { createLearner } from '../dictionary/registry';

/** A set of units reading the activation: their non-negative activations and their directions in activation space. */
export interface UnitSet {
  name: string;
  /** B×U non-negative activations. */
  acts: Matrix<Float64Array>;
  /** U×M direction of each unit in activation space (the atom it writes, or the direction it reads). */
  directions: Matrix;
}

/** ReLU(s·(X − μ)·Wᵀ) for each row w of W (U×M): B×U float64. `mu` may be null (no centring). */
function projectRelu(X: Matrix, W: Matrix, mu: Float64Array | null, sign: 1 | -1 = 1): Matrix<Float64Array> {
  const B = X.rows, M = X.cols, U = W.rows;
  const out = new Float64Array(B * U);
  const xc = new Float64Array(M);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < M; j++) xc[j] = X.data[b * M + j] - (mu ? mu[j] : 0);
    for (let u = 0; u < U; u++) {
      let s = 0;
      for (let j = 0; j < M; j++) s += xc[j] * W.data[u * M + j];
      out[b * U + u] = Math.max(0, sign * s);
    }
  }
  return matrix(B, U, out);
}

/**
 * The PCA units of X (B×M): the M principal directions v of `train` (B_train×M), each in both signs, with
 * activation ReLU(±(x − μ)·v) — 2M units, interleaved (+v₀, −v₀, +v₁, …).
 */
export function pcaUnitSet(train: Matrix, X: Matrix, name = 'PCA'): UnitSet {
  const B = X.rows, M = X.cols;
  if (train.cols !== M) throw new ValueError(`pcaUnitSet: train has ${train.cols} columns but X has ${M}`);
  const pca = principalDirections(train, M);
  const pos = projectRelu(X, pca.directions, pca.mean, 1), neg = projectRelu(X, pca.directions, pca.mean, -1);
  const both = new Float64Array(B * 2 * M), dirs = new Float64Array(2 * M * M);
  for (let b = 0; b < B; b++) {
    for (let u = 0; u < M; u++) { both[b * 2 * M + 2 * u] = pos.data[b * M + u]; both[b * 2 * M + 2 * u + 1] = neg.data[b * M + u]; }
  }
  for (let u = 0; u < M; u++) for (let j = 0; j < M; j++) { dirs[2 * u * M + j] = pca.directions.data[u * M + j]; dirs[(2 * u + 1) * M + j] = -pca.directions.data[u * M + j]; }
  return { name, acts: matrix(B, 2 * M, both), directions: matrix(2 * M, M, dirs) };
}

/**
 * A null unit set: `src`'s activations with every unit's column permuted across examples independently
 * (seeded) — units that carry no information about the examples, to measure chance levels. Named
 * 'shuffled (null)' unless `name` says otherwise.
 */
export function shuffledUnitSet(src: UnitSet, seed: number, name = 'shuffled (null)'): UnitSet {
  const B = src.acts.rows, N = src.acts.cols;
  const shuffled = new Float64Array(B * N), pr = new Rng(seed);
  for (let u = 0; u < N; u++) {
    const perm = pr.permutation(B); // one permutation per unit: null units independent of the data and of each other
    for (let b = 0; b < B; b++) shuffled[b * N + u] = src.acts.data[perm[b] * N + u];
  }
  return { name, acts: matrix(B, N, shuffled), directions: src.directions };
}

/** Options of {@link interpretabilityUnitSets}. */
export interface UnitSetOptions {
  /** Samples (same D) to learn the dictionary and PCA on (default: the scored data itself). */
  train?: LabelledPlantedData;
  /** Dictionary learning iterations (default 30). */
  dlIterations?: number;
  seed?: number;
}

/**
 * The five unit sets scored in notebook 05, on `data` (B samples):
 * - 'ground truth': the true codes Z (N units), directions = the true atoms D;
 * - 'random directions': N random unit vectors r, activation ReLU(x·r) (a ReLU neuron with random weights);
 * - 'PCA': the M principal directions v of the training data, each in both signs, activation ReLU(±(x − μ)·v) (2M units);
 * - 'learned dictionary': classical dictionary learning (MOD + OMP with K atoms, N atoms, non-negative
 *   codes) fitted on `train`, activation = its codes;
 * - 'shuffled (null)': other random directions whose activations are permuted across samples (an independent
 *   permutation per unit) — units that carry no information about the examples, to measure chance levels.
 */
export function interpretabilityUnitSets(data: LabelledPlantedData, opts: UnitSetOptions = {}): UnitSet[] {
  const seed = opts.seed ?? 0;
  const train = opts.train ?? data;
  const N = data.Z.cols, M = data.X.cols, B = data.X.rows;
  const K = Math.round(countNonzero(data.Z) / B);
  const sets: UnitSet[] = [];
  sets.push({ name: 'ground truth', acts: asFloat64(data.Z), directions: data.D });
  const R = randomUnitDictionary(N, M, seed + 101);
  sets.push({ name: 'random directions', acts: projectRelu(data.X, R, null), directions: R });
  sets.push(pcaUnitSet(train.X, data.X));
  const dl = createLearner({ method: 'dl', features: N, k: Math.max(1, K), seed: seed + 7 }); // non-negative OMP + MOD
  dl.fit(train.X, { iterations: opts.dlIterations ?? 30, progress: false });
  sets.push({ name: 'learned dictionary', acts: asFloat64(dl.encode(data.X)), directions: dl.dictionary });
  const R2 = randomUnitDictionary(N, M, seed + 202);
  sets.push(shuffledUnitSet({ name: 'shuffled (null)', acts: projectRelu(data.X, R2, null), directions: R2 }, seed + 303));
  return sets;
}

/**
 * The density-matched control of a TopK dictionary: `atoms` random unit directions r (seeded, N×M) read the
 * centred activations x − μ (μ the column means of `train`, B_train×M), and each example keeps only its `k`
 * largest positive projections (a TopK code on random atoms; ties and non-positive values give fewer). With the
 * same N and K as a TopK SAE the codes are exactly as sparse as the SAE's, so a score on which dictionary
 * features beat neurons but not these units measures sparsity, not learned features.
 * @returns codes (B×N float32, non-negative, at most k non-zeros per row) of X (B×M) and the directions (N×M).
 */
export function randomAtomTopKCodes(train: Matrix, X: Matrix, atoms: number, k: number, seed: number): { codes: Matrix<Float32Array>; dictionary: Matrix<Float32Array> } {
  const M = checkMatrix('randomAtomTopKCodes: X (B×M activations)', X, { names: ['B', 'M'] }).cols;
  checkMatrix('randomAtomTopKCodes: train (B_train×M activations)', train, { cols: M, names: ['B_train', 'M'] });
  const N = checkInt('randomAtomTopKCodes: atoms (N)', atoms, 1);
  const K = checkInt('randomAtomTopKCodes: k (active atoms per example)', k, 1, N);
  const R = randomUnitDictionary(N, M, seed), mu = colMeans(train);
  const proj = projectRelu(X, R, mu), B = X.rows, codes = new Float32Array(B * N), order = new Int32Array(N);
  for (let b = 0; b < B; b++) {
    const row = proj.data.subarray(b * N, (b + 1) * N);
    for (let i = 0; i < N; i++) order[i] = i;
    order.sort((i, j) => row[j] - row[i] || i - j);
    for (let q = 0; q < K && row[order[q]] > 0; q++) codes[b * N + order[q]] = row[order[q]];
  }
  return { codes: matrix(B, N, codes), dictionary: R };
}
