/**
 * The Results checks of every notebook in one module: what each notebook asserts about its numbers, in quick and
 * full mode, with the published or measured references beside them, and the claims of the README's "What
 * reproduces" table, each tied to the Results keys whose verdicts decide it.
 *
 * A notebook's Results cell computes its values and calls
 * `reportResults(name, values, ...Object.values(notebookChecks(name, mode)))`; tests feed the same checks values
 * from deliberately broken runs (untrained weights, shuffled codes, a random dictionary) and expect failures, so a
 * check that an untrained model passes shows up as a test failure, not as a quietly green notebook.
 *
 * Every check is a function of the Results values only (a check relative to another quantity reads it from
 * `values`). A claim that does not reproduce at the notebook's size is a *known gap*: its check stays the one the
 * claim needs, `knownGap` states the measured reason, and its `floor` — what an untrained or broken run fails — is
 * still asserted. The set of known-gap keys is pinned by test/experiments/checks.test.ts.
 */
import { Check, CheckSpec, KnownGapCheck, evaluateChecks, Verdict } from '../core/results';
import { ScoreSummaryRow, ScoredUnits, UNIT_SCORES } from './unit_scores';
import { Matrix } from '../core/matrix';
import { misProxyScore } from '../metrics/psychophysics';
import { cosineSimilarity } from '../metrics/similarity';

/** The notebooks that have a Results cell, by file stem. */
export const RESULT_NOTEBOOKS = ['00_setup', '01_superposition', '02_identifiability', '03_compressed_sensing',
  '04_sparse_autoencoders', '05_interpretability_metrics', '06_real_network'] as const;

/** A notebook's file stem (see {@link RESULT_NOTEBOOKS}). */
export type ResultNotebook = typeof RESULT_NOTEBOOKS[number];

/** Checks and references of one notebook's Results cell. */
export interface NotebookChecks {
  checks: Record<string, Check>;
  references: Record<string, string>;
}

type Mode = 'quick' | 'full';
type Values = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);
const spec = (expect: string, test: (v: number, all: Values) => boolean): CheckSpec => ({ expect, test: (v, all) => test(num(v), all) });
const atLeast = (t: number): CheckSpec => spec(`≥ ${t}`, (v) => v >= t);
const above = (t: number): CheckSpec => spec(`> ${t}`, (v) => v > t);
const below = (t: number): CheckSpec => spec(`< ${t}`, (v) => v < t);
const equals = (t: unknown): CheckSpec => ({ expect: `= ${String(t)}`, test: (v) => v === t });
const gap = (check: CheckSpec, knownGap: string, floor: CheckSpec): KnownGapCheck => ({ ...check, knownGap, floor });
/** "a beats b": full mode by the 95 % bootstrap CIs (the value is CI(a).lo − CI(b).hi), quick mode by the means. */
const beatsText = (mode: Mode): string => (mode === 'full' ? 'CI(a).lo − CI(b).hi > 0' : 'mean(a) − mean(b) > 0');

function setup(): NotebookChecks {
  return {
    checks: {
      matmul_ok: equals(true), tensors_leaked: equals(0), fashion_mnist_test: equals(10000),
      fashion_mnist_per_class_min: equals(1000), fashion_mnist_per_class_max: equals(1000),
    },
    references: {},
  };
}

function superposition(mode: Mode): NotebookChecks {
  const checks: Record<string, Check> = {
    // n=5, m=2, I = 0.9^i: the dense model keeps the top m = 2 features; the sparsest (density 1/20) a pentagon of 5.
    // An untrained (Xavier-normal) W has each ‖W_i‖ > 0.5 with probability ≈ 0.65, so "> 2" passed by luck.
    a_stored_dense: equals(2),
    a_stored_sparsest: equals(5),
    b_linear_keeps_exactly_top_m: equals(true),
    // n=3 → m=2, dense: feature 3 dropped at the lowest importance, dedicated at the highest (an untrained W: neither)
    d3_dense_corners: equals(2),
  };
  if (mode === 'full') {
    Object.assign(checks, {
      b_relu_stored_dense: equals(5),
      b_relu_stored_S0999: above(10),
      c_levels_on_plateau_half: atLeast(2),
      c_line_half_exists: equals(true),
      c_lines_existing: gap(spec('≥ 3 of 5', (v) => v >= 3),
        'measured (seed 0, control windows half-way between the lines): at the reference n=200, m=20, 10k steps but batch 256 two lines exist — 1/2 (151 features within ±0.005 vs 1.5), 2/5 (23 vs 5) — with 2/3 just short (5 vs 2), 3/8 at its control (9 vs 12), none at 3/4; at 2k steps × 256 only 1/2 (35 vs 4.5); at n=100, m=10, 10k × 256 three (1/2 74 vs 0.5, 2/5 21 vs 1.5, 2/3 5 vs 0.5); the full run at the paper\'s 10k × 1024: one (1/2 174 vs 5; 2/5 18 vs 8.5 and 3/8 14 vs 7.5 about twice their controls, 2/3 1 vs 2.5, 3/4 0)',
        spec('≥ 1 (the 1/2 line exists; an untrained W has none)', (v) => v >= 1)),
      d_phase_agreement: gap(atLeast(0.9),
        'measured (10×10 grid, seed 0): 0.75 with 10 models × 2000 steps × 128 per cell (the full run), 0.88 with 5 × 2000, 0.86 with 10 × 4000 (twice the budget still below 0.9)',
        atLeast(0.7)),
    });
  } else {
    Object.assign(checks, {
      b_relu_stored_S0999: spec('> stored dense', (v, all) => v > num(all.b_relu_stored_dense)),
      c_Dstar_sparsest: below(0.75),
      c_line_half_count: spec('> its control windows', (v, all) => v > num(all.c_line_half_control)),
      d_phase_agreement: atLeast(0.7),
    });
  }
  return {
    checks,
    references: {
      a_stored_dense: 'paper: the top m = 2 features when dense',
      a_stored_sparsest: 'paper: pentagon (5) at the sparsest density',
      b_linear_keeps_exactly_top_m: 'paper: linear models keep the top m',
      b_relu_stored: 'measured (PyTorch): 5, 7, 9, 10, 11, 11, 13 at S = 0, .7, .9, .97, .99, .997, .999',
      b_relu_Dstar: 'measured: 1.000, .743, .551, .501, .411, .377, .334',
      c_levels_on_plateau_half: 'paper: plateau at 1/2',
      c_lines_existing: 'paper: lines at 3/4, 2/3, 1/2, 2/5, 3/8',
      d_phase_agreement: 'project target ≥ 0.9',
      d3_dense_corners: 'Elhage et al. n=3 → m=2 diagram: dense, the last feature is dropped when least important, dedicated when most',
    },
  };
}

