import { test } from 'node:test';
import assert from 'node:assert/strict';
import { amortisationKnownD, amortisationUnknownD, SPARSE_CODING_L1 } from '../../src/experiments/amortisation';

test('amortisation experiment rows: known D (FISTA ≫ SAE) and unknown D (DL and oracle+FISTA recover, swap rows present)', async () => {
  const known = await amortisationKnownD({ grid: [[16, 8, 3]], saeSteps: 800, encoderSteps: 30, mlpHidden: [16], progress: false });
  assert.deepEqual(known.map((r) => r.method), ['SAE', 'MLP-16', 'LISTA-5', 'FISTA', 'SAE+ITO']);
  const by = Object.fromEntries(known.map((r) => [r.method, r]));
  assert.ok(by.FISTA.mcc - by.SAE.mcc >= 0.2, `FISTA ${by.FISTA.mcc} vs SAE ${by.SAE.mcc}`);
  assert.ok(by['SAE+ITO'].mcc > 0.95);
  assert.equal(by.SAE.flops, 2 * 16 * 8);
  assert.ok(by.FISTA.flops > by.SAE.flops);
  assert.equal(by.SAE.insideDT, true);
  const unknown = await amortisationUnknownD({ ms: [16], ns: [32], saeVariants: ['topk'], saeSteps: 300, encoderSteps: 20, mlpHidden: [16], dlIterations: 20, progress: false });
  const u = Object.fromEntries(unknown.map((r) => [r.method, r]));
  assert.deepEqual(Object.keys(u).sort(), ['DL (OMP+MOD)', 'MLP-16', 'SAE-topk', 'oracle D + FISTA'].sort());
  assert.ok(u['DL (OMP+MOD)'].dictBestCos! > 0.9 && u['DL (OMP+MOD)'].mcc > 0.8, JSON.stringify(u['DL (OMP+MOD)']));
  assert.ok(u['oracle D + FISTA'].mcc > 0.95);
  assert.equal(u['oracle D + FISTA'].regime, 'swap');
});

test('amortisation: model seeds share the data (FISTA once per cell), and the L1 sparse-coding baseline recovers codes without K', async () => {
  const known = await amortisationKnownD({ grid: [[16, 8, 3]], saeSteps: 50, encoderSteps: 5, mlpHidden: [16], modelSeeds: [3, 4], progress: false });
  assert.deepEqual(known.map((r) => `${r.seed} ${r.method}`), ['3 SAE', '3 MLP-16', '3 LISTA-5', '3 FISTA', '3 SAE+ITO', '4 SAE', '4 MLP-16', '4 SAE+ITO']);
  const sae = known.filter((r) => r.method === 'SAE');
  assert.notEqual(sae[0].mcc, sae[1].mcc, 'different model seeds train different SAEs');
  const unknown = await amortisationUnknownD({ ms: [16], ns: [32], saeVariants: ['relu'], saeSteps: 50, encoderSteps: 5, mlpHidden: [16],
    dlIterations: 5, scIterations: 8, progress: false });
  const sc = unknown.find((r) => r.method === SPARSE_CODING_L1)!;
  assert.equal(sc.regime, 'unknown-D');
  // lasso codes are not capped at K (L0 above 3); the learned dictionary finds the atoms better than a short-trained SAE's
  const relu = unknown.find((r) => r.method === 'SAE-relu')!;
  assert.ok(sc.l0 > 3, `L0 ${sc.l0}`);
  assert.ok(sc.mcc > relu.mcc + 0.1 && sc.dictBestCos! > relu.dictBestCos! && sc.dictBestCos! > 0.7, `SC ${JSON.stringify(sc)} vs SAE ${JSON.stringify(relu)}`);
});
