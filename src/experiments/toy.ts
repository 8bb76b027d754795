/**
 * The toy-model experiments of Elhage et al. 2022 (notebook 01), one function each. Each returns plain
 * data (arrays of records, W as nested arrays) and per-step histories; no plotting. `quick: true` picks
 * small sizes that run in seconds to tens of seconds on 2 cores; every size can be overridden.
 */
import { ValueError } from '../core/errors';
import { toRows } from '../core/matrix';
import { checkInt } from '../core/validate';
import { trainToyModels, ToyTrainResult } from '../toy/model';
import {
  classifyFeatures, countRepresented, dimensionsPerFeature, featureDimensionality, featureGram, featureNorms,
  featureSuperposition, fractionLines, FractionLineRow, FeatureRepresentation,
} from '../toy/analysis';
import { phaseDiagramTheory, PhaseTheoryCell } from '../toy/theory';

/** Training options shared by the toy experiments. */
export interface ToyRunOptions {
  /** Quick (small, seconds) or full (reference sizes) defaults. Default false. */
  quick?: boolean;
  steps?: number;
  batch?: number;
  lr?: number;
  seed?: number;
  progress?: boolean;
}

function run(o: ToyRunOptions, quickSteps: number, quickBatch: number): { steps: number; batch: number; lr: number; seed: number; progress: boolean } {
  return {
    steps: o.steps ?? (o.quick ? quickSteps : 10_000),
    batch: o.batch ?? (o.quick ? quickBatch : 1024),
    lr: o.lr ?? 1e-3, seed: o.seed ?? 0, progress: o.progress ?? true,
  };
}

/** Loss history as rows {step, instance, loss}. */
function historyRows(r: ToyTrainResult, key: (s: number) => Record<string, number | string>): Record<string, number | string>[] {
  const out: Record<string, number | string>[] = [];
  r.history.step.forEach((step, k) => r.history.loss[k].forEach((loss, s) => out.push({ step, ...key(s), loss })));
  return out;
}

/** Per-feature rows of one trained model. */
function featureRows(W: Parameters<typeof featureNorms>[0], importance: number[], extra: Record<string, number | string>) {
  const norm = featureNorms(W), sup = featureSuperposition(W), dim = featureDimensionality(W);
  const cls = classifyFeatures(W);
  return importance.map((imp, i) => ({ ...extra, feature: i, importance: imp, norm: norm[i], superposition: sup[i], dimensionality: dim[i], representation: cls[i] }));
}

// ---------------------------------------------------------------------------------------------------
/** Result of {@link toyDirectionsExperiment}. */
export interface ToyDirectionsResult {
  /**
   * One panel per feature density: the learned 2-D directions (n rows of [x, y]), bias and loss of the
   * lowest-loss replicate, and the evaluation loss of every replicate (in seed order).
   */
  panels: { featureProbability: number; sparsity: number; W: number[][]; b: number[]; loss: number; replicateLosses: number[] }[];
  /** Per feature and density (kept replicate): norm, superposition, dimensionality, representation. */
  features: Record<string, number | string>[];
  /** Batch losses of every replicate, rows {step, featureProbability, replicate, loss}. */
  history: Record<string, number | string>[];
  seconds: number;
}

/** Index of the smallest entry of `xs` (the first on ties). */
function argMin(xs: number[]): number {
  let k = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] < xs[k]) k = i;
  return k;
}

/**
 * (a) n=5 features in m=2 dimensions, importance 0.9^i, feature probability 20^(−t) for t in `points`
 * equal steps from 0 to 1 (default 10): the learned feature directions in the plane, per density.
 * Each density is trained `replicates` times from different initial W (default 8, quick 4; all instances
 * trained together) and the replicate with the lowest evaluation loss is kept, as Elhage et al. do: a single
 * run can settle in a local minimum that stores one feature too few.
 */
