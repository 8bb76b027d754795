/**
 * Dictionary update rules of classical dictionary learning (codes fixed, D updated), on typed arrays and
 * exploiting sparse codes (cost ∝ B·K·M, not B·N·M). Shapes: X B×M, Z B×N, D N×M (atoms in rows).
 */
import { solveSpd } from '../core/decompositions';

/** Non-zero structure of Z: for each sample, its active atoms and values (CSR). */
export interface SparseCodes { ptr: Int32Array; idx: Int32Array; val: Float64Array; rows: number; cols: number }

/** CSR view of dense codes Z (B×N). */
export function toSparse(Z: Float32Array | Float64Array, B: number, N: number): SparseCodes {
  let nnz = 0;
  for (let i = 0; i < Z.length; i++) if (Z[i] !== 0) nnz++;
  const ptr = new Int32Array(B + 1), idx = new Int32Array(nnz), val = new Float64Array(nnz);
  let p = 0;
  for (let b = 0; b < B; b++) {
    ptr[b] = p;
    const o = b * N;
    for (let i = 0; i < N; i++) { const v = Z[o + i]; if (v !== 0) { idx[p] = i; val[p] = v; p++; } }
  }
  ptr[B] = p;
  return { ptr, idx, val, rows: B, cols: N };
}

/** Sufficient statistics A = ZᵀZ (N×N) and C = ZᵀX (N×M) of sparse codes, optionally added to `into`. */
export function codeStats(z: SparseCodes, X: ArrayLike<number>, M: number, into?: { A: Float64Array; C: Float64Array }):
  { A: Float64Array; C: Float64Array } {
  const N = z.cols;
  const A = into?.A ?? new Float64Array(N * N), C = into?.C ?? new Float64Array(N * M);
  for (let b = 0; b < z.rows; b++) {
    const xo = b * M;
    for (let p = z.ptr[b]; p < z.ptr[b + 1]; p++) {
      const i = z.idx[p], v = z.val[p];
      for (let q = z.ptr[b]; q < z.ptr[b + 1]; q++) A[i * N + z.idx[q]] += v * z.val[q];
      const co = i * M;
      for (let j = 0; j < M; j++) C[co + j] += v * X[xo + j];
    }
  }
  return { A, C };
}

/**
 * MOD (Engan et al. 1999): D = (ZᵀZ + εI)⁻¹ ZᵀX, the least-squares dictionary for fixed codes.
 * Unused atoms come out as zero rows (to be replaced by the caller). Returns N×M.
 */
export function modUpdate(z: SparseCodes, X: ArrayLike<number>, M: number, eps = 1e-6): Float64Array {
  const N = z.cols;
  const { A, C } = codeStats(z, X, M);
  let tr = 0;
  for (let i = 0; i < N; i++) tr += A[i * N + i];
  const ridge = eps * Math.max(tr / N, 1e-12);
  for (let i = 0; i < N; i++) A[i * N + i] += ridge;
  return solveSpd(A, N, C, M);
}

/**
 * Block-coordinate descent on the atoms (Mairal et al. 2010, Alg. 2) given A = ZᵀZ and C = ZᵀX:
 * d_j ← d_j + (C_j − A_j·D)/A_jj, then unit norm; atoms with A_jj = 0 are left unchanged. In place.
 */
export function blockCoordinateUpdate(D: Float64Array, A: Float64Array, C: Float64Array, N: number, M: number, sweeps = 1): void {
  const u = new Float64Array(M);
  for (let s = 0; s < sweeps; s++) {
    for (let j = 0; j < N; j++) {
      const ajj = A[j * N + j];
      if (ajj <= 1e-12) continue;
      for (let c = 0; c < M; c++) u[c] = C[j * M + c];
      for (let l = 0; l < N; l++) {
        const a = A[j * N + l];
        if (a === 0) continue;
        const lo = l * M;
        for (let c = 0; c < M; c++) u[c] -= a * D[lo + c];
      }
      let nn = 0;
      for (let c = 0; c < M; c++) { u[c] = D[j * M + c] + u[c] / ajj; nn += u[c] * u[c]; }
      if (nn <= 1e-20) continue;
      const inv = 1 / Math.sqrt(nn);
      for (let c = 0; c < M; c++) D[j * M + c] = u[c] * inv;
    }
  }
}

/**
 * One K-SVD sweep (Aharon et al. 2006; approximate rank-1 step of Rubinstein et al. 2008): for each atom
 * j with samples ω_j using it, E = residual of ω_j with atom j's contribution added back;
 * d_j ← Eᵀg/‖Eᵀg‖, g ← E·d_j (clipped at 0 if `nonneg`). Updates D (N×M) and the CSR values of z in place;
 * `R` (B×M residual X − ZD) is kept consistent. Returns the number of unused atoms.
 */
export function ksvdSweep(D: Float64Array, z: SparseCodes, R: Float64Array, M: number, nonneg: boolean): number {
  const N = z.cols;
  // per-atom list of CSR positions
  const count = new Int32Array(N + 1);
  for (let p = 0; p < z.idx.length; p++) count[z.idx[p] + 1]++;
  for (let i = 0; i < N; i++) count[i + 1] += count[i];
  const pos = new Int32Array(z.idx.length), fill = count.slice(0, N), sample = new Int32Array(z.idx.length);
  for (let b = 0; b < z.rows; b++) {
    for (let p = z.ptr[b]; p < z.ptr[b + 1]; p++) { const q = fill[z.idx[p]]++; pos[q] = p; sample[q] = b; }
  }
  const d = new Float64Array(M);
  let unused = 0;
  for (let j = 0; j < N; j++) {
    const s0 = count[j], s1 = count[j + 1];
    if (s1 === s0) { unused++; continue; }
    const dj = j * M;
    // E = R_ω + g d_jᵀ ; d = Eᵀ g
    d.fill(0);
    for (let q = s0; q < s1; q++) {
      const b = sample[q], g = z.val[pos[q]], ro = b * M;
      for (let c = 0; c < M; c++) d[c] += (R[ro + c] + g * D[dj + c]) * g;
    }
    let nn = 0;
    for (let c = 0; c < M; c++) nn += d[c] * d[c];
    if (nn <= 1e-20) continue;
    const inv = 1 / Math.sqrt(nn);
    for (let c = 0; c < M; c++) d[c] *= inv;
    for (let q = s0; q < s1; q++) {
      const b = sample[q], gOld = z.val[pos[q]], ro = b * M;
      let g = 0;
      for (let c = 0; c < M; c++) g += (R[ro + c] + gOld * D[dj + c]) * d[c];
      if (nonneg && g < 0) g = 0;
      for (let c = 0; c < M; c++) R[ro + c] += gOld * D[dj + c] - g * d[c];
      z.val[pos[q]] = g;
    }
    for (let c = 0; c < M; c++) D[dj + c] = d[c];
  }
  return unused;
}

/** Residual R = X − Z·D (B×M, float64) for sparse codes. */
export function residual(z: SparseCodes, X: ArrayLike<number>, D: ArrayLike<number>, M: number): Float64Array {
  const R = Float64Array.from(X as ArrayLike<number>);
  for (let b = 0; b < z.rows; b++) {
    const ro = b * M;
    for (let p = z.ptr[b]; p < z.ptr[b + 1]; p++) {
      const v = z.val[p], dof = z.idx[p] * M;
      for (let c = 0; c < M; c++) R[ro + c] -= v * D[dof + c];
    }
  }
  return R;
}