/** The full-mode ablation rows of notebook 02 ({@link ablationLabel} of each variation). */
export const ABLATION_ROWS_02 = ['base', 'C10', 'C1000', 'kappa5', 'kappa50', 'n10', 'laplace'] as const;

function identifiability(mode: Mode): NotebookChecks {
  const beatsBaselines = (v: number, all: Values) => v > num(all.r2_from_x) && v > num(all.r2_untrained);
  const checks: Record<string, Check> = {
    // Full: the reference encoder 50-250-250-50 at 6k steps × batch 1024 (PyTorch 0.982); 0.96 leaves a margin of
    // 0.02 below it, and an untrained encoder (0.42) or the observations (0.74) are far below.
    r2_trained: mode === 'full' ? spec('≥ 0.96 and > both baselines', (v, all) => v >= 0.96 && beatsBaselines(v, all))
      : spec('> both baselines', beatsBaselines),
  };
  if (mode === 'full') {
    // Each ablation row (3 seeds): mean R² at least 0.1 above the better of its own baselines (from x, untrained);
    // an untrained encoder has margin ≤ 0 by definition.
    for (const row of ABLATION_ROWS_02) checks[`ablation_${row}`] = spec('≥ 0.1 (mean R² over 3 seeds − the better baseline)', (v) => v >= 0.1);
    // Tight clusters learn slowly at the ablation's budget (small encoder, 3k steps at batch 128): measured on seed 0 at
    // 1×, 2× and 4× the steps before the full run, and on 3 seeds in it.
    checks.ablation_kappa50 = gap(checks.ablation_kappa50 as CheckSpec,
      'tight clusters (κ = 50) learn slowly: full run R² 0.640 ± 0.017 over 3 seeds at 3k steps against 0.672 from x and 0.402 untrained (margin −0.03); seed 0 alone reaches 0.648 at 3k, 0.703 at 6k, 0.748 at 12k steps (margin 0.08 at 4× the steps, still below 0.1)',
      spec('≥ −0.15 (an untrained encoder: ≈ −0.3)', (v) => v >= -0.15));
  }
  return {
    checks,
    references: {
      r2_trained: 'measured (PyTorch, n=5, C=100, 50-250-250-50, batch 1024): 0.923 at 1.5k, 0.974 at 3k, 0.982 at 6k steps',
      r2_from_x: 'measured: 0.741',
      r2_untrained: 'measured: 0.418',
      ablation_r2: 'Reizinger et al.: identifiability across C, κ, n and cluster shape; no per-row numbers here',
      bridge_r2_linear: 'open question, no published target',
    },
  };
}

function compressedSensing(mode: Mode): NotebookChecks {
  const checks: Record<string, Check> = {
    pinv_recovered: equals(0),
    transpose_recovered: equals(0),
    fista_recovered: atLeast(0.95),
    cd_recovered: atLeast(0.95),
    omp_recovered: atLeast(0.95),
    success_below_curve: atLeast(0.9),
    success_above_curve: spec('≤ 0.1', (v) => v <= 0.1),
    lasso_max_rel_distance_between_starts: below(1e-4),
    l0_distinct_supports: spec('> 1 (L0 depends on the start)', (v) => v > 1),
  };
  if (mode === 'full') {
    checks.signed_max_contour_diff = spec('≤ 0.05', (v) => v <= 0.05);
    checks.nonneg_max_contour_diff = spec('≤ 0.05', (v) => v <= 0.05);
  }
  return {
    checks,
    references: {
      signed_rho50_at_half: 'theory 0.386; LP at N=200 ≈ 0.37 (measured)',
      nonneg_rho50_at_half: 'theory 0.558; LP at N=200 ≈ 0.55 (measured)',
      signed_max_contour_diff: 'project target ≤ 0.05',
      nonneg_max_contour_diff: 'project target ≤ 0.05',
    },
  };
}