export async function toyDirectionsExperiment(o: ToyRunOptions & { n?: number; m?: number; points?: number; importanceDecay?: number; replicates?: number } = {}): Promise<ToyDirectionsResult> {
  const r = run(o, 3000, 256);
  const n = checkInt('n', o.n ?? 5, 1), m = checkInt('m', o.m ?? 2, 1), pts = checkInt('points', o.points ?? 10, 1);
  const reps = checkInt('replicates', o.replicates ?? (o.quick ? 4 : 8), 1);
  const decay = o.importanceDecay ?? 0.9;
  const probs = Array.from({ length: pts }, (_, k) => 20 ** (-(pts === 1 ? 0 : k / (pts - 1))));
  const importance = Array.from({ length: n }, (_, i) => decay ** i);
  // instance p·reps + j: density p, replicate j
  const res = await trainToyModels({ n, m, featureProbability: probs.flatMap((p) => Array(reps).fill(p)), importance, ...r, evalSamples: 32_768 });
  const kept = probs.map((_, p) => {
    const group = res.instances.slice(p * reps, (p + 1) * reps);
    const losses = group.map((ins) => ins.loss);
    return { ins: group[argMin(losses)], losses };
  });
  return {
    panels: kept.map(({ ins, losses }, p) => ({ featureProbability: probs[p], sparsity: 1 - probs[p], W: toRows(ins.W), b: Array.from(ins.b), loss: ins.loss, replicateLosses: losses })),
    features: kept.flatMap(({ ins }, p) => featureRows(ins.W, importance, { featureProbability: probs[p], sparsity: 1 - probs[p] })),
    history: historyRows(res, (s) => ({ featureProbability: probs[Math.floor(s / reps)], replicate: s % reps })),
    seconds: res.seconds,
  };
}

// ---------------------------------------------------------------------------------------------------
/** Result of {@link toySparsitySweep}. */
export interface ToySweepResult {
  /** One row per (activation, importance decay, sparsity): features with ‖W_i‖>0.5, D* = m/‖W‖²_F, loss. */
  models: { activation: 'relu' | 'linear'; importanceDecay: number; sparsity: number; featureProbability: number; represented: number; dimsPerFeature: number; loss: number }[];
  /** One row per feature of every model: norm, superposition, dimensionality, representation. */
  features: Record<string, number | string>[];
  /** WᵀW (n×n, nested arrays) per model, in the order of `models`. */
  gram: number[][][];
  history: Record<string, number | string>[];
  seconds: number;
}

/**
 * (b) n=20, m=5, importance decay^i: a sweep over sparsity S (default 0, .7, .9, .97, .99, .997, .999)
 * and importance decay (default [0.7]) for the ReLU model and the linear baseline, all instances in one
 * batched model per activation.
 */
