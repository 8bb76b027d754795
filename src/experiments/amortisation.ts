/**
 * The amortisation-gap experiments of notebook 04 (O'Neill, Gumran & Klindt 2025; paper-notes "Amortisation
 * gap"): how well do SAE encoders, MLP encoders, LISTA and explicit sparse inference recover planted sparse
 * codes, with the dictionary known or learned, and which part (encoder or dictionary) limits the SAE.
 *
 * Data: `plantedSparseData` — N unit Gaussian atoms in M dims, exactly K active |N(0,1)| codes, no noise;
 * a training and a test set (same D). All scores are on the test set. Every function returns plain rows; quick
 * and full runs differ only in the options (steps, sample counts).
 *
 * Penalties: the paper's SAE loss is per-element MSE + λ·per-element mean|z| with λ = 0.01; in this library's
 * per-sample convention (‖x − x̂‖² + λ'Σ|z|) that is λ' = λ·M/N. FISTA/ITO solve ½‖x − zD‖² + λ_f‖z‖₁ with
 * λ_f = 0.01 (paper-notes: insensitive within 1e-3…5e-2).
 */
import { initBackend } from '../core/backend';
import { ValueError } from '../core/errors';
import { Matrix } from '../core/matrix';
import { createProgress } from '../core/progress';
import { plantedSparseData, PlantedData } from '../data/synthetic';
import { donohoTannerRho } from '../sparse/theory';
import { mcc } from '../metrics/mcc';
import { dictionaryRecovery } from '../metrics/dictionary';
import { fvu } from '../metrics/reconstruction';
import { SparseAutoencoder } from '../dictionary/sae_base';
import { createLearner } from '../dictionary/registry';
import { MlpEncoder } from '../dictionary/mlp_encoder';
import { Lista } from '../dictionary/lista';
import { DictionaryInference } from '../dictionary/sae_inference';

/** One result row. */
export interface AmortisationRow {
  /**
   * 'known-D' (decoder fixed to the truth), 'known-Z' (encoder fitted to the true codes), 'unknown-D' (learned),
   * 'swap' (dictionary × inference).
   */
  regime: 'known-D' | 'known-Z' | 'unknown-D' | 'swap';
  /** Model seed (initialisation and batch order; the data are the same for every model seed of a cell). */
  seed: number;
  n: number;
  m: number;
  k: number;
  method: string;
  /** Code MCC on the test set (Hungarian-matched mean |Pearson r|). */
  mcc: number;
  /** Dictionary recovery (learned D vs truth): mean best |cos| per true atom, and Hungarian-matched mean (dictionary MCC). */
  dictBestCos: number | null;
  dictMcc: number | null;
  /** Fraction of variance unexplained by decode(encode(X_test)). */
  fvu: number;
  /** Mean number of non-zero codes per test sample. */
  l0: number;
  /** Fraction of features never active on the test set. */
  deadFraction: number;
  /** Inference cost per sample (FLOPs, 2 per multiply-add). */
  flops: number;
  /** Training (or, for pure inference, inference) time in seconds, measured on this machine. */
  seconds: number;
  /** Whether (δ, ρ) = (M/N, K/M) lies below the non-negative Donoho–Tanner curve (ℓ1 recovery expected). */
  insideDT: boolean;
}

