/**
 * The learning-rate / penalty schedules of the dictionary models. The optimiser ({@link ../compute/adam}) and the
 * unit-norm row constraint of the atoms ({@link ../compute/rows}) are the engine's.
 */

/** Learning-rate and penalty schedules, as fractions of the total number of steps. */
export interface ScheduleConfig {
  /** Linear LR warm-up from 0 over this fraction of the steps (default 0.05). */
  warmup?: number;
  /** Linear LR decay to 0 over the last fraction of the steps (default 0.2). */
  decay?: number;
  /** Linear penalty (λ) warm-up from 0 over this fraction of the steps (default 0.05). */
  penaltyWarmup?: number;
}

/** LR multiplier in [0, 1] at step t (0-based) of `total`. */
export function lrFactor(t: number, total: number, cfg: ScheduleConfig = {}): number {
  const w = Math.floor((cfg.warmup ?? 0.05) * total), d = Math.floor((cfg.decay ?? 0.2) * total);
  if (w > 0 && t < w) return (t + 1) / w;
  if (d > 0 && t >= total - d) return Math.max(0, (total - t) / d);
  return 1;
}

/** Penalty multiplier in [0, 1] at step t (0-based) of `total`. */
export function penaltyFactor(t: number, total: number, cfg: ScheduleConfig = {}): number {
  const w = Math.floor((cfg.penaltyWarmup ?? 0.05) * total);
  return w > 0 && t < w ? (t + 1) / w : 1;
}
