import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileKernels, requestedVariant } from '../../src/compute/wasm';
import { KERNELS_WASM, KERNELS_WASM_FMA } from '../../src/compute/wasm_binary';

const root = path.resolve(__dirname, '..', '..');

interface ChildOut {
  variant: string; threads: number; workerChunks: number; gemm: string; gemmNTSame: boolean; gemmError: number;
  sae: [string, string, number]; probe: number[]; cpuFuses: boolean;
}

/** fma_child.ts in a fresh process (the variant and thread count are read once, when the kernels load). */
function child(fma: boolean, threads: number): ChildOut & { stderr: string } {
  const env: Record<string, string | undefined> = { ...process.env, WORKBOOK_THREADS: String(threads) };
  if (fma) env.WORKBOOK_FMA = '1'; else delete env.WORKBOOK_FMA;
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fma_child.ts')], { cwd: root, env, encoding: 'utf8' });
  assert.equal(r.status, 0, `fma_child.ts (WORKBOOK_FMA=${fma ? 1 : ''}, ${threads} thread(s)) failed:\n${r.stderr}`);
  return { ...(JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildOut), stderr: r.stderr };
}

test('WORKBOOK_FMA=1: the fused GEMM is bitwise the same on one and two threads (GEMM and SAE fit), within float32 rounding of float64, and fused', () => {
  const one = child(true, 1), two = child(true, 2), plain = child(false, 1);
  assert.equal(one.stderr, '', 'the FMA variant should load without a warning');
  assert.deepEqual([one.variant, two.variant, plain.variant], ['fma', 'fma', 'default']);
  assert.deepEqual([one.threads, two.threads], [1, 2]);
  assert.ok(two.workerChunks > 0, 'the worker thread should have run some chunks');
  assert.equal(two.gemm, one.gemm, 'GEMM: 2 threads differ from 1');
  assert.deepEqual(two.sae, one.sae, 'SAE fit: 2 threads differ from 1');
  assert.ok(one.gemmNTSame, 'A·Bᵀ should be bitwise A·B');
  // |C − A·B| ≤ 1e-5 · Σ|A_ip·B_pj| (K = 300: float32 rounding is ~1e-7 relative, the worst case K·2⁻²⁴ ≈ 2e-5)
  assert.ok(one.gemmError <= 1e-5, `GEMM error ${one.gemmError} against float64`);
  // the fused probe: −2⁻⁴⁶ with one rounding per multiply-add, 0 with two (the default kernels)
  assert.deepEqual(plain.probe, [0]);
  if (one.cpuFuses) {
    assert.deepEqual(one.probe, [-(2 ** -46)], 'the GEMM\'s multiply-adds should be fused (4-row and 1-row tiles)');
    assert.notEqual(one.gemm, plain.gemm, 'fused and unfused GEMMs should differ somewhere');
  }
});

test('compileKernels: a variant that does not compile falls back to the default kernels with one warning', () => {
  const warnings: string[] = [];
  const r = compileKernels('fma', { default: KERNELS_WASM, fma: Buffer.from('not wasm').toString('base64') }, (m) => warnings.push(m));
  assert.equal(r.variant, 'default');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /WORKBOOK_FMA=1.*do not compile.*using the default kernels/);
  const ok = compileKernels('fma', { default: KERNELS_WASM, fma: KERNELS_WASM_FMA }, (m) => warnings.push(m));
  assert.equal(ok.variant, 'fma');
  assert.equal(warnings.length, 1);
});

test('requestedVariant: only WORKBOOK_FMA=1 asks for the FMA kernels; values other than 1, 0 or empty warn', () => {
  const warnings: string[] = [];
  const w = (m: string): void => { warnings.push(m); };
  assert.equal(requestedVariant({ WORKBOOK_FMA: '1' }, w), 'fma');
  assert.equal(requestedVariant({}, w), 'default');
  assert.equal(requestedVariant({ WORKBOOK_FMA: '0' }, w), 'default');
  assert.equal(requestedVariant({ WORKBOOK_FMA: '' }, w), 'default');
  assert.equal(warnings.length, 0);
  assert.equal(requestedVariant({ WORKBOOK_FMA: 'yes' }, w), 'default');
  assert.match(warnings[0], /WORKBOOK_FMA=yes is not understood: set WORKBOOK_FMA=1/);
});

test('fmaSource: the FMA variant differs from kernels.wat only in the GEMM micro-kernels\' multiply-adds', async () => {
  const build = await import(pathToFileURL(path.join(root, 'src/compute/wasm/build.mjs')).href) as { fmaSource(wat: string): string };
  const wat = fs.readFileSync(path.join(root, 'src/compute/wasm/kernels.wat'), 'utf8');
  const a = wat.split('\n'), b = build.fmaSource(wat).split('\n');
  assert.equal(b.length, a.length);
  const changed = a.map((line, i) => [line, b[i]]).filter(([x, y]) => x !== y);
  assert.equal(changed.length, 10, 'tile4: 8 multiply-adds, tile1: 2');
  for (const [x, y] of changed) {
    assert.equal(y, x.replace(/\(f32x4\.add (\(local\.get \$c\d+\)) \(f32x4\.mul (\(local\.get \$a\)) (.+)\)\)\)$/, '(f32x4.relaxed_madd $2 $3 $1))'));
  }
  assert.throws(() => build.fmaSource(wat.replace(/;; fma:(begin|end)/g, '')), /no f32x4 multiply-add between/);
});
