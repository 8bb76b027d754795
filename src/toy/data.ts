/**
 * Synthetic sparse inputs of the toy models of superposition (Elhage et al. 2022): feature i of a
 * sample is 0 with probability 1 − p (p = feature probability = 1 − S, S = sparsity), else U[0, 1) (on a grid of
 * 2⁻²⁴, exact in float32).
 */
import { Rng } from '../core/rng';
import { WasmKernels, wasmOffset } from '../compute/wasm';
import { ROW_CHUNKS, runKernel } from '../compute/threads';

const INV_2_24 = 1 / 16777216;
const GOLDEN = 0x9e3779b9 | 0;

/**
 * Activity threshold of feature probability p: a sample is active iff its activity draw (uint32) is ≤ the
 * threshold, which happens with probability ⌊p·2³²⌋/2³² (1 for p ≥ 1; at least 2⁻³² for p > 0).
 */
export function activityCut(p: number): number {
  return p >= 1 ? 4294967295 : Math.max(0, Math.floor(p * 4294967296) - 1);
}

/** The key of one instance's batch: four 32-bit draws of `rng` (int32 bit patterns), into `into`. */
export function drawInstanceKey(rng: Rng, into: Int32Array = new Int32Array(4)): Int32Array {
  for (let j = 0; j < 4; j++) into[j] = rng.nextUint32() | 0;
  return into;
}

/** murmur3's 32-bit finaliser (a bijection): seeds the streams from the key. */
function fmix(x: number): number {
  x ^= x >>> 16; x = Math.imul(x, 0x85ebca6b | 0);
  x ^= x >>> 13; x = Math.imul(x, 0xc2b2ae35 | 0);
  return x ^ (x >>> 16);
}

/**
 * The draws of feature i of an instance with key `key`, into vals[0 … batch): four xoshiro128** streams (lanes
 * l = 0…3, word j seeded fmix(key[j] + (4i + l + 1)·0x9E3779B9)); sample b = 4g + l takes lane l's draws 2g
 * (activity: active iff ≤ cut) and 2g+1 (value (draw >>> 8)·2⁻²⁴, in [0, 1), exact in float32). The four lanes
 * make the same draws as the engine's SIMD kernel (kernels.wat `toydata`), and each feature has its own streams,
 * so features can be drawn in any order or on either thread.
 */
function drawFeature(key: Int32Array, i: number, cut: number, batch: number, vals: Float32Array): void {
  for (let l = 0; l < 4; l++) {
    const c = Math.imul(4 * i + l + 1, GOLDEN);
    let s0 = fmix((key[0] + c) | 0), s1 = fmix((key[1] + c) | 0), s2 = fmix((key[2] + c) | 0), s3 = fmix((key[3] + c) | 0);
    for (let b = l; b - l < batch; b += 4) {
      // two draws per group of four samples: activity, then value (lanes past the batch draw too, as in the kernel)
      let u = 0;
      for (let k = 0; k < 2; k++) {
        const m5 = Math.imul(s1, 5);
        const r = Math.imul((m5 << 7) | (m5 >>> 25), 9);
        const t = s1 << 9;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        if (k === 0) u = r >>> 0;
        else if (b < batch) vals[b] = u <= cut ? (r >>> 8) * INV_2_24 : 0;
      }
    }
  }
}

/**
 * The non-zeros of one instance's batch feature by feature (CSR of xᵀ, n rows over `batch` columns): samples
 * ascending within each feature; `ptr` has n+1 entries, `idx`/`val` room for batch·n.
 */
export interface FeatureMajor { ptr: Int32Array; idx: Int32Array; val: Float32Array; nnz: number }