function sparseAutoencoders(mode: Mode): NotebookChecks {
  const checks: Record<string, Check> = {
    // Absolute checks at (N, M, K) = (16, 8, 3), known D: a broken SAE (random encoder, shuffled codes) falls below
    // 0.55; note that the SAE at initialisation (encoder = Dᵀ) already scores 0.66, so this catches a broken SAE,
    // not an untrained one — the gap and ITO checks below need a trained one.
    known_sae_16_8_3: atLeast(0.55),
    known_fista_16_8_3: atLeast(0.95),
    known_sae_ito_16_8_3: atLeast(0.95),
    known_fista_minus_sae_16_8_3: mode === 'full' ? atLeast(0.2) : above(0),
    known_ito_minus_sae_16_8_3: above(0),
    // the widest MLP beats the SAE (published MLP-256 0.818 vs 0.609): a known gap in both modes (reasons measured)
    known_mlp_minus_sae_16_8_3: mode === 'full'
      ? gap(above(0),
        'at the paper\'s 20k steps (batch 256) MLP-256 scores 0.513 ± 0.109 over 5 seeds (range 0.360–0.638) vs SAE 0.593 ± 0.001: output ReLUs of the MLP that start inactive (zero bias) never fire — 2 of 16 dead for seed 0, 6 for seed 1 — and the live ones fire on 0.4–0.8 of samples against 0.19 planted; at twice the budget (40k steps) seed 1 still scores 0.497 with 5 outputs dead',
        spec('widest MLP ≥ 0.48 (untrained: 0.434 for MLP-256)', (_v, all) => num(all.known_mlp_widest_16_8_3) >= 0.48))
      : gap(above(0),
        'quick mode trains MLP-256 1000 steps at batch 256 (0.62) against an SAE already at 0.71 after 800 steps; at 20k steps MLP-256 reaches 0.49–0.63 (batch 256, two seeds) vs SAE 0.58',
        spec('widest MLP ≥ 0.55 (untrained: 0.434 for MLP-256, 0.473 for MLP-32)', (_v, all) => num(all.known_mlp_widest_16_8_3) >= 0.55)),
    oracle_fista_min_inside_dt: atLeast(0.95),
    dl_minus_relu_sae_min_at_ratio_ge_4: above(0),
  };
  if (mode === 'full') {
    Object.assign(checks, {
      // measured (5 seeds, 20k steps): MLP-32 0.674 ± 0.073 vs SAE 0.593 ± 0.001; an untrained MLP-32 scores 0.473
      known_mlp32_minus_sae_16_8_3: above(0),
      sc_minus_relu_sae_min_at_ratio_ge_4: above(0),
      sc_lead_rank_correlation_with_ratio: above(0),
    });
  }
  if (mode === 'full') checks.lead_rank_correlation_with_ratio = above(0);
  else checks.lead_at_ratio_4_mean = spec('> lead at N/M = 1', (v, all) => v > num(all.lead_at_ratio_1));
  return {
    checks,
    references: {
      known_sae_16_8_3: 'published 0.609 (mean of 5 runs, 20k steps); at initialisation 0.664',
      known_mlp32_16_8_3: 'published 0.781',
      known_mlp256_16_8_3: 'published 0.818',
      known_mlp_minus_sae_16_8_3: 'published MLP-256 − SAE = 0.209',
      known_mlp32_minus_sae_16_8_3: 'published MLP-32 − SAE = 0.172',
      known_z_sae_16_8_3: 'published 0.690 (known Z)',
      known_z_mlp_widest_16_8_3: 'published MLP-32 0.773, MLP-256 0.755 (known Z)',
      unknown_sc_m16_n64: 'published sparse coding .66',
      unknown_sc_m32_n64: 'published sparse coding .92',
      unknown_sc_m32_n128: 'published sparse coding .87',
      sc_lead_rank_correlation_with_ratio: 'published leads over the SAE (M=32, N/M = 1, 2, 4): −.05, .37, .45',
      known_fista_16_8_3: 'measured 0.986',
      known_sae_ito_16_8_3: 'published 0.967',
      known_fista_minus_sae_16_8_3: 'issue: ≥ 0.2 (measured 0.261)',
      known_min_gap_all_cells: 'measured gaps 0.261 / 0.378 / 0.491 / 0.360',
      oracle_fista_min_inside_dt: 'measured 0.986–1.000 (known D)',
      unknown_sae_relu_m16_n64: 'published SAE .37',
      unknown_dl_m16_n64: 'published sparse coding .66',
      unknown_sae_relu_m32_n64: 'published SAE .55',
      unknown_dl_m32_n64: 'published sparse coding .92',
      unknown_sae_relu_m32_n128: 'published SAE .42',
      unknown_dl_m32_n128: 'published sparse coding .87',
      lead_at_ratio_1: 'published M=32,N=32: −0.05',
      lead_rank_correlation_with_ratio: 'published leads (M=32): −.05, .37, .45',
    },
  };
}

/**
 * Notebook 05's per-score values: for every unit score, the truth's mean, the random directions' mean, truth minus
 * the best other set (learned dictionary, PCA, random directions), truth vs random (full: CI(truth).lo −
 * CI(random).hi; quick: difference of means), the random directions' CI and whether it overlaps chance ± 0.05, the
 * chance level, and for analytic chance levels the shuffled null's CI.
 * @param truth the unit set that plays the ground truth (tests pass 'shuffled (null)' for a broken run)
 */
export function unitScoreValues(summary: ScoreSummaryRow[], scored: Pick<ScoredUnits, 'chance' | 'chanceKind'>, mode: Mode,
  truth = 'ground truth'): Record<string, unknown> {
  const row = (rep: string, s: string): ScoreSummaryRow => {
    const r = summary.find((x) => x.representation === rep && x.score === s);
    if (!r) throw new Error(`unitScoreValues: no summary row for '${rep}', score '${s}'`);
    return r;
  };
  const others = ['learned dictionary', 'PCA', 'random directions'].filter((o) => o !== truth);
  const values: Record<string, unknown> = {};
  for (const s of UNIT_SCORES) {
    const gt = row(truth, s), rnd = row('random directions', s), nul = row('shuffled (null)', s), ch = scored.chance[s];
    values[`${s}_gt_mean`] = gt.mean;
    values[`${s}_random_mean`] = rnd.mean;
    values[`${s}_gt_minus_best_other`] = gt.mean - Math.max(...others.map((o) => row(o, s).mean));
    values[`${s}_gt_vs_random`] = mode === 'full' ? gt.lo - rnd.hi : gt.mean - rnd.mean;
    values[`${s}_random_ci`] = [rnd.lo, rnd.hi].map((v) => +v.toFixed(4));
    values[`${s}_chance`] = +ch.toFixed(4);
    values[`${s}_random_at_chance`] = rnd.lo <= ch + 0.05 && rnd.hi >= ch - 0.05;
    if (scored.chanceKind[s] === 'analytic') values[`${s}_null_ci`] = [nul.lo, nul.hi].map((v) => +v.toFixed(4));
  }
  return values;
}

/**
 * Notebook 05's MIS values beside the per-score ones: the hard 2AFC accuracy (τ → 0) of the MIS tasks for the truth
 * and the random directions, and the MIS at a narrower pool — the top and bottom 5 % instead of the decile, i.e.
 * within a true feature's strongest activations (a feature is active on K/N = 12.5 % of the samples, so its decile
 * reaches into weak activations where other features dominate the image) — for both sets and their difference.
 * Same tasks and seed for every set.
 * @param truth, random activations (B×N units) of the ground truth and the random directions
 * @param images B×P images; the judge is their pixel cosine
 */
