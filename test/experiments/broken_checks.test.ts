// Each notebook's Results checks (src/experiments/checks.ts) must fail on a deliberately broken run: untrained
// weights, shuffled codes, a random dictionary — values computed by the library at small size, the same way the
// notebook's Results cell computes them, not typed in. A check that a broken run passes cannot tell a working
// experiment from a broken one; these tests name, per notebook, which checks catch which breakage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateChecks, reportResults, ResultCheckError } from '../../src/core/results';
import { notebookChecks } from '../../src/experiments/checks';
import { toyDirectionsExperiment, toySparsitySweep, toyUniformExperiment, toyPhaseDiagram, toyPhaseDiagram3to2 } from '../../src/experiments/toy';
import { countRepresented, FractionLineRow } from '../../src/toy/analysis';
import { identifiabilityExperiment, identifiabilityAblation } from '../../src/experiments/identifiability';
import { linearVsSparse, measurementProblem, relativeErrors } from '../../src/experiments/compressed_sensing';
import { amortisationKnownD } from '../../src/experiments/amortisation';
import { interpretabilityExperiment } from '../../src/experiments/interpretability';
import { randomAtomTopKCodes, shuffledUnitSet } from '../../src/experiments/unit_sets';
import { judgedTwoAfc, summariseScores, scoreUnitSets, UNIT_SCORES } from '../../src/experiments/unit_scores';
import { bootstrapMeanCi } from '../../src/metrics/bootstrap';
import { crossSeedMatch } from '../../src/experiments/real_units';
import { unitScoreValues, misValues, ABLATION_ROWS_02 } from '../../src/experiments/checks';
import { mcc } from '../../src/metrics/mcc';
import { plantedSparseData } from '../../src/data/synthetic';
import { DictionaryInference } from '../../src/dictionary/sae_inference';
import { Matrix, asFloat64, matrix } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';
import { sparseEncode } from '../../src/sparse/encode';

type Mode = 'quick' | 'full';

/** The keys whose checks fail on `values` (only the checks whose values were computed), and that reportResults throws. */
function failing(notebook: string, mode: Mode, values: Record<string, unknown>): string[] {
  const { checks } = notebookChecks(notebook, mode);
  const present = Object.fromEntries(Object.entries(checks).filter(([k]) => k in values));
  const out = evaluateChecks(values, present);
  const failed = Object.keys(out).filter((k) => out[k].verdict === 'fails').sort();
  const log = console.log;
  console.log = () => {};
  try {
    if (failed.length) assert.throws(() => reportResults(notebook, values, present), ResultCheckError);
    else reportResults(notebook, values, present);
  } finally { console.log = log; }
  return failed;
}

function shuffleRows(Z: Matrix, seed: number): Matrix {
  const rng = new Rng(seed), B = Z.rows, N = Z.cols, out = new Float32Array(B * N);
  const perm = Array.from({ length: B }, (_, i) => i);
  for (let i = B - 1; i > 0; i--) { const j = rng.int(i + 1); [perm[i], perm[j]] = [perm[j], perm[i]]; }
  perm.forEach((p, b) => { for (let j = 0; j < N; j++) out[b * N + j] = Z.data[p * N + j]; });
  return matrix(B, N, out);
}

