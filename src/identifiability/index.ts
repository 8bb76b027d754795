/** Identifiability (Reizinger et al. 2025; Zimmermann et al. 2021): latents, mixing, trainers, R². */
export * from './latents';
export * from './mixing';
export * from './process';
export * from './mlp';
export { ridgeR2 } from './r2';
export type { R2Result } from './r2';
