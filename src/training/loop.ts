/**
 * The one training loop. A model's trainer does one optimisation step on its next batch
 * ({@link Trainer.update}); the loop owns everything around it — the learning-rate schedule, progress,
 * the history, divergence detection, evaluation hooks, early stopping and timing — as dictionary_learning's
 * `training.py` does around its `trainers/*.update(step, x)` and SAELens' `SAETrainer` around a `TrainingSAE`.
 */
import { ValueError } from '../core/errors';
import { createProgress } from '../core/progress';
import { checkInt, checkNumber } from '../core/validate';
import { TrainingDivergedError } from './errors';
import { Schedule, checkSchedule, scheduleFactor } from './schedule';

/** What the loop drives: one optimisation step per call. */
export interface Trainer {
  /**
   * One optimisation step on the trainer's next batch with learning rate `lr`; `step` counts from 1 (Adam's
   * bias-correction step). Returns the batch loss (before the update).
   */
  update(step: number, lr: number): number;
}

/** Metrics an evaluation hook returns (numbers, recorded in the history row of its step). */
export type EvalMetrics = Record<string, number>;

/** Options of {@link trainLoop}. */
export interface TrainLoopOptions<E = EvalMetrics | void> {
  /** Optimisation steps (≥ 0). */
  steps: number;
  /** Peak learning rate (> 0). */
  lr: number;
  /** Learning-rate schedule (default 'constant'; see {@link Schedule}). */
  schedule?: Schedule;
  /** Record a history row every this many steps (default: evalEvery, else max(1, ⌊steps/100⌋)); and at the last step. */
  logEvery?: number;
  /** Call `onEval` every this many steps (default max(1, ⌊steps/10⌋)) and after the last step. */
  evalEvery?: number;
  /** Evaluation hook: metrics merged into the history row of `step`; `loss` is the row's mean batch loss. */
  onEval?: (step: number, loss: number) => E;
  /** Show progress under this label (steps as `unit`, default 'steps'); off when absent. */
  progress?: { label: string; unit?: string; enabled?: boolean };
  /**
   * Stop when `metric` (default 'loss', the mean batch loss of a history row; or a key returned by onEval) has not
   * improved by `minDelta` (relative to the best, default 1e-4) at `patience` consecutive rows holding it;
   * `mode` 'min' (default) or 'max'; not before step `after` (default 0).
   */
  earlyStop?: { patience: number; minDelta?: number; metric?: string; mode?: 'min' | 'max'; after?: number };
  /**
   * Divergence: a non-finite batch loss, or (after step 10) one above `divergeFactor` × the first loss
   * (default 1e4; Infinity turns the explosion test off). Throws {@link TrainingDivergedError}.
   */
  divergeFactor?: number;
  /** Name used in the divergence message (default: the progress label, else 'training'). */
  name?: string;
}

/** One history row: the step, the mean batch loss since the previous row, the learning rate, and eval metrics. */
export interface HistoryRow { step: number; loss: number; lr: number; [metric: string]: number }

/** What {@link trainLoop} did. */
export interface TrainLoopResult {
  /** Steps run (fewer than asked after an early stop). */
  steps: number;
  history: HistoryRow[];
  /** Batch loss of the last step. */
  lastLoss: number;
  stoppedEarly: boolean;
  /** Wall time of the loop, seconds. */
  seconds: number;
}

interface EvalRequest { step: number; loss: number }

/**
 * The loop itself, as a generator that yields at each evaluation and receives the hook's metrics: the sync
 * and async drivers below share it.
 */