test('01: untrained toy models (0 steps) fail the exact feature counts, the linear top-m, both phase diagrams and the lines', async () => {
  const sparsities = [0, 0.9, 0.999];
  const dirs = await toyDirectionsExperiment({ points: 4, replicates: 4, steps: 0, seed: 0, progress: false });
  const sweep = await toySparsitySweep({ sparsities, steps: 0, seed: 0, progress: false });
  const uni = await toyUniformExperiment({ n: 60, m: 6, levels: 6, steps: 0, seed: 0, progress: false });
  const phase = await toyPhaseDiagram({ gridSize: 4, replicates: 3, steps: 0, seed: 0, progress: false });
  const phase3 = await toyPhaseDiagram3to2({ gridSize: 4, replicates: 3, steps: 0, seed: 0, progress: false });
  const cell3 = (d: number, r: number) => phase3.cells.find((c) => c.density === d && c.importance === r)!.empirical;
  const countAt = (s: number) => sweep.models.find((m) => m.activation === 'relu' && m.sparsity === s)!.represented;
  const lineExists = (l: FractionLineRow) => l.count >= 5 && l.count >= 3 * l.control;
  const half = uni.lines.find((l) => l.label === '1/2')!;
  const linearTopM = sparsities.every((s) => sweep.features.filter((f) => f.activation === 'linear' && f.sparsity === s)
    .every((f) => ((f.norm as number) > 0.5) === ((f.feature as number) < 5)));
  const values = {
    a_stored_dense: countRepresented(dirs.panels[0].W),
    a_stored_sparsest: countRepresented(dirs.panels[dirs.panels.length - 1].W),
    b_linear_keeps_exactly_top_m: linearTopM,
    b_relu_stored_dense: countAt(0),
    b_relu_stored_S0999: countAt(0.999),
    c_Dstar_sparsest: +uni.levels[uni.levels.length - 1].dimsPerFeature.toFixed(3),
    c_levels_on_plateau_half: uni.levels.filter((l) => Math.abs(l.dimsPerFeature - 0.5) <= 0.05).length,
    c_line_half_count: half.count,
    c_line_half_control: half.control,
    c_line_half_exists: lineExists(half),
    c_lines_existing: uni.lines.filter(lineExists).length,
    d_phase_agreement: phase.agreement,
    d3_dense_corners: Number(cell3(phase3.densities[0], phase3.importances[0]) === 'not learned')
      + Number(cell3(phase3.densities[0], phase3.importances[phase3.importances.length - 1]) === 'dedicated'),
  };
  // An untrained W stores "more than 2" features at the sparsest density by chance (the old check passed here).
  assert.ok(values.a_stored_sparsest > 2, `untrained sparsest stores ${values.a_stored_sparsest}`);
  const quick = failing('01_superposition', 'quick', values);
  for (const k of ['a_stored_sparsest', 'b_linear_keeps_exactly_top_m', 'd_phase_agreement', 'd3_dense_corners']) assert.ok(quick.includes(k), `quick: ${k} should fail, failing: ${quick}`);
  const full = failing('01_superposition', 'full', values);
  for (const k of ['a_stored_sparsest', 'b_linear_keeps_exactly_top_m', 'c_lines_existing', 'c_line_half_exists', 'd_phase_agreement', 'd3_dense_corners']) {
    assert.ok(full.includes(k), `full: ${k} should fail (c_lines_existing: below the known gap's floor), failing: ${full}`);
  }
});

test('02: an untrained encoder in place of the trained one fails "R² above both baselines" and every ablation row, known gaps below their floors', async () => {
  const run = await identifiabilityExperiment({ quick: true, steps: 1, seed: 0, progress: false });
  const values = { r2_trained: run.baselines.untrained, r2_from_x: run.baselines.x, r2_untrained: run.baselines.untrained };
  for (const mode of ['quick', 'full'] as const) assert.deepEqual(failing('02_identifiability', mode, values), ['r2_trained']);
  // the full-mode ablation rows after one Adam step (as untrained), with the notebook's settings and keys
  const rows = await identifiabilityAblation({ steps: 1, batch: 128, lr: 3e-3, evalSamples: 2048, hidden: [32, 64, 32], seed: 0, progress: false,
    base: { n: 5, classes: 100, kappa: 10 }, variations: [{}, { classes: 10 }, { classes: 1000 }, { kappa: 5 }, { kappa: 50 }, { n: 10 }, { noise: 'laplace' }] });
  assert.deepEqual(rows.map((r) => r.label), [...ABLATION_ROWS_02]);
  const ablation = Object.fromEntries(rows.map((r) => [`ablation_${r.label}`, r.margin]));
  assert.deepEqual(failing('02_identifiability', 'full', { ...values, ...ablation }), ['r2_trained', ...ABLATION_ROWS_02.map((r) => `ablation_${r}`)].sort());
});

