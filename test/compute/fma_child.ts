// Child process of fma.test.ts: runs the dense GEMM and a short ReLU SAE fit with the kernel variant and thread
// count its environment sets (WORKBOOK_FMA, WORKBOOK_THREADS: both are read once, when the kernels load) and prints
// one JSON line: the variant, fingerprints (sha256) of the results, the GEMM's error against a float64 reference,
// a probe that tells whether the GEMM's multiply-adds are fused, and whether relaxed_madd fuses on this CPU.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import { mm, mmNT } from '../../src/compute/dense';
import { setDispatchPolicy } from '../../src/compute/dispatch';
import { kernelHelperReady, kernelThreads, kernelWorkerChunks } from '../../src/compute/threads';
import { RELAXED_SIMD_FLAG, kernelVariant } from '../../src/compute/wasm';
import { initBackend } from '../../src/core/backend';
import { Rng } from '../../src/core/rng';
import { plantedSparseData } from '../../src/data/synthetic';
import { ReluSae } from '../../src/dictionary/sae_relu';

const sha = (a: Float32Array): string => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');

/** Largest |C − A·B| / Σ_p |A[i][p]·B[p][j]| over the entries (the float64 sum as reference). */
function maxScaledError(c: Float32Array, a: Float32Array, b: Float32Array, n: number, k: number, m: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0, abs = 0;
      for (let p = 0; p < k; p++) { const t = a[i * k + p] * b[p * m + j]; s += t; abs += Math.abs(t); }
      worst = Math.max(worst, Math.abs(c[i * m + j] - s) / abs);
    }
  }
  return worst;
}

/**
 * C[i][0..8) for A's rows (1, 1+2⁻²³, 0 …) and B's rows (−1 …), (1−2⁻²³ …), (0 …): −2⁻⁴⁶ when the second
 * multiply-add is fused (−1 + (1+2⁻²³)(1−2⁻²³) exactly), 0 when the product is rounded first. 7 rows: a 4-row tile
 * and three 1-row tiles; K = 600 so that the product goes to the wasm GEMM.
 */
function fusedProbe(): number[] {
  const e = 2 ** -23, n = 7, k = 600, m = 8;
  const a = new Float32Array(n * k), b = new Float32Array(k * m);
  for (let i = 0; i < n; i++) { a[i * k] = 1; a[i * k + 1] = 1 + e; }
  b.fill(-1, 0, m); b.fill(1 - e, m, 2 * m);
  return [...new Set(Array.from(mm(a, n, k, b, m)))];
}

/** Whether f32x4.relaxed_madd is fused on this CPU (a one-instruction module assembled with wabt). */
async function relaxedMaddFuses(): Promise<boolean> {
  v8.setFlagsFromString(RELAXED_SIMD_FLAG);
  const wabt = await (createRequire(__filename)('wabt') as () => Promise<{
    parseWat(name: string, src: string, f: object): { toBinary(o: object): { buffer: Uint8Array }; destroy(): void };
  }>)();
  const mod = wabt.parseWat('probe.wat', `(module (func (export "f") (param f32 f32 f32) (result f32)
    (f32x4.extract_lane 0 (f32x4.relaxed_madd (f32x4.splat (local.get 0)) (f32x4.splat (local.get 1)) (f32x4.splat (local.get 2))))))`,
  { simd: true, relaxed_simd: true });
  try {
    const W = (globalThis as unknown as { WebAssembly: { Instance: new (m: object) => { exports: { f(a: number, b: number, c: number): number } }; Module: new (b: Uint8Array) => object } }).WebAssembly;
    const f = new W.Instance(new W.Module(mod.toBinary({}).buffer)).exports.f;
    return f(1 + 2 ** -23, 1 - 2 ** -23, -1) !== 0;
  } finally {
    mod.destroy();
  }
}

async function main(): Promise<void> {
  await initBackend();
  const threads = kernelThreads();
  if (threads === 2 && !(await kernelHelperReady())) throw new Error('the kernel worker did not start');
  // 203 rows (chunks of 4-row tiles plus 1-row tiles), 77 columns (a partial last panel)
  const [n, k, m] = [203, 300, 77];
  const r = new Rng(11);
  const a = r.fillNormal(new Float32Array(n * k)), b = r.fillNormal(new Float32Array(k * m));
  const c = mm(a, n, k, b, m);
  const bT = new Float32Array(m * k);
  for (let p = 0; p < k; p++) for (let j = 0; j < m; j++) bT[j * k + p] = b[p * m + j];
  const cNT = mmNT(a, n, k, bT, m);
  // a ReLU SAE with every product dense, so that each one runs in the GEMM
  setDispatchPolicy({ sparseMaxDensity: 0 });
  const d = plantedSparseData({ n: 256, m: 64, k: 8, samples: 1024, seed: 4 });
  const sae = new ReluSae({ features: 128, lambda: 0.01, seed: 1 });
  sae.fit(d.X, { steps: 12, batch: 256, progress: false });
  console.log(JSON.stringify({
    variant: kernelVariant(), threads, workerChunks: kernelWorkerChunks(),
    gemm: sha(c), gemmNTSame: sha(cNT) === sha(c), gemmError: maxScaledError(c, a, b, n, k, m),
    sae: [sha(sae.D!), sha(sae.E!), sae.report!.loss],
    probe: fusedProbe(), cpuFuses: await relaxedMaddFuses(),
  }));
}

main().catch((e) => { console.error(e); process.exit(1); });
