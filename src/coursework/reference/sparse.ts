/**
 * Small float64 references for the sparse-inference exercises. The library's solvers (src/sparse) run whole
 * ISTA/FISTA loops on typed arrays and export no single-step functions, so the one-step versions live here.
 * Shapes follow the project: D is N×M (one atom per row), X is B×M, Z is B×N, X ≈ Z·D.
 */

/** Soft thresholding S_λ(z) = sign(z)·max(|z| − λ, 0), entry-wise (λ ≥ 0). Returns a new array. */
export function softThreshold(z: readonly number[], lambda: number): number[] {
  return z.map((v) => (v > lambda ? v - lambda : v < -lambda ? v + lambda : 0));
}

/** Z·D for Z (B×N) and D (N×M), as nested arrays. */
export function matmulRows(Z: readonly (readonly number[])[], D: readonly (readonly number[])[]): number[][] {
  const M = D.length ? D[0].length : 0;
  return Z.map((z) => {
    const out = new Array<number>(M).fill(0);
    z.forEach((zi, i) => { if (zi !== 0) for (let m = 0; m < M; m++) out[m] += zi * D[i][m]; });
    return out;
  });
}

/** Gradient of ½‖X − Z·D‖² with respect to Z: (Z·D − X)·Dᵀ, B×N. */
export function lassoGradient(Z: readonly (readonly number[])[], X: readonly (readonly number[])[], D: readonly (readonly number[])[]): number[][] {
  const R = matmulRows(Z, D).map((r, b) => r.map((v, m) => v - X[b][m]));
  return R.map((r) => D.map((d) => d.reduce((s, v, m) => s + v * r[m], 0)));
}

/**
 * One ISTA step for the lasso ½‖x − zD‖² + λ‖z‖₁ on every row of Z (B×N):
 * Z⁺ = S_{λ·step}(Z − step·(Z·D − X)·Dᵀ), with X B×M, D N×M and step ≤ 1/‖D‖₂². Returns B×N.
 */
export function istaStep(Z: readonly (readonly number[])[], X: readonly (readonly number[])[], D: readonly (readonly number[])[],
  lambda: number, step: number): number[][] {
  const G = lassoGradient(Z, X, D);
  return Z.map((z, b) => softThreshold(z.map((v, i) => v - step * G[b][i]), lambda * step));
}

/**
 * The FISTA momentum update (Beck & Teboulle 2009) after a proximal step produced zNew from the point y:
 * t⁺ = (1 + √(1 + 4t²))/2 and y⁺ = zNew + ((t − 1)/t⁺)·(zNew − zOld). Returns { y: y⁺ (length N), t: t⁺ }.
 */
export function fistaMomentum(zNew: readonly number[], zOld: readonly number[], t: number): { y: number[]; t: number } {
  const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
  const beta = (t - 1) / tNext;
  return { y: zNew.map((v, i) => v + beta * (v - zOld[i])), t: tNext };
}
