/** Identifiability (Reizinger et al. 2025; Zimmermann et al. 2021): latents, invertible mixing, processes, trainers. */
export * from './latents';
export { createMixing, applyMixing, invertMixing, randomOrthogonal } from './mixing';
export type { Mixing, MixingOptions } from './mixing';
export * from './process';
export * from './mlp';
