/**
 * Learning-rate schedules of the training loop, as multipliers of the peak learning rate at step t of T
 * (t 1-based, so that step 1 is the first update).
 */
import { ValueError } from '../core/errors';

/**
 * A learning-rate schedule:
 * - 'constant': 1 throughout;
 * - 'cosine': from 1 down to 0.01 along half a cosine, 0.01 + 0.99·½(1 + cos(π(t−1)/T));
 * - `{ warmup, decay }`: linear warm-up from 0 over the first `warmup`·T steps, linear decay to 0 over the last
 *   `decay`·T steps (fractions of T, defaults 0.05 and 0.2; SAELens / dictionary_learning style).
 */
export type Schedule = 'constant' | 'cosine' | { warmup?: number; decay?: number };

/** The multiplier (in [0, 1]) of warm-up then decay at 0-based step t of `total` (fractions of total). */
export function warmupDecayFactor(t: number, total: number, warmup = 0.05, decay = 0.2): number {
  const w = Math.floor(warmup * total), d = Math.floor(decay * total);
  if (w > 0 && t < w) return (t + 1) / w;
  if (d > 0 && t >= total - d) return Math.max(0, (total - t) / d);
  return 1;
}

/** Check a schedule given by a user; throws a ValueError naming the accepted forms. */
export function checkSchedule(s: unknown): Schedule {
  if (s === undefined) return 'constant';
  if (s === 'constant' || s === 'cosine') return s;
  if (s !== null && typeof s === 'object' && !Array.isArray(s)) {
    const o = s as { warmup?: unknown; decay?: unknown };
    for (const k of ['warmup', 'decay'] as const) {
      const v = o[k];
      if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1)) {
        throw new ValueError(`schedule.${k} must be a fraction of the steps in [0, 1], got ${String(v)}`);
      }
    }
    if (((o.warmup as number | undefined) ?? 0.05) + ((o.decay as number | undefined) ?? 0.2) > 1) {
      throw new ValueError('schedule: warmup + decay must not exceed 1 (they are fractions of the steps)');
    }
    return { warmup: o.warmup as number | undefined, decay: o.decay as number | undefined };
  }
  throw new ValueError(`schedule must be 'constant', 'cosine' or { warmup, decay } (fractions of the steps), got ${JSON.stringify(s)}`);
}

/** Learning-rate multiplier of `schedule` at step t (1-based) of `total`. */
export function scheduleFactor(schedule: Schedule, t: number, total: number): number {
  if (schedule === 'constant') return 1;
  if (schedule === 'cosine') return 0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * (t - 1) / Math.max(1, total)));
  return warmupDecayFactor(t - 1, total, schedule.warmup ?? 0.05, schedule.decay ?? 0.2);
}
