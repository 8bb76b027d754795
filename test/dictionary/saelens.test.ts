import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readMatrix, writeNpy } from '../../src/io/npy';
import { Matrix } from '../../src/core/matrix';
import { readSafetensors, writeSafetensors } from '../../src/io/safetensors';
import { loadSae, readSaeLens, saveSaeLens } from '../../src/dictionary/saelens';
import { BatchTopKSae, JumpReluSae, ReluSae, SparseAutoencoder, TopKSae } from '../../src/dictionary';
import { tempDir } from '../helpers/tmp';

const dir = path.join(__dirname, '..', 'fixtures', 'saelens');
const PY = path.join(__dirname, '..', '..', 'build', 'test-venv', 'bin', 'python');
const X = readMatrix(path.join(dir, 'data', 'X.npy'));
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, { fvu: number; mean_l0: number; dead_fraction: number }>;
const tmpDir = (): string => tempDir('saelens-');

/** Largest |a − b| and whether the supports (non-zero patterns) agree. */
function compare(a: Matrix, b: Matrix): { maxDiff: number; sameSupport: boolean } {
  assert.equal(a.rows, b.rows); assert.equal(a.cols, b.cols);
  let maxDiff = 0, sameSupport = true;
  for (let q = 0; q < a.data.length; q++) {
    maxDiff = Math.max(maxDiff, Math.abs(a.data[q] - b.data[q]));
    if ((a.data[q] !== 0) !== (b.data[q] !== 0)) sameSupport = false;
  }
  return { maxDiff, sameSupport };
}

test('every SAELens fixture directory encodes and decodes as SAELens\'s forward pass (NumPy) does', () => {
  const kinds: Record<string, string> = { standard: 'relu', topk: 'topk', jumprelu: 'jumprelu', standard_nobdec: 'relu', topk_rescaled_bf16: 'topk', legacy_topk: 'topk' };
  for (const name of Object.keys(expected)) {
    const m = readSaeLens(path.join(dir, name));
    assert.equal(m.sae.kind, kinds[name], name);
    assert.equal(m.sae.features, 16); assert.equal(m.sae.dim, 8);
    const Z = m.sae.encode(X);
    const z = compare(Z, readMatrix(path.join(dir, 'expected', `${name}_codes.npy`)));
    assert.ok(z.sameSupport, `${name}: active features differ from SAELens's`);
    assert.ok(z.maxDiff < 1e-5, `${name}: codes differ by ${z.maxDiff}`);
    const r = compare(m.sae.decode(Z), readMatrix(path.join(dir, 'expected', `${name}_recon.npy`)));
    assert.ok(r.maxDiff < 1e-5, `${name}: reconstructions differ by ${r.maxDiff}`);
  }
  assert.deepEqual(readSaeLens(path.join(dir, 'standard')).folded, []);
  assert.match(readSaeLens(path.join(dir, 'standard_nobdec')).folded.join(), /apply_b_dec_to_input/);
  assert.match(readSaeLens(path.join(dir, 'topk_rescaled_bf16')).folded.join(), /rescale_acts_by_decoder_norm/);
  const legacy = readSaeLens(path.join(dir, 'legacy_topk'));
  assert.equal(legacy.config.architecture, 'topk'); assert.equal(legacy.config.k, 4); assert.equal(legacy.config.normalize_activations, 'none');
  // JumpReLU thresholds ≤ 0 act as a plain ReLU (θ = 0); positive ones are kept as float32 log θ, within a few ulps
  const j = readSaeLens(path.join(dir, 'jumprelu')).sae as JumpReluSae;
  const th = readSafetensors(path.join(dir, 'jumprelu', 'sae_weights.safetensors')).tensors.threshold.data as Float32Array;
  th.forEach((v, i) => {
    const got = Math.fround(Math.exp(j.logTheta[i]));
    if (v <= 0) assert.equal(got, 0, `feature ${i}`);
    else assert.ok(Math.abs(got - v) <= 4e-7 * v, `feature ${i}: threshold ${v} came back as ${got}`);
  });
});

/** A small trained SAE of each kind on the fixture data. */
function trained(kind: 'relu' | 'topk' | 'batchtopk' | 'jumprelu', bias = true): SparseAutoencoder {
  const cfg = { features: 16, k: 3, lambda: 0.01, seed: 3, bias };
  const sae = kind === 'relu' ? new ReluSae(cfg) : kind === 'topk' ? new TopKSae(cfg) : kind === 'batchtopk' ? new BatchTopKSae(cfg) : new JumpReluSae(cfg, { initThreshold: 0.05 });
  sae.fit(X, { steps: 150, batch: 64, lr: 3e-3, progress: false });
  return sae;
}

