/**
 * Linear identifiability: is a representation a linear function of the true latents? R² of a ridge
 * read-out on held-out data against a k-NN (nonlinear) read-out, MCC after the linear map, CCA and
 * orthogonal Procrustes alignment.
 */
import { Matrix, MatrixLike, matrix, selectRows } from '../core/matrix';
import { checkInt, checkNumber } from '../core/validate';
import { ShapeError, ValueError } from '../core/errors';
import { checkMatrix64 } from './input';
import { columnsAsRows, dotRows } from './vectors';
import { cholesky, solveLower, svd } from '../core/decompositions';
import { KnnRegressor, RidgeRegression } from './regression';
import { r2Unchecked } from './reconstruction';
import { mcc } from './mcc';
import { trainTestSplit } from './split';

function checkRepLatents(fn: string, rep: MatrixLike, latents: MatrixLike): [Matrix, Matrix] {
  const Y = checkMatrix64(`${fn}: rep (B×M representation)`, rep, { names: ['B', 'M'] });
  const Z = checkMatrix64(`${fn}: latents (B×N true latents)`, latents, { names: ['B', 'N'] });
  if (Y.rows !== Z.rows) {
    throw new ShapeError(`${fn}: rep has ${Y.rows} samples (rows) but latents has ${Z.rows}; pass the representation and latents of the same samples`);
  }
  return [Y, Z];
}

/** Options of {@link linearIdentifiability}. */
export interface IdentifiabilityOptions {
  /** Fraction of samples used to fit the read-outs (default 0.5, as Reizinger et al.); the rest scores them. */
  trainFraction?: number;
  /** Ridge penalty (absolute, scikit-learn semantics; default 1e-3 — tiny next to B·var). */
  alpha?: number;
  /** Neighbours of the k-NN baseline (default 5). */
  k?: number;
  /** Seed of the train/test split (default 0). */
  seed?: number;
  /** Skip the k-NN baseline (it costs O(B²·M)). Default false. */
  skipKnn?: boolean;
}

/** Result of {@link linearIdentifiability}; all R² are scikit-learn r2_score (uniform average over latents) on held-out samples. */
export interface IdentifiabilityResult {
  /** Held-out R² of the ridge map rep → latents. */
  r2Linear: number;
  /** Held-out R² per latent dimension (length N). */
  r2LinearPerLatent: Float64Array;
  /** Held-out R² of k-NN regression rep → latents (NaN if skipped): if it clearly beats r2Linear, the relation is nonlinear. */
  r2Knn: number;
  /** MCC (Pearson) between held-out latents and their linear prediction: are latents recovered one-to-one after the map? */
  mccLinear: number;
  /** Train-set R² of the ridge map (for spotting overfitting). */
  r2LinearTrain: number;
  nTrain: number;
  nTest: number;
}

/**
 * Linear identifiability of latents `latents` (B×N) from a representation `rep` (B×M), following
 * Reizinger et al. (ICLR 2025): fit a linear map rep → latents (ridge with intercept) on a seeded
 * random half of the samples, report R² on the other half. A k-NN regressor on the same split is the
 * nonlinear baseline, so that "linear is enough" is shown rather than assumed (k-NN R² ≈ linear R²:
 * no nonlinear information left; k-NN ≫ linear: identifiable only nonlinearly). R² of 1 means an
 * exact affine map; 0 means no better than the mean.
 */
export function linearIdentifiability(rep: MatrixLike, latents: MatrixLike, opts: IdentifiabilityOptions = {}): IdentifiabilityResult {
  const [Y, Z] = checkRepLatents('linearIdentifiability', rep, latents);
  const alpha = checkNumber('linearIdentifiability: alpha', opts.alpha ?? 1e-3, 0);
  const k = checkInt('linearIdentifiability: k', opts.k ?? 5, 1);
  const split = trainTestSplit(Y.rows, opts.trainFraction ?? 0.5, opts.seed ?? 0);
  const yTr = selectRows(Y, split.train), yTe = selectRows(Y, split.test);
  const zTr = selectRows(Z, split.train), zTe = selectRows(Z, split.test);
  const ridge = new RidgeRegression({ alpha }).fit(yTr, zTr);
  const predTe = ridge.predict(yTe);
  const perLatent = r2Unchecked(zTe, predTe, 'raw_values') as Float64Array;
  let r2Knn = NaN;
  if (!opts.skipKnn) {
    if (split.train.length < k) throw new ValueError(`linearIdentifiability: k = ${k} neighbours but only ${split.train.length} training samples`);
    r2Knn = r2Unchecked(zTe, new KnnRegressor({ k }).fit(yTr, zTr).predict(yTe), 'uniform_average') as number;
  }
  return {
    r2Linear: perLatent.reduce((s, v) => s + v, 0) / perLatent.length,
    r2LinearPerLatent: perLatent,
    r2Knn,
    mccLinear: zTe.rows >= 2 ? mcc(zTe, predTe).mcc : NaN,
    r2LinearTrain: r2Unchecked(zTr, ridge.predict(yTr), 'uniform_average') as number,
    nTrain: split.train.length,
    nTest: split.test.length,
  };
}

function centredColumns(m: Matrix): Float64Array {
  const t = columnsAsRows(m);
  for (let j = 0; j < m.cols; j++) {
    let mu = 0;
    for (let i = 0; i < m.rows; i++) mu += t[j * m.rows + i];
    mu /= m.rows;
    for (let i = 0; i < m.rows; i++) t[j * m.rows + i] -= mu;
  }
  return t;
}