/** Options shared by both grids. */
export interface AmortisationOptions {
  /** Data seed (default 0). */
  seed?: number;
  /** Model seeds trained on the same data (default [seed]); rows carry their model seed. */
  modelSeeds?: number[];
  /** Training and test samples (default 1024 each). */
  samples?: number;
  testSamples?: number;
  /** SAE Adam steps (full batch; default 20000 known D, 10000 unknown D). */
  saeSteps?: number;
  /** MLP / LISTA Adam steps (default 5000) and their batch (default 1024). */
  encoderSteps?: number;
  encoderBatch?: number;
  /** MLP widths trained at `wideEncoderBatch` instead (default: none; the cost of a step grows with the width). */
  wideEncoderBatch?: number;
  wideFrom?: number;
  /** Train LISTA for the first model seed only (default true; LISTA is a cost/accuracy point, not a seed study). */
  listaFirstSeedOnly?: boolean;
  /** MLP hidden widths compared (default [32, 256]). */
  mlpHidden?: number[];
  /** LISTA unrolled iterations (default 5) and Adam steps (default `encoderSteps`). */
  listaIterations?: number;
  listaSteps?: number;
  /** λ of the paper's per-element loss (default 0.01). */
  lambda?: number;
  /** λ of FISTA / ITO (default 0.01). */
  fistaLambda?: number;
  /** Outer iterations of classical DL (default 50). */
  dlIterations?: number;
  /**
   * Outer iterations of the L1 sparse-coding baseline (lasso codes + MOD, no oracle K; default 0 = not run) and its
   * λ in ½‖x − zD‖² + λ‖z‖₁ (default `fistaLambda`; measured at (64, 32, 3), 10 iterations: code MCC 0.72 at
   * λ = 0.01 vs 0.64 at 0.0025, the paper's per-element 0.01 rescaled).
   */
  scIterations?: number;
  scLambda?: number;
  progress?: boolean;
}

/** (N, M, K) cells of the known-D grid (default: the four of the paper's Table). */
export const KNOWN_D_GRID: [number, number, number][] = [[16, 8, 3], [32, 16, 3], [64, 16, 3], [64, 32, 3]];

function insideDT(n: number, m: number, k: number): boolean {
  const delta = m / n;
  if (delta >= 1) return k <= m;
  return k / m < donohoTannerRho(delta, 'nonneg');
}

function l0AndDead(Z: Matrix): { l0: number; dead: number } {
  const N = Z.cols, used = new Uint8Array(N);
  let nnz = 0;
  for (let q = 0; q < Z.data.length; q++) if (Z.data[q] !== 0) { nnz++; used[q % N] = 1; }
  let dead = 0;
  for (let i = 0; i < N; i++) if (!used[i]) dead++;
  return { l0: nnz / Z.rows, dead: dead / N };
}

interface Encoderish { encode(X: Matrix): Matrix; decode(Z: Matrix): Matrix; dictionary: Matrix }

function score(regime: AmortisationRow['regime'], cell: [number, number, number], method: string, model: Encoderish,
  te: PlantedData, flops: number, seconds: number, learned: boolean, seed = 0): AmortisationRow {
  const [n, m, k] = cell;
  const t0 = performance.now();
  const Z = model.encode(te.X);
  const infer = (performance.now() - t0) / 1000;
  const rec = learned ? dictionaryRecovery(te.D, model.dictionary) : null;
  const { l0, dead } = l0AndDead(Z);
  return {
    regime, seed, n, m, k, method, mcc: mcc(te.Z, Z).mcc, dictBestCos: rec ? rec.meanBestCos : null, dictMcc: rec ? rec.matchedCos : null,
    fvu: fvu(te.X, model.decode(Z)), l0, deadFraction: dead, flops, seconds: seconds || infer, insideDT: insideDT(n, m, k),
  };
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const v = f();
  return [v, (performance.now() - t0) / 1000];
}

/** FISTA/ITO cost per sample: correlations 2MN once, then 2N² per iteration (Gram form). */
function fistaFlops(n: number, m: number, iters: number): number { return 2 * m * n + 2 * n * n * iters; }

/** Width-dependent batch of an MLP encoder: `wideEncoderBatch` for widths ≥ `wideFrom`, else `encoderBatch`. */
function mlpBatch(h: number, opts: AmortisationOptions): number {
  const wide = opts.wideEncoderBatch !== undefined && h >= (opts.wideFrom ?? Infinity);
  return wide ? opts.wideEncoderBatch! : opts.encoderBatch ?? 1024;
}