test('03: a random dictionary in place of the measurement matrix fails every sparse recovery check', () => {
  const p = measurementProblem({ n: 200, m: 80, k: 8, b: 10, nonneg: false, seed: 1 });
  const wrong = measurementProblem({ n: 200, m: 80, k: 8, b: 1, nonneg: false, seed: 2 }).D;
  const exact = (Zhat: Matrix) => relativeErrors(p.Z, Zhat).filter((e) => e < 1e-2).length / p.Z.rows;
  const honest = Object.fromEntries(linearVsSparse({ n: 200, m: 80, k: 8, b: 10, nonneg: false, seed: 1 }).map((r) => [r.method, r.exact]));
  const values = {
    pinv_recovered: honest['pseudo-inverse (linear)'],
    transpose_recovered: honest['x·Dᵀ (linear)'],
    fista_recovered: exact(sparseEncode(p.X, wrong, { method: 'fista', lambda: 1e-3 }).codes),
    cd_recovered: exact(sparseEncode(p.X, wrong, { method: 'cd', lambda: 1e-3 }).codes),
    omp_recovered: exact(sparseEncode(p.X, wrong, { method: 'omp', k: 8 }).codes),
  };
  assert.equal(honest['lasso, FISTA'], 1, 'with the true matrix FISTA recovers every sample');
  for (const mode of ['quick', 'full'] as const) {
    assert.deepEqual(failing('03_compressed_sensing', mode, values), ['cd_recovered', 'fista_recovered', 'omp_recovered']);
  }
});

test('04: an untrained MLP, a random dictionary and shuffled SAE codes each fail the known-D checks', async () => {
  const rows = await amortisationKnownD({ grid: [[16, 8, 3]], saeSteps: 1, encoderSteps: 1, encoderBatch: 256, mlpHidden: [32],
    testSamples: 512, seed: 0, progress: false });
  const kd = (m: string) => rows.find((r) => r.method === m)!.mcc;
  const base = (sae: number, fista: number, ito: number, mlp: number) => ({
    known_sae_16_8_3: sae, known_fista_16_8_3: fista, known_sae_ito_16_8_3: ito, known_mlp_widest_16_8_3: mlp,
    known_mlp_minus_sae_16_8_3: mlp - sae, known_fista_minus_sae_16_8_3: fista - sae, known_ito_minus_sae_16_8_3: ito - sae,
    oracle_fista_min_inside_dt: fista, known_mlp32_16_8_3: mlp, known_mlp32_minus_sae_16_8_3: mlp - sae,
  });
  // untrained (1 step): the SAE at initialisation (encoder = Dᵀ) already passes its absolute level; the MLP does not
  const untrained = base(kd('SAE'), kd('FISTA'), kd('SAE+ITO'), kd('MLP-32'));
  assert.ok(untrained.known_sae_16_8_3 >= 0.55, `SAE at initialisation: ${untrained.known_sae_16_8_3}`);
  // (full mode: MLP-32 > SAE, asserted there, catches the untrained MLP-32 too)
  assert.deepEqual(failing('04_sparse_autoencoders', 'quick', untrained), ['known_mlp_minus_sae_16_8_3']);
  assert.deepEqual(failing('04_sparse_autoencoders', 'full', untrained), ['known_mlp32_minus_sae_16_8_3', 'known_mlp_minus_sae_16_8_3']);
  // a random dictionary for FISTA and for the SAE's inference-time optimisation
  const tr = plantedSparseData({ n: 16, m: 8, k: 3, samples: 16, seed: 1 });
  const te = plantedSparseData({ n: 16, m: 8, k: 3, samples: 512, seed: 2, dictionary: tr.D });
  const randomD = plantedSparseData({ n: 16, m: 8, k: 3, samples: 1, seed: 99 }).D;
  const fistaRandom = mcc(te.Z, new DictionaryInference(randomD, { method: 'fista', lambda: 0.01, maxIter: 1000 }).encode(te.X)).mcc;
  const wrongDict = base(kd('SAE'), fistaRandom, fistaRandom, kd('MLP-32') + 0.3);
  for (const mode of ['quick', 'full'] as const) {
    const f = failing('04_sparse_autoencoders', mode, wrongDict);
    for (const k of ['known_fista_16_8_3', 'known_sae_ito_16_8_3', 'oracle_fista_min_inside_dt', 'known_ito_minus_sae_16_8_3']) assert.ok(f.includes(k), `${mode}: ${k} should fail, failing: ${f}`);
  }
  // shuffled codes in place of the SAE's (good codes, rows permuted across samples): the absolute SAE level catches it
  const goodCodes = new DictionaryInference(tr.D, { method: 'fista', lambda: 0.01, maxIter: 1000 }).encode(te.X);
  const saeShuffled = mcc(te.Z, shuffleRows(goodCodes, 5)).mcc;
  const shuffled = base(saeShuffled, kd('FISTA'), kd('SAE+ITO'), kd('MLP-32') + 0.3);
  for (const mode of ['quick', 'full'] as const) assert.ok(failing('04_sparse_autoencoders', mode, shuffled).includes('known_sae_16_8_3'));
});

