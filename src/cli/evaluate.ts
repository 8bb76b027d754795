/**
 * A model's reconstruction of data read block by block from a {@link RowSource} (one file, shards, or data
 * larger than memory): every block is encoded and decoded, the codes are checked to be finite and optionally
 * appended to an .npy written as it goes, and FVU / mean L0 / dead features are accumulated
 * ({@link ReconstructionAccumulator}). Samples are encoded independently, so the results do not depend on the
 * blocks. Used by `learn` and `analyze`.
 */
import { Matrix, matrix } from '../core/matrix';
import { createProgress } from '../core/progress';
import { NpyRowWriter, rowBuffer, ShardedRows } from '../io/npy_stream';
import { ReconstructionAccumulator } from '../metrics/reconstruction';
import { CommandFailure } from './failure';
import { firstNonFinite, maxAbs, scaleAdvice } from './io';

/** Rows per block of {@link reconstructByBlocks}: bounds its memory whatever the number of samples. */
export const EVALUATE_BLOCK_ROWS = 16384;

/** What {@link reconstructByBlocks} needs of a model: codes of a b×M block (b×N) and their reconstruction (b×M). */
export interface BlockCoder {
  readonly features: number;
  encode(X: Matrix): Matrix;
  decode(Z: Matrix): Matrix;
}

/** The result of {@link reconstructByBlocks}: the accumulated statistics and the largest |x| seen (for advice). */
export interface BlockReconstruction {
  stats: ReconstructionAccumulator;
  maxAbs: number;
}

/**
 * Encode and decode every row of `X` in blocks of at most `block` rows, appending the codes to `codes` (an
 * {@link NpyRowWriter} of X.rows × N, committed by the caller) when given. Non-finite codes are an error
 * ({@link CommandFailure}) naming the sample and feature, with advice on the data's scale.
 * @param label progress label (no progress when null)
 */
export function reconstructByBlocks(model: BlockCoder, X: ShardedRows, block: number, codes: NpyRowWriter | null, label: string | null): BlockReconstruction {
  const M = X.cols, N = model.features;
  const stats = new ReconstructionAccumulator(M, N);
  const xb = rowBuffer(X, Math.min(block, X.rows));
  const progress = label && X.rows > block ? createProgress({ total: X.rows, label, unit: 'samples' }) : null;
  let big = 0;
  for (let a = 0; a < X.rows; a += block) {
    const b = Math.min(X.rows, a + block), n = b - a;
    X.readRows(a, b, xb);
    const Xb = matrix(n, M, xb.subarray(0, n * M));
    big = Math.max(big, maxAbs(Xb.data));
    const Z = model.encode(Xb);
    const bad = firstNonFinite(Z.data);
    if (bad >= 0) {
      throw new CommandFailure(`the codes are not finite (${Z.data[bad]} at sample ${a + Math.floor(bad / N)}, feature ${bad % N}): training diverged. ${scaleAdvice(big)}`);
    }
    stats.add(Xb.data, model.decode(Z).data, Z.data);
    if (codes) codes.append(Z.data instanceof Float32Array ? Z.data : Float32Array.from(Z.data), n);
    progress?.update(b);
  }
  progress?.finish();
  return { stats, maxAbs: big };
}
