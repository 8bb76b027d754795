/**
 * Internal float64 kernels shared by the metrics: pairwise dot products of rows, column standardisation,
 * ranks. Not part of the public API (metrics/index.ts does not re-export this file).
 *
 * Layout: a "row set" is a Float64Array holding `n` vectors of length `len` back to back (vector i at
 * offset i·len). Metrics work on columns of B×N codes, so they first copy the columns into a row set
 * (a transpose), which makes every inner loop a contiguous dot product.
 */
import { Matrix } from '../core/matrix';

/**
 * C[i·nb + j] = a_i · b_j for row sets `a` (na vectors) and `b` (nb vectors) of length `len`.
 * Blocked 4×4 in registers; float64 throughout. O(na·nb·len).
 */
export function dotRows(a: Float64Array, na: number, b: Float64Array, nb: number, len: number): Float64Array {
  const out = new Float64Array(na * nb);
  const na4 = na - (na % 4), nb4 = nb - (nb % 4);
  // Block over the vector length so that the 8 rows being read stay in cache.
  const chunk = 2048;
  for (let s0 = 0; s0 < len; s0 += chunk) {
    const s1 = Math.min(len, s0 + chunk);
    for (let i = 0; i < na4; i += 4) {
      const a0 = i * len, a1 = a0 + len, a2 = a1 + len, a3 = a2 + len;
      for (let j = 0; j < nb4; j += 4) {
        const b0 = j * len, b1 = b0 + len, b2 = b1 + len, b3 = b2 + len;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let s = s0; s < s1; s++) {
          const x0 = a[a0 + s], x1 = a[a1 + s], x2 = a[a2 + s], x3 = a[a3 + s];
          const y0 = b[b0 + s], y1 = b[b1 + s], y2 = b[b2 + s], y3 = b[b3 + s];
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
          c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
          c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
        }
        let o = i * nb + j;
        out[o] += c00; out[o + 1] += c01; out[o + 2] += c02; out[o + 3] += c03; o += nb;
        out[o] += c10; out[o + 1] += c11; out[o + 2] += c12; out[o + 3] += c13; o += nb;
        out[o] += c20; out[o + 1] += c21; out[o + 2] += c22; out[o + 3] += c23; o += nb;
        out[o] += c30; out[o + 1] += c31; out[o + 2] += c32; out[o + 3] += c33;
      }
    }
    // Edges: remaining rows of a (all of b), remaining rows of b (first na4 rows of a).
    for (let i = 0; i < na; i++) {
      const jStart = i < na4 ? nb4 : 0;
      const ai = i * len;
      for (let j = jStart; j < nb; j++) {
        const bj = j * len;
        let c = 0;
        for (let s = s0; s < s1; s++) c += a[ai + s] * b[bj + s];
        out[i * nb + j] += c;
      }
    }
  }
  return out;
}

/** Columns of `m` (B×n) as a row set (n vectors of length B), float64. */
export function columnsAsRows(m: Matrix): Float64Array {
  const { rows, cols, data } = m;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const off = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = data[off + j];
  }
  return out;
}

/** Rows of `m` as a float64 row set (a copy). */
export function rowsAsRows(m: Matrix): Float64Array {
  return Float64Array.from(m.data);
}

/**
 * In place: centre each vector of a row set and scale it to unit Euclidean norm, so that dot products
 * become Pearson correlations. A vector with zero variance (constant) is set to all zeros, so its
 * correlation with anything is 0. Returns a mask, 1 where the vector was constant.
 */
export function standardizeRows(a: Float64Array, n: number, len: number): Uint8Array {
  const constant = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const off = i * len;
    let mean = 0;
    for (let s = 0; s < len; s++) mean += a[off + s];
    mean /= len;
    let ss = 0;
    for (let s = 0; s < len; s++) { const d = a[off + s] - mean; a[off + s] = d; ss += d * d; }
    // Relative test: a column whose spread is at round-off level of its mean counts as constant.
    const scale = Math.abs(mean) * len;
    if (!(ss > 0) || Math.sqrt(ss) <= 1e-12 * scale) {
      a.fill(0, off, off + len);
      constant[i] = 1;
      continue;
    }
    const inv = 1 / Math.sqrt(ss);
    for (let s = 0; s < len; s++) a[off + s] *= inv;
  }
  return constant;
}

