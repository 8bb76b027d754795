/**
 * `superposition analyze`: analyse a trained SAE on your data. Loads an SAE directory — SAELens's format
 * (cfg.json + sae_weights.safetensors: SAELens, Neuronpedia downloads) or the workbook's (`learn --save-model`) —
 * and data X (B×M, .npy), optionally true codes Z (B×N_true) and a true dictionary D (N_true×M, one atom per
 * row), and prints one JSON line:
 *   {"sae","format","architecture","kind","d_in","d_sae","samples","fvu","mean_l0","dead_fraction",
 *    "omp_fvu","omp_mean_l0","amortisation_gap_fvu","mcc","omp_mcc","amortisation_gap_mcc",
 *    "dict_mean_best_cos","dict_matched_cos","folded","seconds"}
 * FVU pools all dimensions (0 = perfect); the amortisation gap compares the SAE's encoder with non-negative OMP
 * on its own decoder, each sample given as many atoms as the encoder used (null with --no-inference); MCC and
 * dictionary entries are null without --true / --true-dict. See src/experiments/sae_analysis.ts.
 */
import { initBackend } from '../core/backend';
import { isSaeLensDir, loadSae, readSaeLens } from '../dictionary/saelens';
import { SparseAutoencoder } from '../dictionary/sae_base';
import { analyzeSae } from '../experiments/sae_analysis';
import { OptionSpec, ParsedArgs, parseCommandLine } from './args';
import { CommandFailure } from './failure';
import { Matrix, matrix } from '../core/matrix';
import { openShards, rowBuffer } from '../io/npy_stream';
import { checkInputs, FileArg, readInput } from './io';
import { ArrayNeed, checkMemory, MAX_MEMORY_OPTION, memoryLimit } from './limits';

export const summary = 'analyse an SAE (SAELens or workbook directory) on X.npy: FVU, L0, dead, amortisation gap, recovery → JSON';

const SPEC: Record<string, OptionSpec> = {
  sae: { type: 'string', help: 'SAE directory: SAELens (cfg.json + sae_weights.safetensors) or workbook (model.json)', required: true },
  input: { type: 'string', help: 'data X.npy, B×M (one sample per row; M = the SAE\'s d_in); or shards: a folder, a glob, files joined by commas', required: true },
  true: { type: 'string', help: 'true codes Z.npy, B×N_true (same samples): adds MCC of encoder and OMP codes' },
  'true-dict': { type: 'string', help: 'true dictionary D.npy, N_true×M (one atom per row): adds dictionary recovery' },
  'norm-scaling-factor': { type: 'number', help: 'for SAELens normalize_activations "expected_average_only_in": the factor f the SAE\'s inputs were scaled by', above: 0 },
  'no-inference': { type: 'boolean', help: 'skip OMP on the decoder (no amortisation gap; faster, and no N×N Gram matrix)' },
  'max-memory': MAX_MEMORY_OPTION,
  help: { type: 'boolean', help: 'show this help' },
};

const USAGE = 'superposition analyze --sae DIR --input X.npy [--true Z.npy] [--true-dict D.npy] [--norm-scaling-factor F] [--no-inference] [--max-memory SIZE]';

function inputsOf(o: ParsedArgs['options']): FileArg[] {
  const files: FileArg[] = [{ option: '--input', file: String(o.input) }];
  if (o.true !== undefined) files.push({ option: '--true', file: String(o.true) });
  if (o['true-dict'] !== undefined) files.push({ option: '--true-dict', file: String(o['true-dict']) });
  return files;
}

/** The large arrays of an analysis (rough upper bound): codes and reconstructions; for OMP the Gram matrix and correlations. */
function memoryNeeds(B: number, M: number, N: number, inference: boolean): ArrayNeed[] {
  const needs: ArrayNeed[] = [
    { what: 'codes of the encoder (B×N)', elements: B * N, bytesPerElement: 4 },
    { what: 'pre-activations (4096×N per chunk)', elements: Math.min(B, 4096) * N, bytesPerElement: 8 },
    { what: 'reconstructions (B×M)', elements: B * M, bytesPerElement: 16 },
  ];
  if (inference) {
    needs.push({ what: 'OMP: the decoder\'s Gram matrix (N×N, float64)', elements: N * N, bytesPerElement: 8 },
      { what: 'OMP: codes and correlations (B×N)', elements: B * N, bytesPerElement: 20 });
  }
  return needs;
}