test('05: every check fails on a broken run — a shuffled "ground truth", a "random" control that is the truth, a null left unshuffled', () => {
  const exp = interpretabilityExperiment({ n: 32, m: 16, k: 4, seed: 1, noise: 0.05, imageSize: 12, imageNoise: 0.1,
    samples: 800, trainSamples: 1000, tasks: 10, reps: 200, dlIterations: 5 });
  const set = (name: string) => exp.sets.find((s) => s.name === name)!;
  const mis = (truth: Matrix, random: Matrix) => misValues(truth, random, exp.data.images, { tasks: 10, seed: 3 });
  const checked = (mode: Mode) => Object.keys(notebookChecks('05_interpretability_metrics', mode).checks).sort();
  const caught = { quick: new Set<string>(), full: new Set<string>() };
  // (1) a shuffled representation in place of the truth: truth-above-random and truth-highest fail on every score
  // (the MIS claims, known gaps, below their floor), and so does the hard accuracy of its MIS tasks
  for (const mode of ['quick', 'full'] as const) {
    const values = { ...unitScoreValues(exp.summary, exp.scored, mode, 'shuffled (null)'), ...mis(set('shuffled (null)').acts, set('random directions').acts) };
    const f = failing('05_interpretability_metrics', mode, values);
    for (const s of UNIT_SCORES) {
      for (const k of [`${s}_gt_vs_random`, `${s}_gt_minus_best_other`]) assert.ok(f.includes(k), `${mode}: ${k} should fail, failing: ${f}`);
    }
    for (const k of ['mis_hard_gt_mean', 'mis_top5_gt_minus_random']) assert.ok(f.includes(k), `${mode}: ${k} should fail, failing: ${f}`);
    f.forEach((k) => caught[mode].add(k));
  }
  // the honest run's truth passes the MIS floor (its values as in the notebook)
  const honest = { ...unitScoreValues(exp.summary, exp.scored, 'quick'), ...mis(set('ground truth').acts, set('random directions').acts) };
  assert.ok((honest.mis_gt_mean as number) >= 0.55 && (honest.mis_hard_gt_mean as number) >= 0.6, `truth MIS ${honest.mis_gt_mean}, hard ${honest.mis_hard_gt_mean}`);
  assert.ok((honest.mis_top5_gt_minus_random as number) > 0, `MIS at the top 5 %: truth − random = ${honest.mis_top5_gt_minus_random}`);
  // (2) broken controls: "random directions" that are the true features, and a null that was never shuffled (the
  // random directions under the null's name): the random directions are off chance on dictionary recovery and the
  // null is off chance on every score with an analytic chance level
  const truth = set('ground truth');
  const sets = [truth, set('learned dictionary'), set('PCA'), { ...truth, name: 'random directions' }, { ...set('random directions'), name: 'shuffled (null)' }];
  const scored = scoreUnitSets(exp.data, sets, { tasks: 10, seed: 1 });
  const summary = summariseScores(scored, { reps: 200, seed: 1 });
  for (const mode of ['quick', 'full'] as const) {
    const values = { ...unitScoreValues(summary, scored, mode), ...mis(truth.acts, truth.acts) };
    const f = failing('05_interpretability_metrics', mode, values);
    for (const k of ['dictionary_random_at_chance', 'probing_null_ci', 'twoAfc_null_ci', 'mis_null_ci', 'intrusion_null_ci']) {
      assert.ok(f.includes(k), `${mode}: ${k} should fail, failing: ${f}`);
    }
    f.forEach((k) => caught[mode].add(k));
    // between them the two broken runs fail every check of the notebook
    assert.deepEqual([...caught[mode]].sort(), checked(mode), `${mode}: checks no broken run fails`);
  }
});

