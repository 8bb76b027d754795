/**
 * Interpretability metrics where the answer is known (notebook 05; paper-notes "Interpretability scores").
 *
 * Planted labelled data: N ground-truth features, each tied to one of C classes and drawn as a small
 * synthetic image pattern; a sample has exactly K active features (non-negative magnitudes), its
 * "network activation" is x = z·D + noise (M dims, N > M: superposition), its image is Σ_i z_i·P_i + noise
 * and its label is the class of its strongest feature. Several sets of "units" read that activation —
 * the ground-truth codes, random directions, PCA components, a learned dictionary, and a shuffled null —
 * and every unit is scored with every metric of `metrics/`. Everything here is plain data: the notebook
 * decides what to draw.
 */
import { Rng } from '../core/rng';
import { Matrix, asFloat64, matrix, selectRows } from '../core/matrix';
import { checkInt, checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';
import { svd } from '../core/decompositions';
import { plantedSparseData, randomUnitDictionary } from '../data/synthetic';
import { crossCorrelation } from '../metrics/correlation';
import { matchedSimilarity } from '../metrics/mcc';
import { cosineMatrix } from '../metrics/dictionary';
import { classSelectivity } from '../metrics/selectivity';
import { fitStump, sparseProbing } from '../metrics/probing';
import { trainTestSplit } from '../metrics/split';
import { cosineSimilarity, labelSimilarity, Similarity } from '../metrics/similarity';
import { twoAfcScore, misProxyScore, imageIntrusionScore } from '../metrics/psychophysics';
import { unitExtremes } from '../metrics/ranking';
import { DictionaryLearner } from '../dictionary/classical';

/** Options of {@link labelledPlantedData}. */
export interface LabelledPlantedOptions {
  /** N ground-truth features. */
  n: number;
  /** M dimensions of the activation (N > M: superposition). */
  m: number;
  /** K active features per sample (exactly K). */
  k: number;
  /** C classes; feature i belongs to class i mod C (2 ≤ C ≤ N; default N: one class per feature). */
  classes?: number;
  /** Grating orientations of the feature patterns (default 8; see {@link featurePatterns}). */
  orientations?: number;
  /** B samples. */
  samples: number;
  seed: number;
  /** σ of Gaussian noise added to each activation entry (default 0.05). */
  noise?: number;
  /** Image side in pixels (default 12: images are side×side). */
  imageSize?: number;
  /** σ of Gaussian pixel noise (default 0.1). */
  imageNoise?: number;
  /** Reuse this N×M dictionary (e.g. a second set from the same features). */
  dictionary?: Matrix;
}

/** Planted labelled data (see the module comment). */
export interface LabelledPlantedData {
  /** B×M activations x = z·D + noise, float32. */
  X: Matrix<Float32Array>;
  /** B×N true codes (exactly K non-zero, non-negative), float32. */
  Z: Matrix<Float32Array>;
  /** N×M true dictionary (unit-norm rows). */
  D: Matrix<Float32Array>;
  /** Class of each sample (length B): the class of its largest active feature. */
  labels: Int32Array;
  /** Class of each feature (length N): i mod C. */
  featureClass: Int32Array;
  /** B×(side·side) images, row-major pixels: Σ_i z_i·P_i + pixel noise. */
  images: Matrix<Float32Array>;
  /** N×(side·side) feature patterns P_i (unit-norm rows). */
  patterns: Matrix<Float32Array>;
  /** Image side in pixels. */
  side: number;
  classes: number;
}

/**
 * Feature patterns: with O orientations, feature i is a grating of orientation θ = π·(i mod O)/O under a
 * Gaussian window (σ = side/5) centred at angle 2π·⌊i/O⌋/⌈N/O⌉ on a ring of radius side/4 around the
 * image centre: features differ by orientation, position or both, and overlap partly. Unit-norm rows.
 * @returns N×(side·side) float32
 */
export function featurePatterns(n: number, orientations: number, side: number): Matrix<Float32Array> {
  checkInt('n (features N)', n, 1);
  const classes = checkInt('orientations', orientations, 1);
  checkInt('side (pixels)', side, 4);
  const perClass = Math.ceil(n / classes), P = side * side;
  const out = new Float32Array(n * P);
  const c0 = (side - 1) / 2, ring = side / 4, sw = side / 5, freq = (2 * Math.PI) / (side / 3);
  for (let i = 0; i < n; i++) {
    const c = i % classes, j = Math.floor(i / classes);
    const th = (Math.PI * c) / classes, phi = (2 * Math.PI * j) / perClass;
    const cx = c0 + ring * Math.cos(phi), cy = c0 + ring * Math.sin(phi);
    let s = 0;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const win = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sw * sw));
        const v = win * Math.cos(freq * ((x - cx) * Math.cos(th) + (y - cy) * Math.sin(th)));
        out[i * P + y * side + x] = v;
        s += v * v;
      }
    }
    const inv = 1 / Math.sqrt(s);
    for (let p = 0; p < P; p++) out[i * P + p] *= inv;
  }
  return matrix(n, P, out);
}

