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
 * (as scipy.stats.rankdata 'average', which Spearman's correlation uses).
 */
export function rankRows(a: Float64Array, n: number, len: number): void {
  const idx = new Uint32Array(len);
  const ranks = new Float64Array(len);
  for (let i = 0; i < n; i++) {
    const off = i * len;
    const v = a.subarray(off, off + len);
    for (let s = 0; s < len; s++) idx[s] = s;
    idx.sort((p, q) => v[p] - v[q]);
    let s = 0;
    while (s < len) {
      let e = s + 1;
      while (e < len && v[idx[e]] === v[idx[s]]) e++;
      const r = (s + 1 + e) / 2; // average of ranks s+1..e
      for (let t = s; t < e; t++) ranks[idx[t]] = r;
      s = e;
    }
    v.set(ranks);
  }
}
