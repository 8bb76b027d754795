/** Errors of the training loop. */
import { ValueError } from '../core/errors';

/**
 * Thrown when training diverges: the loss became NaN/±Inf or exploded. The message names the step, the loss and
 * what to try (a lower learning rate, rescaled data); `step` and `loss` carry them for callers.
 */
export class TrainingDivergedError extends ValueError {
  /** The step (1-based) whose loss diverged, when known. */
  readonly step?: number;
  /** The diverging loss, when known. */
  readonly loss?: number;
  constructor(message: string, details: { step?: number; loss?: number } = {}) {
    super(message);
    this.name = 'TrainingDivergedError';
    this.step = details.step;
    this.loss = details.loss;
  }
}