/**
 * Canonical correlations between `x` (B×p) and `y` (B×q): the min(p, q) correlations, descending, of
 * the pairs of linear combinations (xa, yb) found by CCA. All 1 when y is an invertible linear image of
 * x (and p = q); invariant to invertible linear maps of either side. Computed as the singular values of
 * Lx⁻¹·Cxy·Ly⁻ᵀ with Cxx + eps·I = Lx·Lxᵀ (Cholesky), likewise for y, on centred data. `eps`
 * (default 0; absolute, added to the sums of squares) regularises rank-deficient inputs.
 */
export function canonicalCorrelations(x: MatrixLike, y: MatrixLike, opts: { eps?: number } = {}): Float64Array {
  const X = checkMatrix64('canonicalCorrelations: x (B×p)', x, { names: ['B', 'p'] });
  const Y = checkMatrix64('canonicalCorrelations: y (B×q)', y, { names: ['B', 'q'] });
  if (X.rows !== Y.rows) throw new ShapeError(`canonicalCorrelations: x has ${X.rows} samples but y has ${Y.rows}; one row per sample in both`);
  const eps = checkNumber('canonicalCorrelations: eps', opts.eps ?? 0, 0);
  const B = X.rows, p = X.cols, q = Y.cols;
  if (B <= Math.max(p, q)) throw new ValueError(`canonicalCorrelations: need more samples (${B}) than dimensions (${p}, ${q})`);
  const xt = centredColumns(X), yt = centredColumns(Y);
  const Cxx = dotRows(xt, p, xt, p, B), Cyy = dotRows(yt, q, yt, q, B);
  for (let j = 0; j < p; j++) Cxx[j * p + j] += eps;
  for (let j = 0; j < q; j++) Cyy[j * q + j] += eps;
  let Lx: Float64Array, Ly: Float64Array;
  try {
    Lx = cholesky(Cxx, p); Ly = cholesky(Cyy, q);
  } catch {
    throw new ValueError('canonicalCorrelations: a covariance matrix is singular (constant or collinear columns); pass eps > 0');
  }
  // K = Lx⁻¹ · Cxy · Ly⁻ᵀ ; Kᵀ = Ly⁻¹ · Cyx · Lx⁻ᵀ.
  const K = dotRows(xt, p, yt, q, B); // Cxy p×q
  solveLower(Lx, p, K, q); // Lx⁻¹ Cxy
  const Kt = new Float64Array(q * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) Kt[j * p + i] = K[i * q + j];
  solveLower(Ly, q, Kt, p); // Ly⁻¹ (Lx⁻¹ Cxy)ᵀ = Kᵀ
  const s = svd(Kt, q, p).s;
  for (let i = 0; i < s.length; i++) s[i] = Math.min(1, s[i]);
  return s;
}

/** Result of {@link orthogonalProcrustes}. */
export interface ProcrustesResult {
  /** Orthogonal R (n×n) minimising ‖A·R − B‖_F. */
  rotation: Matrix<Float64Array>;
  /** Sum of singular values of AᵀB (scipy's `scale`); the optimal isotropic scale is scale/‖A‖²_F. */
  scale: number;
  /** ‖A·R − B‖_F. */
  residual: number;
  /** 1 − ‖s·A·R − B‖² / ‖B‖² with the optimal scale s (no centring): share of B explained by a rotated, scaled A. */
  fit: number;
}

/**
 * Orthogonal Procrustes, as `scipy.linalg.orthogonal_procrustes(A, B)`: the orthogonal n×n matrix R
 * minimising ‖A·R − B‖_F for A, B both B×n, R = U·Vᵀ from the SVD AᵀB = U·S·Vᵀ. Use it to test
 * whether a representation equals the latents up to a rotation (the stronger-than-linear case). Centre
 * the inputs first if offsets should not count.
 */
export function orthogonalProcrustes(a: MatrixLike, b: MatrixLike): ProcrustesResult {
  const A = checkMatrix64('orthogonalProcrustes: a (B×n)', a, { names: ['B', 'n'] });
  const Bm = checkMatrix64('orthogonalProcrustes: b (B×n)', b, { names: ['B', 'n'] });
  if (A.rows !== Bm.rows || A.cols !== Bm.cols) throw new ShapeError(`orthogonalProcrustes: a is ${A.rows}×${A.cols} but b is ${Bm.rows}×${Bm.cols}; they must have the same shape`);
  const n = A.cols, B = A.rows;
  const at = columnsAsRows(A), bt = columnsAsRows(Bm);
  const M = dotRows(at, n, bt, n, B); // AᵀB, n×n
  const { u, s, v } = svd(M, n, n);
  const R = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let t = 0;
    for (let k = 0; k < n; k++) t += u[i * n + k] * v[j * n + k];
    R[i * n + j] = t;
  }
  const scale = s.reduce((x, y) => x + y, 0);
  let res2 = 0, nA = 0, nB = 0;
  for (let r = 0; r < B; r++) {
    for (let j = 0; j < n; j++) {
      let t = 0;
      for (let k = 0; k < n; k++) t += A.data[r * n + k] * R[k * n + j];
      const bv = Bm.data[r * n + j];
      res2 += (t - bv) ** 2;
      nB += bv * bv;
    }
    for (let k = 0; k < n; k++) nA += A.data[r * n + k] ** 2;
  }
  // With optimal scale s* = scale/‖A‖², ‖s*AR − B‖² = ‖B‖² − scale²/‖A‖².
  const fit = nB > 0 && nA > 0 ? (scale * scale) / nA / nB : 0;
  return { rotation: matrix(n, n, R), scale, residual: Math.sqrt(res2), fit };
}