test('saveSaeLens → readSaeLens gives back the same codes and reconstructions (BatchTopK as JumpReLU)', () => {
  for (const kind of ['relu', 'topk', 'batchtopk', 'jumprelu'] as const) {
    const sae = trained(kind);
    const out = path.join(tmpDir(), 'sae');
    const arch = saveSaeLens(sae, out, { metadata: { hook_name: 'blocks.3.hook_resid_post' } });
    assert.equal(arch, { relu: 'standard', topk: 'topk', batchtopk: 'jumprelu', jumprelu: 'jumprelu' }[kind]);
    const cfg = JSON.parse(fs.readFileSync(path.join(out, 'cfg.json'), 'utf8'));
    assert.equal(cfg.d_in, 8); assert.equal(cfg.d_sae, 16); assert.equal(cfg.apply_b_dec_to_input, true);
    assert.equal(cfg.metadata.sae_lens_version, '6.18.0'); assert.equal(cfg.metadata.hook_name, 'blocks.3.hook_resid_post');
    if (kind === 'topk') assert.equal(cfg.k, 3);
    const w = readSafetensors(path.join(out, 'sae_weights.safetensors')).tensors;
    assert.deepEqual(w.W_enc.shape, [8, 16]); assert.deepEqual(w.W_dec.shape, [16, 8]);
    assert.deepEqual(w.b_enc.shape, [16]); assert.deepEqual(w.b_dec.shape, [8]);
    assert.equal(w.W_enc.data[1 * 16 + 5], sae.E[5 * 8 + 1]); // W_enc = Eᵀ
    const back = readSaeLens(out).sae;
    const a = sae.encode(X), b = back.encode(X);
    const z = compare(a, b);
    assert.ok(z.sameSupport && z.maxDiff === 0, `${kind}: codes differ after the round trip (${z.maxDiff})`);
    assert.ok(compare(sae.decode(a), back.decode(b)).maxDiff === 0, kind);
  }
});

test('an exported SAE, read by Python (numpy + safetensors, SAELens\'s forward per architecture), reproduces our reconstructions',
  { skip: !fs.existsSync(PY) && 'no build/test-venv (made by npm run setup from the local wheels of numpy and safetensors)' }, () => {
    for (const [kind, bias] of [['relu', true], ['topk', true], ['batchtopk', true], ['jumprelu', true], ['topk', false]] as const) {
      const sae = trained(kind, bias);
      const tmp = tmpDir(), out = path.join(tmp, 'sae');
      saveSaeLens(sae, out);
      writeNpy(path.join(tmp, 'X.npy'), X);
      const r = spawnSync(PY, [path.join(dir, 'forward.py'), out, path.join(tmp, 'X.npy'), path.join(tmp, 'py')], { encoding: 'utf8', cwd: dir });
      assert.equal(r.status, 0, r.stderr);
      const Z = sae.encode(X);
      const z = compare(Z, readMatrix(path.join(tmp, 'py_codes.npy')));
      assert.ok(z.sameSupport, `${kind}: Python's active features differ from ours`);
      assert.ok(z.maxDiff < 1e-5, `${kind}: codes differ by ${z.maxDiff}`);
      const rec = compare(sae.decode(Z), readMatrix(path.join(tmp, 'py_recon.npy')));
      assert.ok(rec.maxDiff < 1e-5, `${kind}: reconstructions differ by ${rec.maxDiff}`);
    }
  });

/** A copy of a fixture directory with cfg.json changed by `edit` (and weights optionally replaced). */
function variant(name: string, edit: (cfg: Record<string, unknown>) => void): string {
  const out = path.join(tmpDir(), name);
  fs.mkdirSync(out);
  fs.copyFileSync(path.join(dir, name, 'sae_weights.safetensors'), path.join(out, 'sae_weights.safetensors'));
  const cfg = JSON.parse(fs.readFileSync(path.join(dir, name, 'cfg.json'), 'utf8'));
  edit(cfg);
  fs.writeFileSync(path.join(out, 'cfg.json'), JSON.stringify(cfg));
  return out;
}

