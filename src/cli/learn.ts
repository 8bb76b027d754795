/**
 * `superposition learn`: learn a dictionary from your own data. Reads X (B×M) from a .npy file or several shards
 * (a folder, a glob, files joined by commas), trains an SAE (ReLU-L1, TopK, BatchTopK, Matryoshka, JumpReLU) or
 * classical dictionary learning (OMP + MOD, K-SVD), writes the dictionary D (N×M, one atom per row) and optionally
 * the codes Z (B×N), and prints one JSON line
 * {"method","seconds","samples_per_second","fvu","mean_l0","dead_fraction","converged","streamed"}.
 *
 * Data larger than --max-memory: the SAEs stream it from disk through a seeded, shuffled buffer of --buffer-rows
 * rows ({@link ActivationStore}), so memory stays bounded whatever the data size; the final encoding pass reads it
 * block by block and appends the codes to --out-codes as it goes. dl and ksvd need the data in memory.
 *
 * Nothing is written unless the whole run succeeded: a diverged training, a non-finite dictionary or codes, or
 * every feature dead is an error (exit 1) naming the cause and what to try; the codes go to a temporary file
 * renamed into place after the dictionary is written, atomically.
 */
import fs from 'node:fs';
import { initBackend } from '../core/backend';
import { matryoshkaGroupSizes } from '../index';
import {
  createLearner, DEFAULT_SAE_SAMPLES, isLearnMethod, LEARN_METHODS, LEARNERS, LearnerConfig, LearnMethod, learnerConfigProblem,
  MODEL_DIR_FORMATS, ModelDirFormat, saveModelDir, SparseAutoencoder, TrainingDivergedError,
} from '../index';
import { OptionSpec, ParsedArgs, parseCommandLine, UsageError } from './args';
import { CommandFailure } from './failure';
import { ActivationStore } from '../data/activation_store';
import { Matrix, matrix } from '../core/matrix';
import { MatrixRows, NpyRowWriter, openShards, rowBuffer, ShardedRows } from '../io/npy_stream';
import { EVALUATE_BLOCK_ROWS, reconstructByBlocks } from './evaluate';
import { checkOutputs, FileArg, firstNonFinite, inputFiles, scaleAdvice, writeOutputs } from './io';
import { ArrayNeed, checkMemory, formatBytes, MAX_ARRAY_ELEMENTS, MAX_MEMORY_OPTION, memoryLimit } from './limits';

export const summary = 'learn a dictionary from X.npy (SAE relu/topk/batchtopk/matryoshka/jumprelu, dl, ksvd) → D.npy [Z.npy]';

/** Rows of the shuffling buffer when an SAE streams its data from disk (SAELens-like: a few dozen batches). */
const DEFAULT_BUFFER_ROWS = 65536;

