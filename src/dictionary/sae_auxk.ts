/**
 * The auxiliary-K loss against dead latents (Gao et al. 2024, "Scaling and evaluating sparse autoencoders", §A.2;
 * as in dictionary_learning's TopK/BatchTopK trainers): the k_aux largest ReLU'd pre-activations among the dead
 * latents of each sample reconstruct the main model's residual e = x − x̂ (held constant) through the decoder, with
 * no decoder bias; the loss is α · mean_b ‖e_b − ê_b‖² / mean_b ‖e_b − ē‖² (normalised by the residual's variance,
 * 0 when that is 0). Its gradient reaches the dead latents' encoder rows and biases and their decoder atoms, so they
 * move towards what the live latents miss.
 */
import { csrOf, sampledDotValues, spmmAdd, spmmTAdd } from '../compute/csr';
import { residualRows, sparseCodes } from '../compute/rows';

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

/** Scratch float32 arrays by name (an SAE fit's workspace: pinned in the kernels' memory); default fresh arrays. */
export type ScratchOf = (name: string, n: number) => Float32Array;

/**
 * Add the auxiliary-K loss of one batch and its gradients. `pre` (B×N) are the pre-activations, `xc` (B×M) the
 * encoder's input (x − b_dec), `r` (B×M) the residual x̂ − x of the main reconstruction, `D` (N×M) the decoder.
 * Gradients are added into `grads.dE` (N×M), `grads.dD` (N×M, null with a fixed decoder) and `grads.dbEnc` (N).
 * Returns the loss (already weighted by α).
 *
 * The codes of the dead latents are a TopK over their columns of `pre` ({@link sparseCodes}: every value ≥ the
 * k_aux-th largest and > 0, ties at the k_aux-th kept), and every product is the engine's sparse one over their CSR:
 * ê = Z_aux·D, dL/dz at Z_aux's non-zeros, dE += dZᵀ·xc, dD += Z_auxᵀ·G — so the cost is ∝ B·k_aux·M.
 */
export function auxkLossGrad(pre: Float32Array, xc: Float32Array, r: Float32Array, B: number, N: number, M: number,
  D: Float32Array, aux: AuxKInput, grads: { dE: Float32Array; dD: Float32Array | null; dbEnc: Float32Array },
  scratch: ScratchOf = (_name, n) => new Float32Array(n)): number {
  const deadIdx: number[] = [];
  for (let i = 0; i < N; i++) if (aux.dead[i]) deadIdx.push(i);
  const nd = deadIdx.length;
  if (nd === 0 || !(aux.alpha > 0)) return 0;
  const kA = Math.max(1, Math.min(aux.k, nd));
  // the normaliser mean_b ‖e_b − ē‖² = mean_b ‖r_b‖² − ‖r̄‖² (e = −r), a constant of the step
  const mu = new Float64Array(M);
  let sq = 0;
  for (let b = 0; b < B; b++) for (let j = 0; j < M; j++) { const v = r[b * M + j]; mu[j] += v; sq += v * v; }
  let m2 = 0;
  for (let j = 0; j < M; j++) { mu[j] /= B; m2 += mu[j] * mu[j]; }
  const denom = sq / B - m2;
  if (!(denom > 0)) return 0;
  const c = aux.alpha / (B * denom);
  // the dead latents' columns of pre (B×nd), their TopK codes, and the CSR of those in the latents' numbering
  const cols = scratch('auxPre', B * N).subarray(0, B * nd); // fixed sizes: the fit's scratch is reused, not regrown
  for (let b = 0; b < B; b++) { const o = b * N, q = b * nd; for (let p = 0; p < nd; p++) cols[q + p] = pre[o + deadIdx[p]]; }
  const zc = scratch('auxZ', B * N).subarray(0, B * nd);
  sparseCodes(cols, B, nd, kA < nd ? kA : 0, zc);
  const s = csrOf(zc, B, nd, { ptr: new Int32Array(B + 1), idx: new Int32Array(0), nnz: 0, val: scratch('auxZv', B * N).subarray(0, B * nd) });
  for (let p = 0; p < s.nnz; p++) s.idx[p] = deadIdx[s.idx[p]];
  // q = r + ê = −(e − ê) (B×M); the loss is c·Σ_b ‖q_b‖², its gradient at ê is G = 2c·q
  const q = scratch('auxQ', B * M);
  q.set(r.subarray(0, B * M));
  spmmAdd(null, s, N, D, M, q);
  const G = scratch('auxG', B * M);
  const rowSq = residualRows(q, B, M, null, 2 * c, G);
  let total = 0;
  for (let b = 0; b < B; b++) total += rowSq[b];
  // dL/dz_i = ⟨G_b, d_i⟩ at the selected codes; z_i = pre_i there (positive), so it is dL/dpre_i too
  const dz = sampledDotValues(G, s, D, M);
  for (let p = 0; p < s.nnz; p++) grads.dbEnc[s.idx[p]] += dz[p];
  spmmTAdd(null, { ptr: s.ptr, idx: s.idx, nnz: s.nnz, val: dz }, N, xc, M, grads.dE);
  if (grads.dD) spmmTAdd(null, s, N, G, M, grads.dD);
  return c * total;
}