/**
 * Known dictionary: the decoder is fixed to the truth; compare SAE encoder, MLP encoders, LISTA, FISTA and
 * SAE + inference-time optimisation (FISTA warm-started from the SAE codes). Rows: one per cell, model seed and
 * method (FISTA, which has no seed, once per cell with the first seed). Each cell's data (1024 train + test
 * samples) depend on the data seed only, so the model seeds measure the spread of training, as in the paper's 5 runs.
 */
export async function amortisationKnownD(opts: AmortisationOptions & { grid?: [number, number, number][] } = {}): Promise<AmortisationRow[]> {
  await initBackend();
  const grid = opts.grid ?? KNOWN_D_GRID;
  const seed = opts.seed ?? 0, lam = opts.lambda ?? 0.01, lf = opts.fistaLambda ?? 0.01;
  const hidden = opts.mlpHidden ?? [32, 256];
  const seeds = opts.modelSeeds ?? [seed];
  const rows: AmortisationRow[] = [];
  const prog = createProgress({ total: grid.length * seeds.length, label: 'amortisation (known D)', unit: 'runs', enabled: opts.progress ?? true });
  grid.forEach((cell, ci) => {
    const [n, m, k] = cell;
    const tr = plantedSparseData({ n, m, k, samples: opts.samples ?? 1024, seed: seed * 1000 + ci * 2 + 1 });
    const te = plantedSparseData({ n, m, k, samples: opts.testSamples ?? 1024, seed: seed * 1000 + ci * 2 + 2, dictionary: tr.D });
    seeds.forEach((ms, si) => {
      const encOpts = { decoder: tr.D, lambda: (lam * m) / n, steps: opts.encoderSteps ?? 5000, progress: false };
      const sae = createLearner({ method: 'sae-relu', features: n, lambda: (lam * m) / n, bias: false, seed: ms });
      const [, tSae] = timed(() => sae.fit(tr.X, { steps: opts.saeSteps ?? 20000, batch: tr.X.rows, fixedDecoder: tr.D, warmup: 0, decay: 0, penaltyWarmup: 0, progress: false }));
      rows.push(score('known-D', cell, 'SAE', sae, te, 2 * m * n, tSae, false, ms));
      for (const h of hidden) {
        const mlp = new MlpEncoder(n, [h], ms);
        const [, t] = timed(() => mlp.fit(tr.X, { ...encOpts, batch: mlpBatch(h, opts) }));
        rows.push(score('known-D', cell, `MLP-${h}`, mlp, te, mlp.flopsPerSample(), t, false, ms));
      }
      if (si === 0 || !(opts.listaFirstSeedOnly ?? true)) {
        const li = new Lista(n, { iterations: opts.listaIterations ?? 5, lambda: lf }, ms);
        const [, tl] = timed(() => li.fit(tr.X, { ...encOpts, steps: opts.listaSteps ?? encOpts.steps, batch: opts.encoderBatch ?? 1024 }));
        rows.push(score('known-D', cell, `LISTA-${li.iterations}`, li, te, li.flopsPerSample(), tl, false, ms));
      }
      if (si === 0) {
        const fi = new DictionaryInference(tr.D, { method: 'fista', lambda: lf, maxIter: 1000 });
        const row = score('known-D', cell, 'FISTA', fi, te, 0, 0, false, ms);
        row.flops = fistaFlops(n, m, fi.lastIterations);
        rows.push(row);
      }
      const ito = DictionaryInference.fromModel(sae, { method: 'fista', lambda: lf, maxIter: 1000 }, true);
      const r2 = score('known-D', cell, 'SAE+ITO', ito, te, 0, 0, false, ms);
      r2.flops = 2 * m * n + fistaFlops(n, m, ito.lastIterations);
      rows.push(r2);
      prog.update(ci * seeds.length + si + 1, `(${n},${m},${k}) seed ${ms}`);
    });
  });
  prog.finish();
  return rows;
}

