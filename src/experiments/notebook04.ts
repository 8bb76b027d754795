/**
 * Helpers of notebook 04 (the amortisation gap) around `amortisation.ts`: a fixed-budget FISTA sweep for the
 * MCC-vs-FLOPs Pareto plot, per-feature firing densities of SAE variants and classical dictionary learning
 * (dead features), and a per-cell summary of the unknown-D grid (sparse coding's lead over the SAEs, and the
 * swap-test diagnosis of whether the SAE's dictionary or its encoder limits it).
 *
 * Data: `plantedSparseData` (N unit Gaussian atoms in M dims, exactly K active |N(0,1)| codes, no noise);
 * shapes follow the project convention (D N×M, X B×M, Z B×N).
 */
import { initBackend } from '../core/backend';
import { ValueError } from '../core/errors';
import { checkInt } from '../core/validate';
import { plantedSparseData } from '../data/synthetic';
import { mcc } from '../metrics/mcc';
import { crossCorrelation } from '../metrics/correlation';
import { featureDensity } from '../metrics/sparsity';
import { DictionaryInference } from '../dictionary/sae_inference';
import { createLearner } from '../dictionary/registry';
import { SparseAutoencoder } from '../dictionary/sae_base';
import { AmortisationRow, makeSaeVariant, SaeVariant, SPARSE_CODING_L1 } from './amortisation';

/** One point of {@link fistaBudgetSweep}. */
export interface FistaBudgetPoint {
  n: number;
  m: number;
  k: number;
  /** Iteration cap given to FISTA. */
  maxIter: number;
  /** Iterations the slowest sample used (≤ maxIter). */
  iterations: number;
  /** Code MCC on the test samples. */
  mcc: number;
  /** Inference FLOPs per sample, dense-equivalent: 2MN (correlations) + 2N²·iterations (Gram form). */
  flops: number;
}

/**
 * Known dictionary, explicit inference with a capped budget: non-negative FISTA on the true D (N×M) with at
 * most `maxIter` iterations, for each cap and each (N, M, K) cell. Gives the sparse-inference branch of the
 * MCC-vs-FLOPs Pareto plot (the amortised encoders cost one pass; FISTA pays per iteration).
 * @param opts.iterations caps (default [2, 5, 10, 20, 50, 100]); lambda: lasso λ (default 0.01);
 *   samples: test samples per cell (default 1024); seed: data seed (default 0).
 */
export function fistaBudgetSweep(opts: {
  grid: [number, number, number][]; iterations?: number[]; lambda?: number; samples?: number; seed?: number;
}): FistaBudgetPoint[] {
  const its = opts.iterations ?? [2, 5, 10, 20, 50, 100];
  const out: FistaBudgetPoint[] = [];
  opts.grid.forEach(([n, m, k], ci) => {
    const te = plantedSparseData({ n, m, k, samples: opts.samples ?? 1024, seed: (opts.seed ?? 0) * 1000 + 700 + ci });
    for (const T of its) {
      checkInt('iterations', T, 1);
      const fi = new DictionaryInference(te.D, { method: 'fista', lambda: opts.lambda ?? 0.01, maxIter: T, tol: 1e-12 });
      const Z = fi.encode(te.X);
      out.push({ n, m, k, maxIter: T, iterations: fi.lastIterations, mcc: mcc(te.Z, Z).mcc, flops: 2 * m * n + 2 * n * n * fi.lastIterations });
    }
  });
  return out;
}

/** Firing statistics of one model in {@link featureDensityExperiment}. */
export interface FeatureDensityModel {
  method: string;
  /** Fraction of test samples on which each learned feature is non-zero (length N). */
  density: number[];
  /** Fraction of features that never fire on the test set. */
  deadFraction: number;
  /** Mean number of active features per test sample. */
  l0: number;
  /** Code MCC on the test set. */
  mcc: number;
}

/** Result of {@link featureDensityExperiment}. */
export interface FeatureDensityResult {
  n: number;
  m: number;
  k: number;
  /** Firing densities of the planted features on the test set (each ≈ K/N). */
  truth: number[];
  models: FeatureDensityModel[];
}

