/**
 * Synthetic sparse inputs of the toy models of superposition (Elhage et al. 2022): feature i of a
 * sample is 0 with probability 1 − p (p = feature probability = 1 − S, S = sparsity), else U[0, 1].
 */
import { Rng } from '../core/rng';

const INV_2_32 = 1 / 4294967296;
/** From this feature probability up, activity is drawn entry by entry instead of by geometric gaps. */
const DENSE_P = 0.2;

/**
 * xoshiro128** (the generator of {@link Rng}), seeded by four draws of an Rng, producing its numbers in blocks:
 * the data generator draws millions per step, and a loop over local state words is several times faster than
 * state kept in object fields (uint32 values above 2³⁰ are boxed numbers in V8's fields).
 */
class Stream {
  private readonly s = new Int32Array(4);
  private readonly buf = new Int32Array(1024);
  private k = 1024;
  constructor(rng: Rng) {
    const s = this.s;
    for (let j = 0; j < 4; j++) s[j] = rng.nextUint32() | 0;
    if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  }

  /** Next 32-bit unsigned integer. */
  next(): number {
    if (this.k === 1024) this.refill();
    return this.buf[this.k++] >>> 0;
  }

  private refill(): void {
    const st = this.s, buf = this.buf;
    let s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3];
    for (let j = 0; j < 1024; j++) {
      const m5 = Math.imul(s1, 5);
      buf[j] = Math.imul((m5 << 7) | (m5 >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    st[0] = s0; st[1] = s1; st[2] = s2; st[3] = s3;
    this.k = 0;
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
 * Features with p < 0.2 skip the zeros between active entries with geometric gaps (one draw and a logarithm per
 * active entry instead of a draw per entry), denser ones draw each entry's activity; values use one 32-bit draw each, from a stream seeded by four draws of `rng`. The
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
    if (p >= DENSE_P) {
      // dense enough that one draw per entry (active iff below p·2³²) is cheaper than a logarithm per gap
      const cut = Math.floor(p * 4294967296);
      for (let b = 0; b < batch; b++) {
        if (rand.next() >= cut) continue;
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
