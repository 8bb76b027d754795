/** Seeded train/test splits of B samples. */
import { Rng } from '../core/rng';
import { checkInt, checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';

/** Index sets of a random split: `train` and `test` are disjoint and together cover 0..B−1. */
export interface Split { train: Int32Array; test: Int32Array }

/**
 * Random split of `n` samples: a seeded permutation, the first round(trainFraction·n) indices train,
 * the rest test (each side at least 1). Same seed, same split.
 */
export function trainTestSplit(n: number, trainFraction = 0.5, seed = 0): Split {
  checkInt('trainTestSplit: n (number of samples)', n, 2);
  checkNumber('trainTestSplit: trainFraction', trainFraction, 0, 1);
  const nTrain = Math.round(trainFraction * n);
  if (nTrain < 1 || nTrain > n - 1) throw new ValueError(`trainTestSplit: trainFraction ${trainFraction} of ${n} samples leaves an empty side; pick a fraction strictly between ${1 / n} and ${1 - 1 / n}`);
  const p = new Rng(seed).permutation(n);
  return { train: p.slice(0, nTrain), test: p.slice(nTrain) };
}
