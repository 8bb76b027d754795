/**
 * Synthetic sparse inputs of the toy models of superposition (Elhage et al. 2022): feature i of a
 * sample is 0 with probability 1 − p (p = feature probability = 1 − S, S = sparsity), else U[0, 1].
 */
import { Rng } from '../core/rng';

const INV_2_32 = 1 / 4294967296;

/**
 * xoshiro128** (the generator of {@link Rng}) with its state in an Int32Array, seeded by four draws of an Rng:
 * the hot loop of the data generator draws millions of numbers per step, and a state kept in typed-array words
 * costs no allocation per draw (object fields holding uint32 values above 2³⁰ are boxed numbers in V8).
 */
class Stream {
  private readonly s = new Int32Array(4);
  constructor(rng: Rng) {
    const s = this.s;
    for (let k = 0; k < 4; k++) s[k] = rng.nextUint32() | 0;
    if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  }

  /** Next 32-bit unsigned integer. */
  next(): number {
    const s = this.s;
    const s1 = s[1], m5 = Math.imul(s1, 5);
    const result = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    const s3 = s[3];
    s[3] = (s3 << 11) | (s3 >>> 21);
    return result;
  }
}

/**
 * The non-zeros of one instance's batch feature by feature (CSR of xᵀ, n rows over `batch` columns): samples
 * ascending within each feature; `ptr` has n+1 entries, `idx`/`val` room for batch·n.
 */
export interface FeatureMajor { ptr: Int32Array; idx: Int32Array; val: Float32Array; nnz: number }

/**
 * Fill one instance's batch `out` (cleared first) with sparse uniform inputs drawn from `rng`, feature
 * probabilities prob[pOff … pOff+n); sample b's feature i goes to out[b·n + i] (`featureMajor` false, the
 * default: batch×n row-major) or out[i·batch + b] (true: n×batch, each feature's samples contiguous, so the
 * writes below are sequential). When `fm` is given, also write the non-zeros feature by feature.
 * The zeros between active entries of a feature are skipped with geometric gaps (one draw per active entry
 * instead of one per entry); values use one 32-bit draw each, from a stream seeded by four draws of `rng`. The
 * draws do not depend on the layout.
 */
export function fillSparseInstance(rng: Rng, out: Float32Array, batch: number, n: number, prob: Float64Array,
  pOff = 0, fm?: FeatureMajor, featureMajor = false): void {
  out.fill(0, 0, batch * n);
  const sb = featureMajor ? 1 : n, si = featureMajor ? batch : 1;
  const rand = new Stream(rng);
  let q = 0;
  for (let i = 0; i < n; i++) {
    if (fm) fm.ptr[i] = q;
    const p = prob[pOff + i];
    if (p >= 1) {
      for (let b = 0; b < batch; b++) {
        const v = rand.next() * INV_2_32;
        out[b * sb + i * si] = v;
        if (fm && v !== 0) { fm.idx[q] = b; fm.val[q] = v; q++; }
      }
      continue;
    }
    const logq = Math.log1p(-p);
    let b = -1;
    for (;;) {
      // gap of zeros before the next active sample ~ Geometric(p)
      const u = (rand.next() + 0.5) * INV_2_32;
      b += 1 + Math.floor(Math.log(u) / logq);
      if (b >= batch) break;
      const v = rand.next() * INV_2_32;
      out[b * sb + i * si] = v;
      if (fm && v !== 0) { fm.idx[q] = b; fm.val[q] = v; q++; }
    }
  }
  if (fm) { fm.ptr[n] = q; fm.nnz = q; }
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
