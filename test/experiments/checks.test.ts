// The Results checks of the notebooks live in src/experiments/checks.ts. These tests pin the set of known gaps (adding
// one is a visible change), require each to state a measured reason and a floor, and parse every notebook to make
// sure its Results cell uses those checks (no inline checks, no knownGap typed into a notebook) and computes every
// value they check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { knownGaps, notebookChecks, RESULT_NOTEBOOKS, README_CLAIMS, resultsTable } from '../../src/experiments/checks';
import { UNIT_SCORES } from '../../src/experiments/unit_scores';

const dir = path.join(__dirname, '..', '..', 'notebooks');

function resultsCell(stem: string): string {
  const nb = JSON.parse(fs.readFileSync(path.join(dir, `${stem}.ipynb`), 'utf8')) as { cells: { cell_type: string; source: string[] | string }[] };
  const cells = nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source))
    .filter((s) => s.includes('reportResults('));
  assert.equal(cells.length, 1, `${stem}: expected exactly one Results cell (a code cell calling reportResults), found ${cells.length}`);
  return cells[0];
}

test('the known gaps are exactly these (adding or removing one is a visible change)', () => {
  const got = knownGaps().map((g) => `${g.notebook} ${g.mode} ${g.key}`).sort();
  assert.deepEqual(got, [
    '01_superposition full c_lines_existing',
    '01_superposition full d_phase_agreement',
    '02_identifiability full ablation_kappa50',
    '04_sparse_autoencoders full known_mlp_minus_sae_16_8_3',
    '04_sparse_autoencoders quick known_mlp_minus_sae_16_8_3',
    '05_interpretability_metrics full mis_gt_minus_best_other',
    '05_interpretability_metrics full mis_gt_vs_random',
    '05_interpretability_metrics quick mis_gt_minus_best_other',
    '05_interpretability_metrics quick mis_gt_vs_random',
    '06_real_network full depth_selectivity_advantage_deepest_minus_first',
    '06_real_network full selectivity_sae_vs_random_atoms',
    '06_real_network full twoAfc_labels_sae_vs_neurons',
    '06_real_network full twoAfc_labels_sae_vs_random_atoms',
    '06_real_network full twoAfc_sae_vs_neurons',
    '06_real_network full twoAfc_sae_vs_random_atoms',
    '06_real_network full universality_sae_vs_neurons',
    '06_real_network quick depth_selectivity_advantage_deepest_minus_first',
    '06_real_network quick selectivity_sae_vs_random_atoms',
    '06_real_network quick twoAfc_labels_sae_vs_neurons',
    '06_real_network quick twoAfc_sae_vs_neurons',
    '06_real_network quick universality_sae_vs_neurons',
  ]);
});

test('every known gap states a measured reason (with numbers) and a floor', () => {
  for (const g of knownGaps()) {
    assert.match(g.reason, /\d\.\d/, `${g.notebook} ${g.key}: the reason must quote the measured numbers`);
    assert.ok(g.floor.length > 3, `${g.notebook} ${g.key}: floor text`);
  }
});

