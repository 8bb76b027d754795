import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readMatrix, writeNpy } from '../../src/io/npy';
import { matrix } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';
import { TopKSae } from '../../src/dictionary';
import { readSaeLens, saveSaeLens } from '../../src/dictionary/saelens';
import { ompAtEqualL0 } from '../../src/experiments/sae_analysis';
import { run } from '../../src/cli/analyze';
import { run as learn } from '../../src/cli/learn';
import { captureCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const dir = path.join(__dirname, '..', 'fixtures', 'saelens');
const X = path.join(dir, 'data', 'X.npy');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, { fvu: number; mean_l0: number; dead_fraction: number }>;
const analyze = async (argv: string[]) => {
  const r = await captureCli(run, argv);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out.trim());
};
const tmpDir = (): string => tempDir('analyze-');

test('analyze on SAELens directories made by Python matches NumPy\'s FVU, L0 and dead fraction to 1e-5', async () => {
  for (const [name, e] of Object.entries(expected)) {
    const j = await analyze(['--sae', path.join(dir, name), '--input', X, '--no-inference']);
    assert.equal(j.format, 'saelens', name);
    assert.equal(j.d_in, 8); assert.equal(j.d_sae, 16); assert.equal(j.samples, 256);
    assert.ok(Math.abs(j.fvu - e.fvu) < 1e-5, `${name}: fvu ${j.fvu} vs NumPy ${e.fvu}`);
    assert.ok(Math.abs(j.mean_l0 - e.mean_l0) < 1e-5, `${name}: mean_l0 ${j.mean_l0} vs NumPy ${e.mean_l0}`);
    assert.ok(Math.abs(j.dead_fraction - e.dead_fraction) < 1e-5, `${name}: dead_fraction ${j.dead_fraction} vs NumPy ${e.dead_fraction}`);
    assert.equal(j.omp_fvu, null); assert.equal(j.mcc, null); assert.equal(j.dict_matched_cos, null);
  }
});

test('known answers: an SAE whose encoder and decoder are the true orthonormal dictionary recovers everything exactly', async () => {
  // M = N = 8, D orthonormal (Gram–Schmidt of a random matrix), Z ≥ 0 with exactly 2 active per sample, X = Z·D
  const M = 8, N = 8, B = 300, rng = new Rng(5);
  const D = new Float64Array(N * M);
  rng.fillNormal(D);
  for (let i = 0; i < N; i++) {
    for (let p = 0; p < i; p++) {
      let d = 0;
      for (let j = 0; j < M; j++) d += D[i * M + j] * D[p * M + j];
      for (let j = 0; j < M; j++) D[i * M + j] -= d * D[p * M + j];
    }
    let s = 0;
    for (let j = 0; j < M; j++) s += D[i * M + j] ** 2;
    for (let j = 0; j < M; j++) D[i * M + j] /= Math.sqrt(s);
  }
  const Z = new Float32Array(B * N), Xd = new Float32Array(B * M);
  for (let b = 0; b < B; b++) {
    const a = Math.floor(rng.uniform() * N), c = (a + 1 + Math.floor(rng.uniform() * (N - 1))) % N;
    Z[b * N + a] = 1 + rng.uniform(); Z[b * N + c] = 1 + rng.uniform();
    for (let j = 0; j < M; j++) Xd[b * M + j] = Z[b * N + a] * D[a * M + j] + Z[b * N + c] * D[c * M + j];
  }
  const sae = new TopKSae({ features: N, k: 2, bias: false });
  sae.dim = M; sae.E = Float32Array.from(D); sae.D = Float32Array.from(D); sae.bEnc = new Float32Array(N); sae.bDec = new Float32Array(M);
  const tmp = tmpDir(), saeDir = path.join(tmp, 'sae');
  saveSaeLens(sae, saeDir);
  writeNpy(path.join(tmp, 'X.npy'), matrix(B, M, Xd));
  writeNpy(path.join(tmp, 'Z.npy'), matrix(B, N, Z));
  writeNpy(path.join(tmp, 'D.npy'), matrix(N, M, Float32Array.from(D)));
  const j = await analyze(['--sae', saeDir, '--input', path.join(tmp, 'X.npy'), '--true', path.join(tmp, 'Z.npy'), '--true-dict', path.join(tmp, 'D.npy')]);
  assert.equal(j.architecture, 'topk'); assert.equal(j.kind, 'topk');
  assert.ok(j.fvu < 1e-10, `fvu ${j.fvu}`);
  assert.equal(j.mean_l0, 2); assert.equal(j.dead_fraction, 0);
  assert.ok(j.omp_fvu < 1e-10 && Math.abs(j.amortisation_gap_fvu) < 1e-10, `omp ${j.omp_fvu}`);
  assert.equal(j.omp_mean_l0, 2);
  assert.ok(j.mcc > 1 - 1e-6 && j.omp_mcc > 1 - 1e-6, `mcc ${j.mcc}, omp ${j.omp_mcc}`);
  assert.ok(j.dict_matched_cos > 1 - 1e-6 && j.dict_mean_best_cos > 1 - 1e-6);
});