const SPEC: Record<string, OptionSpec> = {
  input: { type: 'string', help: 'data X.npy, B×M (one sample per row); or shards: a folder, a glob (acts/shard_*.npy) or files joined by commas', required: true },
  method: { type: 'string', help: LEARN_METHODS.join(' | '), required: true },
  features: { type: 'number', help: 'number of features / atoms N', required: true, integer: true, min: 1 },
  k: { type: 'number', help: 'active features per sample (sae-topk, sae-batchtopk, sae-matryoshka; OMP for dl, ksvd)', integer: true, min: 1 },
  groups: { type: 'string', help: 'sae-matryoshka: nested group sizes summing to --features, or fractions summing to 1, comma-separated (default 1/16,1/16,1/8,1/4,1/2)' },
  checkpoint: { type: 'string', help: 'SAEs: write a checkpoint (model, optimiser, batch order, random streams) to this directory during the fit, atomically' },
  'checkpoint-every': { type: 'number', help: 'SAEs: samples between checkpoints (default a tenth of the run)', integer: true, min: 1 },
  resume: { type: 'string', help: 'SAEs: continue the fit checkpointed in this directory (same data and options: same final model as an uninterrupted run)' },
  'no-auxk': { type: 'boolean', help: 'sae-topk, sae-batchtopk, sae-matryoshka: no auxiliary-K loss on dead latents (on by default: α 1/32, k_aux M/2)' },
  lambda: { type: 'number', help: 'sparsity penalty λ (sae-relu: L1, sae-jumprelu: L0; dl without --k: lasso)', min: 0 },
  epochs: { type: 'number', help: 'passes over the data (SAEs; default: the --samples budget) / outer iterations (dl, ksvd: an integer; default 30)', above: 0 },
  samples: { type: 'number', help: `SAEs: sample budget (default ${DEFAULT_SAE_SAMPLES}); 10 % of the rows are held out and training stops on a plateau of their loss`, integer: true, min: 1 },
  batch: { type: 'number', help: 'batch size (SAEs)', default: 1024, integer: true, min: 1 },
  lr: { type: 'number', help: 'Adam learning rate (SAEs)', default: 1e-3, above: 0 },
  seed: { type: 'number', help: 'random seed', default: 0, integer: true, min: 0, max: 2 ** 32 - 1 },
  'out-dict': { type: 'string', help: 'output dictionary D.npy, N×M float32', required: true },
  'out-codes': { type: 'string', help: 'output codes Z.npy, B×N float32' },
  'save-model': { type: 'string', help: 'also save the whole model to this directory (see --format)' },
  format: { type: 'string', help: `format of --save-model: ${MODEL_DIR_FORMATS.join(' | ')} (model.json + .npy | SAELens cfg.json + sae_weights.safetensors, SAEs only); default workbook` },
  'buffer-rows': { type: 'number', help: `SAEs on data over --max-memory, streamed from disk: rows of the shuffling buffer (default ${DEFAULT_BUFFER_ROWS})`, integer: true, min: 1 },
  'max-memory': MAX_MEMORY_OPTION,
  quiet: { type: 'boolean', help: 'no progress output' },
  help: { type: 'boolean', help: 'show this help' },
};

const USAGE = 'superposition learn --input X.npy --method ' + LEARN_METHODS.join('|') +
  ' --features F [--k K] [--lambda L] [--groups G1,G2,…] [--samples S | --epochs E] [--batch B] [--seed S] [--checkpoint DIR [--checkpoint-every S]] [--resume DIR] --out-dict D.npy [--out-codes Z.npy] [--save-model DIR [--format workbook|saelens]] [--buffer-rows R] [--max-memory SIZE]';

/** The files a run writes, by option. */
function filesOf(o: ParsedArgs['options']): { outputs: FileArg[] } {
  const outputs: FileArg[] = [{ option: '--out-dict', file: String(o['out-dict']) }];
  if (o['out-codes'] !== undefined) outputs.push({ option: '--out-codes', file: String(o['out-codes']) });
  return { outputs };
}

/** Group sizes of `--groups` ("64,192,768" or "0.25,0.75") for N features; throws on bad input. */
function parseGroups(text: string, N: number): number[] {
  const v = text.split(',').map((t) => Number(t.trim()));
  if (v.some((x) => !Number.isFinite(x) || !(x > 0))) throw new Error(`'${text}' is not a comma-separated list of positive numbers`);
  return matryoshkaGroupSizes(N, v);
}

