/**
 * Dictionary learning and sparse autoencoders: SAEs (ReLU-L1, TopK, BatchTopK, Matryoshka BatchTopK, JumpReLU), classical
 * dictionary learning (MOD, online block-coordinate, K-SVD), LISTA and MLP encoders, and explicit inference
 * on a learned dictionary. Convention: D is N×M (atoms in rows), X B×M, Z B×N, X ≈ Z·D.
 */
export { SparseAutoencoder, TrainingDivergedError, DEFAULT_SAE_SAMPLES, CONVERGED_TOLERANCE } from './sae_base';
export type { SaeKind, SaeConfig, SaeTrainOptions, SaeTrainReport, SaeHistoryPoint } from './sae_base';
export { ReluSae } from './sae_relu';
export { TopKSae } from './sae_topk';
export { BatchTopKSae } from './sae_batchtopk';
export { MatryoshkaSae, matryoshkaGroupSizes, prefixEnds } from './sae_matryoshka';
export type { MatryoshkaOptions } from './sae_matryoshka';
export { AUXK_ALPHA } from './sae_auxk';
export { readSaeCheckpoint, writeSaeCheckpoint, SAE_CHECKPOINT_FORMAT } from './sae_checkpoint';
export type { SaeCheckpoint } from './sae_checkpoint';
export type { AuxKOptions, AuxKInput } from './sae_auxk';
export { JumpReluSae } from './sae_jumprelu';
export { DictionaryLearner, KSvd } from './classical';
export type { DictionaryLearnerConfig, DictionaryFitOptions, DictionaryFitReport } from './classical';
export { AmortisedEncoder } from './amortised_base';
export type { EncoderTrainOptions, EncoderTrainReport } from './amortised_base';
export { MlpEncoder } from './mlp_encoder';
export { Lista } from './lista';
export { SaeTrainer } from './sae_trainer';
export type { BatchSource, SaeTrainerConfig } from './sae_trainer';
export { SaeWorkspace } from './sae_workspace';
export { DictionaryInference } from './sae_inference';
export type { HasDictionary } from './sae_inference';
export { inferCodes } from './inference';
export type { InferOptions } from './inference';
export { loadDictionaryModel, makeLearner, createLearner, isLearnMethod, learnerConfigProblem, LEARNERS, LEARN_METHODS } from './registry';
export * from './saelens';
export type {
  LearnMethod, LearnerConfig, LearnerOf, LearnerInfo, ReluSaeLearner, TopKSaeLearner, BatchTopKSaeLearner, MatryoshkaSaeLearner,
  JumpReluSaeLearner, DlLearner, KsvdLearner,
} from './registry';