/**
 * Known codes (supervised): each encoder is fitted to the true codes of the training set (loss mean ‖ẑ − z‖²) and
 * scored by code MCC on the test set — how well an amortised encoder of that width can represent the inverse map at
 * all, with no sparsity penalty in the way. 'SAE' is the one-layer encoder ReLU(x·W + b) (an MLP with no hidden
 * layer), 'MLP-h' one hidden layer of width h. Rows: one per cell, model seed and encoder.
 */
export async function amortisationKnownZ(opts: AmortisationOptions & { grid?: [number, number, number][] } = {}): Promise<AmortisationRow[]> {
  await initBackend();
  const grid = opts.grid ?? [[16, 8, 3]];
  const seed = opts.seed ?? 0, hidden = opts.mlpHidden ?? [32, 256], seeds = opts.modelSeeds ?? [seed];
  const rows: AmortisationRow[] = [];
  grid.forEach((cell, ci) => {
    const [n, m, k] = cell;
    const tr = plantedSparseData({ n, m, k, samples: opts.samples ?? 1024, seed: seed * 1000 + ci * 2 + 1 });
    const te = plantedSparseData({ n, m, k, samples: opts.testSamples ?? 1024, seed: seed * 1000 + ci * 2 + 2, dictionary: tr.D });
    for (const ms of seeds) {
      for (const h of [0, ...hidden]) {
        const enc = new MlpEncoder(n, h ? [h] : [], ms);
        const [, t] = timed(() => enc.fit(tr.X, { targets: tr.Z, steps: opts.encoderSteps ?? 5000, batch: mlpBatch(h, opts), progress: false }));
        // the decoder of a known-Z encoder is untrained: FVU is not meaningful here, scored against the true D's codes only
        rows.push(score('known-Z', cell, h ? `MLP-${h}` : 'SAE', enc, te, enc.flopsPerSample(), t, false, ms));
      }
    }
  });
  return rows;
}

/** Method name of the L1 sparse-coding baseline in the unknown-D rows (the paper's, with no oracle K). */
export const SPARSE_CODING_L1 = 'SC (L1 lasso + MOD)';

/** SAE kinds compared in the unknown-D grid. */
export type SaeVariant = 'relu' | 'topk' | 'batchtopk' | 'jumprelu';

/**
 * An untrained SAE of one of the four variants, as the amortisation experiments use them: no biases (the
 * planted data are centred at 0), `k` active features for TopK/BatchTopK, penalty `lambda` for ReLU/JumpReLU
 * (JumpReLU's threshold starts at 0.05).
 */
export function makeSaeVariant(v: SaeVariant, o: { features: number; k: number; seed: number; lambda: number }): SparseAutoencoder {
  const cfg = { features: o.features, k: o.k, seed: o.seed, bias: false };
  switch (v) {
    case 'relu': return createLearner({ method: 'sae-relu', ...cfg, lambda: o.lambda });
    case 'topk': return createLearner({ method: 'sae-topk', ...cfg });
    case 'batchtopk': return createLearner({ method: 'sae-batchtopk', ...cfg });
    case 'jumprelu': return createLearner({ method: 'sae-jumprelu', ...cfg, lambda: o.lambda, initThreshold: 0.05 });
    default: throw new ValueError(`unknown SAE variant '${String(v)}' (relu, topk, batchtopk, jumprelu)`);
  }
}

/**
 * Unknown dictionary: learn D and codes from X only. SAE variants vs classical DL (OMP + MOD, codes by OMP
 * on the learned D, given the true K) vs the paper's L1 sparse-coding baseline (lasso codes + MOD, no K; when
 * `scIterations` > 0; its inference FLOPs are counted at 100 lasso iterations) vs an MLP encoder with a learned decoder; plus swap tests that separate dictionary from
 * encoder: the ReLU SAE's decoder + FISTA, and the oracle dictionary + FISTA.
 */
