/**
 * `superposition metrics`: recovery scores for your own arrays. Reads true codes Z (B×N) and estimated
 * codes Ẑ (B×N̂) from .npy files, optionally a true and an estimated dictionary (N×M and N̂×M, one atom
 * per row), and prints one JSON line
 * {"mcc_pearson","mcc_spearman","dict_mean_best_cos","dict_matched_cos"} (dictionary entries null
 * without dictionaries). MCC = mean |correlation| after Hungarian matching of true to estimated
 * features; dictionary scores use |cosine| (see src/metrics/).
 */
import { readMatrix } from '../io/npy';
import { mcc } from '../metrics/mcc';
import { dictionaryRecovery } from '../metrics/dictionary';
import { OptionSpec, parseCommandLine, UsageError } from './args';

export const summary = 'MCC of true vs estimated codes (and dictionary recovery) from .npy files → JSON';

const SPEC: Record<string, OptionSpec> = {
  true: { type: 'string', help: 'true codes Z.npy, B×N (one sample per row)', required: true },
  pred: { type: 'string', help: 'estimated codes Zhat.npy, B×N̂ (same samples, same order)', required: true },
  'true-dict': { type: 'string', help: 'true dictionary D.npy, N×M (one atom per row)' },
  'pred-dict': { type: 'string', help: 'estimated dictionary Dhat.npy, N̂×M' },
  help: { type: 'boolean', help: 'show this help' },
};

const USAGE = 'superposition metrics --true Z.npy --pred Zhat.npy [--true-dict D.npy --pred-dict Dhat.npy]';

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('metrics', USAGE, SPEC, argv, ({ options: o, positionals }) => {
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if ((o['true-dict'] === undefined) !== (o['pred-dict'] === undefined)) {
      throw new UsageError('give both --true-dict and --pred-dict, or neither');
    }
  });
  if (typeof parsed === 'number') return parsed;
  const o = parsed.options;
  const Z = readMatrix(String(o.true), 'true codes (--true, B×N)');
  const Zh = readMatrix(String(o.pred), 'estimated codes (--pred, B×N̂)');
  const out: Record<string, number | null> = {
    mcc_pearson: mcc(Z, Zh, { method: 'pearson' }).mcc,
    mcc_spearman: mcc(Z, Zh, { method: 'spearman' }).mcc,
    dict_mean_best_cos: null,
    dict_matched_cos: null,
  };
  if (o['true-dict'] !== undefined) {
    const r = dictionaryRecovery(readMatrix(String(o['true-dict']), 'true dictionary (--true-dict, N×M)'),
      readMatrix(String(o['pred-dict']), 'estimated dictionary (--pred-dict, N̂×M)'));
    out.dict_mean_best_cos = r.meanBestCos;
    out.dict_matched_cos = r.matchedCos;
  }
  console.log(JSON.stringify(out));
  return 0;
}
