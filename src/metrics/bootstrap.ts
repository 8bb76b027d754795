/** Bootstrap confidence intervals of a mean (per-unit scores, per-seed results). */
import { Rng } from '../core/rng';
import { checkInt, checkNumber } from '../core/validate';

/** Mean of `v` with NaN entries dropped (NaN when nothing is left). */
export function nanMean(v: number[]): number {
  const f = v.filter((x) => !Number.isNaN(x));
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
}

/** Mean of `values` (NaN entries dropped) with a percentile bootstrap confidence interval. */
export interface BootstrapCi { mean: number; lo: number; hi: number; n: number }

/**
 * Percentile bootstrap of the mean over `values` (e.g. per-unit scores; NaN entries are dropped):
 * `reps` (default 2000) resamples with replacement, interval [(1−level)/2, (1+level)/2] quantiles
 * (level default 0.95). Seeded. With fewer than 2 values the interval is [mean, mean].
 */
export function bootstrapMeanCi(values: ArrayLike<number>, opts: { reps?: number; level?: number; seed?: number } = {}): BootstrapCi {
  const v = Array.from(values).filter((x) => !Number.isNaN(x));
  const reps = checkInt('bootstrapMeanCi: reps', opts.reps ?? 2000, 1);
  const level = checkNumber('bootstrapMeanCi: level', opts.level ?? 0.95, 0, 1);
  const n = v.length;
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN, n };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, lo: mean, hi: mean, n };
  const rng = new Rng(opts.seed ?? 0);
  const means = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[rng.int(n)];
    means[r] = s / n;
  }
  means.sort();
  const q = (p: number) => means[Math.min(reps - 1, Math.max(0, Math.floor(p * reps)))];
  return { mean, lo: q((1 - level) / 2), hi: q((1 + level) / 2), n };
}