test('every notebook\'s Results cell calls notebookChecks for itself, types no checks, and computes every checked value', () => {
  for (const stem of RESULT_NOTEBOOKS) {
    const src = resultsCell(stem);
    assert.match(src, new RegExp(`sw\\.notebookChecks\\('${stem}'`), `${stem}: the Results cell must use sw.notebookChecks('${stem}', mode)`);
    assert.doesNotMatch(src, /knownGap|expect:|test: \(/, `${stem}: checks belong in src/experiments/checks.ts, not in the notebook`);
    for (const mode of ['quick', 'full'] as const) {
      for (const key of Object.keys(notebookChecks(stem, mode).checks)) {
        // literal keys (`key:` or values.key); keys built in a loop (`${score}_sae_vs_neurons` over 'selectivity', …);
        // or notebook 05's per-score keys built by unitScoreValues
        const score = UNIT_SCORES.find((s) => key.startsWith(`${s}_`));
        const templated = key.split('_').some((_, i, parts) => i > 0
          && src.includes(`'${parts.slice(0, i).join('_')}'`) && src.includes(`}_${parts.slice(i).join('_')}\``));
        const ok = new RegExp(`\\b${key}\\b`).test(src) || templated
          || (stem === '05_interpretability_metrics' && score !== undefined && /unitScoreValues\(/.test(src));
        assert.ok(ok, `${stem} (${mode}): the check '${key}' has no value computed in the Results cell`);
      }
    }
  }
});

test('every README claim names Results keys that are checked in its notebook (or none: reported only)', () => {
  for (const c of README_CLAIMS) {
    const checked = new Set([...Object.keys(notebookChecks(c.notebook, 'quick').checks), ...Object.keys(notebookChecks(c.notebook, 'full').checks)]);
    for (const k of c.keys) assert.ok(checked.has(k), `README claim "${c.claim}": '${k}' is not a check of ${c.notebook}`);
  }
  assert.throws(() => notebookChecks('07_nothing', 'quick'), /no Results checks for '07_nothing'/);
});

test('resultsTable: verdicts computed by the checks from RESULTS records — reproduces, known gap with its reason, fails with the key, not run', () => {
  const ok = { notebook: '04_sparse_autoencoders', mode: 'full' as const, known_sae_16_8_3: 0.74, known_fista_16_8_3: 0.99, known_sae_ito_16_8_3: 0.99,
    known_fista_minus_sae_16_8_3: 0.25, known_ito_minus_sae_16_8_3: 0.25, known_mlp32_16_8_3: 0.47, known_mlp256_16_8_3: 0.62,
    known_mlp_widest_16_8_3: 0.62, known_mlp_minus_sae_16_8_3: -0.12 };
  const rows = resultsTable([ok]).split('\n');
  const row = (start: string) => rows.find((r) => r.startsWith(`| ${start}`))!;
  assert.match(row('04 · amortisation gap'), /\| 0\.740 vs 0\.990 \(SAE \+ ITO 0\.990\) \|.*\| reproduces \|$/);
  assert.match(row('04 · MLP encoders'), /MLP-32 0\.470, MLP-256 0\.620 vs SAE 0\.740.*\*\*does not reproduce\*\* — a \*known gap\*: at the paper's 20k steps/);
  assert.match(row('01 · a linear model'), /\*\*not run\*\*/);
  // an untrained MLP (below the floor) and a broken FISTA: the rows say FAILS and name the key
  const broken = resultsTable([{ ...ok, known_mlp_widest_16_8_3: 0.43, known_mlp_minus_sae_16_8_3: -0.31, known_fista_16_8_3: 0.5, mode: 'quick' }]).split('\n');
  assert.match(broken.find((r) => r.startsWith('| 04 · MLP'))!, /\*\*FAILS\*\* \(quick mode\): known_mlp_minus_sae_16_8_3 = -0\.310, expected > 0 \(known gap below its floor widest MLP ≥ 0\.55/);
  assert.match(broken.find((r) => r.startsWith('| 04 · amortisation gap'))!, /\*\*FAILS\*\* \(quick mode\): known_fista_16_8_3 = 0\.500, expected ≥ 0\.95/);
  assert.equal(rows.length, 2 + README_CLAIMS.length);
  // a claim with several known-gap keys: only the reasons of the keys that are gaps in this run, the others named
  const six = { notebook: '06_real_network', mode: 'full' as const, selectivity_sae_vs_random_atoms: 0.011, twoAfc_sae_vs_random_atoms: 0.048,
    twoAfc_labels_sae_vs_random_atoms: -0.008, sae_minus_random_atoms: { selectivity: 0.033, twoAfc: 0.072 },
    twoAfc_labels: { 'SAE features': 0.844, 'random atoms (TopK)': 0.826 } };
  const mixed = resultsTable([six]).split('\n').find((r) => r.startsWith('| 06 · dictionary features beat density-matched random atoms'))!;
  assert.match(mixed, /a \*known gap\*: with the label judge the means differ but the CIs overlap/);
  assert.doesNotMatch(mixed, /as class-selective as its features/, 'the selectivity key reproduces: its gap reason is not cited');
  assert.match(mixed, /\(reproduces in this run: selectivity_sae_vs_random_atoms, twoAfc_sae_vs_random_atoms\) \|$/);
});
