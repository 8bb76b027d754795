/** The registry of exercise checkers, by id. */
import { ExerciseSpec } from '../exercise';
import { donohoTannerExercise, fistaMomentumExercise, istaStepExercise, softThresholdExercise } from './sparse';
import { linearR2Exercise, mccExercise, twoAfcExercise } from './metrics';
import { featureDimensionalityExercise, superpositionExercise } from './toy';
import { ridgeFitExercise } from './regression';
import { saeLossExercise } from './dictionary';
import { kTermFvuExercise, sumOfPartsExercise } from './real_network';

/** Every exercise checker the library knows, by id (the `exercise.check` or `exercise.id` of notebook metadata). */
export const EXERCISES: Readonly<Record<string, ExerciseSpec>> = Object.freeze(Object.fromEntries([
  softThresholdExercise, istaStepExercise, fistaMomentumExercise, donohoTannerExercise,
  mccExercise, linearR2Exercise, twoAfcExercise, featureDimensionalityExercise, saeLossExercise,
  superpositionExercise, ridgeFitExercise, kTermFvuExercise, sumOfPartsExercise,
].map((e) => [e.id, e as ExerciseSpec])));

/** The checker with this id; throws listing the known ids. */
export function exerciseSpec(id: string): ExerciseSpec {
  const s = EXERCISES[id];
  if (!s) throw new Error(`no exercise checker '${id}'; known: ${Object.keys(EXERCISES).join(', ')}`);
  return s;
}
