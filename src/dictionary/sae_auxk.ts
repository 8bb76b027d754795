/**
 * The auxiliary-K loss against dead latents (Gao et al. 2024, "Scaling and evaluating sparse autoencoders", §A.2;
 * as in dictionary_learning's TopK/BatchTopK trainers): the k_aux largest ReLU'd pre-activations among the dead
 * latents of each sample reconstruct the main model's residual e = x − x̂ (held constant) through the decoder, with
 * no decoder bias; the loss is α · mean_b ‖e_b − ê_b‖² / mean_b ‖e_b − ē‖² (normalised by the residual's variance,
 * 0 when that is 0). Its gradient reaches the dead latents' encoder rows and biases and their decoder atoms, so they
 * move towards what the live latents miss.
 */
import { kthLargest } from '../compute/select';

/** What a training step needs to add the auxiliary-K loss. */
export interface AuxKInput {
  /** Per latent (N): 1 when dead (fired on no sample for the dead window), else 0. */
  dead: Uint8Array;
  /** α, the weight of the loss (dictionary_learning: 1/32). */
  alpha: number;
  /** k_aux: dead latents used per sample (dictionary_learning: d_in / 2), at most the number of dead ones. */
  k: number;
}

/** Settings of the auxiliary-K loss of a fit (see {@link SaeTrainOptions.auxk}). */
export interface AuxKOptions {
  /** α (default 1/32). */
  alpha?: number;
  /** k_aux (default ⌊M/2⌋, at least 1). */
  k?: number;
  /**
   * A latent is dead when it fired on no sample of the last `deadSamples` training samples (default:
   * min(10M, max(batch, samples of the run / 50)); dictionary_learning uses 10M tokens on runs of billions).
   */
  deadSamples?: number;
}

/** α of dictionary_learning's TopK trainer. */
export const AUXK_ALPHA = 1 / 32;

/**
 * Add the auxiliary-K loss of one batch and its gradients. `pre` (B×N) are the pre-activations, `xc` (B×M) the
 * encoder's input (x − b_dec), `r` (B×M) the residual x̂ − x of the main reconstruction, `D` (N×M) the decoder.
 * Gradients are added into `grads.dE` (N×M), `grads.dD` (N×M, null with a fixed decoder) and `grads.dbEnc` (N).
 * Returns the loss (already weighted by α).
 */
export function auxkLossGrad(pre: Float32Array, xc: Float32Array, r: Float32Array, B: number, N: number, M: number,
  D: Float32Array, aux: AuxKInput, grads: { dE: Float32Array; dD: Float32Array | null; dbEnc: Float32Array }): number {
  const deadIdx: number[] = [];
  for (let i = 0; i < N; i++) if (aux.dead[i]) deadIdx.push(i);
  const nd = deadIdx.length;
  if (nd === 0 || !(aux.alpha > 0)) return 0;
  const kA = Math.max(1, Math.min(aux.k, nd));
  // the normaliser mean_b ‖e_b − ē‖² (e = −r), a constant of the step
  const mu = new Float64Array(M);
  for (let b = 0; b < B; b++) for (let j = 0; j < M; j++) mu[j] += r[b * M + j];
  for (let j = 0; j < M; j++) mu[j] /= B;
  let denom = 0;
  for (let b = 0; b < B; b++) for (let j = 0; j < M; j++) { const v = r[b * M + j] - mu[j]; denom += v * v; }
  denom /= B;
  if (!(denom > 0)) return 0;
  const c = aux.alpha / (B * denom);
  const vals = new Float64Array(nd), scratch = new Float64Array(nd), sel: number[] = [], diff = new Float64Array(M);
  let total = 0;
  for (let b = 0; b < B; b++) {
    const o = b * N;
    for (let p = 0; p < nd; p++) vals[p] = pre[o + deadIdx[p]];
    // the k_aux largest (ties at the threshold kept, up to k_aux), positive ones only (ReLU: others are zero codes)
    sel.length = 0;
    let thr = -Infinity;
    if (kA < nd) thr = kthLargest(vals, kA, {}, scratch);
    for (let p = 0; p < nd && sel.length < kA; p++) if (vals[p] >= thr && vals[p] > 0) sel.push(deadIdx[p]);
    // diff = e − ê = −r − Σ_sel z_i d_i
    for (let j = 0; j < M; j++) diff[j] = -r[b * M + j];
    for (const i of sel) { const zi = pre[o + i]; for (let j = 0; j < M; j++) diff[j] -= zi * D[i * M + j]; }
    let s2 = 0;
    for (let j = 0; j < M; j++) s2 += diff[j] * diff[j];
    total += s2;
    if (sel.length === 0) continue;
    // dL/dê_b = −2c·diff; dL/dz_i = (dL/dê_b)·d_i; z_i = pre_i here (positive), so dL/dpre_i = dL/dz_i
    for (const i of sel) {
      const zi = pre[o + i];
      let dz = 0;
      for (let j = 0; j < M; j++) dz += -2 * c * diff[j] * D[i * M + j];
      grads.dbEnc[i] += dz;
      for (let j = 0; j < M; j++) grads.dE[i * M + j] += dz * xc[b * M + j];
      if (grads.dD) for (let j = 0; j < M; j++) grads.dD[i * M + j] += -2 * c * diff[j] * zi;
    }
  }
  return c * total;
}
