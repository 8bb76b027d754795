/**
 * Losses of the small networks with their gradients with respect to the logits (or representations), on float32
 * row-major arrays: softmax cross-entropy on labels, sigmoid cross-entropy on multi-hot targets, and InfoNCE with
 * in-batch negatives. Each returns the mean loss over the batch (sums in a fixed order, float64) and writes the
 * gradient of that mean.
 */
import { mm, mmNT } from '../compute/dense';
import { elementwiseOnWasm } from '../compute/dispatch';
import { ROW_CHUNKS, runKernel } from '../compute/threads';
import { fetchBack, place, wasmArena } from '../compute/wasm';
import { transposeInto } from './dense';

/**
 * Mean softmax cross-entropy of logits (B×C) against labels (B, each in 0…C−1), with a stable log-sum-exp;
 * writes ∂loss/∂logits = (softmax − onehot)/B into `grad` (which may be `logits`: in place). Each row: the largest
 * logit mx, e_j = {@link expNonPositive}(l_j − mx) kept in float64, s = Σ e_j in two lanes (j even, j odd; the last
 * entry of an odd C added after); on the kernels (rows split over both threads) from the dispatch policy's
 * `elementwiseMinEntries` up, else the JS loop — the same operations in the same order, bitwise the same.
 */
export function softmaxCrossEntropy(logits: Float32Array, B: number, C: number, labels: ArrayLike<number>, grad: Float32Array): number {
  const w = C >= 2 && elementwiseOnWasm(B * C) ? wasmArena() : null;
  if (w) {
    const n = B * C, inPlace = grad === logits;
    const [pl] = place(w, [logits.subarray(0, n)], [true]);
    const pg = inPlace ? pl : place(w, [grad.subarray(0, n)], [false])[0];
    const [py] = place(w, [labels instanceof Int32Array ? labels.subarray(0, B) : Int32Array.from({ length: B }, (_, i) => labels[i])], [true]);
    const ex = w.alloc(2 * n), st = w.alloc(6 * B);
    runKernel(w.kernels, 'smce', [pl, C, py, pg, ex, st, B], B, 1, ROW_CHUNKS);
    fetchBack(w, grad.subarray(0, n), pg);
    const rows = w.f64(st, 3 * B);
    let total = 0;
    for (let r = 0; r < B; r++) total += rows[3 * r] + Math.log(rows[3 * r + 1]) - rows[3 * r + 2];
    return total / B;
  }
  if (expRow.length < C) expRow = new Float64Array(C);
  const ex = expRow, c2 = C & ~1;
  let total = 0;
  for (let r = 0; r < B; r++) {
    const o = r * C, y = labels[r];
    let mx = -Infinity;
    for (let j = 0; j < C; j++) if (logits[o + j] > mx) mx = logits[o + j];
    // one exponential per entry, kept unrounded for the gradient
    let s0 = 0, s1 = 0;
    for (let j = 0; j < c2; j += 2) {
      const e0 = expNonPositive(logits[o + j] - mx), e1 = expNonPositive(logits[o + j + 1] - mx);
      s0 += e0; s1 += e1; ex[j] = e0; ex[j + 1] = e1;
    }
    let s = s0 + s1;
    if (c2 < C) { const e = expNonPositive(logits[o + c2] - mx); ex[c2] = e; s += e; }
    total += mx + Math.log(s) - logits[o + y];
    const inv = 1 / (s * B);
    for (let j = 0; j < C; j++) grad[o + j] = ex[j] * inv;
    grad[o + y] -= 1 / B;
  }
  return total / B;
}

/** The exponentials of one row of {@link softmaxCrossEntropy} (grown on demand). */
let expRow = new Float64Array(0);

const LOG2E = 1.4426950408889634, LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10;
/** 1/12!, 1/11!, …, 1/0!: the Taylor coefficients of e^r, highest first (Horner). */
const EXP_COEFFS = Array.from({ length: 13 }, (_, i) => { let f = 1; for (let k = 2; k <= 12 - i; k++) f *= k; return 1 / f; });
/** 2^−n for n = 0…1021 (exact: halvings of 1). */
const POW2_NEG = (() => { const t = new Float64Array(1022); t[0] = 1; for (let n = 1; n < 1022; n++) t[n] = t[n - 1] / 2; return t; })();

/**
 * e^x for x ≤ 0 in float64 (within 3.2e-16 relative of Math.exp over [−700, 0]): x = n·ln 2 + r with n = x·log₂e rounded
 * to nearest even and r by Cody–Waite (ln 2 in two parts), e^r by its Taylor polynomial of degree 12 (|r| ≤ ln 2/2),
 * times 2ⁿ; 0 for x < −708 (NaN stays NaN). The kernels compute the same operations in the same order (`smce`), so both
 * give bitwise the same — Math.exp is not specified to the last bit.
 */
