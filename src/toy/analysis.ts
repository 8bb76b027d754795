/**
 * Analyses of a trained toy model (Elhage et al. 2022). W is **n×m, one feature direction per row**
 * (row i = the paper's column W_i). All results in float64.
 */
import { Matrix, MatrixLike, rowNorms } from '../core/matrix';
import { checkMatrix, checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';

/** ‖W_i‖ for every feature (length n). */
export function featureNorms(W: MatrixLike): Float64Array {
  return rowNorms(checkMatrix('W (n×m)', W));
}

/** The n×n Gram matrix of feature directions, the paper's WᵀW (entry (i, j) = W_i·W_j), float64. */
export function featureGram(W: MatrixLike): Matrix<Float64Array> {
  const w = checkMatrix('W (n×m)', W);
  const n = w.rows, m = w.cols;
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += w.data[i * m + k] * w.data[j * m + k];
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  return { rows: n, cols: n, data: g };
}

/** Per feature: ‖W_i‖² and Σ_{j≠i} (W_i·W_j)² (both 0 for a feature with ‖W_i‖ < eps). */
function overlaps(W: MatrixLike, eps: number): { sq: Float64Array; others: Float64Array } {
  const g = featureGram(W);
  const n = g.rows;
  const sq = new Float64Array(n), others = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const nii = g.data[i * n + i];
    if (Math.sqrt(nii) < eps) continue;
    let s = 0;
    for (let j = 0; j < n; j++) if (j !== i) s += g.data[i * n + j] ** 2;
    sq[i] = nii;
    others[i] = s;
  }
  return { sq, others };
}

/**
 * Superposition of each feature with the others, Σ_{j≠i} (Ŵ_i·W_j)² (Ŵ_i = W_i/‖W_i‖); 0 for a feature
 * with ‖W_i‖ < `eps` (length n). This is the colour of the paper's feature-norm bars.
 */
export function featureSuperposition(W: MatrixLike, eps = 1e-6): Float64Array {
  const { sq, others } = overlaps(W, eps);
  return sq.map((v, i) => (v > 0 ? others[i] / v : 0));
}

/**
 * Feature dimensionality D_i = ‖W_i‖² / Σ_j (Ŵ_i·W_j)² (the sum includes j = i): 1 for a dedicated
 * dimension, 1/2 for an antipodal pair, 0 for a feature not learned (‖W_i‖ < `eps`). Length n.
 */
export function featureDimensionality(W: MatrixLike, eps = 1e-6): Float64Array {
  const { sq, others } = overlaps(W, eps);
  // ‖W_i‖² / ((‖W_i‖⁴ + Σ_{j≠i}(W_i·W_j)²) / ‖W_i‖²)
  return sq.map((v, i) => (v > 0 ? (v * v) / (v * v + others[i]) : 0));
}

/** Dimensions per feature D* = m / ‖W‖²_F (1 when m features are learned orthonormally; 1/2 for antipodal pairs). */
export function dimensionsPerFeature(W: MatrixLike): number {
  const w = checkMatrix('W (n×m)', W);
  let f = 0;
  for (let k = 0; k < w.data.length; k++) f += w.data[k] ** 2;
  if (f === 0) throw new ValueError('dimensionsPerFeature: W is all zeros (no feature learned), m/‖W‖²_F is undefined');
  return w.cols / f;
}

/** How a feature is represented: not learned, a dimension of its own, or shared with others. */
export type FeatureRepresentation = 'not learned' | 'dedicated' | 'superposed';

/** Thresholds of {@link classifyFeatures}. */
export interface ClassifyOptions {
  /** A feature with ‖W_i‖ below this is 'not learned' (default 0.5, as in the paper's counts). */
  normThreshold?: number;
  /**
   * A learned feature is 'superposed' when its superposition Σ_{j≠i}(Ŵ_i·W_j)², counting only learned
   * features j, exceeds this (default 0.1), else 'dedicated'.
   */
  interferenceThreshold?: number;
}