/**
 * Fill one instance's batch `out` with sparse uniform inputs drawn from `rng` (which advances by four draws: the
 * instance's key), feature probabilities prob[pOff … pOff+n); sample b's feature i goes to out[b·n + i]
 * (`featureMajor` false, the default: batch×n row-major) or out[i·batch + b] (true: n×batch, each feature's samples
 * contiguous). When `fm` is given, also write the non-zeros feature by feature. Each feature draws from its own
 * streams (an activity and a value draw per entry, see {@link activityCut}); the draws do not depend on the layout.
 */
export function fillSparseInstance(rng: Rng, out: Float32Array, batch: number, n: number, prob: Float64Array,
  pOff = 0, fm?: FeatureMajor, featureMajor = false): void {
  const key = drawInstanceKey(rng);
  const vals = featureScratch(batch);
  const sb = featureMajor ? 1 : n, si = featureMajor ? batch : 1;
  let q = 0;
  for (let i = 0; i < n; i++) {
    drawFeature(key, i, activityCut(prob[pOff + i]), batch, vals);
    if (fm) fm.ptr[i] = q;
    for (let b = 0; b < batch; b++) {
      const v = vals[b];
      out[b * sb + i * si] = v;
      if (fm && v !== 0) { fm.idx[q] = b; fm.val[q] = v; q++; }
    }
  }
  if (fm) { fm.ptr[n] = q; fm.nnz = q; }
}

let scratch = new Float32Array(0);
function featureScratch(batch: number): Float32Array {
  if (scratch.length < batch) scratch = new Float32Array(batch);
  return scratch;
}

/**
 * The non-zeros of one instance's batch in fixed slots: feature i's in [i·batch, end[i]) of idx (sample, ascending)
 * and val, so that each feature is written on its own (either thread). `ptr` = [0, batch, 2·batch, …] (n+1 entries),
 * `end` n entries; idx/val batch·n. A {@link Csr} of xᵀ with row ends.
 */
export interface FeatureSlots { ptr: Int32Array; end: Int32Array; idx: Int32Array; val: Float32Array; nnz: number }

/**
 * The batch of {@link fillSparseInstance} in feature-major layout (out n×batch), its non-zeros in fixed slots; `cut`
 * holds {@link activityCut} of each feature (from cutOff), `key` receives the instance's key. In the engine's SIMD
 * kernel on both threads when `kernels` is given and every array lives in the kernels' memory, else in JS: the same
 * draws either way.
 */
export function fillSparseSlots(rng: Rng, out: Float32Array, batch: number, n: number, cut: Int32Array, cutOff: number,
  slots: FeatureSlots, key: Int32Array, kernels: WasmKernels | null): void {
  drawInstanceKey(rng, key);
  slots.nnz = batch * n;
  const at = kernels ? [key, cut, out, slots.idx, slots.val, slots.end].map(wasmOffset) : [];
  if (kernels && at.every((o) => o !== null)) {
    const [k, c, x, idx, val, end] = at as number[];
    runKernel(kernels, 'toydata', [k, c + 4 * cutOff, batch, x, idx, val, end], n, 1, ROW_CHUNKS);
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = out.subarray(i * batch, (i + 1) * batch);
    drawFeature(key, i, cut[cutOff + i] >>> 0, batch, v);
    let q = i * batch;
    for (let b = 0; b < batch; b++) if (v[b] !== 0) { slots.idx[q] = b; slots.val[q] = v[b]; q++; }
    slots.end[i] = q;
  }
}

/**
 * Fill `out` (length instances·batch·n, layout [instance][sample][feature]) with sparse uniform inputs, instance
 * after instance ({@link fillSparseInstance}: the same draws as filling each instance in turn).
 * @param prob feature probability per instance and feature, flat [instance·n + feature] (length instances·n).
 */
export function fillSparseUniform(rng: Rng, out: Float32Array, instances: number, batch: number, n: number,
  prob: Float64Array): Float32Array {
  for (let s = 0; s < instances; s++) fillSparseInstance(rng, out.subarray(s * batch * n, (s + 1) * batch * n), batch, n, prob, s * n);
  return out;
}