export function expNonPositive(x: number): number {
  if (x < -708) return 0;
  const t = x * LOG2E;
  let n = Math.round(t);
  if (n - t === 0.5 && (n & 1) !== 0) n -= 1; // ties to even, as f64x2.nearest
  const r = (x - n * LN2_HI) - n * LN2_LO;
  let p = EXP_COEFFS[0];
  for (let i = 1; i < 13; i++) p = p * r + EXP_COEFFS[i];
  return p * POW2_NEG[-n];
}

/**
 * Sigmoid (binary) cross-entropy with logits l (B×C) against targets t (B×C, multi-hot or probabilities),
 * summed over the C outputs and averaged over the B rows: max(l, 0) − l·t + log(1 + e^{−|l|}) per entry;
 * writes ∂loss/∂l = (σ(l) − t)/B into `grad` (may be `logits`).
 */
export function sigmoidCrossEntropy(logits: Float32Array, B: number, C: number, targets: ArrayLike<number>, grad: Float32Array): number {
  let total = 0;
  for (let i = 0; i < B * C; i++) {
    const l = logits[i], t = targets[i];
    total += Math.max(l, 0) - l * t + Math.log1p(Math.exp(-Math.abs(l)));
    const sig = l >= 0 ? 1 / (1 + Math.exp(-l)) : Math.exp(l) / (1 + Math.exp(l));
    grad[i] = (sig - t) / B;
  }
  return total / B;
}

/** Scratch of {@link infoNce} for n pairs of r-dimensional representations (allocated by the caller or fresh). */
export interface InfoNceScratch { fn: Float32Array; norms: Float64Array; logits: Float32Array; dlT: Float32Array; dFn: Float32Array }

/** Fresh scratch for {@link infoNce} (n pairs, representation width r). */
export function infoNceScratch(n: number, r: number, alloc: (n: number) => Float32Array = (k) => new Float32Array(k)): InfoNceScratch {
  return { fn: alloc(2 * n * r), norms: new Float64Array(2 * n), logits: alloc(n * n), dlT: alloc(n * n), dFn: alloc(2 * n * r) };
}

/**
 * Symmetric InfoNCE on f (2n×r): rows 0…n−1 are anchors a_i, rows n…2n−1 their positives p_i. Representations are
 * normalised to the unit sphere (f/√(‖f‖² + 1e−12)), logits L = a·pᵀ/τ (n×n), and the loss is the mean of the
 * cross-entropies picking the positive along rows of L (anchor → positives) and along its columns (positive →
 * anchors): the set-up of Zimmermann et al. 2021 with in-batch negatives. Writes ∂loss/∂f into `df` (2n×r).
 */
export function infoNce(f: Float32Array, n: number, r: number, tau: number, df: Float32Array, s: InfoNceScratch = infoNceScratch(n, r)): number {
  const { fn, norms, logits: L, dlT, dFn } = s;
  for (let i = 0; i < 2 * n; i++) {
    const o = i * r;
    let q = 0;
    for (let j = 0; j < r; j++) q += f[o + j] * f[o + j];
    const nr = Math.sqrt(q + 1e-12);
    norms[i] = nr;
    for (let j = 0; j < r; j++) fn[o + j] = f[o + j] / nr;
  }
  const A = fn.subarray(0, n * r), P = fn.subarray(n * r, 2 * n * r);
  mmNT(A, n, r, P, n, L);
  for (let i = 0; i < n * n; i++) L[i] /= tau;
  // column softmax (positive → anchors) into dlT, transposed: row j of dlT = softmax of column j of L
  transposeInto(L, n, n, dlT);
  const lossCol = softmaxCrossEntropy(dlT, n, n, identityLabels(n), dlT);
  // row softmax (anchor → positives) in place in L: L becomes its gradient
  const lossRow = softmaxCrossEntropy(L, n, n, identityLabels(n), L);
  // dL = (gRow + gColᵀ)/2, with the 1/τ of the logits: ∂/∂(a·pᵀ) = dL/τ
  const k = 0.5 / tau;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) L[i * n + j] = k * (L[i * n + j] + dlT[j * n + i]);
  }
  const dA = dFn.subarray(0, n * r), dP = dFn.subarray(n * r, 2 * n * r);
  mm(L, n, n, P, r, dA);
  transposeInto(L, n, n, dlT);
  mm(dlT, n, n, A, r, dP);
  // through the normalisation: df = (dfn − fn·⟨fn, dfn⟩)/‖f‖
  for (let i = 0; i < 2 * n; i++) {
    const o = i * r;
    let d = 0;
    for (let j = 0; j < r; j++) d += fn[o + j] * dFn[o + j];
    const inv = 1 / norms[i];
    for (let j = 0; j < r; j++) df[o + j] = (dFn[o + j] - fn[o + j] * d) * inv;
  }
  return 0.5 * (lossRow + lossCol);
}

let idLabels = new Int32Array(0);
/** 0, 1, …, n−1 (cached). */
function identityLabels(n: number): Int32Array {
  if (idLabels.length < n) idLabels = Int32Array.from({ length: n }, (_, i) => i);
  return idLabels;
}
