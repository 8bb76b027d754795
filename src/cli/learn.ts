/**
 * `superposition learn`: learn a dictionary from your own data. Reads X (B×M) from a .npy file, trains an SAE
 * (ReLU-L1, TopK, BatchTopK, JumpReLU) or classical dictionary learning (OMP + MOD, K-SVD), writes the
 * dictionary D (N×M, one atom per row) and optionally the codes Z (B×N), and prints one JSON line
 * {"method","seconds","samples_per_second","fvu","mean_l0","dead_fraction"}.
 */
import { initBackend } from '../core/backend';
import { readMatrix, writeNpy } from '../io/npy';
import { fvu } from '../metrics/reconstruction';
import { LEARN_METHODS, LearnMethod, makeLearner } from '../dictionary/registry';
import { SparseAutoencoder } from '../dictionary/sae_base';
import { OptionSpec, parseCommandLine, UsageError } from './args';

export const summary = 'learn a dictionary from X.npy (SAE relu/topk/batchtopk/jumprelu, dl, ksvd) → D.npy [Z.npy]';

const SPEC: Record<string, OptionSpec> = {
  input: { type: 'string', help: 'data X.npy, B×M (one sample per row)', required: true },
  method: { type: 'string', help: LEARN_METHODS.join(' | '), required: true },
  features: { type: 'number', help: 'number of features / atoms N', required: true },
  k: { type: 'number', help: 'active features per sample (sae-topk, sae-batchtopk; OMP for dl, ksvd)' },
  lambda: { type: 'number', help: 'sparsity penalty λ (sae-relu: L1, sae-jumprelu: L0; dl without --k: lasso)' },
  epochs: { type: 'number', help: 'passes over the data (SAEs) / outer iterations (dl, ksvd)' },
  batch: { type: 'number', help: 'batch size (SAEs)', default: 1024 },
  lr: { type: 'number', help: 'Adam learning rate (SAEs)', default: 1e-3 },
  seed: { type: 'number', help: 'random seed', default: 0 },
  'out-dict': { type: 'string', help: 'output dictionary D.npy, N×M float32', required: true },
  'out-codes': { type: 'string', help: 'output codes Z.npy, B×N float32' },
  'save-model': { type: 'string', help: 'also save the whole model (model.json + .npy) to this directory' },
  quiet: { type: 'boolean', help: 'no progress output' },
  help: { type: 'boolean', help: 'show this help' },
};

const USAGE = 'superposition learn --input X.npy --method ' + LEARN_METHODS.join('|') +
  ' --features F [--k K] [--lambda L] [--epochs E] [--batch B] [--seed S] --out-dict D.npy [--out-codes Z.npy]';

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('learn', USAGE, SPEC, argv, ({ options: o }) => {
    const m = String(o.method);
    if (!(LEARN_METHODS as readonly string[]).includes(m)) throw new UsageError(`--method must be one of ${LEARN_METHODS.join(', ')}, got '${m}'`);
    if ((m === 'sae-topk' || m === 'sae-batchtopk' || m === 'ksvd') && o.k === undefined) throw new UsageError(`--method ${m} needs --k (active features per sample)`);
    if (m === 'dl' && o.k === undefined && o.lambda === undefined) throw new UsageError('--method dl needs --k (OMP inference) or --lambda (lasso inference)');
    const f = Number(o.features);
    if (!Number.isInteger(f) || f < 1) throw new UsageError(`--features must be a positive integer, got ${o.features}`);
  });
  if (typeof parsed === 'number') return parsed;
  const o = parsed.options;
  const X = readMatrix(String(o.input), 'data (--input)');
  await initBackend();
  const method = o.method as LearnMethod;
  const model = makeLearner(method, {
    features: Number(o.features), k: o.k as number | undefined, lambda: o.lambda as number | undefined, seed: Number(o.seed),
  });
  const progress = !o.quiet;
  let seconds: number, sps: number, dead: number;
  if (model instanceof SparseAutoencoder) {
    const r = model.fit(X, { epochs: (o.epochs as number | undefined) ?? 10, batch: Number(o.batch), lr: Number(o.lr), progress });
    seconds = r.seconds; sps = r.samplesPerSecond; dead = r.deadFraction;
  } else {
    const r = model.fit(X, { iterations: (o.epochs as number | undefined) ?? 30, progress });
    seconds = r.seconds; sps = r.samplesPerSecond; dead = r.deadFraction;
  }
  const Z = model.encode(X);
  let nnz = 0;
  const used = new Uint8Array(Z.cols);
  for (let q = 0; q < Z.data.length; q++) if (Z.data[q] !== 0) { nnz++; used[q % Z.cols] = 1; }
  if (model instanceof SparseAutoencoder) dead = used.reduce((a, u) => a + (u ? 0 : 1), 0) / Z.cols;
  writeNpy(String(o['out-dict']), model.dictionary);
  if (o['out-codes']) writeNpy(String(o['out-codes']), Z);
  if (o['save-model']) model.save(String(o['save-model']));
  console.log(JSON.stringify({
    method, seconds, samples_per_second: sps, fvu: fvu(X, model.decode(Z)), mean_l0: Z.rows ? nnz / Z.rows : 0, dead_fraction: dead,
  }));
  return 0;
}