/** Draw planted labelled data (see the module comment and {@link LabelledPlantedData}). Deterministic in `seed`. */
export function labelledPlantedData(opts: LabelledPlantedOptions): LabelledPlantedData {
  const { n, m, k, samples, seed } = opts;
  const classes = checkInt('classes (C)', opts.classes ?? n, 2, n);
  const side = checkInt('imageSize', opts.imageSize ?? 12, 4);
  const imageNoise = checkNumber('imageNoise', opts.imageNoise ?? 0.1, 0);
  const p = plantedSparseData({ n, m, k, samples, seed, noise: opts.noise ?? 0.05, nonneg: true, dictionary: opts.dictionary });
  const patterns = featurePatterns(n, checkInt('orientations', opts.orientations ?? 8, 1), side);
  const P = side * side, B = samples;
  const featureClass = Int32Array.from({ length: n }, (_, i) => i % classes);
  const labels = new Int32Array(B);
  const images = new Float32Array(B * P);
  const rng = new Rng(seed + 0x5bd1e995); // pixel noise: a stream apart from plantedSparseData's
  for (let b = 0; b < B; b++) {
    let best = -1, arg = 0;
    for (let t = 0; t < k; t++) {
      const i = p.supports[b * k + t], v = p.Z.data[b * n + i];
      if (v > best) { best = v; arg = i; }
      for (let q = 0; q < P; q++) images[b * P + q] += v * patterns.data[i * P + q];
    }
    labels[b] = featureClass[arg];
    if (imageNoise > 0) for (let q = 0; q < P; q++) images[b * P + q] += imageNoise * rng.normal();
  }
  return { X: p.X, Z: p.Z, D: p.D, labels, featureClass, images: matrix(B, P, images), patterns, side, classes };
}

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

/** Column means (length M) of X (B×M). */
export function colMeans(X: Matrix): Float64Array {
  const mu = new Float64Array(X.cols);
  for (let b = 0; b < X.rows; b++) for (let j = 0; j < X.cols; j++) mu[j] += X.data[b * X.cols + j] / X.rows;
  return mu;
}

/**
 * Principal directions of X (B×M): the top `count` right singular vectors of the centred data, as rows
 * (count×M, float64, unit norm, by decreasing variance), and the column means.
 */
export function principalDirections(X: Matrix, count: number): { directions: Matrix<Float64Array>; mean: Float64Array; variance: Float64Array } {
  const B = X.rows, M = X.cols;
  checkInt('count (components)', count, 1, M);
  const mean = colMeans(X);
  const a = new Float64Array(B * M);
  for (let b = 0; b < B; b++) for (let j = 0; j < M; j++) a[b * M + j] = X.data[b * M + j] - mean[j];
  const s = svd(a, B, M);
  const order = Array.from({ length: s.k }, (_, i) => i).sort((i, j) => s.s[j] - s.s[i]).slice(0, count);
  const dirs = new Float64Array(count * M), variance = new Float64Array(count);
  order.forEach((c, r) => {
    for (let j = 0; j < M; j++) dirs[r * M + j] = s.v[j * s.k + c];
    variance[r] = (s.s[c] * s.s[c]) / (B - 1);
  });
  return { directions: matrix(count, M, dirs), mean, variance };
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
  const dl = new DictionaryLearner({ atoms: N, k: Math.max(1, K), inference: 'omp', nonneg: true, seed: seed + 7 });
  dl.fit(train.X, { iterations: opts.dlIterations ?? 30, progress: false });
  sets.push({ name: 'learned dictionary', acts: asFloat64(dl.encode(data.X)), directions: dl.dictionary });
  const R2 = randomUnitDictionary(N, M, seed + 202);
  sets.push(shuffledUnitSet({ name: 'shuffled (null)', acts: projectRelu(data.X, R2, null), directions: R2 }, seed + 303));
  return sets;
}