export function misValues(truth: Matrix, random: Matrix, images: Matrix, opts: { tasks: number; seed: number }): Record<string, number> {
  const sim = cosineSimilarity(images);
  const at = (acts: Matrix, quantile: number) => misProxyScore(acts, sim, { tasks: opts.tasks, seed: opts.seed, quantile });
  const gt = at(truth, 0.1), rnd = at(random, 0.1), gt5 = at(truth, 0.05), rnd5 = at(random, 0.05);
  return {
    mis_hard_gt_mean: gt.hard.mean, mis_hard_random_mean: rnd.hard.mean,
    mis_top5_gt_mean: gt5.mean, mis_top5_random_mean: rnd5.mean, mis_top5_gt_minus_random: gt5.mean - rnd5.mean,
    mis_top5_hard_gt_mean: gt5.hard.mean, mis_top5_hard_random_mean: rnd5.hard.mean,
  };
}

const ANALYTIC_05 = new Set(['probing', 'twoAfc', 'mis', 'intrusion']);

function interpretability(mode: Mode): NotebookChecks {
  const checks: Record<string, Check> = {};
  const references: Record<string, string> = {};
  const vsRandom = spec(mode === 'full' ? 'CI(truth).lo − CI(random).hi > 0' : 'mean(truth) − mean(random) > 0', (v) => v > 0);
  for (const s of UNIT_SCORES) {
    checks[`${s}_gt_minus_best_other`] = spec('≥ −0.02', (v) => v >= -0.02);
    checks[`${s}_gt_vs_random`] = vsRandom;
    if (s === 'dictionary') checks[`${s}_random_at_chance`] = { expect: 'true (CI overlaps chance ± 0.05)', test: (v) => v === true };
    else references[`${s}_random_at_chance`] = 'brief: expected true; reported, not asserted (random directions mix features)';
    if (ANALYTIC_05.has(s)) {
      checks[`${s}_null_ci`] = {
        expect: 'overlaps chance ± 0.05',
        test: (v, all) => Array.isArray(v) && v[0] <= num(all[`${s}_chance`]) + 0.05 && v[1] >= num(all[`${s}_chance`]) - 0.05,
      };
    }
  }
  // The MIS proxy with the pixel judge ranks random directions above the truth (measured, see knownGap). The claim's
  // checks stay; their floor is that the truth's MIS is clearly above chance, which a shuffled (broken) truth is not.
  const misFloor = spec('truth\'s MIS ≥ 0.55 and its hard accuracy ≥ 0.6 (chance 0.5; the shuffled null scores 0.49–0.51)',
    (_v, all) => num(all.mis_gt_mean) >= 0.55 && num(all.mis_hard_gt_mean) >= 0.6);
  const misReason = 'not reproduced at the reference pool (top and bottom decile) with the pixel judge: quick run MIS truth 0.602 vs random directions 0.636 (hard accuracy 0.737 vs 0.792), PCA 0.652; full run 0.587 vs 0.639 (hard 0.693 vs 0.772). Measured cause: a true feature is active on K/N = 12.5 % of the samples, so its decile reaches into weak activations where the other three features dominate the image; with the pool narrowed to the top and bottom 5 % the truth leads (quick MIS 0.745 vs 0.697, hard 0.919 vs 0.878; full 0.747 vs 0.677, hard 0.912 vs 0.831; quick at 3 %: 0.821 vs 0.713), and the 2AFC, whose references are the 9 most extreme images, ranks it first (0.895 vs 0.870). DreamSim, the paper\'s judge, cannot run offline';
  checks.mis_gt_vs_random = gap(checks.mis_gt_vs_random as CheckSpec, misReason, misFloor);
  checks.mis_gt_minus_best_other = gap(checks.mis_gt_minus_best_other as CheckSpec, misReason, misFloor);
  checks.mis_hard_gt_mean = spec('≥ 0.6 (hard 2AFC accuracy of the MIS tasks; chance 0.5)', (v) => v >= 0.6);
  // The measured cause of the gap, asserted in every run: within the truth's strongest activations its MIS leads.
  checks.mis_top5_gt_minus_random = spec('> 0 (MIS at the top/bottom 5 %: truth − random directions)', (v) => v > 0);
  references.mis_top5_gt_minus_random = 'measured: quick 0.745 − 0.697, full 0.747 − 0.677';
  references.mis_gt_mean = 'MIS proxy σ(Δ/τ), τ = 0.16, pixel judge; not comparable with DreamSim-based MIS (0.8–0.95)';
  references.mis_hard_gt_mean = 'τ → 0 limit of the MIS proxy';
  references.spearman_mcc_2afc_pooled = 'no published reference (planted data)';
  return { checks, references };
}