/**
 * Classify every feature of a trained toy model (W n×m) as 'not learned' (‖W_i‖ < normThreshold),
 * 'dedicated' (learned, interference with the other learned features ≤ interferenceThreshold) or
 * 'superposed'. For the n=2, m=1 phase diagram, feature 2 of W=[1,0] is not learned, of [0,1] dedicated,
 * of [1,−1] superposed.
 */
export function classifyFeatures(W: MatrixLike, opts: ClassifyOptions = {}): FeatureRepresentation[] {
  const tn = checkNumber('normThreshold', opts.normThreshold ?? 0.5, 0);
  const ti = checkNumber('interferenceThreshold', opts.interferenceThreshold ?? 0.1, 0);
  const g = featureGram(W);
  const n = g.rows;
  const norms = Array.from({ length: n }, (_, i) => Math.sqrt(g.data[i * n + i]));
  return norms.map((ni, i) => {
    if (ni < tn) return 'not learned';
    let s = 0;
    for (let j = 0; j < n; j++) if (j !== i && norms[j] >= tn) s += g.data[i * n + j] ** 2;
    return s / (ni * ni) > ti ? 'superposed' : 'dedicated';
  });
}

/** Number of features with ‖W_i‖ > `threshold` (default 0.5). */
export function countRepresented(W: MatrixLike, threshold = 0.5): number {
  return Array.from(featureNorms(W)).filter((v) => v > threshold).length;
}

/** One row of {@link fractionLines}. */
export interface FractionLineRow {
  /** The fraction, e.g. 2/5. */
  fraction: number;
  /** Its name, e.g. '2/5'. */
  label: string;
  /** Features with |D_i − fraction| ≤ tol. */
  count: number;
  /** Mean count in the same-width windows at the control offsets (nearby values). */
  control: number;
}

/**
 * Do the published dimensionality "lines" exist? For each fraction (default 3/4, 2/3, 1/2, 2/5, 3/8),
 * count features whose dimensionality lies within ±tol (default 0.005) and compare with the mean count in
 * windows of the same width — a line exists when count ≫ control. The control windows are centred at
 * fraction ± each offset (default 0.02, 0.03), or with `between: true` half-way to the neighbouring fractions
 * (the lowest and highest fraction mirror their one neighbour's distance), so that no control window lies on
 * another line (2/5 and 3/8 are only 0.025 apart: an offset of 0.02 from one lands on the other).
 */
export function fractionLines(dims: ArrayLike<number>, opts: { fractions?: [number, number][]; tol?: number; offsets?: number[]; between?: boolean } = {}): FractionLineRow[] {
  const fr = opts.fractions ?? [[3, 4], [2, 3], [1, 2], [2, 5], [3, 8]];
  const tol = checkNumber('tol', opts.tol ?? 0.005, 0);
  const offsets = opts.offsets ?? [0.02, 0.03];
  const within = (c: number): number => {
    let k = 0;
    for (let i = 0; i < dims.length; i++) if (Math.abs(dims[i] - c) <= tol) k++;
    return k;
  };
  const values = fr.map(([a, b]) => a / b);
  const sorted = [...new Set(values)].sort((x, y) => x - y);
  const betweenCentres = (f: number): number[] => {
    const k = sorted.indexOf(f);
    if (sorted.length < 2) throw new ValueError('fractionLines: `between` needs at least two distinct fractions');
    const lo = k > 0 ? sorted[k - 1] : 2 * f - sorted[k + 1];
    const hi = k < sorted.length - 1 ? sorted[k + 1] : 2 * f - sorted[k - 1];
    const centres = [(lo + f) / 2, (f + hi) / 2];
    if (centres.some((c) => Math.abs(c - f) <= 2 * tol)) {
      throw new ValueError(`fractionLines: tol ${tol} is too wide for control windows between the fractions (${f} has a neighbour within ${(4 * tol).toFixed(3)}); use a smaller tol`);
    }
    return centres;
  };
  return fr.map(([a, b]) => {
    const f = a / b;
    const centres = opts.between ? betweenCentres(f) : offsets.flatMap((o) => [f - o, f + o]);
    const ctl = centres.map(within);
    return { fraction: f, label: `${a}/${b}`, count: within(f), control: ctl.reduce((s, c) => s + c, 0) / Math.max(ctl.length, 1) };
  });
}