/** In place: scale each vector of a row set to unit norm; zero vectors stay zero. Returns the norms. */
export function normalizeRowSet(a: Float64Array, n: number, len: number): Float64Array {
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const off = i * len;
    let ss = 0;
    for (let s = 0; s < len; s++) ss += a[off + s] * a[off + s];
    norms[i] = Math.sqrt(ss);
    if (ss > 0) { const inv = 1 / norms[i]; for (let s = 0; s < len; s++) a[off + s] *= inv; }
  }
  return norms;
}

/**
 * In place: replace each vector of a row set by its ranks 1..len, ties getting their average rank
 * (as scipy.stats.rankdata 'average', which Spearman's correlation uses). A native numeric sort of the
 * values and binary searches (a tie block [lo, hi) gets rank (lo + 1 + hi)/2) — much faster than
 * sorting indices with a comparator.
 */
export function rankRows(a: Float64Array, n: number, len: number): void {
  const sorted = new Float64Array(len);
  for (let i = 0; i < n; i++) {
    const v = a.subarray(i * len, (i + 1) * len);
    sorted.set(v);
    sorted.sort();
    for (let s = 0; s < len; s++) {
      const x = v[s];
      const lo = lowerBound(sorted, x, 0, len);
      v[s] = (lo + 1 + upperBound(sorted, x, lo, len)) / 2;
    }
  }
}

/** Number of non-zero entries of a matrix. */
export function countNonzero(m: Matrix): number {
  let nnz = 0;
  for (let k = 0; k < m.data.length; k++) if (m.data[k] !== 0) nnz++;
  return nnz;
}

/**
 * Sparse column form (CSC) of a B×n matrix for correlations: column j holds the entries x_sj − c_j
 * that are non-zero (rows ascending), with baseline c_j = 0 for Pearson, and for Spearman the values
 * replaced by their average ranks and c_j the rank shared by the column's zeros. Correlation is
 * shift-invariant, so these columns correlate exactly as the original (ranked) columns do.
 */
export interface SparseColumns { n: number; len: number; ptr: Int32Array; row: Int32Array; val: Float64Array; base: Float64Array }

/** Build {@link SparseColumns} from a row-major matrix, reading only its non-zeros after one scan. */
export function sparseColumns(m: Matrix, ranks: boolean): SparseColumns {
  const { rows: len, cols: n, data } = m;
  const ptr = new Int32Array(n + 1);
  for (let s = 0; s < len; s++) { const off = s * n; for (let j = 0; j < n; j++) if (data[off + j] !== 0) ptr[j + 1]++; }
  for (let j = 0; j < n; j++) ptr[j + 1] += ptr[j];
  const row = new Int32Array(ptr[n]), val = new Float64Array(ptr[n]);
  const fill = ptr.slice(0, n);
  for (let s = 0; s < len; s++) {
    const off = s * n;
    for (let j = 0; j < n; j++) { const x = data[off + j]; if (x !== 0) { const p = fill[j]++; row[p] = s; val[p] = x; } }
  }
  const base = new Float64Array(n);
  if (ranks) {
    for (let j = 0; j < n; j++) {
      const v = val.subarray(ptr[j], ptr[j + 1]);
      const nz = v.length, zeros = len - nz;
      const sorted = Float64Array.from(v).sort();
      const neg = lowerBound(sorted, 0, 0, nz);
      const r0 = neg + (zeros + 1) / 2; // average rank of the zeros (1-based)
      base[j] = r0;
      for (let k = 0; k < nz; k++) {
        const x = v[k];
        const lo = lowerBound(sorted, x, 0, nz), hi = upperBound(sorted, x, lo, nz);
        const rank = lo + (x > 0 ? zeros : 0) + (hi - lo + 1) / 2;
        v[k] = rank - r0;
      }
    }
  }
  return { n, len, ptr, row, val, base };
}