/**
 * Unknown dictionary, one (N, M, K) cell: train SAE variants (no biases, full batch, as in the grid) and
 * classical dictionary learning (OMP + MOD, codes by OMP) on planted data and return each learned feature's
 * firing density on held-out samples, the dead fraction, L0 and code MCC — the data of the
 * feature-density histograms. The planted features all fire with density K/N.
 * @param opts.variants SAE kinds (default all four); steps: SAE Adam steps (default 2000); lambda: the paper's
 *   per-element λ (default 0.01, i.e. λ·M/N per sample); dlIterations: DL outer iterations (default 30).
 */
export async function featureDensityExperiment(opts: {
  n: number; m: number; k: number; samples?: number; testSamples?: number; steps?: number; variants?: SaeVariant[];
  lambda?: number; dlIterations?: number; seed?: number;
}): Promise<FeatureDensityResult> {
  await initBackend();
  const { n, m, k } = opts;
  const seed = opts.seed ?? 0, lam = ((opts.lambda ?? 0.01) * m) / n;
  const tr = plantedSparseData({ n, m, k, samples: opts.samples ?? 1024, seed: seed * 1000 + 901 });
  const te = plantedSparseData({ n, m, k, samples: opts.testSamples ?? 1024, seed: seed * 1000 + 902, dictionary: tr.D });
  const models: FeatureDensityModel[] = [];
  const stats = (method: string, Z: ReturnType<SparseAutoencoder['encode']>): FeatureDensityModel => {
    const density = Array.from(featureDensity(Z));
    return {
      method, density, deadFraction: density.filter((d) => d === 0).length / n,
      l0: density.reduce((a, b) => a + b, 0), mcc: mcc(te.Z, Z).mcc,
    };
  };
  for (const v of opts.variants ?? (['relu', 'topk', 'batchtopk', 'jumprelu'] as SaeVariant[])) {
    const sae = makeSaeVariant(v, { features: n, k, seed, lambda: lam });
    sae.fit(tr.X, { steps: opts.steps ?? 2000, batch: tr.X.rows, lr: 1e-3, progress: false });
    models.push(stats(`SAE-${v}`, sae.encode(te.X)));
  }
  const dl = createLearner({ method: 'dl', features: n, k, seed }); // MOD updates, OMP inference
  dl.fit(tr.X, { iterations: opts.dlIterations ?? 30, progress: false });
  models.push(stats('DL (OMP+MOD)', dl.encode(te.X)));
  return { n, m, k, truth: Array.from(featureDensity(te.Z)), models };
}

/** Per-cell summary of the unknown-D grid, from {@link summariseAmortisationCells}. */
export interface AmortisationCellSummary {
  n: number;
  m: number;
  k: number;
  /** Overcompleteness N/M. */
  ratio: number;
  insideDT: boolean;
  /** Code MCC of the ReLU SAE's encoder, of the best SAE variant (and its name), of classical DL, of the best MLP. */
  saeRelu: number | null;
  bestSae: number;
  bestSaeMethod: string;
  dl: number;
  /** Code MCC of the L1 sparse-coding baseline (no oracle K), when it ran; its lead over the ReLU SAE. */
  sc: number | null;
  leadScOverRelu: number | null;
  mlp: number | null;
  /** Sparse coding's lead: DL code MCC − best SAE code MCC (and − ReLU SAE code MCC). */
  lead: number;
  leadOverRelu: number | null;
  /** Swap tests: ReLU SAE decoder + FISTA, oracle (true) dictionary + FISTA (code MCC). */
  saeDecoderFista: number | null;
  oracleFista: number | null;
  /** Encoder gap = (SAE decoder + FISTA) − SAE encoder; dictionary gap = oracle + FISTA − (SAE decoder + FISTA). */
  encoderGap: number | null;
  dictionaryGap: number | null;
  /** Which of the two gaps is larger: what limits the ReLU SAE in this cell. */
  limitedBy: 'dictionary' | 'encoder' | null;
}

/**
 * Group the rows of `amortisationUnknownD` by (N, M, K) cell and compute sparse coding's lead over the SAEs
 * and the swap-test diagnosis. Methods are recognised by name: 'SAE-…' (encoders), 'DL …', 'MLP-…',
 * 'SAE-relu decoder + FISTA', 'oracle D + FISTA'. Cells are sorted by M, then N.
 */
