/**
 * Psychophysics-style interpretability scores per unit, with a machine judge and a pluggable
 * similarity (after Borowski et al. 2021, Zimmermann, Klindt & Brendel 2024, and word/image intrusion
 * of Chang et al. 2009). Activations `acts` are B×N (B examples, N units); a {@link Similarity}
 * compares examples by index. All scores are seeded; each returns per-unit scores and their mean.
 */
import { Matrix, MatrixLike } from '../core/matrix';
import { checkInt, checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';
import { checkMatrix64 } from './input';
import { Rng } from '../core/rng';
import { Similarity, meanSim } from './similarity';
import { UnitExtremes, unitExtremes, unitList } from './ranking';

/** Per-unit scores and their mean; `chance` is the score of a judge guessing at random. */
export interface UnitScores {
  mean: number;
  perUnit: Float64Array;
  /** Units scored (indices into the N columns of acts), aligned with perUnit. */
  units: Int32Array;
  chance: number;
}

/** Options shared by the scores. */
export interface PsychophysicsOptions {
  /** Number of tasks (trials) per unit (default 20). */
  tasks?: number;
  /** Fraction of examples forming a unit's "top" (and "bottom") pool (default 0.1: deciles). */
  quantile?: number;
  /** Seed (default 0). */
  seed?: number;
  /** Score only these units (default all N). */
  units?: ArrayLike<number>;
  /**
   * Restrict a unit's top pool to examples where it is active (activation above its minimum over the B
   * examples), default false. For sparse units (dictionary features, ReLU neurons) the top quantile can
   * otherwise be padded with inactive examples (ties, ordered by index), which then serve as "top" queries.
   * A unit needs twice as many active examples as a task draws from its top pool (2AFC and MIS: 2 ×
   * references; intrusion: 2 × shown), so that its tasks can differ; otherwise it scores NaN (left out of the mean).
   */
  activeOnly?: boolean;
}

function setup(fn: string, acts: MatrixLike, sim: Similarity, opts: PsychophysicsOptions, needed: number, twoSided: boolean) {
  const A = checkMatrix64(`${fn}: acts (B×N activations)`, acts, { names: ['B', 'N'] });
  if (typeof sim !== 'function') throw new ValueError(`${fn}: similarity must be a function (i, j) => number, e.g. cosineSimilarity(embeddings) or labelSimilarity(labels)`);
  const tasks = checkInt(`${fn}: tasks`, opts.tasks ?? 20, 1);
  const quantile = checkNumber(`${fn}: quantile`, opts.quantile ?? 0.1, 0, 0.5);
  const pool = Math.ceil(quantile * A.rows);
  if (pool < needed) {
    throw new ValueError(`${fn}: the top ${quantile} of ${A.rows} examples is ${pool} examples but a task needs ${needed}; use more examples or a larger quantile`);
  }
  if (twoSided && 2 * pool > A.rows) throw new ValueError(`${fn}: top and bottom pools overlap (${pool} each of ${A.rows} examples); use a smaller quantile`);
  const units = unitList(A.cols, opts.units, fn);
  return { A, tasks, pool, units, rng: new Rng(opts.seed ?? 0), activeOnly: opts.activeOnly ?? false };
}

function summary(perUnit: Float64Array, units: Int32Array, chance: number): UnitScores {
  let s = 0, n = 0;
  for (const v of perUnit) if (!Number.isNaN(v)) { s += v; n++; }
  return { mean: n ? s / n : NaN, perUnit, units, chance };
}

/**
 * Size of unit u's top pool: `pool`, or with `activeOnly` the number of its first `pool` top examples
 * whose activation is above the unit's minimum (bottom[0]).
 */
function topPool(A: Matrix, u: number, ext: UnitExtremes, pool: number, activeOnly: boolean): number {
  if (!activeOnly) return pool;
  const N = A.cols, floor = A.data[ext.bottom[0] * N + u];
  let p = 0;
  while (p < pool && A.data[ext.top[p] * N + u] > floor) p++;
  return p;
}

/** Δ = [s(q⁺,E⁺) − s(q⁺,E⁻)] − [s(q⁻,E⁺) − s(q⁻,E⁻)]: > 0 when the queries are assigned correctly. */
function delta(sim: Similarity, qp: number, qm: number, Ep: ArrayLike<number>, Em: ArrayLike<number>): number {
  return (meanSim(sim, qp, Ep) - meanSim(sim, qp, Em)) - (meanSim(sim, qm, Ep) - meanSim(sim, qm, Em));
}

/**
 * Two-alternative forced choice (2AFC) per unit, machine judge (Borowski et al. 2021 task).
 *
 * For unit u, rank the B examples by activation (descending, ties by index). References: E⁺ = the
 * `references` (default 9) most activating examples, E⁻ = the `references` least activating. Query
 * pools: the rest of the top `quantile` (ranks references+1 … ⌈quantile·B⌉ from the top) and likewise
 * from the bottom. Each of `tasks` trials draws q⁺ and q⁻ uniformly from these pools; the judge
 * assigns the queries to the reference sets by mean similarity, correct iff
 * Δ = [s(q⁺,E⁺) − s(q⁺,E⁻)] − [s(q⁻,E⁺) − s(q⁻,E⁻)] > 0 (Δ = 0 scores ½), with s(q, E) the mean of
 * sim(q, e) over e ∈ E. Score of a unit = fraction correct in [0, 1]; **chance 0.5**.
 */
export function twoAfcScore(acts: MatrixLike, similarity: Similarity, opts: PsychophysicsOptions & { references?: number } = {}): UnitScores {
  const nRef = checkInt('twoAfcScore: references', opts.references ?? 9, 1);
  const { A, tasks, pool, units, rng, activeOnly } = setup('twoAfcScore', acts, similarity, opts, nRef + 1, true);
  const perUnit = new Float64Array(units.length);
  units.forEach((u, k) => {
    const ext = unitExtremes(A, u, pool), { top, bottom } = ext;
    const pTop = topPool(A, u, ext, pool, activeOnly);
    if (pTop < (activeOnly ? 2 * nRef : nRef + 1)) { perUnit[k] = NaN; return; }
    const Ep = top.subarray(0, nRef), Em = bottom.subarray(0, nRef);
    let correct = 0;
    for (let t = 0; t < tasks; t++) {
      const qp = top[nRef + rng.int(pTop - nRef)];
      const qm = bottom[nRef + rng.int(pool - nRef)];
      const d = delta(similarity, qp, qm, Ep, Em);
      correct += d > 0 ? 1 : d === 0 ? 0.5 : 0;
    }
    perUnit[k] = correct / tasks;
  });
  return summary(perUnit, units, 0.5);
}

/** MIS per unit (the soft score) with the hard 2AFC accuracy of the same tasks beside it. */
export interface MisScores extends UnitScores {
  /** Per unit, the fraction of the same tasks with Δ > 0 (Δ = 0 counts ½): the τ → 0 limit of the MIS; chance 0.5. */
  hard: UnitScores;
  /** The temperature τ used. */
  tau: number;
}

/**
 * Machine Interpretability Score, proxy form (after Zimmermann, Klindt & Brendel, NeurIPS 2024).
 *
 * For unit u and each of `tasks` (default 20) tasks: draw `references + 1` (default 10) examples
 * uniformly without replacement from the unit's top `quantile` (default decile) and as many from its
 * bottom quantile. The `references` most activating of the top draw form E⁺ and the remaining one is
 * q⁺; the `references` least activating of the bottom draw form E⁻ and the remaining one is q⁻. With
 * Δ = [s(q⁺,E⁺) − s(q⁺,E⁻)] − [s(q⁻,E⁺) − s(q⁻,E⁻)] as in {@link twoAfcScore}, the task scores σ(Δ/τ) (σ the
 * logistic function, temperature τ default 0.16); the unit's score is the mean over tasks, in (0, 1), **chance
 * 0.5** (Δ symmetric about 0). `hard` holds the hard 2AFC accuracy of the same tasks (1 if Δ > 0, ½ if Δ = 0,
 * else 0), the τ → 0 limit; `tau: 0` makes the soft score equal to it.
 *
 * The form σ(Δ/τ) is inferred, not quoted: the reference code's defaults are K = 9 explanations, N = 20 tasks
 * and quantile 0.1, and published scores lie in 0.8–0.95. With |Δ| ≤ 2 (cosine or label similarity) the
 * alternative reading σ(0.16·Δ) would confine every score to σ(±0.32) = [0.42, 0.58], so 0.16 must act as a
 * temperature. Because τ's calibration is inferred, report `hard` next to the score.
 *
 * The published MIS uses DreamSim embeddings (calibrated to human judgements); with any other similarity
 * (pixels, labels, a small CNN) this is a **proxy**: its absolute values are not comparable to the paper's
 * DreamSim-based numbers; compare units and models under one similarity.
 */
export function misProxyScore(acts: MatrixLike, similarity: Similarity, opts: PsychophysicsOptions & { references?: number; tau?: number } = {}): MisScores {
  const nRef = checkInt('misProxyScore: references', opts.references ?? 9, 1);
  if ('alpha' in opts) throw new ValueError('misProxyScore: the option alpha is gone; the score is σ(Δ/τ): pass tau (default 0.16), the temperature');
  const tau = checkNumber('misProxyScore: tau (temperature)', opts.tau ?? 0.16, 0);
  const { A, tasks, pool, units, rng, activeOnly } = setup('misProxyScore', acts, similarity, opts, nRef + 1, true);
  const perUnit = new Float64Array(units.length);
  const hardPerUnit = new Float64Array(units.length);
  units.forEach((u, k) => {
    const ext = unitExtremes(A, u, pool), { top, bottom } = ext;
    const pTop = topPool(A, u, ext, pool, activeOnly);
    if (pTop < (activeOnly ? 2 * nRef : nRef + 1)) { perUnit[k] = NaN; hardPerUnit[k] = NaN; return; }
    let s = 0, hard = 0;
    for (let t = 0; t < tasks; t++) {
      // Ranks drawn within each pool; sorting the ranks orders the draw by activation (most extreme first).
      const rt = Array.from(rng.choice(pTop, nRef + 1)).sort((a, b) => a - b);
      const rb = Array.from(rng.choice(pool, nRef + 1)).sort((a, b) => a - b);
      const Ep = rt.slice(0, nRef).map((r) => top[r]), qp = top[rt[nRef]];
      const Em = rb.slice(0, nRef).map((r) => bottom[r]), qm = bottom[rb[nRef]];
      const d = delta(similarity, qp, qm, Ep, Em);
      const step = d > 0 ? 1 : d === 0 ? 0.5 : 0;
      hard += step;
      s += tau === 0 ? step : 1 / (1 + Math.exp(-d / tau));
    }
    perUnit[k] = s / tasks;
    hardPerUnit[k] = hard / tasks;
  });
  return { ...summary(perUnit, units, 0.5), hard: summary(hardPerUnit, units, 0.5), tau };
}

/**
 * Image intrusion per unit (after word intrusion, Chang et al. 2009), machine judge.
 *
 * For unit u and each of `tasks` trials: draw `shown` (default 5) examples uniformly without
 * replacement from u's top `quantile`; draw another unit v ≠ u uniformly (among all N units) and an
 * intruder uniformly from v's top quantile among the examples on which u's activation is at most its
 * (lower) median (up to 100 draws; a task with no such intruder is skipped). The judge picks the example whose mean
 * similarity to the other `shown` examples is lowest; ties split the credit. Score = fraction of
 * tasks where the intruder is picked; **chance 1/(shown + 1)**. A unit with no valid task scores NaN.
 * Needs N ≥ 2.
 */
export function imageIntrusionScore(acts: MatrixLike, similarity: Similarity, opts: PsychophysicsOptions & { shown?: number } = {}): UnitScores {
  const shown = checkInt('imageIntrusionScore: shown', opts.shown ?? 5, 2);
  const { A, tasks, pool, units, rng, activeOnly } = setup('imageIntrusionScore', acts, similarity, opts, shown, false);
  const N = A.cols;
  if (N < 2) throw new ValueError('imageIntrusionScore: needs at least 2 units (intruders come from another unit)');
  const cache = new Map<number, UnitExtremes & { pTop: number }>();
  const extremes = (u: number): UnitExtremes & { pTop: number } => {
    let e = cache.get(u);
    if (!e) { const x = unitExtremes(A, u, pool); e = { ...x, pTop: topPool(A, u, x, pool, activeOnly) }; cache.set(u, e); }
    return e;
  };
  const perUnit = new Float64Array(units.length);
  units.forEach((u, k) => {
    const { top, median, pTop } = extremes(u);
    if (pTop < (activeOnly ? 2 * shown : shown)) { perUnit[k] = NaN; return; }
    let correct = 0, done = 0;
    for (let t = 0; t < tasks; t++) {
      const set = Array.from(rng.choice(pTop, shown), (r) => top[r]);
      let v = rng.int(N - 1);
      if (v >= u) v++;
      const ev = extremes(v), tv = ev.top;
      if (ev.pTop < 1) continue;
      let intruder = -1;
      for (let tries = 0; tries < 100 && intruder < 0; tries++) {
        const cand = tv[rng.int(ev.pTop)];
        if (A.data[cand * N + u] <= median) intruder = cand;
      }
      if (intruder < 0) continue;
      set.push(intruder);
      // Odd one out: lowest mean similarity to the others.
      let lowest = Infinity;
      const scores = set.map((i) => {
        let s = 0;
        for (const j of set) if (j !== i) s += similarity(i, j);
        return s / shown;
      });
      for (const s of scores) if (s < lowest) lowest = s;
      const tied = scores.filter((s) => s === lowest).length;
      if (scores[shown] === lowest) correct += 1 / tied;
      done++;
    }
    perUnit[k] = done ? correct / done : NaN;
  });
  return summary(perUnit, units, 1 / (shown + 1));
}