function lowerBound(a: Float64Array, x: number, lo: number, hi: number): number {
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (a[mid] < x) lo = mid + 1; else hi = mid; }
  return lo;
}
function upperBound(a: Float64Array, x: number, lo: number, hi: number): number {
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (a[mid] <= x) lo = mid + 1; else hi = mid; }
  return lo;
}

/**
 * Pearson correlations (na×nb, float64) between the columns of two {@link SparseColumns} of the same
 * length, from sparse cross products: r = (Σ x·y − B·x̄·ȳ) / (‖x − x̄‖·‖y − ȳ‖), the norms by an exact
 * two-pass sum (Σ over non-zeros of (x − x̄)² plus the zeros' (B − nnz)·x̄²). Cost ≈ Σ_s nnzA(s)·nnzB(s)
 * scattered updates plus O(nnz + na·nb). Constant columns give 0 (as {@link standardizeRows}).
 */
export function sparseCorrelation(A: SparseColumns, B: SparseColumns): Float64Array {
  const len = A.len, na = A.n, nb = B.n;
  const b = byRow(B);
  const S = new Float64Array(na * nb);
  // Column i of A against B's per-sample lists: all updates of a pass land in row i of S (in cache).
  for (let i = 0; i < na; i++) {
    const o = i * nb;
    for (let p = A.ptr[i]; p < A.ptr[i + 1]; p++) {
      const s = A.row[p], va = A.val[p];
      for (let q = b.ptr[s]; q < b.ptr[s + 1]; q++) S[o + b.col[q]] += va * b.val[q];
    }
  }
  const stats = (X: SparseColumns) => {
    const mean = new Float64Array(X.n), inv = new Float64Array(X.n);
    for (let j = 0; j < X.n; j++) {
      let sum = 0;
      for (let p = X.ptr[j]; p < X.ptr[j + 1]; p++) sum += X.val[p];
      const mu = sum / len;
      let ss = (len - (X.ptr[j + 1] - X.ptr[j])) * mu * mu;
      for (let p = X.ptr[j]; p < X.ptr[j + 1]; p++) { const d = X.val[p] - mu; ss += d * d; }
      mean[j] = mu;
      inv[j] = !(ss > 0) || Math.sqrt(ss) <= 1e-12 * Math.abs(mu + X.base[j]) * len ? 0 : 1 / Math.sqrt(ss);
    }
    return { mean, inv };
  };
  const sa = stats(A), sb = stats(B);
  for (let i = 0; i < na; i++) {
    const ci = len * sa.mean[i], ii = sa.inv[i], o = i * nb;
    for (let j = 0; j < nb; j++) S[o + j] = (S[o + j] - ci * sb.mean[j]) * ii * sb.inv[j];
  }
  return S;
}

/** Transpose a {@link SparseColumns} into per-sample lists (CSR). */
function byRow(X: SparseColumns): { ptr: Int32Array; col: Int32Array; val: Float64Array } {
  const ptr = new Int32Array(X.len + 1);
  for (let p = 0; p < X.row.length; p++) ptr[X.row[p] + 1]++;
  for (let s = 0; s < X.len; s++) ptr[s + 1] += ptr[s];
  const col = new Int32Array(X.row.length), val = new Float64Array(X.row.length);
  const fill = ptr.slice(0, X.len);
  for (let j = 0; j < X.n; j++) {
    for (let p = X.ptr[j]; p < X.ptr[j + 1]; p++) { const q = fill[X.row[p]]++; col[q] = j; val[q] = X.val[p]; }
  }
  return { ptr, col, val };
}
