/**
 * Universality: do two models (e.g. two seeds of an SAE) learn the same features?
 */
import { MatrixLike } from '../core/matrix';
import { dictionaryRecovery } from './dictionary';
import { mcc } from './mcc';

/** Result of {@link universality}. */
export interface Universality {
  /** Mean |cos| of A's atoms with their Hungarian-matched atoms of B (one-to-one). */
  matchedCos: number;
  /** Mean over A's atoms of the best |cos| with any atom of B. */
  meanBestCosAtoB: number;
  /** Mean over B's atoms of the best |cos| with any atom of A. */
  meanBestCosBtoA: number;
  /** Code MCC (Pearson, Hungarian-matched) between the two models' codes on the same inputs, if given. */
  codeMcc?: number;
  /** matching[i] = atom of B matched to atom i of A (−1 if unmatched). */
  matching: Int32Array;
}

/**
 * Compare two learned dictionaries `dA` (N_A×M) and `dB` (N_B×M), atoms as rows, in the same input
 * space; optionally their codes `codesA` (S×N_A) and `codesB` (S×N_B) on the same S inputs. It is
 * {@link dictionaryRecovery} with A in the role of the truth, plus code {@link mcc}: 1 = the same
 * features up to permutation, sign and scale. Not symmetric when N_A ≠ N_B (means are over A's atoms).
 */
export function universality(dA: MatrixLike, dB: MatrixLike, codes?: { codesA: MatrixLike; codesB: MatrixLike }): Universality {
  const r = dictionaryRecovery(dA, dB);
  const out: Universality = { matchedCos: r.matchedCos, meanBestCosAtoB: r.meanBestCos, meanBestCosBtoA: r.meanBestCosPred, matching: r.matching };
  if (codes) out.codeMcc = mcc(codes.codesA, codes.codesB).mcc;
  return out;
}
