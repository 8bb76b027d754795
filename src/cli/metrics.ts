/**
 * `superposition metrics`: recovery scores for your own arrays. Reads true codes Z (B×N) and estimated
 * codes Ẑ (B×N̂) from .npy files, optionally a true and an estimated dictionary (N×M and N̂×M, one atom
 * per row), and prints one JSON line
 * {"mcc_pearson","mcc_spearman","dict_mean_best_cos","dict_matched_cos","constant_true","constant_pred",
 * "mcc_pearson_varying","mcc_spearman_varying"} (dictionary entries null without dictionaries). MCC = mean
 * |correlation| after Hungarian matching of true to estimated features; dictionary scores use |cosine| (see
 * src/metrics/). A constant column (a feature never active on these samples) has no correlation: it counts as 0
 * in mcc_*, the counts say how many there were (and stderr says so), and mcc_*_varying is the mean over the
 * true features that vary (null when none does).
 */
import { Matrix } from '../core/matrix';
import { mcc } from '../metrics/mcc';
import { dictionaryRecovery } from '../metrics/dictionary';
import { OptionSpec, parseCommandLine, UsageError } from './args';
import { CommandFailure } from './failure';
import { checkInputs, FileArg, maxAbs, readInput, scaleAdvice } from './io';
import { checkMemory, MAX_MEMORY_OPTION, memoryLimit } from './limits';

export const summary = 'MCC of true vs estimated codes (and dictionary recovery) from .npy files → JSON';

const SPEC: Record<string, OptionSpec> = {
  true: { type: 'string', help: 'true codes Z.npy, B×N (one sample per row)', required: true },
  pred: { type: 'string', help: 'estimated codes Zhat.npy, B×N̂ (same samples, same order)', required: true },
  'true-dict': { type: 'string', help: 'true dictionary D.npy, N×M (one atom per row)' },
  'pred-dict': { type: 'string', help: 'estimated dictionary Dhat.npy, N̂×M' },
  'max-memory': MAX_MEMORY_OPTION,
  help: { type: 'boolean', help: 'show this help' },
};

const USAGE = 'superposition metrics --true Z.npy --pred Zhat.npy [--true-dict D.npy --pred-dict Dhat.npy]';

/** JSON number or null (NaN and ±Inf have no JSON form). */
const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Run `superposition metrics` with `argv` (the arguments after the command name); resolves to the exit code (0, or 2 for a usage error) and throws on failures (exit 1). */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('metrics', USAGE, SPEC, argv, ({ options: o }) => {
    if ((o['true-dict'] === undefined) !== (o['pred-dict'] === undefined)) {
      throw new UsageError('give both --true-dict and --pred-dict, or neither');
    }
    memoryLimit(o['max-memory'] as string | undefined);
  });
  if (typeof parsed === 'number') return parsed;
  const o = parsed.options;
  const limit = memoryLimit(o['max-memory'] as string | undefined);
  const files: FileArg[] = ['true', 'pred', 'true-dict', 'pred-dict'].filter((k) => o[k] !== undefined).map((k) => ({ option: `--${k}`, file: String(o[k]) }));
  checkMemory('metrics', checkInputs(files), limit, 'use smaller files');
  const Z = readInput(files[0], 'true codes (--true, B×N)');
  const Zh = readInput(files[1], 'estimated codes (--pred, B×N̂)');
  // float64 copies and ranks of both sides, the N×N̂ correlation matrix with its |·| copy and the assignment's cost matrix.
  checkMemory('metrics', [
    { what: 'codes as float64 with ranks (B×(N+N̂))', elements: Z.rows * (Z.cols + Zh.cols), bytesPerElement: 24 },
    { what: 'correlation matrices (N×N̂)', elements: Z.cols * Zh.cols, bytesPerElement: 32 },
  ], limit, 'score fewer samples or features at a time');
  // the metrics divide columns (atoms) beyond float64's squaring range by their largest |value| themselves
  const pearson = mcc(Z, Zh, { method: 'pearson' });
  const spearman = mcc(Z, Zh, { method: 'spearman' });
  if (!Number.isFinite(pearson.mcc) || !Number.isFinite(spearman.mcc)) {
    const [huge, name] = maxAbs(Z.data) >= maxAbs(Zh.data) ? [Z, '--true'] : [Zh, '--pred'];
    throw new CommandFailure(`the correlations are not finite (MCC ${pearson.mcc}); ${scaleAdvice(huge, name)}`);
  }
  const out: Record<string, number | null> = {
    mcc_pearson: pearson.mcc,
    mcc_spearman: spearman.mcc,
    dict_mean_best_cos: null,
    dict_matched_cos: null,
    constant_true: pearson.constantTrue.length,
    constant_pred: pearson.constantPred.length,
    mcc_pearson_varying: num(pearson.mccVarying),
    mcc_spearman_varying: num(spearman.mccVarying),
  };
  if (o['true-dict'] !== undefined) {
    const D = readInput(files[2], 'true dictionary (--true-dict, N×M)'), Dh = readInput(files[3], 'estimated dictionary (--pred-dict, N̂×M)');
    const r = dictionaryRecovery(D, Dh);
    out.dict_mean_best_cos = r.meanBestCos;
    out.dict_matched_cos = r.matchedCos;
  }
  const nT = pearson.constantTrue.length, nP = pearson.constantPred.length;
  if (nT || nP) {
    const list = (ix: Int32Array) => `${Array.from(ix.subarray(0, 8)).join(', ')}${ix.length > 8 ? ', …' : ''}`;
    console.error(`superposition metrics: note: ${[nT ? `${nT} of ${Z.cols} true features (--true columns ${list(pearson.constantTrue)})` : '',
      nP ? `${nP} of ${Zh.cols} estimated features (--pred columns ${list(pearson.constantPred)})` : ''].filter(Boolean).join(' and ')} ` +
      `are constant on these ${Z.rows} samples, so their correlation is undefined and counts as 0 in mcc_pearson/mcc_spearman; ` +
      'mcc_pearson_varying/mcc_spearman_varying average over the true features that vary');
  }
  console.log(JSON.stringify(out));
  return 0;
}