export async function amortisationUnknownD(opts: AmortisationOptions & {
  k?: number; ms?: number[]; ns?: number[]; saeVariants?: SaeVariant[];
} = {}): Promise<AmortisationRow[]> {
  await initBackend();
  const k = opts.k ?? 3, ms = opts.ms ?? [16, 32], ns = opts.ns ?? [16, 32, 64, 128];
  const variants = opts.saeVariants ?? ['relu', 'topk', 'batchtopk', 'jumprelu'];
  const seed = opts.seed ?? 0, lam = opts.lambda ?? 0.01, lf = opts.fistaLambda ?? 0.01;
  const hidden = opts.mlpHidden ?? [256];
  const cells: [number, number, number][] = [];
  for (const m of ms) for (const n of ns) cells.push([n, m, k]);
  const rows: AmortisationRow[] = [];
  const prog = createProgress({ total: cells.length, label: 'amortisation (unknown D)', unit: 'cells', enabled: opts.progress ?? true });
  cells.forEach((cell, ci) => {
    const [n, m] = cell;
    const tr = plantedSparseData({ n, m, k, samples: opts.samples ?? 1024, seed: seed * 1000 + 500 + ci * 2 + 1 });
    const te = plantedSparseData({ n, m, k, samples: opts.testSamples ?? 1024, seed: seed * 1000 + 500 + ci * 2 + 2, dictionary: tr.D });
    const steps = opts.saeSteps ?? 10000;
    let reluSae: SparseAutoencoder | null = null;
    for (const v of variants) {
      const sae = makeSaeVariant(v, { features: n, k, seed, lambda: (lam * m) / n });
      const [, t] = timed(() => sae.fit(tr.X, { steps, batch: tr.X.rows, lr: 1e-3, progress: false }));
      rows.push(score('unknown-D', cell, `SAE-${v}`, sae, te, 2 * m * n, t, true, seed));
      if (v === 'relu') reluSae = sae;
    }
    if ((opts.scIterations ?? 0) > 0) {
      const sc = createLearner({ method: 'dl', features: n, lambda: opts.scLambda ?? lf, seed }); // MOD updates, lasso inference
      const [, tsc] = timed(() => sc.fit(tr.X, { iterations: opts.scIterations!, progress: false }));
      rows.push(score('unknown-D', cell, SPARSE_CODING_L1, sc, te, fistaFlops(n, m, 100), tsc, true, seed));
    }
    const dl = createLearner({ method: 'dl', features: n, k, seed }); // MOD updates, OMP inference
    const [, tdl] = timed(() => dl.fit(tr.X, { iterations: opts.dlIterations ?? 50, progress: false }));
    rows.push(score('unknown-D', cell, 'DL (OMP+MOD)', dl, te, 2 * m * n + 2 * k * n, tdl, true, seed));
    for (const h of hidden) {
      const mlp = new MlpEncoder(n, [h], seed);
      const [, t] = timed(() => mlp.fit(tr.X, { lambda: (lam * m) / n, steps: opts.encoderSteps ?? 5000, batch: opts.encoderBatch ?? 1024, progress: false }));
      rows.push(score('unknown-D', cell, `MLP-${h}`, mlp, te, mlp.flopsPerSample(), t, true, seed));
    }
    if (reluSae) {
      const fi = DictionaryInference.fromModel(reluSae, { method: 'fista', lambda: lf, maxIter: 1000 });
      const r = score('swap', cell, 'SAE-relu decoder + FISTA', fi, te, 0, 0, true, seed);
      r.flops = fistaFlops(n, m, fi.lastIterations);
      rows.push(r);
    }
    const oracle = new DictionaryInference(tr.D, { method: 'fista', lambda: lf, maxIter: 1000 });
    const ro = score('swap', cell, 'oracle D + FISTA', oracle, te, 0, 0, true, seed);
    ro.flops = fistaFlops(n, m, oracle.lastIterations);
    rows.push(ro);
    prog.update(ci + 1, `(${n},${m},${k})`);
  });
  prog.finish();
  return rows;
}