function countNonzero(m: Matrix): number { let c = 0; for (const v of m.data) if (v !== 0) c++; return c; }

/** The per-unit scores, in the order they are reported. */
export const UNIT_SCORES = ['mcc', 'dictionary', 'selectivity', 'probing', 'twoAfc', 'mis', 'intrusion'] as const;
/** One per-unit score name. */
export type UnitScoreName = typeof UNIT_SCORES[number];

/** Human-readable name of each score (figure axes and tables). */
export const UNIT_SCORE_LABELS: Record<UnitScoreName, string> = {
  mcc: 'best |corr| with a true feature (MCC)',
  dictionary: 'best |cos| with a true atom (dictionary recovery)',
  selectivity: 'class selectivity index',
  probing: 'sparse probe accuracy (held out)',
  twoAfc: '2AFC score (pixel judge)',
  mis: 'MIS proxy (pixel judge)',
  intrusion: 'image intrusion (pixel judge)',
};

/** One scored unit. */
export type UnitScoreRow = { representation: string; unit: number } & Record<UnitScoreName, number>;

/**
 * What {@link scoreUnitSets} needs of the examples: labels (B) and C classes, images (B×P) for the
 * judge, and optionally the ground truth (codes Z B×N, atoms D N×M) for MCC and dictionary recovery
 * (planted data; without it those scores are NaN). {@link LabelledPlantedData} is one.
 */
export interface ScoringData {
  labels: Int32Array;
  classes: number;
  images: Matrix;
  Z?: Matrix;
  D?: Matrix;
}

/** Options of {@link scoreUnitSets}. */
export interface ScoreOptions {
  /** Fraction of examples in a unit's top (and bottom) pool for 2AFC, MIS and intrusion (default 0.1: deciles). */
  quantile?: number;
  /** Top pools only hold examples where the unit is active (see {@link PsychophysicsOptions.activeOnly}; default false). */
  activeOnly?: boolean;
  /** Judge of the psychophysics scores: cosine of the images ('pixels', default: a proxy) or same label ('labels': exact). */
  judge?: 'pixels' | 'labels';
  /** Tasks per unit for 2AFC, MIS and intrusion (default 20). */
  tasks?: number;
  /** Examples shown in an intrusion task besides the intruder (default 5: chance 1/6). */
  shown?: number;
  seed?: number;
}

/** Representation-level scores (one number per unit set). */
export interface RepresentationScores {
  representation: string;
  units: number;
  /** Hungarian-matched code MCC against the true codes (mean over the N true features). */
  mcc: number;
  /** Hungarian-matched mean |cos| of the true atoms with the unit directions. */
  dictionaryMatched: number;
  /** Mean over classes of the held-out accuracy of the best single unit (balanced one-vs-rest concepts, chance 0.5). */
  sparseProbing: number;
}

/** Result of {@link scoreUnitSets}. */
export interface ScoredUnits {
  rows: UnitScoreRow[];
  representations: RepresentationScores[];
  /** Chance level of each score: analytic where the score defines one, else the mean of the shuffled null. */
  chance: Record<UnitScoreName, number>;
  /** Whether each chance level is analytic ('analytic') or measured on the shuffled null ('null'). */
  chanceKind: Record<UnitScoreName, 'analytic' | 'null'>;
}

