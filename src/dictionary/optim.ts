/**
 * Row constraints of dictionary parameters (unit-norm atoms: tangent projection of the gradient, renormalisation)
 * and the learning-rate / penalty schedules of the dictionary models. The optimiser itself is the engine's
 * ({@link ../compute/adam}).
 */

/** Remove from each row of the gradient G (rows×cols) its component along the matching (unit) row of P. */
export function projectRowsTangent(g: Float32Array, p: Float32Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let dot = 0, nn = 0;
    for (let j = 0; j < cols; j++) { dot += g[o + j] * p[o + j]; nn += p[o + j] * p[o + j]; }
    if (nn === 0) continue;
    const c = dot / nn;
    for (let j = 0; j < cols; j++) g[o + j] -= c * p[o + j];
  }
}

/** Scale each row of P (rows×cols) to unit Euclidean norm (zero rows stay zero). */
export function normaliseRowsInPlace(p: Float32Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let nn = 0;
    for (let j = 0; j < cols; j++) nn += p[o + j] * p[o + j];
    if (nn === 0) continue;
    const inv = 1 / Math.sqrt(nn);
    for (let j = 0; j < cols; j++) p[o + j] *= inv;
  }
}

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
