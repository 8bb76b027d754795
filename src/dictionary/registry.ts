/**
 * The one registry of learners (for the CLI, experiments and the bench): each method has a per-kind configuration,
 * together the discriminated union {@link LearnerConfig}, and {@link createLearner} builds the untrained model;
 * {@link LEARNERS} describes each method (family, required options) so callers validate from one place.
 * {@link loadDictionaryModel} loads any saved dictionary model.
 */
import { ValueError } from '../core/errors';
import { checkInt } from '../core/validate';
import { readModelDir } from './persist';
import { SparseAutoencoder } from './sae_base';
import { ReluSae } from './sae_relu';
import { TopKSae } from './sae_topk';
import { BatchTopKSae } from './sae_batchtopk';
import { MatryoshkaSae } from './sae_matryoshka';
import { JumpReluSae } from './sae_jumprelu';
import { DictionaryLearner, KSvd } from './classical';
import { MlpEncoder } from './mlp_encoder';
import { Lista } from './lista';

/** Fields every learner takes: N features (atoms) and the seed (default 0). */
interface LearnerBase { features: number; seed?: number }

/** ReLU SAE with an L1 penalty λ (default 0.05). */
export interface ReluSaeLearner extends LearnerBase { method: 'sae-relu'; lambda?: number; bias?: boolean }
/** TopK SAE: K active features per sample. */
export interface TopKSaeLearner extends LearnerBase { method: 'sae-topk'; k: number; bias?: boolean }
/** BatchTopK SAE: K active features per sample on average over a batch. */
export interface BatchTopKSaeLearner extends LearnerBase { method: 'sae-batchtopk'; k: number; bias?: boolean }
/** Matryoshka BatchTopK SAE: nested groups (sizes summing to N, or fractions summing to 1; default doubling groups). */
export interface MatryoshkaSaeLearner extends LearnerBase { method: 'sae-matryoshka'; k: number; groups?: number[]; bias?: boolean }
/** JumpReLU SAE with an L0 penalty λ (default 0.01). */
export interface JumpReluSaeLearner extends LearnerBase { method: 'sae-jumprelu'; lambda?: number; bandwidth?: number; initThreshold?: number; bias?: boolean }
/** Classical dictionary learning (MOD updates): OMP inference with K, else lasso inference with λ. */
export interface DlLearner extends LearnerBase { method: 'dl'; k?: number; lambda?: number }
/** K-SVD with OMP inference at K. */
export interface KsvdLearner extends LearnerBase { method: 'ksvd'; k: number }

/** Configuration of a learner, one variant per method (discriminated by `method`). */
export type LearnerConfig = ReluSaeLearner | TopKSaeLearner | BatchTopKSaeLearner | MatryoshkaSaeLearner | JumpReluSaeLearner | DlLearner | KsvdLearner;
/** Method names of `superposition learn`. */
export type LearnMethod = LearnerConfig['method'];
/** The model {@link createLearner} returns for a configuration. */
export type LearnerOf<C extends LearnerConfig> =
  C extends ReluSaeLearner ? ReluSae : C extends TopKSaeLearner ? TopKSae : C extends MatryoshkaSaeLearner ? MatryoshkaSae :
  C extends BatchTopKSaeLearner ? BatchTopKSae : C extends JumpReluSaeLearner ? JumpReluSae : C extends KsvdLearner ? KSvd : DictionaryLearner;

/** What the registry knows of a method besides its constructor. */
export interface LearnerInfo<M extends LearnMethod> {
  /** 'sae' (trained by gradient steps on a sample budget) or 'classical' (outer iterations). */
  family: 'sae' | 'classical';
  /** One line for help texts. */
  summary: string;
  /** Options that must be given ('k'), or of which one must be given (['k', 'lambda'] for dl). */
  requires: { oneOf: ('k' | 'lambda')[] } | null;
  make(cfg: Extract<LearnerConfig, { method: M }>): LearnerOf<Extract<LearnerConfig, { method: M }>>;
}

const sae = (c: LearnerBase & { k?: number; lambda?: number; bias?: boolean }) => ({ features: c.features, k: c.k, lambda: c.lambda, seed: c.seed ?? 0, bias: c.bias });