function* loopCore(trainer: Trainer, o: TrainLoopOptions<unknown>): Generator<EvalRequest, TrainLoopResult, EvalMetrics | void> {
  const steps = checkInt('steps', o.steps, 0);
  const lr0 = checkNumber('lr', o.lr, 0);
  const schedule = checkSchedule(o.schedule);
  const evalEvery = checkInt('evalEvery', o.evalEvery ?? Math.max(1, Math.floor(steps / 10)), 1);
  const logEvery = checkInt('logEvery', o.logEvery ?? (o.evalEvery !== undefined ? evalEvery : Math.max(1, Math.floor(steps / 100))), 1);
  const factor = o.divergeFactor === Infinity ? Infinity : checkNumber('divergeFactor', o.divergeFactor ?? 1e4, 1);
  const es = o.earlyStop;
  if (es) {
    checkInt('earlyStop.patience', es.patience, 1);
    if (es.mode !== undefined && es.mode !== 'min' && es.mode !== 'max') throw new ValueError(`earlyStop.mode must be 'min' or 'max', got '${String(es.mode)}'`);
  }
  const minDelta = es ? checkNumber('earlyStop.minDelta', es.minDelta ?? 1e-4, 0) : 0;
  const metric = es?.metric ?? 'loss', sign = es?.mode === 'max' ? -1 : 1, after = es?.after ?? 0;
  const name = o.name ?? o.progress?.label ?? 'training';
  const prog = o.progress ? createProgress({ total: steps, label: o.progress.label, unit: o.progress.unit ?? 'steps', enabled: o.progress.enabled }) : null;
  const history: HistoryRow[] = [];
  const t0 = performance.now();
  let first = NaN, last = NaN, sum = 0, count = 0, best = Infinity, bad = 0, stoppedEarly = false, t = 0;
  for (t = 1; t <= steps; t++) {
    const lr = lr0 * scheduleFactor(schedule, t, steps);
    const loss = trainer.update(t, lr);
    if (t === 1) first = loss;
    if (!Number.isFinite(loss) || (t > 10 && loss > factor * Math.max(Math.abs(first), 1e-12))) {
      prog?.finish('diverged');
      throw new TrainingDivergedError(`${name} diverged at step ${t} (batch loss ${loss}${Number.isFinite(loss) ? `, first ${first}` : ''}); ` +
        `lower the learning rate (now ${lr0}) or scale the data (standardise the inputs, check them for huge values)`, { step: t, loss });
    }
    last = loss; sum += loss; count++;
    const isLast = t === steps, isEval = t % evalEvery === 0 || isLast;
    if (t % logEvery === 0 || isEval) {
      const row: HistoryRow = { step: t, loss: sum / count, lr };
      sum = 0; count = 0;
      if (isEval) {
        const m = yield { step: t, loss: row.loss };
        if (m) Object.assign(row, m);
      }
      history.push(row);
      const extra = Object.entries(row).filter(([k]) => k !== 'step' && k !== 'lr').map(([k, v]) => `${k} ${v.toPrecision(3)}`).join(' ');
      prog?.update(t, extra);
      if (es && t >= after && metric in row) {
        const v = sign * row[metric];
        if (best === Infinity || v < best - minDelta * Math.abs(best)) { best = v; bad = 0; } else if (++bad >= es.patience) { stoppedEarly = true; break; }
      }
    }
  }
  const done = Math.min(t, steps);
  prog?.finish(`loss ${last.toPrecision(4)}${stoppedEarly ? ` (stopped early at step ${done})` : ''}`);
  return { steps: done, history, lastLoss: last, stoppedEarly, seconds: (performance.now() - t0) / 1000 };
}

function isPromise(v: unknown): v is Promise<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Run `steps` optimisation steps of `trainer` (synchronously): schedule, history, divergence, evaluation, early
 * stop, progress. An `onEval` returning a Promise needs {@link trainLoopAsync}.
 */
export function trainLoop(trainer: Trainer, o: TrainLoopOptions<EvalMetrics | void>): TrainLoopResult {
  const g = loopCore(trainer, o);
  let r = g.next();
  while (!r.done) {
    const m = o.onEval?.(r.value.step, r.value.loss);
    if (isPromise(m)) throw new ValueError('trainLoop: onEval returned a Promise; use trainLoopAsync for asynchronous evaluation hooks');
    r = g.next(m);
  }
  return r.value;
}

/** {@link trainLoop} with an evaluation hook that may be asynchronous (awaited before the next step). */
export async function trainLoopAsync(trainer: Trainer, o: TrainLoopOptions<EvalMetrics | void | Promise<EvalMetrics | void>>): Promise<TrainLoopResult> {
  const g = loopCore(trainer, o);
  let r = g.next();
  while (!r.done) r = g.next(await o.onEval?.(r.value.step, r.value.loss));
  return r.value;
}