export async function toySparsitySweep(o: ToyRunOptions & { n?: number; m?: number; sparsities?: number[]; importanceDecays?: number[]; activations?: ('relu' | 'linear')[] } = {}): Promise<ToySweepResult> {
  const r = run(o, 3000, 256);
  const n = checkInt('n', o.n ?? 20, 1), m = checkInt('m', o.m ?? 5, 1);
  const S = o.sparsities ?? [0, 0.7, 0.9, 0.97, 0.99, 0.997, 0.999];
  const decays = o.importanceDecays ?? [0.7];
  S.forEach((s) => { if (!(s >= 0 && s < 1)) throw new ValueError(`sparsities must lie in [0, 1), got ${s}`); });
  decays.forEach((d) => { if (!(d > 0)) throw new ValueError(`importanceDecays must be positive, got ${d}`); });
  const cells = decays.flatMap((d) => S.map((s) => ({ d, s })));
  const out: ToySweepResult = { models: [], features: [], gram: [], history: [], seconds: 0 };
  for (const activation of o.activations ?? ['relu', 'linear'] as const) {
    const res = await trainToyModels({
      n, m, activation, ...r,
      featureProbability: cells.map((c) => Array(n).fill(1 - c.s)),
      importance: cells.map((c) => Array.from({ length: n }, (_, i) => c.d ** i)),
    });
    res.instances.forEach((ins, k) => {
      const { d, s } = cells[k];
      out.models.push({ activation, importanceDecay: d, sparsity: s, featureProbability: 1 - s, represented: countRepresented(ins.W), dimsPerFeature: dimensionsPerFeature(ins.W), loss: ins.loss });
      out.features.push(...featureRows(ins.W, ins.importance, { activation, importanceDecay: d, sparsity: s }));
      out.gram.push(toRows(featureGram(ins.W)));
    });
    out.history.push(...historyRows(res, (k) => ({ activation, importanceDecay: cells[k].d, sparsity: cells[k].s })));
    out.seconds += res.seconds;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
/** Result of {@link toyUniformExperiment}. */
export interface ToyUniformResult {
  /** Per feature probability: 1/(1−S) = 1/p, dimensions per feature D* and features learned. */
  levels: { featureProbability: number; inverseDensity: number; dimsPerFeature: number; represented: number; loss: number }[];
  /** Per feature of every level: dimensionality D_i (and norm). */
  features: { featureProbability: number; feature: number; norm: number; dimensionality: number }[];
  /** Line-existence test over all learned features (‖W_i‖>0.5) of all levels, control windows half-way between the lines. */
  lines: FractionLineRow[];
  history: Record<string, number | string>[];
  seconds: number;
}

/**
 * (c) uniform importance: n features (default 200; quick 60) in m dims (default 20; quick 6),
 * `levels` feature probabilities p_k = 20^(−k/(levels−1)) (default 20; quick 8): dimensions per
 * feature against 1/(1−S), per-feature dimensionality and whether the fractions 3/4, 2/3, 1/2, 2/5, 3/8
 * stand out as lines.
 */
export async function toyUniformExperiment(o: ToyRunOptions & { n?: number; m?: number; levels?: number; tol?: number } = {}): Promise<ToyUniformResult> {
  const r = run(o, 1500, 128);
  const n = checkInt('n', o.n ?? (o.quick ? 60 : 200), 1), m = checkInt('m', o.m ?? (o.quick ? 6 : 20), 1);
  const L = checkInt('levels', o.levels ?? (o.quick ? 8 : 20), 2);
  const probs = Array.from({ length: L }, (_, k) => 20 ** (-k / (L - 1)));
  const res = await trainToyModels({ n, m, featureProbability: probs, importance: Array(n).fill(1), ...r });
  const features: ToyUniformResult['features'] = [];
  const learnedDims: number[] = [];
  const levels = res.instances.map((ins, s) => {
    const dim = featureDimensionality(ins.W), norm = featureNorms(ins.W);
    for (let i = 0; i < n; i++) {
      features.push({ featureProbability: probs[s], feature: i, norm: norm[i], dimensionality: dim[i] });
      if (norm[i] > 0.5) learnedDims.push(dim[i]);
    }
    return { featureProbability: probs[s], inverseDensity: 1 / probs[s], dimsPerFeature: dimensionsPerFeature(ins.W), represented: countRepresented(ins.W), loss: ins.loss };
  });
  return { levels, features, lines: fractionLines(learnedDims, { tol: o.tol, between: true }), history: historyRows(res, (s) => ({ featureProbability: probs[s] })), seconds: res.seconds };
}

// ---------------------------------------------------------------------------------------------------
/** One cell of the empirical phase diagram beside its theory. */
export interface ToyPhaseCell extends PhaseTheoryCell {
  /** Empirical label (majority over replicates after dropping the worst; ties → the best model's). */
  empirical: FeatureRepresentation;
  /** Labels of all replicates, ordered by loss (best first). */
  replicates: FeatureRepresentation[];
  /** Loss of the best replicate (MC estimate) and the theory's best candidate loss. */
  bestLoss: number;
  agree: boolean;
}

/** Result of {@link toyPhaseDiagram}. */
export interface ToyPhaseResult {
  cells: ToyPhaseCell[];
  /** Fraction of cells where empirical and theoretical labels agree. */
  agreement: number;
  densities: number[];
  importances: number[];
  seconds: number;
}

/**
 * (d) n=2 → m=1 phase diagram: feature 1 has importance 1, feature 2 importance r (default 0.1…10,
 * log-spaced), both density p (default 1…0.01, log-spaced; grid 10×10, quick 5×5); `replicates` models per
 * cell (default 10, quick 3), all trained at once; feature 2 classified per model, the worst replicate dropped, majority
 * label compared with the exact theory ({@link phaseDiagramTheory}).
 */
export async function toyPhaseDiagram(o: PhaseGridOptions = {}): Promise<ToyPhaseResult> {
  const { r, densities, importances, reps } = phaseGrid(o);
  const theory = phaseDiagramTheory(densities, importances);
  const probs: number[][] = [], imps: number[][] = [];
  for (const c of theory) for (let k = 0; k < reps; k++) { probs.push([c.density, c.density]); imps.push([1, c.importance]); }
  const res = await trainToyModels({ n: 2, m: 1, featureProbability: probs, importance: imps, ...r, logEvery: Math.max(1, Math.floor(r.steps / 10)) });
  const cells: ToyPhaseCell[] = theory.map((c, ci) => {
    const v = phaseVote(res.instances.slice(ci * reps, (ci + 1) * reps), 1);
    return { ...c, ...v, agree: v.empirical === c.label };
  });
  return { cells, agreement: cells.filter((c) => c.agree).length / cells.length, densities, importances, seconds: res.seconds };
}

/** Options of a phase diagram: a density × importance grid (log-spaced defaults) and replicate models per cell. */
export type PhaseGridOptions = ToyRunOptions & { densities?: number[]; importances?: number[]; gridSize?: number; replicates?: number };

/** The training budget, the grid's densities (1…0.01) and importances (0.1…10) and the replicates per cell. */
function phaseGrid(o: PhaseGridOptions) {
  const r = run(o, 2500, 256);
  const g = checkInt('gridSize', o.gridSize ?? (o.quick ? 5 : 10), 1);
  const densities = o.densities ?? logspace(0, -2, g);
  const importances = o.importances ?? logspace(-1, 1, g);
  const reps = checkInt('replicates', o.replicates ?? (o.quick ? 3 : 10), 1);
  return { r, densities, importances, reps };
}

/** Log-spaced grid of `g` values from 10^a to 10^b. */
function logspace(a: number, b: number, g: number): number[] {
  return Array.from({ length: g }, (_, k) => 10 ** (a + (g === 1 ? 0 : (b - a) * k / (g - 1))));
}

/**
 * The label of `feature` in one phase-diagram cell from its replicate models: each model's label, ordered by
 * loss (best first), the worst dropped (when there are several), the majority of the rest (ties → the best model's).
 */
function phaseVote(models: ToyTrainResult['instances'], feature: number): { empirical: FeatureRepresentation; replicates: FeatureRepresentation[]; bestLoss: number } {
  const ins = models.slice().sort((a, b) => a.loss - b.loss);
  const labels = ins.map((x) => classifyFeatures(x.W)[feature]);
  const kept = labels.length > 1 ? labels.slice(0, labels.length - 1) : labels;
  const counts = new Map<FeatureRepresentation, number>();
  kept.forEach((l) => counts.set(l, (counts.get(l) ?? 0) + 1));
  const top = Math.max(...counts.values());
  const winners = [...counts.entries()].filter(([, v]) => v === top).map(([k]) => k);
  return { empirical: winners.length === 1 ? winners[0] : labels[0], replicates: labels, bestLoss: ins[0].loss };
}

/** One cell of the empirical n=3 → m=2 phase diagram (label of feature 3). */
export interface ToyPhaseCell3 {
  /** Feature density p (all three features). */
  density: number;
  /** Importance of feature 3 (features 1 and 2 have importance 1). */
  importance: number;
  /** Majority label of feature 3 over the replicates after dropping the worst (ties → the best model's). */
  empirical: FeatureRepresentation;
  /** Labels of all replicates, ordered by loss (best first). */
  replicates: FeatureRepresentation[];
  bestLoss: number;
}

/** Result of {@link toyPhaseDiagram3to2}. */
export interface ToyPhaseResult3 {
  cells: ToyPhaseCell3[];
  densities: number[];
  importances: number[];
  seconds: number;
}

/**
 * (d′) the n=3 → m=2 phase diagram of Elhage et al.: features 1 and 2 have importance 1, feature 3 importance r
 * (default 0.1…10, log-spaced), all three density p (default 1…0.01, log-spaced; grid 10×10, quick 5×5);
 * `replicates` models per cell (default 10, quick 3) trained at once; feature 3 classified per model (not learned,
 * dedicated, superposed — in two dimensions it can share them as a triangle or an antipodal pair), the worst
 * replicate dropped, majority label. Empirical only: no exact theory is computed for this case.
 */
export async function toyPhaseDiagram3to2(o: PhaseGridOptions = {}): Promise<ToyPhaseResult3> {
  const { r, densities, importances, reps } = phaseGrid(o);
  densities.forEach((d) => { if (!(d > 0 && d <= 1)) throw new ValueError(`densities must lie in (0, 1], got ${d}`); });
  importances.forEach((v) => { if (!(v >= 0 && Number.isFinite(v))) throw new ValueError(`importances must be finite and ≥ 0, got ${v}`); });
  const grid = densities.flatMap((density) => importances.map((importance) => ({ density, importance })));
  const probs: number[][] = [], imps: number[][] = [];
  for (const c of grid) for (let k = 0; k < reps; k++) { probs.push([c.density, c.density, c.density]); imps.push([1, 1, c.importance]); }
  const res = await trainToyModels({ n: 3, m: 2, featureProbability: probs, importance: imps, ...r, logEvery: Math.max(1, Math.floor(r.steps / 10)) });
  const cells = grid.map((c, ci) => ({ ...c, ...phaseVote(res.instances.slice(ci * reps, (ci + 1) * reps), 2) }));
  return { cells, densities, importances, seconds: res.seconds };
}