/** Balanced one-vs-rest concept sets, one per class: all examples of the class and as many others, each split in halves. */
function balancedConcepts(labels: Int32Array, classes: number, seed: number): { idx: Int32Array; y: Uint8Array; train: Int32Array; test: Int32Array }[] {
  const rng = new Rng(seed);
  const out = [];
  for (let c = 0; c < classes; c++) {
    const pos: number[] = [], neg: number[] = [];
    labels.forEach((l, i) => (l === c ? pos : neg).push(i));
    if (pos.length < 2) continue;
    const pick = rng.choice(neg.length, Math.min(pos.length, neg.length));
    const idx = Int32Array.from([...pos, ...Array.from(pick, (q) => neg[q])]);
    const y = Uint8Array.from(idx, (i) => (labels[i] === c ? 1 : 0));
    // Stratified halves: with a plain random split the train side's class imbalance is mirrored on the test
    // side, and picking the class with the best training accuracy would then push a null unit below chance.
    const np = pos.length, nn = pick.length;
    const sp = trainTestSplit(np, 0.5, seed + 1 + c), sn = trainTestSplit(nn, 0.5, seed + 1001 + c);
    const train = Int32Array.from([...sp.train, ...Array.from(sn.train, (q) => np + q)]);
    const test = Int32Array.from([...sp.test, ...Array.from(sn.test, (q) => np + q)]);
    out.push({ idx, y, train, test });
  }
  return out;
}

/**
 * Score every unit of every set with every metric (B examples of `data`):
 * - mcc: max over true features of |Pearson r| between the unit and the true code;
 * - dictionary: max over true atoms of |cos| with the unit's direction;
 * - selectivity: class selectivity index (Morcos et al. 2018) with the sample labels;
 * - probing: for each class, a balanced one-vs-rest concept; the unit's best threshold is fitted on
 *   half of it; the class with the best training accuracy is kept and its held-out accuracy reported (chance 0.5);
 * - twoAfc, mis, intrusion: {@link twoAfcScore}, {@link misProxyScore} (α = 0.16), {@link imageIntrusionScore}
 *   with the judge's similarity = cosine of the images ('pixels', a proxy) or label equality.
 * Plus representation-level MCC, matched dictionary cosine and sparse probing (best unit per concept).
 */
