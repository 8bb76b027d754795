/** Random inputs for exercise cases (nested arrays, float64, from the project's seeded Rng). */
import { Rng } from '../../core/rng';

/** rows×cols standard normal entries times `scale`. */
export function randn(rng: Rng, rows: number, cols: number, scale = 1): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * rng.normal()));
}

/** A vector of n standard normal entries times `scale`. */
export function randVec(rng: Rng, n: number, scale = 1): number[] {
  return Array.from({ length: n }, () => scale * rng.normal());
}

/** Integer in [lo, hi]. */
export function intIn(rng: Rng, lo: number, hi: number): number {
  return lo + rng.int(hi - lo + 1);
}

/** Round to 1e-3 so that inputs are short when printed and exact ties (|z| = λ) can be planted. */
export function r3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** A B×N matrix with about `density` of its entries non-zero (normal), the rest exactly 0. */
export function sparseRows(rng: Rng, B: number, N: number, density: number, nonneg = false): number[][] {
  return Array.from({ length: B }, () => Array.from({ length: N }, () => {
    if (rng.uniform() >= density) return 0;
    const v = rng.normal();
    return nonneg ? Math.abs(v) : v;
  }));
}

/** Shape error messages (from the library's matmul or from an index out of range) hint at D's orientation. */
export function orientationHint(what: string): (e: { name: string; message: string }) => string | undefined {
  return (e) => (/shape|dimension|rows|cols|undefined|not iterable|length/i.test(`${e.name} ${e.message}`) ? what : undefined);
}