export function summariseAmortisationCells(rows: AmortisationRow[]): AmortisationCellSummary[] {
  const cells = new Map<string, AmortisationRow[]>();
  for (const r of rows) {
    if (r.regime === 'known-D' || r.regime === 'known-Z') continue;
    const key = `${r.n},${r.m},${r.k}`;
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key)!.push(r);
  }
  const out: AmortisationCellSummary[] = [];
  for (const rs of cells.values()) {
    const { n, m, k, insideDT } = rs[0];
    const get = (name: string) => rs.find((r) => r.method === name)?.mcc ?? null;
    const saes = rs.filter((r) => r.regime === 'unknown-D' && r.method.startsWith('SAE-'));
    const dls = rs.filter((r) => r.regime === 'unknown-D' && r.method.startsWith('DL'));
    const sc = rs.find((r) => r.regime === 'unknown-D' && r.method === SPARSE_CODING_L1)?.mcc ?? null;
    if (!saes.length || !dls.length) throw new ValueError(`cell (N=${n}, M=${m}, K=${k}): need SAE and DL rows to summarise (got ${rs.map((r) => r.method).join(', ')})`);
    const best = saes.reduce((a, b) => (b.mcc > a.mcc ? b : a));
    const dl = Math.max(...dls.map((r) => r.mcc));
    const mlps = rs.filter((r) => r.method.startsWith('MLP-')).map((r) => r.mcc);
    const relu = get('SAE-relu'), dec = get('SAE-relu decoder + FISTA'), oracle = get('oracle D + FISTA');
    const encoderGap = relu !== null && dec !== null ? dec - relu : null;
    const dictionaryGap = dec !== null && oracle !== null ? oracle - dec : null;
    out.push({
      n, m, k, ratio: n / m, insideDT, saeRelu: relu, bestSae: best.mcc, bestSaeMethod: best.method, dl,
      sc, leadScOverRelu: sc !== null && relu !== null ? sc - relu : null,
      mlp: mlps.length ? Math.max(...mlps) : null, lead: dl - best.mcc, leadOverRelu: relu === null ? null : dl - relu,
      saeDecoderFista: dec, oracleFista: oracle, encoderGap, dictionaryGap,
      limitedBy: encoderGap === null || dictionaryGap === null ? null : dictionaryGap >= encoderGap ? 'dictionary' : 'encoder',
    });
  }
  return out.sort((a, b) => a.m - b.m || a.n - b.n);
}

/**
 * Spearman rank correlation of two equal-length lists (via `crossCorrelation(…, 'spearman')`; NaN for fewer
 * than two points). Used for "does sparse coding's lead grow with N/M".
 */
export function rankCorrelation(x: number[], y: number[]): number {
  if (x.length !== y.length) throw new ValueError(`rankCorrelation: lists differ in length (${x.length} vs ${y.length})`);
  if (x.length < 2) return NaN;
  return crossCorrelation(x.map((v) => [v]), y.map((v) => [v]), 'spearman').data[0];
}


/** Mean and spread of one method's code MCC over model seeds, from {@link seedSummary}. */
export interface SeedSummaryRow {
  regime: AmortisationRow['regime'];
  n: number;
  m: number;
  k: number;
  method: string;
  /** Number of model seeds. */
  seeds: number;
  /** Mean, sample standard deviation (0 for one seed), minimum and maximum code MCC over the seeds. */
  mean: number;
  sd: number;
  min: number;
  max: number;
}

/**
 * Group rows by (regime, N, M, K, method) and summarise code MCC over the model seeds (mean, sample SD, range).
 * Groups keep the order in which they first appear.
 */
export function seedSummary(rows: AmortisationRow[]): SeedSummaryRow[] {
  const groups = new Map<string, AmortisationRow[]>();
  for (const r of rows) {
    const key = `${r.regime}|${r.n},${r.m},${r.k}|${r.method}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
  }
  return [...groups.values()].map((rs) => {
    const v = rs.map((r) => r.mcc), s = v.length;
    const mean = v.reduce((a, b) => a + b, 0) / s;
    const sd = s > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (s - 1)) : 0;
    const { regime, n, m, k, method } = rs[0];
    return { regime, n, m, k, method, seeds: s, mean, sd, min: Math.min(...v), max: Math.max(...v) };
  });
}