test('06: shuffled dictionary codes fail selectivity, the random-atom controls and seed stability, and fall below the floors of the 2AFC, label-judge and universality known gaps', () => {
  // A small stand-in for the network's layer: the planted data of notebook 05 (labelled images, activations x),
  // "neurons" = the random-direction units, "SAE features" = the ground-truth codes with rows shuffled.
  const exp = interpretabilityExperiment({ n: 32, m: 16, k: 4, seed: 2, noise: 0.05, imageSize: 12, imageNoise: 0.1,
    samples: 800, trainSamples: 1000, tasks: 10, reps: 200, dlIterations: 5 });
  const neurons = exp.sets.find((s) => s.name === 'random directions')!;
  const truth = exp.sets.find((s) => s.name === 'ground truth')!;
  const broken = { ...shuffledUnitSet(truth, 7), name: 'SAE features' };
  // the density-matched control: TopK (K = 4) on 32 random atoms of the same data
  const rnd = (seed: number) => { const r = randomAtomTopKCodes(exp.data.X, exp.data.X, 32, 4, seed); return { name: 'random atoms (TopK)', acts: asFloat64(r.codes), directions: r.dictionary }; };
  const control = rnd(11);
  const unitSets = [{ ...neurons, name: 'neurons' }, broken, control];
  const scored = scoreUnitSets(exp.data, unitSets, { tasks: 10, seed: 1 });
  const labels = judgedTwoAfc(exp.data, unitSets, { tasks: 10, seed: 1, judge: 'labels', reps: 200 });
  const lab = (n: string) => labels.find((r) => r.representation === n)!;
  const summary = summariseScores(scored, { reps: 200, seed: 1 });
  const row = (n: string, s: string) => summary.find((r) => r.representation === n && r.score === s)!;
  // universality: "neurons" of two seeds = random directions vs PCA units of the same examples; "SAE features" of two
  // seeds = the truth's codes shuffled with two seeds (no shared examples: at chance)
  const neuronMatch = crossSeedMatch(neurons.acts, exp.sets.find((s) => s.name === 'PCA')!.acts, 7);
  const saeMatch = crossSeedMatch(broken.acts, shuffledUnitSet(truth, 8).acts, 7);
  for (const mode of ['quick', 'full'] as const) {
    const beats = (a: { lo: number; hi: number; mean: number }, b: { lo: number; hi: number; mean: number }) => mode === 'full' ? a.lo - b.hi : a.mean - b.mean;
    const values: Record<string, unknown> = {
      selectivity_sae_vs_neurons: beats(row('SAE features', 'selectivity'), row('neurons', 'selectivity')),
      twoAfc_sae: row('SAE features', 'twoAfc').mean,
      twoAfc_sae_vs_neurons: beats(row('SAE features', 'twoAfc'), row('neurons', 'twoAfc')),
      universality: { neurons: neuronMatch.mcc, 'SAE features': saeMatch.mcc },
      universality_chance: { neurons: neuronMatch.chance, 'SAE features': saeMatch.chance },
      universality_sae_vs_neurons: beats(bootstrapMeanCi(saeMatch.perUnit, { seed: 3 }), bootstrapMeanCi(neuronMatch.perUnit, { seed: 3 })),
      sae_minus_random_atoms: { selectivity: row('SAE features', 'selectivity').mean - row('random atoms (TopK)', 'selectivity').mean,
        twoAfc: row('SAE features', 'twoAfc').mean - row('random atoms (TopK)', 'twoAfc').mean },
      selectivity_sae_vs_random_atoms: beats(row('SAE features', 'selectivity'), row('random atoms (TopK)', 'selectivity')),
      twoAfc_sae_vs_random_atoms: beats(row('SAE features', 'twoAfc'), row('random atoms (TopK)', 'twoAfc')),
      twoAfc_labels: { 'SAE features': lab('SAE features').mean, 'random atoms (TopK)': lab('random atoms (TopK)').mean },
      twoAfc_labels_sae_vs_neurons: beats(lab('SAE features'), lab('neurons')),
      twoAfc_labels_sae_vs_random_atoms: beats(lab('SAE features'), lab('random atoms (TopK)')),
      // seed stability: the broken SAE's two "seeds" share no examples; two draws of random atoms read the same data
      sae_seed_stability_vs_random_atoms: beats(bootstrapMeanCi(saeMatch.perUnit, { seed: 3 }), bootstrapMeanCi(crossSeedMatch(control.acts, rnd(12).acts, 7).perUnit, { seed: 3 })),
    };
    assert.deepEqual(failing('06_real_network', mode, values), ['selectivity_sae_vs_neurons', 'selectivity_sae_vs_random_atoms', 'sae_seed_stability_vs_random_atoms',
      'twoAfc_labels_sae_vs_neurons', 'twoAfc_labels_sae_vs_random_atoms', 'twoAfc_sae_vs_neurons', 'twoAfc_sae_vs_random_atoms', 'universality_sae_vs_neurons'].sort());
  }
});
