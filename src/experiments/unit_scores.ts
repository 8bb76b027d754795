/**
 * Every interpretability score of every unit of several unit sets on labelled data (MCC and dictionary
 * recovery against ground truth, class selectivity, sparse probing, 2AFC, MIS proxy, image intrusion), chance
 * levels, bootstrap summaries over units and rank agreement between scores.
 */
import { Rng } from '../core/rng';
import { Matrix, matrix, selectRows } from '../core/matrix';
import { checkInt } from '../core/validate';
import { ValueError } from '../core/errors';
import { crossCorrelation } from '../metrics/correlation';
import { matchedSimilarity } from '../metrics/mcc';
import { cosineMatrix } from '../metrics/dictionary';
import { classSelectivity } from '../metrics/selectivity';
import { fitStump, sparseProbing } from '../metrics/probing';
import { trainTestSplit } from '../metrics/split';
import { cosineSimilarity, labelSimilarity, Similarity } from '../metrics/similarity';
import { twoAfcScore, misProxyScore, imageIntrusionScore } from '../metrics/psychophysics';
import { unitExtremes } from '../metrics/ranking';
import { BootstrapCi, bootstrapMeanCi, nanMean } from '../metrics/bootstrap';
import { UnitSet } from './unit_sets';

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
 * - twoAfc, mis, intrusion: {@link twoAfcScore}, {@link misProxyScore} (σ(Δ/τ) averaged over tasks, temperature
 *   τ = 0.16), {@link imageIntrusionScore}
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
  const nullMean = (k: UnitScoreName) => nanMean(nullRows.map((r) => r[k]));
  const analytic: Partial<Record<UnitScoreName, number>> = { probing: 0.5, twoAfc: 0.5, mis: 0.5, intrusion: 1 / (shown + 1) };
  const chance = {} as Record<UnitScoreName, number>, chanceKind = {} as Record<UnitScoreName, 'analytic' | 'null'>;
  for (const k of UNIT_SCORES) {
    chance[k] = analytic[k] ?? nullMean(k);
    chanceKind[k] = analytic[k] !== undefined ? 'analytic' : 'null';
  }
  return { rows, representations: reps, chance, chanceKind };
}

/** One row of {@link judgedTwoAfc}: a unit set's 2AFC score under one judge (mean over units, bootstrap CI). */
export interface JudgedTwoAfc extends BootstrapCi { representation: string; judge: 'pixels' | 'labels'; perUnit: Float64Array }

/**
 * The 2AFC score ({@link twoAfcScore}) of every unit of every set under one judge — 'labels' (same class = 1:
 * the exact judge) or 'pixels' (image cosine: a proxy) — with the same tasks as {@link scoreUnitSets} given the
 * same options and seed (so only the judge differs), summarised by the mean over scored units with a
 * bootstrap CI (`reps`, default 2000). Units too rare for a task are NaN and left out of the mean (`n` counts
 * the scored ones).
 */
export function judgedTwoAfc(data: ScoringData, sets: UnitSet[], opts: ScoreOptions & { reps?: number } = {}): JudgedTwoAfc[] {
  const judge = opts.judge ?? 'pixels', seed = opts.seed ?? 0;
  if (judge !== 'pixels' && judge !== 'labels') throw new ValueError(`judgedTwoAfc: judge must be 'pixels' or 'labels', got '${String(judge)}'`);
  const sim: Similarity = judge === 'pixels' ? cosineSimilarity(data.images) : labelSimilarity(data.labels);
  return sets.map((s, i) => {
    if (s.acts.rows !== data.labels.length) throw new ValueError(`judgedTwoAfc: '${s.name}' has activations for ${s.acts.rows} examples but the data has ${data.labels.length}`);
    const perUnit = twoAfcScore(s.acts, sim, { tasks: opts.tasks ?? 20, quantile: opts.quantile, activeOnly: opts.activeOnly, seed: seed + 1 }).perUnit;
    return { representation: s.name, judge, perUnit, ...bootstrapMeanCi(perUnit, { reps: opts.reps, seed: seed + 31 * i }) };
  });
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