/** Combinations of options that cannot work (usage errors, exit 2). */
function validate({ options: o }: ParsedArgs): void {
  const m = String(o.method);
  if (!isLearnMethod(m)) throw new UsageError(`--method must be one of ${LEARN_METHODS.join(', ')}, got '${m}'`);
  const problem = learnerConfigProblem({ method: m, features: Number(o.features), k: o.k as number | undefined, lambda: o.lambda as number | undefined }, '--');
  if (problem) throw new UsageError(problem);
  const sae = LEARNERS[m].family === 'sae';
  if (o.groups !== undefined) {
    if (m !== 'sae-matryoshka') throw new UsageError(`--groups sets the nested groups of --method sae-matryoshka, not of ${m}`);
    try { parseGroups(String(o.groups), Number(o.features)); } catch (e) { throw new UsageError(`--groups: ${(e as Error).message}`); }
  }
  if (o['no-auxk'] && !['sae-topk', 'sae-batchtopk', 'sae-matryoshka'].includes(m)) throw new UsageError(`--no-auxk applies to sae-topk, sae-batchtopk and sae-matryoshka; --method ${m} has no auxiliary-K loss`);
  if ((o.checkpoint !== undefined || o.resume !== undefined) && !sae) throw new UsageError(`--checkpoint and --resume are for the SAEs; --method ${m} trains in a few outer iterations`);
  if (o['checkpoint-every'] !== undefined && o.checkpoint === undefined) throw new UsageError('--checkpoint-every needs --checkpoint DIR (where to write the checkpoints)');
  if (o.samples !== undefined && !sae) throw new UsageError(`--samples is the training budget of the SAEs; --method ${m} counts outer iterations with --epochs`);
  if (o.samples !== undefined && o.epochs !== undefined) throw new UsageError('give --samples (a sample budget) or --epochs (passes over the data), not both');
  if ((m === 'dl' || m === 'ksvd') && o.epochs !== undefined && !Number.isInteger(o.epochs)) {
    throw new UsageError(`--epochs counts outer iterations for --method ${m} and needs an integer ≥ 1, got ${o.epochs}`);
  }
  if (o.format !== undefined) {
    if (!(MODEL_DIR_FORMATS as readonly string[]).includes(String(o.format))) throw new UsageError(`--format must be one of ${MODEL_DIR_FORMATS.join(', ')}, got '${o.format}'`);
    if (o['save-model'] === undefined) throw new UsageError('--format applies to --save-model DIR; give --save-model too');
    if (o.format === 'saelens' && !sae) throw new UsageError(`--format saelens saves SAEs only; --method ${m} has no encoder (use --format workbook)`);
  }
  memoryLimit(o['max-memory'] as string | undefined);
  checkOutputs(filesOf(o).outputs, inputFiles('--input', String(o.input)));
  if (o['save-model'] !== undefined) {
    const dir = String(o['save-model']);
    let st: fs.Stats | null = null;
    try { st = fs.statSync(dir); } catch { /* a new folder */ }
    if (st && !st.isDirectory()) throw new UsageError(`--save-model ${dir} exists and is not a directory; give a folder path (it is created if missing)`);
  }
}

/**
 * The large arrays of a run with the data in memory (rough upper bound): X and its float32 copy, a block of
 * codes and reconstructions; for SAEs the parameters with gradients and Adam moments and the batch scratch, for
 * dl/ksvd the codes of every sample, the dictionary update and the Gram matrix of the atoms.
 */
function memoryNeeds(method: LearnMethod, B: number, M: number, N: number, batch: number, block: number): ArrayNeed[] {
  const needs: ArrayNeed[] = [
    { what: 'X and its float32 copy (B×M)', elements: B * M, bytesPerElement: 12 },
    ...blockNeeds(block, M, N),
  ];
  if (LEARNERS[method].family === 'sae') needs.push(...saeNeeds(M, N, Math.min(batch, B)));
  else {
    needs.push({ what: 'codes and pre-activations (B×N)', elements: B * N, bytesPerElement: 16 },
      { what: 'dictionary and its update (N×M)', elements: N * M, bytesPerElement: 24 },
      { what: 'Gram matrix (N×N)', elements: N * N, bytesPerElement: 8 });
  }
  return needs;
}

/** The arrays of an SAE fit apart from the data: parameters, gradients and Adam moments, batch scratch. */
function saeNeeds(M: number, N: number, batch: number): ArrayNeed[] {
  return [{ what: 'parameters, gradients and Adam moments (N×M)', elements: N * M, bytesPerElement: 32 },
    { what: 'batch scratch (batch×N)', elements: batch * N, bytesPerElement: 32 }];
}

/** One block of the final encoding pass: rows, codes, reconstructions and pre-activations. */
function blockNeeds(rows: number, M: number, N: number): ArrayNeed[] {
  return [{ what: `codes and pre-activations of ${rows} samples`, elements: rows * N, bytesPerElement: 16 },
    { what: `a block of ${rows} samples and its reconstruction`, elements: rows * M, bytesPerElement: 16 }];
}

