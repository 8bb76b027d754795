/**
 * Interpretability metrics where the answer is known (notebook 05; paper-notes "Interpretability scores"):
 * planted labelled data ({@link ../data/labelled}), the unit sets that read it ({@link ./unit_sets}) and every
 * score of every unit ({@link ./unit_scores}), in one call. Everything here is plain data: the notebook decides
 * what to draw.
 */
import { LabelledPlantedData, LabelledPlantedOptions, labelledPlantedData } from '../data/labelled';
import { UnitSet, interpretabilityUnitSets } from './unit_sets';
import { ScoreSummaryRow, ScoredUnits, scoreUnitSets, summariseScores } from './unit_scores';

/** Options of {@link interpretabilityExperiment}. */
export interface InterpretabilityExperimentOptions extends Omit<LabelledPlantedOptions, 'samples'> {
  /** Samples scored (B) and samples the dictionary and PCA are learned on. */
  samples: number;
  trainSamples: number;
  dlIterations?: number;
  tasks?: number;
  shown?: number;
  judge?: 'pixels' | 'labels';
  /** Bootstrap resamples for the CIs (default 2000). */
  reps?: number;
}

/** Result of {@link interpretabilityExperiment}. */
export interface InterpretabilityExperiment {
  data: LabelledPlantedData;
  sets: UnitSet[];
  scored: ScoredUnits;
  summary: ScoreSummaryRow[];
  seconds: { learn: number; score: number };
}

/**
 * Notebook 05 in one call: draw scored and training data from the same features, build the unit sets
 * ({@link interpretabilityUnitSets}), score them ({@link scoreUnitSets}) and summarise with bootstrap CIs.
 */
export function interpretabilityExperiment(o: InterpretabilityExperimentOptions): InterpretabilityExperiment {
  const data = labelledPlantedData({ ...o, samples: o.samples });
  const train = labelledPlantedData({ ...o, samples: o.trainSamples, seed: o.seed + 1000, dictionary: data.D });
  const t0 = performance.now();
  const sets = interpretabilityUnitSets(data, { train, dlIterations: o.dlIterations, seed: o.seed });
  const t1 = performance.now();
  const scored = scoreUnitSets(data, sets, { judge: o.judge, tasks: o.tasks, shown: o.shown, seed: o.seed });
  const summary = summariseScores(scored, { reps: o.reps, seed: o.seed });
  return { data, sets, scored, summary, seconds: { learn: (t1 - t0) / 1000, score: (performance.now() - t1) / 1000 } };
}