test('expected_average_only_in: the scaling factor is needed and folded (SAE on f·x, rescaled back)', () => {
  const d = variant('standard', (c) => { c.normalize_activations = 'expected_average_only_in'; });
  assert.throws(() => readSaeLens(d), /expected_average_only_in.*constant factor.*--norm-scaling-factor/);
  const f = 2.5;
  const m = readSaeLens(d, { normScalingFactor: f });
  assert.match(m.folded.join(), /scaling factor 2\.5/);
  // the original SAE applied to f·x, its output divided by f, equals the folded SAE on x
  const plain = readSaeLens(path.join(dir, 'standard')).sae;
  const fx = { rows: X.rows, cols: X.cols, data: X.data.map((v) => v * f) };
  const want = plain.decode(plain.encode(fx));
  const got = m.sae.decode(m.sae.encode(X));
  for (let q = 0; q < got.data.length; q++) assert.ok(Math.abs(got.data[q] - want.data[q] / f) < 1e-5, `entry ${q}`);
});

test('clear errors for what cannot be loaded correctly', () => {
  const cases: [string, RegExp][] = [
    [variant('standard', (c) => { c.architecture = 'gated'; }), /architecture 'gated' is not supported \(supported: standard, topk, jumprelu, batchtopk\)/],
    [variant('standard', (c) => { c.normalize_activations = 'layer_norm'; }), /'layer_norm' normalises every input sample.*normalise the activations yourself/],
    [variant('standard', (c) => { c.d_sae = 32; }), /tensor 'W_enc' has shape \(8, 16\) but cfg\.json's d_in = 8, d_sae = 32 need \(8, 32\)/],
    [variant('topk', (c) => { delete c.k; }), /architecture 'topk' needs k/],
    [variant('standard', (c) => { c.architecture = 'jumprelu'; }), /no tensor 'threshold'.*the file has/],
    [variant('legacy_topk', (c) => { c.activation_fn_str = 'tanh-relu'; delete c.activation_fn_kwargs; }), /activation function 'tanh-relu' is not supported/],
  ];
  for (const [d, re] of cases) assert.throws(() => readSaeLens(d), re, String(re));
  // weights edited: a NaN, a flattened matrix (refused), a bias stored as (1, n) (accepted)
  const weights = (edit: (w: Record<string, { shape: number[]; data: Float32Array }>) => void): string => {
    const d = variant('standard', () => undefined);
    const w = readSafetensors(path.join(d, 'sae_weights.safetensors')).tensors as unknown as Record<string, { shape: number[]; data: Float32Array }>;
    edit(w);
    writeSafetensors(path.join(d, 'sae_weights.safetensors'), w);
    return d;
  };
  assert.throws(() => readSaeLens(weights((w) => { w.b_enc.data[2] = NaN; })), /b_enc holds NaN at index 2; the SAE is damaged/);
  assert.throws(() => readSaeLens(weights((w) => { w.W_enc.shape = [128]; })), /tensor 'W_enc' has shape \(128\) but .* need \(8, 16\)/);
  assert.equal(readSaeLens(weights((w) => { w.b_enc.shape = [1, 16]; })).sae.bEnc.length, 16);
  const empty = tmpDir();
  assert.throws(() => readSaeLens(empty), /no cfg\.json here/);
  fs.writeFileSync(path.join(empty, 'sae.safetensors'), '');
  assert.throws(() => readSaeLens(empty), /sparsify SAE, which is not supported/);
  const bad = variant('standard', () => undefined);
  fs.writeFileSync(path.join(bad, 'cfg.json'), '{"d_in": 8,');
  assert.throws(() => readSaeLens(bad), /cfg\.json: not valid JSON/);
  fs.rmSync(path.join(bad, 'cfg.json'));
  fs.symlinkSync(path.join(dir, 'standard', 'cfg.json'), path.join(bad, 'cfg.json'));
  assert.throws(() => readSaeLens(bad), /symbolic link/);
});

test('loadSae reads both formats and refuses non-SAE models', () => {
  const sae = trained('topk');
  const ours = path.join(tmpDir(), 'ours');
  sae.save(ours);
  const a = loadSae(ours), b = loadSae(path.join(dir, 'topk'));
  assert.ok(a instanceof TopKSae && b instanceof TopKSae);
  assert.equal(compare(a.encode(X), sae.encode(X)).maxDiff, 0);
  assert.throws(() => loadSae(path.join(tmpDir(), 'nothing')), /no such directory/);
  assert.throws(() => loadSae(tmpDir()), /neither cfg\.json \(an SAELens SAE\) nor model\.json/);
  assert.throws(() => loadSae(path.join(dir, 'data', 'X.npy')), /is not a directory/);
});
