/**
 * Synthetic sparse inputs of the toy models of superposition (Elhage et al. 2022): feature i of a
 * sample is 0 with probability 1 − p (p = feature probability = 1 − S, S = sparsity), else U[0, 1].
 */
import { Rng } from '../core/rng';

const INV_2_32 = 1 / 4294967296;

/**
 * The non-zeros of one instance's batch feature by feature (CSR of xᵀ, n rows over `batch` columns): samples
 * ascending within each feature; `ptr` has n+1 entries, `idx`/`val` room for batch·n.
 */
export interface FeatureMajor { ptr: Int32Array; idx: Int32Array; val: Float32Array; nnz: number }

/**
 * Fill one instance's batch `out` (batch×n, row-major; cleared first) with sparse uniform inputs drawn from `rng`,
 * feature probabilities prob[pOff … pOff+n); when `fm` is given, also write its non-zeros feature by feature.
 * The zeros between active entries of a feature are skipped with geometric gaps (one draw per active entry
 * instead of one per entry); values use one 32-bit draw each.
 */
export function fillSparseInstance(rng: Rng, out: Float32Array, batch: number, n: number, prob: Float64Array,
  pOff = 0, fm?: FeatureMajor): void {
  out.fill(0, 0, batch * n);
  let q = 0;
  for (let i = 0; i < n; i++) {
    if (fm) fm.ptr[i] = q;
    const p = prob[pOff + i];
    if (p >= 1) {
      for (let b = 0; b < batch; b++) {
        const v = rng.nextUint32() * INV_2_32;
        out[b * n + i] = v;
        if (fm && v !== 0) { fm.idx[q] = b; fm.val[q] = v; q++; }
      }
      continue;
    }
    const logq = Math.log1p(-p);
    let b = -1;
    for (;;) {
      // gap of zeros before the next active sample ~ Geometric(p)
      const u = (rng.nextUint32() + 0.5) * INV_2_32;
      b += 1 + Math.floor(Math.log(u) / logq);
      if (b >= batch) break;
      const v = rng.nextUint32() * INV_2_32;
      out[b * n + i] = v;
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