export function scoreUnitSets(data: ScoringData, sets: UnitSet[], opts: ScoreOptions = {}): ScoredUnits {
  if (!sets.length) throw new ValueError('scoreUnitSets: pass at least one unit set');
  const seed = opts.seed ?? 0, tasks = opts.tasks ?? 20, shown = opts.shown ?? 5;
  const B = data.labels.length;
  if (data.images.rows !== B) throw new ValueError(`scoreUnitSets: ${data.images.rows} images but ${B} labels`);
  const truth = data.Z && data.D ? { Z: data.Z, D: data.D } : null;
  const quantile = opts.quantile, activeOnly = opts.activeOnly;
  for (const s of sets) if (s.acts.rows !== B) throw new ValueError(`scoreUnitSets: '${s.name}' has activations for ${s.acts.rows} examples but the data has ${B}`);
  const sim: Similarity = (opts.judge ?? 'pixels') === 'pixels' ? cosineSimilarity(data.images) : labelSimilarity(data.labels);
  const concepts = balancedConcepts(data.labels, data.classes, seed + 17);
  const rows: UnitScoreRow[] = [];
  const reps: RepresentationScores[] = [];
  for (const s of sets) {
    const U = s.acts.cols;
    const corr = truth ? crossCorrelation(truth.Z, s.acts) : null; // N×U
    const cos = truth ? cosineMatrix(truth.D, s.directions) : null; // N×U
    const best = (m: Matrix<Float64Array>) => Float64Array.from({ length: U }, (_, u) => {
      let v = 0;
      for (let i = 0; i < m.rows; i++) v = Math.max(v, Math.abs(m.data[i * U + u]));
      return v;
    });
    const nan = new Float64Array(U).fill(NaN);
    const mccU = corr ? best(corr) : nan, dictU = cos ? best(cos) : nan;
    const sel = classSelectivity(s.acts, data.labels).perUnit;
    const probe = new Float64Array(U);
    for (let u = 0; u < U; u++) {
      let bestTrain = -1, bestTest = NaN;
      for (const c of concepts) {
        const v = Float64Array.from(c.train, (q) => s.acts.data[c.idx[q] * U + u]);
        const y = Uint8Array.from(c.train, (q) => c.y[q]);
        const st = fitStump(v, y);
        if (st.accuracy > bestTrain) {
          bestTrain = st.accuracy;
          let ok = 0;
          for (const q of c.test) {
            const z = s.acts.data[c.idx[q] * U + u];
            if (Number(st.positiveAbove ? z > st.threshold : z <= st.threshold) === c.y[q]) ok++;
          }
          bestTest = ok / c.test.length;
        }
      }
      probe[u] = bestTest;
    }
    const afc = twoAfcScore(s.acts, sim, { tasks, quantile, activeOnly, seed: seed + 1 }).perUnit;
    const mis = misProxyScore(s.acts, sim, { tasks, quantile, activeOnly, seed: seed + 2 }).perUnit;
    const intr = imageIntrusionScore(s.acts, sim, { tasks, quantile, activeOnly, shown, seed: seed + 3 }).perUnit;
    for (let u = 0; u < U; u++) {
      rows.push({ representation: s.name, unit: u, mcc: mccU[u], dictionary: dictU[u], selectivity: sel[u], probing: probe[u], twoAfc: afc[u], mis: mis[u], intrusion: intr[u] });
    }
    let sp = 0;
    for (const c of concepts) {
      const sub = selectRows(s.acts, c.idx);
      sp += sparseProbing(sub, c.y, { seed: seed + 5 }).testAccuracy;
    }
    reps.push({ representation: s.name, units: U, mcc: corr ? matchedSimilarity(corr).mcc : NaN, dictionaryMatched: cos ? matchedSimilarity(cos).mcc : NaN, sparseProbing: sp / concepts.length });
  }
  const nullRows = rows.filter((r) => r.representation === 'shuffled (null)');
  const nullMean = (k: UnitScoreName) => meanOf(nullRows.map((r) => r[k]));
  const analytic: Partial<Record<UnitScoreName, number>> = { probing: 0.5, twoAfc: 0.5, mis: 0.5, intrusion: 1 / (shown + 1) };
  const chance = {} as Record<UnitScoreName, number>, chanceKind = {} as Record<UnitScoreName, 'analytic' | 'null'>;
  for (const k of UNIT_SCORES) {
    chance[k] = analytic[k] ?? nullMean(k);
    chanceKind[k] = analytic[k] !== undefined ? 'analytic' : 'null';
  }
  return { rows, representations: reps, chance, chanceKind };
}

function meanOf(v: number[]): number {
  const f = v.filter((x) => !Number.isNaN(x));
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
}

/** Mean of `values` (NaN entries dropped) with a percentile bootstrap confidence interval. */
export interface BootstrapCi { mean: number; lo: number; hi: number; n: number }

/**
 * Percentile bootstrap of the mean over `values` (e.g. per-unit scores; NaN entries are dropped):
 * `reps` (default 2000) resamples with replacement, interval [(1−level)/2, (1+level)/2] quantiles
 * (level default 0.95). Seeded. With fewer than 2 values the interval is [mean, mean].
 */
export function bootstrapMeanCi(values: ArrayLike<number>, opts: { reps?: number; level?: number; seed?: number } = {}): BootstrapCi {
  const v = Array.from(values).filter((x) => !Number.isNaN(x));
  const reps = checkInt('bootstrapMeanCi: reps', opts.reps ?? 2000, 1);
  const level = checkNumber('bootstrapMeanCi: level', opts.level ?? 0.95, 0, 1);
  const n = v.length;
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN, n };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, lo: mean, hi: mean, n };
  const rng = new Rng(opts.seed ?? 0);
  const means = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[rng.int(n)];
    means[r] = s / n;
  }
  means.sort();
  const q = (p: number) => means[Math.min(reps - 1, Math.max(0, Math.floor(p * reps)))];
  return { mean, lo: q((1 - level) / 2), hi: q((1 + level) / 2), n };
}