/**
 * X from one .npy file or shards (a folder, a glob, files joined by commas), read whole — after checking that it
 * and the analysis fit in `limit` bytes — in the precision readMatrix keeps.
 */
function readRowsAll(input: string, limit: number, N: number, inference: boolean): Matrix {
  const src = openShards(input, 'data (--input, B×M)', '--input');
  try {
    checkMemory('analyze', [{ what: 'X (B×M)', elements: src.rows * src.cols, bytesPerElement: 8 }, ...memoryNeeds(src.rows, src.cols, N, inference)], limit,
      inference ? 'pass --no-inference (OMP on the decoder needs its N×N Gram matrix) or analyse fewer samples' : 'analyse fewer samples');
    const data = rowBuffer(src, src.rows);
    src.readRows(0, src.rows, data);
    return matrix(src.rows, src.cols, data);
  } finally {
    src.close();
  }
}

/** Run `superposition analyze` with `argv` (the arguments after the command name); resolves to the exit code (0, or 2 for a usage error) and throws on failures (exit 1). */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('analyze', USAGE, SPEC, argv, ({ options: o }) => { memoryLimit(o['max-memory'] as string | undefined); });
  if (typeof parsed === 'number') return parsed;
  const o = parsed.options;
  const limit = memoryLimit(o['max-memory'] as string | undefined);
  const dir = String(o.sae);
  const inputs = inputsOf(o);
  checkMemory('analyze', checkInputs(inputs.slice(1)), limit, 'use a smaller file');
  const saelens = isSaeLensDir(dir);
  const opts = { normScalingFactor: o['norm-scaling-factor'] as number | undefined };
  const loaded = saelens ? readSaeLens(dir, opts) : null;
  const sae: SparseAutoencoder = loaded ? loaded.sae : loadSae(dir, opts);
  const X = readRowsAll(String(o.input), limit, sae.features, !o['no-inference']);
  if (X.cols !== sae.dim) throw new CommandFailure(`${inputs[0].file} has ${X.cols} columns but the SAE in ${dir} reads d_in = ${sae.dim}; give activations of the layer it was trained on`);
  if (X.rows < 2) throw new CommandFailure(`${inputs[0].file} has ${X.rows} sample(s); the fraction of variance unexplained needs at least 2`);
  const trueCodes = o.true !== undefined ? readInput(inputs.find((f) => f.option === '--true')!, 'true codes (--true, B×N)') : undefined;
  const trueDictionary = o['true-dict'] !== undefined ? readInput(inputs.find((f) => f.option === '--true-dict')!, 'true dictionary (--true-dict, N×M)') : undefined;
  if (trueCodes && trueCodes.rows !== X.rows) throw new CommandFailure(`--true has ${trueCodes.rows} rows but --input has ${X.rows}; both must list the same samples in the same order`);
  if (trueDictionary && trueDictionary.cols !== X.cols) throw new CommandFailure(`--true-dict has ${trueDictionary.cols} columns but --input has ${X.cols}; atoms are rows in the data's space (N×M)`);
  await initBackend();
  const a = analyzeSae(sae, X, { trueCodes, trueDictionary, inference: !o['no-inference'] });
  console.log(JSON.stringify({
    sae: dir, format: saelens ? 'saelens' : 'workbook', architecture: loaded ? loaded.config.architecture : null, kind: a.kind,
    d_in: a.dIn, d_sae: a.dSae, samples: a.samples, fvu: a.fvu, mean_l0: a.meanL0, dead_fraction: a.deadFraction,
    omp_fvu: a.ompFvu, omp_mean_l0: a.ompMeanL0, amortisation_gap_fvu: a.amortisationGapFvu,
    mcc: a.mcc, omp_mcc: a.ompMcc, amortisation_gap_mcc: a.amortisationGapMcc,
    dict_mean_best_cos: a.dictMeanBestCos, dict_matched_cos: a.dictMatchedCos, folded: loaded ? loaded.folded : [], seconds: a.seconds,
  }));
  return 0;
}
