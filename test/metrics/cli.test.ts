import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { run } from '../../src/cli/metrics';
import { captureCli } from '../helpers/cli';
import { fixtures, close } from './helpers';

const dir = path.join(__dirname, '../fixtures/metrics');
const f = (n: string) => path.join(dir, n);

const capture = (argv: string[]) => captureCli(run, argv);

test('superposition metrics prints the four scores for NumPy-written .npy files (matches scipy)', async () => {
  const r = await capture(['--true', f('cli_Z.npy'), '--pred', f('cli_Zhat.npy'), '--true-dict', f('cli_D.npy'), '--pred-dict', f('cli_Dhat.npy')]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j), ['mcc_pearson', 'mcc_spearman', 'dict_mean_best_cos', 'dict_matched_cos', 'constant_true', 'constant_pred', 'mcc_pearson_varying', 'mcc_spearman_varying']);
  for (const k of ['mcc_pearson', 'mcc_spearman', 'dict_mean_best_cos', 'dict_matched_cos']) close(j[k], fixtures.cli[k], 1e-9, k);
  assert.equal(j.constant_true, 0); assert.equal(j.constant_pred, 0);
  close(j.mcc_pearson_varying, fixtures.cli.mcc_pearson, 1e-9, 'mcc_pearson_varying');
});

test('superposition metrics without dictionaries prints null dictionary scores; usage errors exit 2', async () => {
  const r = await capture(['--true', f('cli_Z.npy'), '--pred', f('cli_Zhat.npy')]);
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out);
  close(j.mcc_pearson, fixtures.cli.mcc_pearson, 1e-9, 'mcc_pearson');
  assert.equal(j.dict_matched_cos, null);
  const bad = await capture(['--true', f('cli_Z.npy'), '--pred', f('cli_Zhat.npy'), '--true-dict', f('cli_D.npy')]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /both --true-dict and --pred-dict/);
  assert.equal((await capture(['--pred', f('cli_Zhat.npy')])).code, 2);
  // Mismatched sample counts are a ShapeError (the main entry prints it and exits 1).
  await assert.rejects(capture(['--true', f('cli_D.npy'), '--pred', f('cli_Zhat.npy')]), /samples/);
});
