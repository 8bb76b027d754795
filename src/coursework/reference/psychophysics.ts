/**
 * Reference of the 2AFC exercise: an exhaustive, deterministic 2AFC score of one unit. The library's
 * `twoAfcScore` (src/metrics/psychophysics.ts) uses the same task and judge but draws the query pairs at
 * random; here every pair of queries is scored, so the answer does not depend on a random stream.
 */

/** Indices 0…B−1 sorted by activation, descending, ties by index. */
export function rankDescending(acts: readonly number[]): number[] {
  return acts.map((_, i) => i).sort((a, b) => acts[b] - acts[a] || a - b);
}

function meanSim(sim: readonly (readonly number[])[], q: number, E: readonly number[]): number {
  return E.reduce((s, e) => s + sim[q][e], 0) / E.length;
}

/**
 * 2AFC score of one unit with a machine judge. acts: the unit's activation on B examples (length B);
 * sim: B×B similarity of examples; references: size of E⁺ (the most activating) and E⁻ (the least);
 * queries: q⁺ runs over the next `queries` examples from the top, q⁻ over the next `queries` from the bottom.
 * For each pair, Δ = [s(q⁺,E⁺) − s(q⁺,E⁻)] − [s(q⁻,E⁺) − s(q⁻,E⁻)] with s(q,E) the mean similarity; the
 * pair scores 1 if Δ > 0, ½ if Δ = 0, else 0. Returns the mean over all queries² pairs, in [0, 1] (chance ½).
 */
export function twoAfcUnit(acts: readonly number[], sim: readonly (readonly number[])[], references: number, queries: number): number {
  const order = rankDescending(acts);
  const B = order.length;
  return twoAfcPools(sim, order.slice(0, references), order.slice(B - references),
    order.slice(references, references + queries), order.slice(B - references - queries, B - references));
}

/**
 * Mean 2AFC judge score over all pairs (q⁺ ∈ Qp, q⁻ ∈ Qm) with reference sets Ep, Em (indices into sim).
 * `plusOnly` scores the judge that looks at q⁺ alone (a mistake the exercise recognises).
 */
export function twoAfcPools(sim: readonly (readonly number[])[], Ep: readonly number[], Em: readonly number[],
  Qp: readonly number[], Qm: readonly number[], plusOnly = false): number {
  let score = 0;
  for (const qp of Qp) {
    for (const qm of Qm) {
      const d = (meanSim(sim, qp, Ep) - meanSim(sim, qp, Em)) - (plusOnly ? 0 : meanSim(sim, qm, Ep) - meanSim(sim, qm, Em));
      score += d > 0 ? 1 : d === 0 ? 0.5 : 0;
    }
  }
  return score / (Qp.length * Qm.length);
}
