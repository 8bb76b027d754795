import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { plantedSparseData } from '../../src/data/synthetic';
import { writeNpy } from '../../src/io/npy';
import { run } from '../../src/cli/learn';
import { captureCli } from '../helpers/cli';
import {
  createLearner, LEARN_METHODS, LEARNERS, learnerConfigProblem, makeLearner, MatryoshkaSae, TopKSae, DictionaryLearner,
  KSvd, SparseAutoencoder,
} from '../../src/index';

const capture = (argv: string[]) => captureCli(run, argv);

test('registry: one typed config per method builds the right learner; required options and K ≤ N are checked in one place', () => {
  const t: TopKSae = createLearner({ method: 'sae-topk', features: 12, k: 3 });
  assert.ok(t instanceof TopKSae);
  const m: MatryoshkaSae = createLearner({ method: 'sae-matryoshka', features: 12, k: 3, groups: [4, 8] });
  assert.deepEqual(m.groupSizes, [4, 8]);
  assert.ok(createLearner({ method: 'ksvd', features: 12, k: 3 }) instanceof KSvd);
  assert.ok(createLearner({ method: 'dl', features: 12, lambda: 0.1 }) instanceof DictionaryLearner);
  assert.deepEqual([...LEARN_METHODS], ['sae-relu', 'sae-topk', 'sae-batchtopk', 'sae-matryoshka', 'sae-jumprelu', 'dl', 'ksvd']);
  for (const meth of LEARN_METHODS) assert.equal(LEARNERS[meth].family === 'sae', meth.startsWith('sae-'));
  assert.match(learnerConfigProblem({ method: 'dl', features: 5 }, '--')!, /--method dl needs --k .* or --lambda/);
  assert.match(learnerConfigProblem({ method: 'sae-topk', features: 5, k: 9 })!, /k 9 is more than features 5/);
  assert.throws(() => createLearner({ method: 'sae-matryoshka', features: 12 } as never), /needs k/);
  assert.throws(() => makeLearner('pca' as never, { features: 3 }), /unknown method 'pca'/);
  // the thin compatibility entry point gives the same learner as the typed one
  assert.ok(makeLearner('sae-matryoshka', { features: 12, k: 2 }) instanceof SparseAutoencoder);
});

test('superposition learn --method sae-matryoshka --groups trains, saves (workbook and SAELens) and refuses bad groups', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'learn-mat-'));
  try {
    const d = plantedSparseData({ n: 24, m: 12, k: 2, samples: 1500, seed: 7 });
    const X = path.join(dir, 'X.npy'), D = path.join(dir, 'D.npy');
    writeNpy(X, d.X);
    const base = ['--input', X, '--method', 'sae-matryoshka', '--features', '24', '--k', '2', '--out-dict', D, '--quiet', '--samples', '40000', '--batch', '256'];
    const r = await capture([...base, '--groups', '8,16', '--save-model', path.join(dir, 'm')]);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out.trim()).method, 'sae-matryoshka');
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'm', 'model.json'), 'utf8'));
    assert.equal(meta.kind, 'sae-matryoshka');
    assert.deepEqual(meta.config.extra.groups, [8, 16]);
    const s = await capture([...base, '--no-auxk', '--save-model', path.join(dir, 's'), '--format', 'saelens']);
    assert.equal(s.code, 0, s.err);
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 's', 'cfg.json'), 'utf8')).architecture, 'jumprelu');
    const bad = await capture([...base, '--groups', '8,8']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--groups: .*sum/);
    const wrong = await capture(['--input', X, '--method', 'sae-topk', '--features', '24', '--k', '2', '--groups', '8,16', '--out-dict', D]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /--groups sets the nested groups of --method sae-matryoshka/);
    const noK = await capture(['--input', X, '--method', 'sae-matryoshka', '--features', '24', '--out-dict', D]);
    assert.equal(noK.code, 2);
    assert.match(noK.err, /--method sae-matryoshka needs --k/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
