/**
 * Synthetic sparse inputs of the toy models of superposition (Elhage et al. 2022): feature i of a
 * sample is 0 with probability 1 − p (p = feature probability = 1 − S, S = sparsity), else U[0, 1].
 */
import { Rng } from '../core/rng';

const INV_2_32 = 1 / 4294967296;

/**
 * Fill `out` (length instances·batch·n, layout [instance][sample][feature]) with sparse uniform inputs.
 * @param prob feature probability per instance and feature, flat [instance·n + feature] (length instances·n).
 * Internal hot path: the zeros between active entries of a feature are skipped with geometric gaps
 * (one draw per active entry instead of one per entry), values use one 32-bit draw each.
 */
export function fillSparseUniform(rng: Rng, out: Float32Array, instances: number, batch: number, n: number,
  prob: Float64Array): Float32Array {
  out.fill(0);
  for (let s = 0; s < instances; s++) {
    const base = s * batch * n;
    for (let i = 0; i < n; i++) {
      const p = prob[s * n + i];
      if (p >= 1) {
        for (let b = 0; b < batch; b++) out[base + b * n + i] = rng.nextUint32() * INV_2_32;
        continue;
      }
      const logq = Math.log1p(-p);
      let b = -1;
      for (;;) {
        // gap of zeros before the next active sample ~ Geometric(p)
        const u = (rng.nextUint32() + 0.5) * INV_2_32;
        b += 1 + Math.floor(Math.log(u) / logq);
        if (b >= batch) break;
        out[base + b * n + i] = rng.nextUint32() * INV_2_32;
      }
    }
  }
  return out;
}
