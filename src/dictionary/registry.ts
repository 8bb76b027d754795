/**
 * Learners by name (for the CLI and experiments) and loading any saved dictionary model.
 */
import { ValueError } from '../core/errors';
import { readModelDir } from './persist';
import { SparseAutoencoder } from './sae_base';
import { ReluSae } from './sae_relu';
import { TopKSae } from './sae_topk';
import { BatchTopKSae } from './sae_batchtopk';
import { JumpReluSae } from './sae_jumprelu';
import { DictionaryLearner, KSvd } from './classical';
import { MlpEncoder } from './mlp_encoder';
import { Lista } from './lista';

/** Method names of `superposition learn`. */
export const LEARN_METHODS = ['sae-relu', 'sae-topk', 'sae-batchtopk', 'sae-jumprelu', 'dl', 'ksvd'] as const;
/** One of {@link LEARN_METHODS}. */
export type LearnMethod = typeof LEARN_METHODS[number];

/** A new, untrained learner by method name (N = features; K for TopK/BatchTopK/OMP; λ for ReLU/JumpReLU). */
export function makeLearner(method: LearnMethod, o: { features: number; k?: number; lambda?: number; seed?: number }):
  SparseAutoencoder | DictionaryLearner {
  const cfg = { features: o.features, k: o.k, lambda: o.lambda, seed: o.seed ?? 0 };
  switch (method) {
    case 'sae-relu': return new ReluSae({ ...cfg, lambda: o.lambda ?? 0.05 });
    case 'sae-topk': return new TopKSae(cfg);
    case 'sae-batchtopk': return new BatchTopKSae(cfg);
    case 'sae-jumprelu': return new JumpReluSae({ ...cfg, lambda: o.lambda ?? 0.01 });
    case 'dl': return new DictionaryLearner({ atoms: o.features, k: o.k, seed: o.seed, lambda: o.lambda, inference: o.k ? 'omp' : 'lasso' });
    case 'ksvd': return new KSvd({ atoms: o.features, k: o.k, seed: o.seed });
    default: throw new ValueError(`unknown method '${method as string}'; use one of ${LEARN_METHODS.join(', ')}`);
  }
}

/** Load any model saved with `save(dir)`: SAEs, classical dictionaries, MLP and LISTA encoders. */
export function loadDictionaryModel(dir: string): SparseAutoencoder | DictionaryLearner | MlpEncoder | Lista {
  const kind = readModelDir(dir).meta.kind;
  if (kind.startsWith('sae-')) return SparseAutoencoder.load(dir);
  if (kind === 'dl' || kind === 'ksvd') return DictionaryLearner.load(dir);
  if (kind === 'mlp') return MlpEncoder.load(dir);
  if (kind === 'lista') return Lista.load(dir);
  throw new ValueError(`${dir}: unknown model kind '${kind}'`);
}
