/**
 * Reference of the SAE-loss exercise. The library's SAEs (src/dictionary) compute this loss inside their
 * training step on tensors and export no loss function, so the float64 reference lives here; it follows
 * the definition in src/dictionary/sae_relu.ts: loss = mean_b ‖x_b − x̂_b‖² + λ·mean_b Σ_i z_bi·‖d_i‖,
 * x̂ = Z·D + b_dec.
 */
import { matmulRows } from './sparse';

/**
 * SAE loss with decoder-norm-weighted L1: X (B×M) data, Z (B×N) codes (≥ 0 for a ReLU SAE; |z| is used),
 * D (N×M) decoder, one atom per row, bDec (length M) decoder bias, lambda ≥ 0. Returns a number.
 */
export function saeLoss(X: readonly (readonly number[])[], Z: readonly (readonly number[])[], D: readonly (readonly number[])[],
  bDec: readonly number[], lambda: number): number {
  const B = X.length;
  const norms = D.map((d) => Math.sqrt(d.reduce((s, v) => s + v * v, 0)));
  const Xh = matmulRows(Z, D);
  let rec = 0, pen = 0;
  for (let b = 0; b < B; b++) {
    for (let m = 0; m < X[b].length; m++) rec += (X[b][m] - Xh[b][m] - bDec[m]) ** 2;
    for (let i = 0; i < norms.length; i++) pen += Math.abs(Z[b][i]) * norms[i];
  }
  return rec / B + lambda * pen / B;
}