/** Rows per block of the encoding pass: at most {@link EVALUATE_BLOCK_ROWS}, and a block takes at most a quarter of the memory limit. */
function blockRows(B: number, M: number, N: number, limit: number): number {
  return Math.max(1, Math.min(EVALUATE_BLOCK_ROWS, B, Math.floor(limit / 4 / (16 * (M + N)))));
}

/**
 * The arrays of an SAE fit streaming the data from disk: the shuffling buffer, the held-out rows and the first
 * batch peek (≤ 8192 rows each), the model, and a block of the encoding pass — none grows with the data.
 */
function streamNeeds(bufferRows: number, M: number, N: number, batch: number, block: number): ArrayNeed[] {
  return [{ what: `shuffling buffer (${bufferRows} rows)`, elements: bufferRows * M, bytesPerElement: 4 },
    { what: 'held-out rows and first-batch peek (2 × 8192 rows)', elements: 2 * 8192 * M, bytesPerElement: 4 },
    ...saeNeeds(M, N, batch), ...blockNeeds(block, M, N)];
}

const bytesOf = (needs: ArrayNeed[]) => needs.reduce((s, a) => s + a.elements * a.bytesPerElement, 0);

/** Why a finished run cannot be used (non-finite dictionary or FVU, every feature dead), or null if it can; `big` is the largest |x|. */
function badResult(D: Matrix, fv: number, dead: number, big: number, o: ParsedArgs['options']): string | null {
  const iD = firstNonFinite(D.data);
  if (iD >= 0) return `the learned dictionary is not finite (${D.data[iD]} in atom ${Math.floor(iD / D.cols)}): training diverged. ${scaleAdvice(big)}`;
  if (!Number.isFinite(fv)) return `the reconstruction error is not finite (FVU ${fv}). ${scaleAdvice(big)}`;
  if (dead >= 1) {
    const sae = LEARNERS[o.method as LearnMethod].family === 'sae';
    return 'every feature is dead (no sample activates any of them): the model learned nothing. Try ' +
      [sae ? `a lower learning rate (--lr, now ${o.lr})` : '', o.lambda !== undefined ? `a smaller --lambda (now ${o.lambda})` : '',
        'scaling the data (e.g. X / X.std() in NumPy)'].filter(Boolean).join(', ');
  }
  return null;
}

