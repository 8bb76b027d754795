/**
 * The identifiability experiments (notebook 02), one function each: cross-entropy identifiability
 * (Reizinger et al. 2025) with R² during training and baselines, an ablation table, the InfoNCE route,
 * and the "open bridge" (sparse latents, a classifier layer narrower than the number of latents).
 * Plain data out (records, nested arrays), per-step histories, no plotting. `quick: true` picks small
 * sizes (tens of seconds on 2 cores); every size can be overridden.
 */
import { Rng } from '../core/rng';
import { Matrix, matrix, toRows } from '../core/matrix';
import { checkInt, checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';
import { linearIdentifiability, mcc, RidgeRegression } from '../metrics';
import { createLearner } from '../dictionary';
import { clusterProcess, ClusterProcessOptions, sparseSupportProcess, spherePairs } from '../identifiability/process';
import { encodeMlp, initMlp, trainClassifier, trainContrastive, MlpHistoryRow, MlpWeights } from '../identifiability/mlp';
import { applyMixing } from '../identifiability/mixing';

/** Training options shared by the identifiability experiments. */
export interface IdentRunOptions {
  /** Quick (small network, few steps) or full (Reizinger et al. sizes) defaults. Default false. */
  quick?: boolean;
  /** Adam steps (full 6000, quick 1000). */
  steps?: number;
  /** Batch (full 1024, quick 256). */
  batch?: number;
  /** Learning rate (full 1e-3, quick 3e-3). */
  lr?: number;
  /** Hidden widths (full [10n, 50n, 50n, 10n], quick [32, 64, 32]). */
  hidden?: number[];
  /** Fresh evaluation samples, half to fit the read-out, half to score (default 8192, quick 4096). */
  evalSamples?: number;
  /** Evaluate R² this many times during training (default 10). */
  evals?: number;
  seed?: number;
  progress?: boolean;
}

function trainSettings(o: IdentRunOptions, n: number) {
  const steps = checkInt('steps', o.steps ?? (o.quick ? 1000 : 6000), 1);
  return {
    steps, batch: checkInt('batch', o.batch ?? (o.quick ? 256 : 1024), 2),
    lr: checkNumber('lr', o.lr ?? (o.quick ? 3e-3 : 1e-3), 0),
    hidden: o.hidden ?? (o.quick ? [32, 64, 32] : [10 * n, 50 * n, 50 * n, 10 * n]),
    evalSamples: checkInt('evalSamples', o.evalSamples ?? (o.quick ? 4096 : 8192), 8),
    evalEvery: Math.max(1, Math.floor(steps / checkInt('evals', o.evals ?? 10, 1))),
    seed: checkInt('seed', o.seed ?? 0, 0), progress: o.progress ?? true,
  };
}

/** Held-out linear R² (ridge, half/half split as Reizinger et al.; metrics' linearIdentifiability). */
function r2(rep: Matrix, z: Matrix, knn = false): { linear: number; knn: number } {
  const r = linearIdentifiability(rep, z, { skipKnn: !knn });
  return { linear: r.r2Linear, knn: r.r2Knn };
}

/** Result of {@link identifiabilityExperiment}. */
export interface IdentifiabilityRun {
  /** Held-out linear R² from the trained representation to z. */
  r2: number;
  /** Held-out k-NN R² from the trained representation (nonlinear read-out, for comparison). */
  r2Knn: number;
  /** Baselines: R² from the observations x = g(z), and from the untrained encoder. */
  baselines: { x: number; untrained: number };
  /** Per evaluation step: loss, linear R², classification accuracy on the evaluation set. */
  history: MlpHistoryRow[];
  /** For a predicted-vs-true figure: up to 500 held-out latents and their linear prediction from the representation. */
  scatter: { zTrue: number[][]; zPred: number[][] };
  /** Settings actually used. */
  settings: Record<string, unknown>;
  seconds: number;
}

/**
 * Cross-entropy identifiability (Reizinger et al.): z on S^{n−1} in C vMF clusters (κ), x = g(z) with a
 * frozen invertible leaky-ReLU MLP, an MLP classifier trained with cross-entropy on the cluster label;
 * linear R² from its representation (the n-dim layer before the linear head) to z, during training and
 * at the end, against R² from x and from the untrained encoder.
 */
export async function identifiabilityExperiment(o: IdentRunOptions & Partial<Omit<ClusterProcessOptions, 'seed'>> = {}): Promise<IdentifiabilityRun> {
  const n = checkInt('n', o.n ?? (o.quick ? 4 : 5), 2);
  const C = checkInt('classes', o.classes ?? (o.quick ? 50 : 100), 2);
  const kappa = checkNumber('kappa', o.kappa ?? 10, 0);
  const s = trainSettings(o, n);
  const proc = clusterProcess({ n, classes: C, kappa, noise: o.noise, mixing: o.mixing, seed: s.seed });
  const rng = new Rng(s.seed + 1);
  const ev = proc.sample(s.evalSamples, rng.fork());
  const untrained = initMlp([proc.d, ...s.hidden, n], s.seed + 2);
  const baselines = { x: r2(ev.x, ev.z).linear, untrained: r2(await encodeMlp(untrained, ev.x), ev.z).linear };
  const accuracy = (rep: Matrix, head: Matrix): number => {
    let ok = 0;
    for (let i = 0; i < rep.rows; i++) {
      let best = -Infinity, arg = -1;
      for (let c = 0; c < C; c++) {
        let v = 0;
        for (let k = 0; k < n; k++) v += rep.data[i * n + k] * head.data[k * C + c];
        if (v > best) { best = v; arg = c; }
      }
      if (arg === ev.labels![i]) ok++;
    }
    return ok / rep.rows;
  };
  const res = await trainClassifier({
    inDim: proc.d, repDim: n, classes: C, hidden: s.hidden, steps: s.steps, batch: s.batch, lr: s.lr,
    seed: s.seed + 3, evalEvery: s.evalEvery, progress: s.progress,
    sample: (B, r) => proc.sample(B, r),
    onEval: async (_step, enc) => ({ r2: r2(await encodeMlp(enc, ev.x), ev.z).linear }),
  });
  const rep = await encodeMlp(res.encoder, ev.x);
  const final = r2(rep, ev.z, true);
  const acc = accuracy(rep, res.head!);
  res.history[res.history.length - 1].accuracy = acc;
  return {
    r2: final.linear, r2Knn: final.knn, baselines, history: res.history,
    scatter: predictedVsTrue(rep, ev.z, 500),
    settings: { n, classes: C, kappa, noise: o.noise ?? 'vmf', ...s, finalAccuracy: acc },
    seconds: res.seconds,
  };
}

/** Fit rep → z on the first half, predict up to `count` rows of the second half. */
function predictedVsTrue(rep: Matrix, z: Matrix, count: number): { zTrue: number[][]; zPred: number[][] } {
  const h = Math.floor(rep.rows / 2);
  const part = (m: Matrix, a: number, b: number): Matrix => matrix(b - a, m.cols, m.data.slice(a * m.cols, b * m.cols));
  const model = new RidgeRegression({ alpha: 1e-3 }).fit(part(rep, 0, h), part(z, 0, h));
  const end = Math.min(rep.rows, h + count);
  return { zTrue: toRows(part(z, h, end)), zPred: toRows(model.predict(part(rep, h, end))) };
}

/** One variation of the ablation: the settings that differ from the base (none: the base itself). */
export interface AblationVariation { n?: number; classes?: number; kappa?: number; noise?: 'vmf' | 'laplace' }

/**
 * Short name of an ablation variation, used as its Results key suffix: 'base' for none, else the changed
 * settings joined by '_' in the order n, C, κ, noise — e.g. 'C10', 'kappa50', 'n10', 'laplace', 'C10_kappa5'.
 */
export function ablationLabel(v: AblationVariation): string {
  const parts = [
    v.n !== undefined ? `n${v.n}` : '', v.classes !== undefined ? `C${v.classes}` : '',
    v.kappa !== undefined ? `kappa${v.kappa}` : '', v.noise === 'laplace' ? 'laplace' : '',
  ].filter(Boolean);
  return parts.length ? parts.join('_') : 'base';
}

/** One row of {@link identifiabilityAblation}: one variation, R² and baselines as means over its seeds. */
export interface AblationRow {
  /** {@link ablationLabel} of the variation. */
  label: string;
  n: number; classes: number; kappa: number; noise: 'vmf' | 'laplace';
  /** Held-out linear R² of the trained representation, mean over seeds. */
  r2: number;
  /** The same per seed (seed, seed + 1000, seed + 2000, …: each seed draws its own process, mixing and initialisation). */
  r2Seeds: number[];
  /** Sample standard deviation of r2Seeds (0 for one seed). */
  r2Sd: number;
  /** Baselines, means over seeds: R² from x = g(z) and from the untrained encoder. */
  r2X: number; r2Untrained: number;
  /** r2 − max(r2X, r2Untrained): how far training lifts the representation above the better baseline (≤ 0 untrained). */
  margin: number;
  seeds: number; steps: number;
  /** Training seconds, summed over seeds. */
  seconds: number;
}

const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;

/**
 * Ablation of the cross-entropy experiment: vary one factor at a time from the base setting (classes C,
 * concentration κ, dimension n, vMF vs Laplace clusters), each trained with `seeds` seeds (default 1).
 * Default variations: C ∈ {10, 100, 1000}, κ ∈ {5, 10, 50}, n ∈ {5, 10}, Laplace; quick: C ∈ {10, 50},
 * κ ∈ {5, 50}, n = 3, Laplace. One row per variation (means over seeds; {@link AblationRow}).
 */
export async function identifiabilityAblation(o: IdentRunOptions & { base?: { n?: number; classes?: number; kappa?: number }; variations?: AblationVariation[]; seeds?: number } = {}): Promise<AblationRow[]> {
  const base = { n: o.base?.n ?? (o.quick ? 4 : 5), classes: o.base?.classes ?? (o.quick ? 50 : 100), kappa: o.base?.kappa ?? 10 };
  const variations = o.variations ?? (o.quick
    ? [{}, { classes: 10 }, { kappa: 5 }, { kappa: 50 }, { n: 3 }, { noise: 'laplace' as const }]
    : [{}, { classes: 10 }, { classes: 1000 }, { kappa: 5 }, { kappa: 50 }, { n: 10 }, { noise: 'laplace' as const }]);
  if (!Array.isArray(variations) || variations.length === 0) throw new ValueError('variations must be a non-empty array of partial settings');
  const seeds = checkInt('seeds', o.seeds ?? 1, 1);
  const seed0 = checkInt('seed', o.seed ?? 0, 0);
  const rows: AblationRow[] = [];
  for (const v of variations) {
    const cfg = { ...base, noise: 'vmf' as 'vmf' | 'laplace', ...v };
    const runs: IdentifiabilityRun[] = [];
    for (let k = 0; k < seeds; k++) runs.push(await identifiabilityExperiment({ ...o, ...cfg, hidden: o.hidden, evals: 1, seed: seed0 + 1000 * k }));
    const r2Seeds = runs.map((r) => r.r2), r2 = mean(r2Seeds);
    const r2X = mean(runs.map((r) => r.baselines.x)), r2Untrained = mean(runs.map((r) => r.baselines.untrained));
    const r2Sd = seeds > 1 ? Math.sqrt(r2Seeds.reduce((s, x) => s + (x - r2) ** 2, 0) / (seeds - 1)) : 0;
    rows.push({
      label: ablationLabel(v), ...cfg, r2, r2Seeds, r2Sd, r2X, r2Untrained, margin: r2 - Math.max(r2X, r2Untrained),
      seeds, steps: runs[0].settings.steps as number, seconds: runs.reduce((s, r) => s + r.seconds, 0),
    });
  }
  return rows;
}

/** Result of {@link contrastiveExperiment}. */
export interface ContrastiveRun { r2: number; baselines: { x: number; untrained: number }; history: MlpHistoryRow[]; seconds: number }

/**
 * The second route (Zimmermann et al. 2021): z uniform on S^{n−1}, positive pairs z̃ ~ vMF(z, κ_pos),
 * x = g(z); an encoder trained with InfoNCE (representation on the sphere, temperature τ); linear R²
 * from its representation to z.
 */
export async function contrastiveExperiment(o: IdentRunOptions & { n?: number; kappaPositive?: number; temperature?: number } = {}): Promise<ContrastiveRun> {
  const n = checkInt('n', o.n ?? (o.quick ? 4 : 5), 2);
  const kp = checkNumber('kappaPositive', o.kappaPositive ?? 20, 0);
  const s = trainSettings(o, n);
  const proc = clusterProcess({ n, classes: 2, seed: s.seed });
  const ev = spherePairs(proc, kp, s.evalSamples, new Rng(s.seed + 1));
  const untrained = initMlp([proc.d, ...s.hidden, n], s.seed + 2);
  const baselines = { x: r2(ev.x, ev.z).linear, untrained: r2(await encodeMlp(untrained, ev.x), ev.z).linear };
  const res = await trainContrastive({
    inDim: proc.d, repDim: n, hidden: s.hidden, steps: s.steps, batch: s.batch, lr: s.lr, temperature: o.temperature,
    seed: s.seed + 3, evalEvery: s.evalEvery, progress: s.progress,
    samplePairs: (B, r) => spherePairs(proc, kp, B, r),
    onEval: async (_step, enc) => ({ r2: r2(await encodeMlp(enc, ev.x), ev.z).linear }),
  });
  return { r2: r2(await encodeMlp(res.encoder, ev.x), ev.z).linear, baselines, history: res.history, seconds: res.seconds };
}

/** Result of {@link openBridgeExperiment}. */
export interface OpenBridgeResult {
  /** Latents N, active K, observed d, layer width M. */
  settings: { N: number; K: number; d: number; M: number; steps: number };
  /** Held-out R² from the M-unit layer y to z: linear (ridge) and nonlinear (k-NN); and from x. */
  r2: { linear: number; knn: number; xLinear: number; untrainedLinear: number };
  /**
   * Additivity, as increments over y₀ = y(g(0)): y(g(z₁ + z₂)) − y₀ against (y(g(z₁)) − y₀) + (y(g(z₂)) − y₀)
   * for z₁, z₂ with one active latent each
   * (disjoint): R² of the sum as a prediction of the composite, mean cosine, and the same for a
   * shuffled partner (the baseline: pairing a composite with the wrong parts).
   */
  additivity: { r2: number; cosine: number; r2Shuffled: number; cosineShuffled: number };
  /**
   * Recovering z from y by dictionary learning on y − y(g(0)) with N atoms: code MCC of classical sparse
   * coding (MOD + non-negative OMP with K) and of a ReLU SAE; null when `compareCodes` is false.
   */
  codes: { sparseCodingMcc: number; saeMcc: number; /** MCC after the supervised linear read-out (fitted with z: a reference, not a competitor). */ linearMcc: number } | null;
  /** Training history (multi-label BCE loss, linear R²). */
  history: MlpHistoryRow[];
  /** Representations for downstream comparisons (e.g. sparse coding vs SAE): y (B×M) and z (B×N) of the evaluation set. */
  data: { y: Matrix<Float32Array>; z: Matrix<Float32Array> };
  seconds: number;
}

/**
 * The open bridge (no published target): N sparse non-negative latents (K active), x = g(z) in d
 * dims, a classifier trained to report the support (multi-label cross-entropy) whose representation
 * layer has M < N units. Is that layer linear in z (linear vs k-NN R²)? Additive? The evaluation
 * representations are returned so that sparse coding and SAEs can be compared on them.
 */
export async function openBridgeExperiment(o: IdentRunOptions & { N?: number; K?: number; d?: number; M?: number; compareCodes?: boolean; saeLambda?: number; saeSteps?: number } = {}): Promise<OpenBridgeResult> {
  const N = checkInt('N', o.N ?? 16, 2), K = checkInt('K', o.K ?? 2, 1, N);
  const d = checkInt('d', o.d ?? 32, N), M = checkInt('M', o.M ?? 8, 1);
  const s = trainSettings({ ...o, hidden: o.hidden ?? (o.quick ? [64, 64] : [128, 256, 128]) }, M);
  const proc = sparseSupportProcess({ n: N, K, d, seed: s.seed });
  const rng = new Rng(s.seed + 1);
  const ev = proc.sample(s.evalSamples, rng.fork());
  const untrained = initMlp([d, ...s.hidden, M], s.seed + 2);
  const res = await trainClassifier({
    inDim: d, repDim: M, classes: N, hidden: s.hidden, steps: s.steps, batch: s.batch, lr: s.lr,
    seed: s.seed + 3, evalEvery: s.evalEvery, progress: s.progress,
    sample: (B, r) => proc.sample(B, r),
    onEval: async (_step, enc) => ({ r2: r2(await encodeMlp(enc, ev.x), ev.z).linear }),
  });
  const y = await encodeMlp(res.encoder, ev.x);
  const fin = r2(y, ev.z, true);
  const additivity = await additivityTest(res.encoder, proc.mixing, N, 1024, rng.fork());
  let codes: OpenBridgeResult['codes'] = null;
  if (o.compareCodes ?? true) {
    const y0 = await encodeMlp(res.encoder, applyMixing(proc.mixing, matrix(1, N, new Float32Array(N))));
    const yc = matrix(y.rows, M, y.data.map((v, k) => v - y0.data[k % M]));
    const dl = createLearner({ method: 'dl', features: N, k: K, seed: s.seed }); // non-negative OMP + MOD
    dl.fit(yc, { iterations: o.quick ? 15 : 30, progress: false });
    const sae = createLearner({ method: 'sae-relu', features: N, lambda: checkNumber('saeLambda', o.saeLambda ?? 0.01, 0), seed: s.seed });
    sae.fit(yc, { steps: checkInt('saeSteps', o.saeSteps ?? (o.quick ? 1000 : 5000), 1), progress: false });
    const lin = linearIdentifiability(y, ev.z, { skipKnn: true });
    codes = {
      sparseCodingMcc: mcc(ev.z, dl.encode(yc)).mcc,
      saeMcc: mcc(ev.z, sae.encode(yc)).mcc,
      linearMcc: lin.mccLinear,
    };
  }
  return {
    codes,
    settings: { N, K, d, M, steps: s.steps },
    r2: { linear: fin.linear, knn: fin.knn, xLinear: r2(ev.x, ev.z).linear, untrainedLinear: r2(await encodeMlp(untrained, ev.x), ev.z).linear },
    additivity, history: res.history, data: { y, z: ev.z }, seconds: res.seconds,
  };
}

async function additivityTest(enc: MlpWeights, mixing: Parameters<typeof applyMixing>[0], N: number, B: number, rng: Rng): Promise<OpenBridgeResult['additivity']> {
  const z1 = new Float32Array(B * N), z2 = new Float32Array(B * N), z12 = new Float32Array(B * N);
  for (let i = 0; i < B; i++) {
    const [a, b] = rng.choice(N, 2);
    z1[i * N + a] = rng.uniformIn(0.1, 1);
    z2[i * N + b] = rng.uniformIn(0.1, 1);
    z12[i * N + a] = z1[i * N + a];
    z12[i * N + b] = z2[i * N + b];
  }
  const y = async (z: Float32Array) => encodeMlp(enc, applyMixing(mixing, matrix(B, N, z)));
  const [y1, y2, y12, y0] = [await y(z1), await y(z2), await y(z12), await y(new Float32Array(B * N))];
  const M = y1.cols;
  // compare increments over y(g(0)): y(a+b) − y0 vs (y(a) − y0) + (y(b) − y0)
  for (let k = 0; k < y0.data.length; k++) { y1.data[k] -= y0.data[k]; y2.data[k] -= y0.data[k]; y12.data[k] -= y0.data[k]; }
  const perm = rng.permutation(B);
  const score = (shuffle: boolean): { r2: number; cosine: number } => {
    let ssr = 0, sst = 0, cos = 0;
    const mean = new Float64Array(M);
    for (let i = 0; i < B; i++) for (let j = 0; j < M; j++) mean[j] += y12.data[i * M + j] / B;
    for (let i = 0; i < B; i++) {
      const k = shuffle ? perm[i] : i;
      let dot = 0, na = 0, nb = 0;
      for (let j = 0; j < M; j++) {
        const sum = y1.data[i * M + j] + y2.data[k * M + j], t = y12.data[i * M + j];
        ssr += (t - sum) ** 2; sst += (t - mean[j]) ** 2;
        dot += sum * t; na += sum * sum; nb += t * t;
      }
      cos += dot / Math.sqrt(na * nb || 1);
    }
    return { r2: 1 - ssr / sst, cosine: cos / B };
  };
  const a = score(false), b = score(true);
  return { r2: a.r2, cosine: a.cosine, r2Shuffled: b.r2, cosineShuffled: b.cosine };
}