/** Every learner by method. */
export const LEARNERS: { [M in LearnMethod]: LearnerInfo<M> } = {
  'sae-relu': { family: 'sae', summary: 'ReLU SAE, L1 penalty λ', requires: null, make: (c) => new ReluSae({ ...sae(c), lambda: c.lambda ?? 0.05 }) },
  'sae-topk': { family: 'sae', summary: 'TopK SAE, K per sample (auxiliary-K loss on dead latents)', requires: { oneOf: ['k'] }, make: (c) => new TopKSae(sae(c)) },
  'sae-batchtopk': { family: 'sae', summary: 'BatchTopK SAE, K per sample on average', requires: { oneOf: ['k'] }, make: (c) => new BatchTopKSae(sae(c)) },
  'sae-matryoshka': { family: 'sae', summary: 'Matryoshka BatchTopK SAE, nested groups', requires: { oneOf: ['k'] }, make: (c) => new MatryoshkaSae(sae(c), { groups: c.groups }) },
  'sae-jumprelu': {
    family: 'sae', summary: 'JumpReLU SAE, L0 penalty λ', requires: null,
    make: (c) => new JumpReluSae({ ...sae(c), lambda: c.lambda ?? 0.01 }, { bandwidth: c.bandwidth, initThreshold: c.initThreshold }),
  },
  dl: {
    family: 'classical', summary: 'dictionary learning (MOD), OMP with K or lasso with λ', requires: { oneOf: ['k', 'lambda'] },
    make: (c) => new DictionaryLearner({ atoms: c.features, k: c.k, seed: c.seed, lambda: c.lambda, inference: c.k ? 'omp' : 'lasso' }),
  },
  ksvd: { family: 'classical', summary: 'K-SVD, OMP with K', requires: { oneOf: ['k'] }, make: (c) => new KSvd({ atoms: c.features, k: c.k, seed: c.seed }) },
};

/** Method names of `superposition learn`, in the registry's order. */
export const LEARN_METHODS = Object.keys(LEARNERS) as LearnMethod[];

/** Whether `m` names a registered learner. */
export function isLearnMethod(m: string): m is LearnMethod { return Object.prototype.hasOwnProperty.call(LEARNERS, m); }

/**
 * Why a configuration cannot make a learner (a missing required option, K above N), or null if it can. `prefix` is
 * put before option names in the message (the CLI passes '--').
 */
export function learnerConfigProblem(cfg: { method: string; features: number; k?: number; lambda?: number }, prefix = ''): string | null {
  if (!isLearnMethod(cfg.method)) return `unknown method '${cfg.method}'; use one of ${LEARN_METHODS.join(', ')}`;
  const req = LEARNERS[cfg.method].requires;
  if (req && !req.oneOf.some((o) => cfg[o] !== undefined)) {
    return `${prefix}method ${cfg.method} needs ${req.oneOf.map((o) => (o === 'k' ? `${prefix}k (active features per sample)` : `${prefix}lambda (sparsity penalty)`)).join(' or ')}`;
  }
  if (cfg.k !== undefined && cfg.k > cfg.features) return `${prefix}k ${cfg.k} is more than ${prefix}features ${cfg.features}; K must be at most N`;
  return null;
}

/** A new, untrained learner for a configuration (`createLearner({ method: 'sae-topk', features: 300, k: 5 })`). */
export function createLearner<C extends LearnerConfig>(cfg: C): LearnerOf<C> {
  checkInt('features (N)', cfg.features, 1);
  const problem = learnerConfigProblem(cfg as { method: string; features: number; k?: number; lambda?: number });
  if (problem) throw new ValueError(problem);
  const info = LEARNERS[cfg.method] as unknown as { make(c: C): unknown };
  return info.make(cfg) as LearnerOf<C>;
}

/**
 * A new, untrained learner by method name with loose options (N = features; K for TopK-style SAEs and OMP; λ for
 * ReLU/JumpReLU/lasso). Kept for callers with untyped options; prefer {@link createLearner}.
 */
export function makeLearner(method: LearnMethod, o: { features: number; k?: number; lambda?: number; seed?: number }):
  SparseAutoencoder | DictionaryLearner {
  return createLearner({ method, ...o } as LearnerConfig);
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