function realNetwork(mode: Mode): NotebookChecks {
  const rule = beatsText(mode);
  const full = mode === 'full';
  const sae = (all: Values, k: string): number => num((all[k] as Record<string, unknown> | undefined)?.['SAE features']);
  return {
    checks: {
      test_accuracy_seed1: full ? atLeast(0.88) : atLeast(0.8),
      selectivity_sae_vs_neurons: spec(rule, (v) => v > 0),
      twoAfc_sae_vs_neurons: gap(spec(rule, (v) => v > 0),
        'neurons score higher with the pixel judge: 0.945 [0.930, 0.957] vs SAE features 0.916 [0.904, 0.926] in the full run; the pixel judge rewards a neuron\'s one-class top images and does not see the features\' narrower sub-styles (DreamSim, the paper\'s judge, cannot run offline)',
        spec('SAE features within 0.1 of the neurons (same rule) and ≥ 0.75 (chance 0.5)', (v, all) => v >= -0.1 && num(all.twoAfc_sae) >= 0.75)),
      omp_beats_sae_encoder_fraction: above(0.5),
      best_dictionary_fvu_minus_pca: spec('< 0 (a 4× dictionary beats PCA at L0 = 8)', (v) => v < 0),
      universality_sae_vs_neurons: gap(spec(rule, (v) => v > 0),
        'the two seeds\' neurons match far better than their SAE features: MCC 0.670 [0.644, 0.696] vs 0.311 [0.287, 0.335] in the full run (chance 0.03–0.08); matched correlation favours dense units (a neuron is active on ~half the images, a feature on ~1.5 %)',
        spec('SAE features\' cross-seed MCC ≥ chance + 0.1 (shuffled codes sit at chance)', (_v, all) =>
          sae(all, 'universality') >= sae(all, 'universality_chance') + 0.1)),
      composite_parts_vs_same_classes: spec(rule, (v) => v > 0),
      // Controls (issue 16). Density-matched random atoms: a TopK code on as many random unit directions as the SAE has
      // atoms, same K. Selectivity does not separate them from the SAE (sparsity alone gives it); the 2AFC scores do.
      selectivity_sae_vs_random_atoms: gap(spec(rule, (v) => v > 0),
        'random atoms with the SAE\'s N and K are as class-selective as its features in the quick run: 0.899 [0.883, 0.913] vs 0.896 [0.887, 0.905] (an exported SAE: 0.896 vs 0.896; neurons 0.717); the full run separates them by a little (SAE 0.889 [0.878, 0.899] vs 0.847 [0.837, 0.857]; neurons 0.657): most of the selectivity advantage over the neurons is sparsity, not learned features',
        spec('SAE features\' selectivity ≥ random atoms\' − 0.1 (mean)', (_v, all) => num(obj(all.sae_minus_random_atoms).selectivity) >= -0.1)),
      // Quick mode (means) asserts these; the full-mode rule (CI ends) is not expected to separate them: known gaps there.
      twoAfc_sae_vs_random_atoms: full ? gap(spec(rule, (v) => v > 0),
        'quick run: SAE features 0.937 [0.917, 0.956] vs random atoms 0.910 [0.896, 0.924] (pixel judge): the means differ, the CIs overlap; the full run separates them (0.916 [0.904, 0.926] vs 0.850 [0.837, 0.863])',
        spec('SAE features\' 2AFC ≥ random atoms\' − 0.05 (means)', (_v, all) => num(obj(all.sae_minus_random_atoms).twoAfc) >= -0.05)) : spec(rule, (v) => v > 0),
      twoAfc_labels_sae_vs_random_atoms: full ? gap(spec(rule, (v) => v > 0),
        'with the label judge the means differ but the CIs overlap: SAE features 0.838 [0.824, 0.853] vs random atoms 0.826 [0.814, 0.838] in the full run (quick run 0.873 [0.844, 0.899] vs 0.865 [0.848, 0.881])',
        spec('SAE features\' label-judge 2AFC ≥ random atoms\' − 0.05 (means)', (_v, all) => sae(all, 'twoAfc_labels') - num(obj(all.twoAfc_labels)['random atoms (TopK)']) >= -0.05))
        : spec(rule, (v) => v > 0),
      twoAfc_labels_sae_vs_neurons: gap(spec(rule, (v) => v > 0),
        'with the exact label judge the neurons still score higher: 0.937 [0.924, 0.949] vs SAE features 0.838 [0.824, 0.853] in the full run (random atoms 0.826); a ReLU neuron\'s top images are mostly one class, a sparse unit\'s top pool is small and mixed',
        spec('SAE features ≥ 0.75 with the label judge (chance 0.5; shuffled codes 0.50)', (_v, all) => sae(all, 'twoAfc_labels') >= 0.75)),
      // Universality as the paper's stated limitation: two seeds of one network's SAE, against density-matched random atoms.
      sae_seed_stability_vs_random_atoms: spec(rule, (v) => v > 0),
      // Depth trend (Colin et al.): the SAE's selectivity advantage over the neurons, deepest layer minus first.
      depth_selectivity_advantage_deepest_minus_first: gap(spec('> 0 (the advantage grows with depth)', (v) => v > 0),
        'the advantage shrinks with depth: selectivity advantage 0.340, 0.233, 0.186 on the 256-, 128- and 64-unit layers in the full run (2AFC, label judge: −0.024, −0.085, −0.113); the neurons themselves become class-specific towards the class head (label-judge 2AFC 0.850, 0.942, 0.971), and on the 64-unit layer random atoms are more selective than the SAE features (0.897 vs 0.817)',
        spec('SAE features more selective than neurons on every layer', (_v, all) => {
          const a = (obj(all.depth_advantage).selectivity ?? []) as unknown[];
          return a.length > 0 && a.every((x) => num(x) > 0);
        })),
    },
    references: {
      test_accuracy_seed1: 'Fashion-MNIST benchmark table: MLP 256-128-64 0.900',
      random_atoms_scores: 'density-matched control (TopK on random atoms, the SAE\'s N and K)',
      sae_seed_stability: 'paper: dictionaries are not unique (seed dependence is a stated limitation)',
      depth_advantage: 'Colin et al.: the advantage grows with depth',
      selectivity_dl_vs_neurons: 'reported, not asserted',
      twoAfc_dl_vs_neurons: 'reported, not asserted',
      universality_dl_vs_neurons: 'reported, not asserted',
    },
  };
}

/**
 * The checks and references of a notebook's Results cell.
 * @param notebook file stem, e.g. '04_sparse_autoencoders'
 * @param mode 'quick' (tests, small sizes) or 'full'
 */
export function notebookChecks(notebook: string, mode: Mode): NotebookChecks {
  if (mode !== 'quick' && mode !== 'full') throw new Error(`notebookChecks: mode must be 'quick' or 'full', got '${String(mode)}'`);
  switch (notebook as ResultNotebook) {
    case '00_setup': return setup();
    case '01_superposition': return superposition(mode);
    case '02_identifiability': return identifiability(mode);
    case '03_compressed_sensing': return compressedSensing(mode);
    case '04_sparse_autoencoders': return sparseAutoencoders(mode);
    case '05_interpretability_metrics': return interpretability(mode);
    case '06_real_network': return realNetwork(mode);
    default: throw new Error(`notebookChecks: no Results checks for '${notebook}'; notebooks with checks: ${RESULT_NOTEBOOKS.join(', ')}`);
  }
}