/** Run `superposition learn` with `argv` (the arguments after the command name); resolves to the exit code (0, or 2 for a usage error) and throws on failures (exit 1). */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('learn', USAGE, SPEC, argv, validate);
  if (typeof parsed === 'number') return parsed;
  const o = parsed.options;
  const limit = memoryLimit(o['max-memory'] as string | undefined);
  const { outputs } = filesOf(o);
  const source = openShards(String(o.input), 'data (--input, B×M)', '--input');
  let codesOut: NpyRowWriter | null = null;
  try {
    const B = source.rows, M = source.cols;
    if (B < 1 || M < 1) throw new CommandFailure(`--input ${o.input} has shape (${B}, ${M}); learning needs at least one sample (row) and one column`);
    const N = Number(o.features);
    const method = o.method as LearnMethod;
    const sae = LEARNERS[method].family === 'sae';
    const batch = Math.min(Number(o.batch), B);
    const block = blockRows(B, M, N, limit);
    const inMemory = memoryNeeds(method, B, M, N, batch, block);
    const bufferRows = Math.min(B, Number(o['buffer-rows'] ?? DEFAULT_BUFFER_ROWS));
    // SAEs stream data that does not fit in memory (or in one array) from disk, when the rest of the run fits
    const stream = sae && (bytesOf(inMemory) > limit || B * M > MAX_ARRAY_ELEMENTS) && bytesOf(streamNeeds(0, M, N, batch, block)) <= limit;
    if (stream) {
      checkMemory('learn', streamNeeds(bufferRows, M, N, batch, block), limit, 'use a smaller --buffer-rows');
    } else {
      if (o['buffer-rows'] !== undefined && sae && !o.quiet) console.error(`learn: the data fits in memory (${formatBytes(bytesOf(inMemory))} ≤ --max-memory ${formatBytes(limit)}), so --buffer-rows is not used`);
      checkMemory('learn', inMemory, limit, `use fewer --features or fewer samples${sae ? '' : `; --method ${method} needs the whole data in memory (the SAE methods stream data larger than memory from disk)`}`);
    }
    let X: Matrix | null = null;
    if (!stream) { X = matrix(B, M, rowBuffer(source, B)); source.readRows(0, B, X.data as Float32Array | Float64Array); }
    await initBackend();
    const model = createLearner({
      method, features: N, k: o.k as number | undefined, lambda: o.lambda as number | undefined, seed: Number(o.seed),
      ...(o.groups !== undefined ? { groups: parseGroups(String(o.groups), N) } : {}),
    } as LearnerConfig);
    const progress = !o.quiet;
    let seconds: number, sps: number, dead: number, converged: boolean | undefined;
    try {
      if (model instanceof SparseAutoencoder) {
        if (stream && progress) {
          console.error(`learn: training on the ${B} samples in memory would need about ${formatBytes(bytesOf(inMemory))}, over --max-memory ${formatBytes(limit)}: ` +
            `streaming them from disk through a shuffled buffer of ${bufferRows} rows`);
        }
        const data = X ?? new ActivationStore(source, { bufferRows, seed: Number(o.seed) });
        const r = model.fit(data, {
          epochs: o.epochs as number | undefined, samples: o.samples as number | undefined, batch: Number(o.batch), lr: Number(o.lr), progress,
          ...(o['no-auxk'] ? { auxk: false as const } : {}),
          checkpoint: o.checkpoint as string | undefined, checkpointEvery: o['checkpoint-every'] as number | undefined, resume: o.resume as string | undefined,
        });
        seconds = r.seconds; sps = r.samplesPerSecond; dead = r.deadFraction; converged = r.converged;
        if (!r.converged && progress) {
          console.error(`learn: training did not converge in ${r.steps} steps (the ${Number.isNaN(r.heldoutLoss) ? 'training' : 'held-out'} loss was still falling); ` +
            'a larger --samples (or --epochs) may give a better dictionary');
        }
      } else {
        const r = model.fit(X!, { iterations: (o.epochs as number | undefined) ?? 30, progress });
        seconds = r.seconds; sps = r.samplesPerSecond; dead = r.deadFraction;
      }
    } catch (e) {
      if (e instanceof TrainingDivergedError) throw new CommandFailure(`${e.message}; nothing was written`);
      throw e;
    }
    // the codes of every sample, block by block (appended to --out-codes as they come), and the run's statistics
    if (outputs[1]) codesOut = new NpyRowWriter(outputs[1].file, B, N);
    const rows = X ? new ShardedRows([new MatrixRows(B, M, X.data as Float32Array | Float64Array)]) : source;
    const { stats, maxAbs: big } = reconstructByBlocks(model, rows, block, codesOut, progress ? 'learn: encoding' : null);
    if (model instanceof SparseAutoencoder) dead = stats.deadFraction;
    let fv: number;
    try { fv = stats.fvu; } catch { fv = NaN; }
    const bad = badResult(model.dictionary, fv, dead, big, o);
    if (bad) throw new CommandFailure(`${bad}; nothing was written`);
    // the model directory first (all-or-nothing): if it cannot be written, neither D nor Z is replaced
    if (o['save-model']) saveModelDir(model, String(o['save-model']), (o.format as ModelDirFormat | undefined) ?? 'workbook');
    writeOutputs([{ file: outputs[0].file, data: model.dictionary }]);
    codesOut?.commit();
    codesOut = null;
    console.log(JSON.stringify({ method, seconds, samples_per_second: sps, fvu: fv, mean_l0: stats.meanL0, dead_fraction: dead, converged, streamed: stream }));
    return 0;
  } catch (e) {
    codesOut?.abort();
    throw e;
  } finally {
    source.close();
  }
}