test('the amortisation gap uses OMP at each sample\'s own L0, on the decoder\'s directions whatever their norms', () => {
  const m = readSaeLens(path.join(dir, 'standard'));
  const Xm = readMatrix(X);
  const Z = m.sae.encode(Xm), Zo = ompAtEqualL0(m.sae, Xm, Z);
  for (let b = 0; b < Xm.rows; b++) {
    let a = 0, o = 0;
    for (let i = 0; i < 16; i++) { if (Z.data[b * 16 + i] !== 0) a++; if (Zo.data[b * 16 + i] !== 0) o++; }
    assert.ok(o <= a, `sample ${b}: OMP used ${o} atoms, the encoder ${a}`);
  }
  // scaling the decoder rows (and the codes inversely) changes nothing in OMP's reconstruction
  const scaled = readSaeLens(path.join(dir, 'standard')).sae;
  for (let i = 0; i < 16; i++) for (let j = 0; j < 8; j++) scaled.D[i * 8 + j] *= 1 + i;
  const r1 = m.sae.decode(Zo), r2 = scaled.decode(ompAtEqualL0(scaled, Xm, Z));
  for (let q = 0; q < r1.data.length; q++) assert.ok(Math.abs(r1.data[q] - r2.data[q]) < 1e-4, `entry ${q}`);
});

test('learn --save-model DIR --format saelens writes an SAE that analyze reads back with learn\'s FVU and L0', async () => {
  const tmp = tmpDir(), saeDir = path.join(tmp, 'sae');
  for (const method of ['sae-topk', 'sae-batchtopk']) {
    const r = await captureCli(learn, ['--input', X, '--method', method, '--features', '16', '--k', '3', '--epochs', '3', '--batch', '64',
      '--out-dict', path.join(tmp, 'D.npy'), '--save-model', saeDir, '--format', 'saelens', '--quiet']);
    assert.equal(r.code, 0, r.err);
    const l = JSON.parse(r.out.trim());
    assert.ok(fs.existsSync(path.join(saeDir, 'cfg.json')) && fs.existsSync(path.join(saeDir, 'sae_weights.safetensors')));
    const j = await analyze(['--sae', saeDir, '--input', X]);
    assert.equal(j.architecture, method === 'sae-topk' ? 'topk' : 'jumprelu');
    assert.ok(Math.abs(j.fvu - l.fvu) < 1e-6, `${method}: analyze fvu ${j.fvu} vs learn ${l.fvu}`);
    assert.ok(Math.abs(j.mean_l0 - l.mean_l0) < 1e-9, `${method}: L0 ${j.mean_l0} vs ${l.mean_l0}`);
  }
  const w = await captureCli(learn, ['--input', X, '--method', 'sae-topk', '--features', '16', '--k', '3', '--epochs', '1', '--batch', '64',
    '--out-dict', path.join(tmp, 'D.npy'), '--save-model', path.join(tmp, 'ours'), '--quiet']);
  assert.equal(w.code, 0, w.err);
  assert.equal((await analyze(['--sae', path.join(tmp, 'ours'), '--input', X, '--no-inference'])).format, 'workbook');
  const usage: [string, string[], RegExp][] = [
    ['sae-topk', ['--format', 'onnx', '--save-model', saeDir], /--format must be one of workbook, saelens, got 'onnx'/],
    ['sae-topk', ['--format', 'saelens'], /--format applies to --save-model DIR/],
    ['dl', ['--format', 'saelens', '--save-model', saeDir], /--format saelens saves SAEs only; --method dl/],
  ];
  for (const [method, extra, re] of usage) {
    const r = await captureCli(learn, ['--input', X, '--method', method, '--features', '16', '--k', '3', '--out-dict', path.join(tmp, 'D.npy'), ...extra]);
    assert.equal(r.code, 2, `${extra.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
  }
});

test('analyze: usage errors exit 2; data that do not fit the SAE are errors naming the file', async () => {
  const r = await captureCli(run, ['--input', X]);
  assert.equal(r.code, 2); assert.match(r.err, /option --sae is required/);
  await assert.rejects(captureCli(run, ['--sae', path.join(dir, 'topk'), '--input', path.join(dir, 'data', 'Z_true.npy')]),
    /Z_true\.npy has 16 columns but the SAE in .*topk reads d_in = 8/);
  await assert.rejects(captureCli(run, ['--sae', path.join(dir, 'topk'), '--input', X, '--true', path.join(dir, 'data', 'D_true.npy')]),
    /--true has 16 rows but --input has 256/);
  await assert.rejects(captureCli(run, ['--sae', path.join(dir, 'data'), '--input', X]), /neither cfg\.json \(an SAELens SAE\) nor model\.json/);
  await assert.rejects(captureCli(run, ['--sae', path.join(dir, 'topk'), '--input', path.join(dir, 'missing.npy')]), /missing\.npy: no such file/);
  await assert.rejects(captureCli(run, ['--sae', path.join(dir, 'topk'), '--input', X, '--max-memory', '100K']),
    /analyze would need about .* over the limit of 100\.0 KiB; pass --no-inference \(OMP on the decoder needs its N×N Gram matrix\)/);
});