/** One row of {@link summariseScores}: mean score of a representation with its bootstrap CI over units. */
export interface ScoreSummaryRow { representation: string; score: UnitScoreName; mean: number; lo: number; hi: number; units: number; chance: number }

/** Mean and bootstrap CI over units of every score of every representation (order of first appearance). */
export function summariseScores(scored: ScoredUnits, opts: { reps?: number; level?: number; seed?: number } = {}): ScoreSummaryRow[] {
  const names = Array.from(new Set(scored.rows.map((r) => r.representation)));
  const out: ScoreSummaryRow[] = [];
  for (const score of UNIT_SCORES) {
    names.forEach((name, i) => {
      const ci = bootstrapMeanCi(scored.rows.filter((r) => r.representation === name).map((r) => r[score]), { ...opts, seed: (opts.seed ?? 0) + 31 * i });
      out.push({ representation: name, score, mean: ci.mean, lo: ci.lo, hi: ci.hi, units: ci.n, chance: scored.chance[score] });
    });
  }
  return out;
}

/**
 * Spearman rank correlations between the scores across units (S×S, S = UNIT_SCORES.length), over the
 * rows given (units with a NaN score are left out). Returns the matrix and the number of units used.
 */
export function scoreRankCorrelations(rows: UnitScoreRow[]): { scores: UnitScoreName[]; rho: number[][]; units: number } {
  const ok = rows.filter((r) => UNIT_SCORES.every((k) => !Number.isNaN(r[k])));
  if (ok.length < 3) throw new ValueError(`scoreRankCorrelations: need at least 3 units with every score defined, got ${ok.length}`);
  const S = UNIT_SCORES.length;
  const T = matrix(ok.length, S, Float64Array.from(ok.flatMap((r) => UNIT_SCORES.map((k) => r[k]))));
  const R = crossCorrelation(T, T, 'spearman');
  const rho = Array.from({ length: S }, (_, i) => Array.from({ length: S }, (_, j) => R.data[i * S + j]));
  return { scores: [...UNIT_SCORES], rho, units: ok.length };
}

/** The `count` most activating examples of unit `u` (indices, most activating first; ties by index). */
export function topActivatingExamples(acts: Matrix, u: number, count: number): Int32Array {
  checkInt('unit', u, 0, acts.cols - 1);
  checkInt('count', count, 1, acts.rows);
  return unitExtremes(acts, u, count).top;
}

/** Options of {@link interpretabilityExperiment}. */
export interface InterpretabilityExperimentOptions extends Omit<LabelledPlantedOptions, 'samples'> {
  /** Samples scored (B) and samples the dictionary and PCA are learned on. */
  samples: number;
  trainSamples: number;
  dlIterations?: number;
  tasks?: number;
  shown?: number;
  judge?: 'pixels' | 'labels';
  /** Bootstrap resamples for the CIs (default 2000). */
  reps?: number;
}

/** Result of {@link interpretabilityExperiment}. */
export interface InterpretabilityExperiment {
  data: LabelledPlantedData;
  sets: UnitSet[];
  scored: ScoredUnits;
  summary: ScoreSummaryRow[];
  seconds: { learn: number; score: number };
}

/**
 * Notebook 05 in one call: draw scored and training data from the same features, build the unit sets
 * ({@link interpretabilityUnitSets}), score them ({@link scoreUnitSets}) and summarise with bootstrap CIs.
 */
export function interpretabilityExperiment(o: InterpretabilityExperimentOptions): InterpretabilityExperiment {
  const data = labelledPlantedData({ ...o, samples: o.samples });
  const train = labelledPlantedData({ ...o, samples: o.trainSamples, seed: o.seed + 1000, dictionary: data.D });
  const t0 = performance.now();
  const sets = interpretabilityUnitSets(data, { train, dlIterations: o.dlIterations, seed: o.seed });
  const t1 = performance.now();
  const scored = scoreUnitSets(data, sets, { judge: o.judge, tasks: o.tasks, shown: o.shown, seed: o.seed });
  const summary = summariseScores(scored, { reps: o.reps, seed: o.seed });
  return { data, sets, scored, summary, seconds: { learn: (t1 - t0) / 1000, score: (performance.now() - t1) / 1000 } };
}