/** Every known gap: notebook, mode, key, and the floor that is still asserted. */
export function knownGaps(): { notebook: ResultNotebook; mode: Mode; key: string; reason: string; floor: string }[] {
  const out: { notebook: ResultNotebook; mode: Mode; key: string; reason: string; floor: string }[] = [];
  for (const notebook of RESULT_NOTEBOOKS) {
    for (const mode of ['quick', 'full'] as const) {
      for (const [key, c] of Object.entries(notebookChecks(notebook, mode).checks)) {
        if (typeof c !== 'function' && 'knownGap' in c) out.push({ notebook, mode, key, reason: c.knownGap, floor: c.floor.expect });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
/** One row of the README's "What reproduces" table: the claim, how to show the number, and the keys deciding it. */
export interface ReadmeClaim {
  notebook: ResultNotebook;
  claim: string;
  /** Results keys whose verdicts decide the row (worst wins); none = reported only (no published target). */
  keys: string[];
  /** The "here" cell, from the notebook's values. */
  here: (v: Values) => string;
  reference: string;
}

const f = (x: unknown, d = 3): string => (typeof x === 'number' && Number.isFinite(x) ? (Number.isInteger(x) ? String(x) : x.toFixed(d)) : x === null || x === undefined ? '—' : String(x));
const pct = (x: unknown): string => (typeof x === 'number' ? `${Math.round(100 * x)} %` : String(x));
const obj = (x: unknown): Record<string, unknown> => (x && typeof x === 'object' ? x as Record<string, unknown> : {});

/** The claims of the README table, in order. */
export const README_CLAIMS: ReadmeClaim[] = [
  { notebook: '01_superposition', claim: '01 · n=5 → m=2 toy model: 2 features stored when dense, a pentagon of 5 at the sparsest density',
    keys: ['a_stored_dense', 'a_stored_sparsest'], here: (v) => `${v.a_stored_dense} dense, ${v.a_stored_sparsest} sparsest`, reference: '2 and 5 (paper figure)' },
  { notebook: '01_superposition', claim: '01 · ReLU toy model (n=20, m=5, I=0.7^i) stores more features than dimensions as sparsity grows: count of ‖W_i‖ > 0.5 over S',
    keys: ['b_relu_stored_dense', 'b_relu_stored_S0999'], here: (v) => (v.b_relu_stored as unknown[] ?? []).join(', '), reference: '5, 7, 9, 10, 11, 11, 13 at S = 0 … 0.999' },
  { notebook: '01_superposition', claim: '01 · a linear model keeps exactly the top m features',
    keys: ['b_linear_keeps_exactly_top_m'], here: (v) => (v.b_linear_keeps_exactly_top_m ? 'yes, at every S' : 'no'), reference: '—' },
  { notebook: '01_superposition', claim: '01 · n=2 → m=1 phase diagram agrees with theory',
    keys: ['d_phase_agreement'], here: (v) => `${pct(v.d_phase_agreement)} of cells`, reference: 'project target ≥ 90 %' },
  { notebook: '01_superposition', claim: '01 · dimensionality "lines" at 3/4, 2/3, 1/2, 2/5, 3/8',
    keys: ['c_lines_existing', 'c_line_half_count'], here: (v) => `${v.c_lines_existing ?? '?'} of 5 lines exist; within ±0.005 vs control: ${Object.entries(obj(v.c_line_counts)).map(([k, c]) => `${k}: ${c}`).join(', ')}`,
    reference: 'lines at all five' },
  { notebook: '02_identifiability', claim: '02 · cross-entropy training makes the representation linear in the latents: held-out linear R²',
    keys: ['r2_trained'], here: (v) => `${f(v.r2_trained)} (from x: ${f(v.r2_from_x)}, untrained: ${f(v.r2_untrained)})`, reference: '0.982 at 6k steps (0.741, 0.418)' },
  { notebook: '02_identifiability', claim: '02 · ablation (3 seeds × 3k steps, small encoder): R² over the better baseline for C = 10/1000, κ = 5/50, n = 10, Laplace',
    keys: ABLATION_ROWS_02.map((r) => `ablation_${r}`), here: (v) => Object.entries(obj(v.ablation_r2)).map(([k, x]) => `${k} ${x}`).join(', '),
    reference: 'identifiability in every setting (no per-row numbers published)' },
  { notebook: '02_identifiability', claim: '02 · overcomplete bridge (N=16 sparse latents, M=8 layer): linear?',
    keys: [], here: (v) => `linear R² ${f(v.bridge_r2_linear, 2)} vs k-NN ${f(v.bridge_r2_knn, 2)}; additivity R² ${f(v.bridge_additivity_r2, 2)} vs ${f(v.bridge_additivity_r2_shuffled, 2)} shuffled; sparse coding MCC ${f(v.bridge_mcc_sparse_coding, 2)}, SAE ${f(v.bridge_mcc_sae, 2)}`,
    reference: 'no published target' },
  { notebook: '03_compressed_sensing', claim: '03 · ℓ1 recovery follows the Donoho–Tanner curve: largest |ρ₅₀ − ρ(δ)| (full), success below / above the curve (quick)',
    keys: ['signed_max_contour_diff', 'nonneg_max_contour_diff', 'success_below_curve', 'success_above_curve'],
    here: (v) => `signed ${f(v.signed_max_contour_diff)}, non-negative ${f(v.nonneg_max_contour_diff)}; success ${pct(v.success_below_curve)} below, ${pct(v.success_above_curve)} above`, reference: 'project target ≤ 0.05' },
  { notebook: '03_compressed_sensing', claim: '03 · linear read-outs recover nothing; lasso and OMP recover',
    keys: ['pinv_recovered', 'transpose_recovered', 'fista_recovered', 'cd_recovered', 'omp_recovered'],
    here: (v) => `linear ${pct(v.pinv_recovered)} / ${pct(v.transpose_recovered)}; FISTA ${pct(v.fista_recovered)}, CD ${pct(v.cd_recovered)}, OMP ${pct(v.omp_recovered)} of samples`, reference: '—' },
  { notebook: '04_sparse_autoencoders', claim: '04 · amortisation gap, known D (16, 8, 3): code MCC SAE vs FISTA and SAE + ITO',
    keys: ['known_sae_16_8_3', 'known_fista_16_8_3', 'known_sae_ito_16_8_3', 'known_fista_minus_sae_16_8_3', 'known_ito_minus_sae_16_8_3'],
    here: (v) => `${f(v.known_sae_16_8_3)} vs ${f(v.known_fista_16_8_3)} (SAE + ITO ${f(v.known_sae_ito_16_8_3)})`, reference: 'SAE 0.609, SAE + ITO 0.967; measured 0.725 vs 0.986' },
  { notebook: '04_sparse_autoencoders', claim: '04 · MLP encoders beat the SAE (known D)',
    keys: ['known_mlp_minus_sae_16_8_3', 'known_mlp32_minus_sae_16_8_3'], here: (v) => `MLP-32 ${f(v.known_mlp32_16_8_3)}, MLP-256 ${f(v.known_mlp256_16_8_3)} vs SAE ${f(v.known_sae_16_8_3)}`, reference: '0.781, 0.818 vs 0.609' },
  { notebook: '04_sparse_autoencoders', claim: '04 · unknown D: dictionary learning beats SAEs, more so as N/M grows',
    keys: ['dl_minus_relu_sae_min_at_ratio_ge_4', 'lead_rank_correlation_with_ratio', 'lead_at_ratio_4_mean', 'sc_minus_relu_sae_min_at_ratio_ge_4', 'sc_lead_rank_correlation_with_ratio'],
    here: (v) => `DL − ReLU SAE ≥ ${f(v.dl_minus_relu_sae_min_at_ratio_ge_4, 2)} in every cell with N/M ≥ 4; Spearman(N/M, lead) ${f(v.lead_rank_correlation_with_ratio, 2)}; L1 sparse coding: SAE ${f(v.unknown_sae_relu_m32_n128, 2)} vs ${f(v.unknown_sc_m32_n128, 2)} at M=32, N=128, Spearman ${f(v.sc_lead_rank_correlation_with_ratio, 2)}`, reference: 'SAE .37/.55/.42 vs sparse coding .66/.92/.87' },
  { notebook: '05_interpretability_metrics', claim: '05 · ground truth beats random directions on MCC, selectivity, probing, 2AFC, intrusion',
    keys: ['mcc_gt_vs_random', 'selectivity_gt_vs_random', 'probing_gt_vs_random', 'twoAfc_gt_vs_random', 'intrusion_gt_vs_random'],
    here: (v) => `truth − random: 2AFC ${f(v.twoAfc_gt_vs_random)}, selectivity ${f(v.selectivity_gt_vs_random)}, MCC ${f(v.mcc_gt_vs_random)}`, reference: '—' },
  { notebook: '05_interpretability_metrics', claim: '05 · MIS proxy (σ(Δ/τ), τ = 0.16, pixel judge): ground truth above random directions',
    keys: ['mis_gt_vs_random', 'mis_hard_gt_mean', 'mis_top5_gt_minus_random'], here: (v) => `decile pool: truth ${f(v.mis_gt_mean)} (hard ${f(v.mis_hard_gt_mean)}) vs random ${f(v.mis_random_mean)} (hard ${f(v.mis_hard_random_mean)}); top/bottom 5 %: truth ${f(v.mis_top5_gt_mean)} vs random ${f(v.mis_top5_random_mean)}`,
    reference: 'DreamSim MIS 0.8–0.95 (not comparable)' },
  { notebook: '06_real_network', claim: '06 · an MLP 784-256-128-64 trained on Fashion-MNIST on the compute engine',
    keys: ['test_accuracy_seed1'], here: (v) => `test accuracy ${f(v.test_accuracy_seed1)} (seed 2: ${f(v.test_accuracy_seed2)})`, reference: '0.900 (benchmark table)' },
  { notebook: '06_real_network', claim: '06 · the layer is a sparse combination of more directions than neurons: FVU at 8 active units per image',
    keys: ['best_dictionary_fvu_minus_pca'], here: (v) => Object.entries(obj(v.fvu_at_k8)).map(([k, x]) => `${k} ${f(x)}`).join(', '), reference: '—' },
  { notebook: '06_real_network', claim: '06 · sparse inference on a learned SAE decoder beats the SAE encoder at equal L0',
    keys: ['omp_beats_sae_encoder_fraction'], here: (v) => `${v.omp_beats_sae_encoder} dictionaries`, reference: 'amortisation gap' },
  { notebook: '06_real_network', claim: '06 · dictionary features are more class-selective than neurons',
    keys: ['selectivity_sae_vs_neurons'], here: (v) => `SAE ${f(v.selectivity_sae, 2)}, DL ${f(v.selectivity_dl, 2)} vs neurons ${f(v.selectivity_neurons, 2)}`, reference: '—' },
  { notebook: '06_real_network', claim: '06 · dictionary features beat neurons on the 2AFC score (pixel judge)',
    keys: ['twoAfc_sae_vs_neurons'], here: (v) => `SAE ${f(v.twoAfc_sae)}, DL ${f(v.twoAfc_dl)} vs neurons ${f(v.twoAfc_neurons)}`, reference: 'paper: features more interpretable' },
  { notebook: '06_real_network', claim: '06 · dictionaries of two seeds agree better than their neurons',
    keys: ['universality_sae_vs_neurons'], here: (v) => Object.entries(obj(v.universality)).map(([k, x]) => `${k} ${f(x)}`).join(', '), reference: '—' },
  { notebook: '06_real_network', claim: '06 · dictionary features beat density-matched random atoms (TopK on random directions, same N and K)',
    keys: ['selectivity_sae_vs_random_atoms', 'twoAfc_sae_vs_random_atoms', 'twoAfc_labels_sae_vs_random_atoms'],
    here: (v) => `SAE − random atoms: ${Object.entries(obj(v.sae_minus_random_atoms)).map(([k, x]) => `${k} ${f(x)}`).join(', ')}`, reference: 'control (issue 16)' },
  { notebook: '06_real_network', claim: '06 · dictionary features beat neurons on the 2AFC score (exact label judge)',
    keys: ['twoAfc_labels_sae_vs_neurons'], here: (v) => Object.entries(obj(v.twoAfc_labels)).map(([k, x]) => `${k} ${f(x)}`).join(', '), reference: 'paper: features more interpretable' },
  { notebook: '06_real_network', claim: '06 · one network\'s SAE is stable across seeds beyond density-matched random atoms',
    keys: ['sae_seed_stability_vs_random_atoms'], here: (v) => Object.entries(obj(v.sae_seed_stability)).map(([k, x]) => `${k} ${f(x)}`).join(', '), reference: 'paper: a stated limitation' },
  { notebook: '06_real_network', claim: '06 · the dictionary\'s advantage over neurons grows with depth (256 → 128 → 64)',
    keys: ['depth_selectivity_advantage_deepest_minus_first'], here: (v) => `selectivity advantage ${((obj(v.depth_advantage).selectivity ?? []) as unknown[]).map((x) => f(x)).join(', ')}`, reference: 'Colin et al.' },
  { notebook: '06_real_network', claim: '06 · Fig. 1 on real data: response to a composite ≈ weighted sum of the parts\'',
    keys: ['composite_parts_vs_same_classes'], here: (v) => `R² ${Object.entries(obj(v.composite_r2)).map(([k, x]) => `${k} ${f(x, 2)}`).join(', ')}`, reference: 'Fig. 1 idea' },
];

/** Verdict of a README row: 'fails' if any key fails, else 'known gap' if any is one, else 'reproduces'; no keys → 'reported'. */
export type ClaimVerdict = Verdict | 'reported' | 'not run';

/**
 * The verdict of one README claim from a notebook's Results values (as printed in its RESULTS line), computed by
 * the notebook's checks in the mode it ran; keys without a check in that mode are skipped.
 */
export function claimVerdict(claim: ReadmeClaim, values: Values | undefined, mode: Mode): ClaimVerdict {
  if (!values) return 'not run';
  const { checks } = notebookChecks(claim.notebook, mode);
  const keys = claim.keys.filter((k) => checks[k] && k in values);
  if (!keys.length) return 'reported';
  const outcomes = evaluateChecks(values, Object.fromEntries(keys.map((k) => [k, checks[k]])));
  const vs = keys.map((k) => outcomes[k].verdict);
  return vs.includes('fails') ? 'fails' : vs.includes('known gap') ? 'known gap' : 'reproduces';
}

/** A notebook's RESULTS line as collected in build/notebooks/report.json: notebook, mode and the values. */
export type ResultsRecord = { notebook: string; mode: Mode } & Record<string, unknown>;

function verdictCell(v: ClaimVerdict, claim: ReadmeClaim, rec: ResultsRecord | undefined): string {
  const quick = rec?.mode === 'quick' ? ' (quick mode)' : '';
  // In quick mode a claim whose first key is checked in full mode only has a weaker check (a direction, a smaller size).
  const weaker = rec?.mode === 'quick' && claim.keys.length > 0 && !notebookChecks(claim.notebook, 'quick').checks[claim.keys[0]]
    ? '; the claim itself is checked in full mode only' : '';
  if (v === 'reproduces') return `reproduces${quick}${weaker}`;
  if (v === 'reported') return `reported (no check)${quick}`;
  if (v === 'not run') return '**not run** (no RESULTS line in the report)';
  const { checks } = notebookChecks(claim.notebook, rec!.mode);
  const outcomes = evaluateChecks(rec!, Object.fromEntries(claim.keys.filter((k) => checks[k] && k in rec!).map((k) => [k, checks[k]])));
  if (v === 'known gap') {
    // the reasons of the keys that are known gaps in this run; keys of the same claim that reproduce are named
    const byVerdict = (verdict: string) => Object.keys(outcomes).filter((k) => outcomes[k].verdict === verdict);
    const reasons = byVerdict('known gap').map((k) => (checks[k] as KnownGapCheck).knownGap);
    const held = byVerdict('reproduces');
    return `**does not reproduce** — a *known gap*${quick}: ${reasons.join('; ')}${held.length ? ` (reproduces in this run: ${held.join(', ')})` : ''}`;
  }
  const failed = Object.entries(outcomes).filter(([, o]) => o.verdict === 'fails')
    .map(([k, o]) => `${k} = ${f(rec![k])}, expected ${o.expect}${o.floor ? ` (known gap below its floor ${o.floor})` : ''}`);
  return `**FAILS**${quick}: ${failed.join('; ')}`;
}

/**
 * The README's "What reproduces" table (markdown, one row per {@link README_CLAIMS} entry) from the notebooks'
 * RESULTS records: "here" formatted from the values, the verdict computed by the notebook's checks in the mode it ran.
 * A notebook listed more than once: its last record counts.
 */
export function resultsTable(records: ResultsRecord[]): string {
  const last = new Map<string, ResultsRecord>();
  for (const r of records) last.set(r.notebook, r);
  const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = ['| claim | here | reference | verdict |', '| --- | --- | --- | --- |'];
  for (const c of README_CLAIMS) {
    const rec = last.get(c.notebook);
    const verdict = rec ? claimVerdict(c, rec, rec.mode) : 'not run';
    const here = rec ? c.here(rec) : '—';
    lines.push(`| ${esc(c.claim)} | ${esc(here)} | ${esc(c.reference)} | ${esc(verdictCell(verdict, c, rec))} |`);
  }
  return lines.join('\n');
}
