/**
 * Notebook 06, step 4: the paper's Fig. 1 idea on real data — is a layer's response to a composite of two
 * images close to a weighted sum of its responses to the parts? Measured per pair against two controls
 * that keep the composite and replace the parts: random other images ('shuffled'), and other images of
 * the same two classes ('same classes').
 *
 * Responses are centred (the mean response over the images is subtracted) so that cosines measure the
 * direction of the deviation, not the shared positive offset of ReLU activations.
 */
import { Matrix, MatrixLike, matrix } from '../core/matrix';
import { Rng } from '../core/rng';
import { checkInt, checkMatrix } from '../core/validate';
import { ShapeError, ValueError } from '../core/errors';
import { BootstrapCi, bootstrapMeanCi } from '../metrics/bootstrap';

/** How two images are combined into one: pixel-wise maximum (overlay) or mean. */
export type CompositeMode = 'max' | 'mean';

/** Composite image(s): row-wise combination of a and b (same shape B×P). */
export function compositeImages(a: MatrixLike, b: MatrixLike, mode: CompositeMode = 'max'): Matrix<Float32Array> {
  const A = checkMatrix('a (B×P images)', a, { names: ['B', 'P'] });
  const B = checkMatrix('b (B×P images)', b, { rows: A.rows, cols: A.cols, names: ['B', 'P'] });
  if (mode !== 'max' && mode !== 'mean') throw new ValueError(`compositeImages: mode must be 'max' or 'mean', got '${String(mode)}'`);
  const out = new Float32Array(A.data.length);
  for (let i = 0; i < out.length; i++) out[i] = mode === 'max' ? Math.max(A.data[i], B.data[i]) : 0.5 * (A.data[i] + B.data[i]);
  return matrix(A.rows, A.cols, out);
}

/**
 * Fit y ≈ α·u + β·v by least squares (all length-M vectors) and return R² = 1 − ‖y − ŷ‖²/‖y‖² (y is
 * centred already, so ‖y‖² is its variance around the mean response) and cos(y, u + v).
 */
export function sumOfPartsFit(y: ArrayLike<number>, u: ArrayLike<number>, v: ArrayLike<number>): { alpha: number; beta: number; r2: number; cosine: number } {
  const M = y.length;
  if (u.length !== M || v.length !== M) throw new ShapeError(`sumOfPartsFit: lengths ${M}, ${u.length}, ${v.length} differ`);
  let uu = 0, vv = 0, uv = 0, yu = 0, yv = 0, yy = 0, ss = 0, ys = 0;
  for (let j = 0; j < M; j++) {
    uu += u[j] * u[j]; vv += v[j] * v[j]; uv += u[j] * v[j]; yu += y[j] * u[j]; yv += y[j] * v[j]; yy += y[j] * y[j];
    const s = u[j] + v[j];
    ss += s * s; ys += y[j] * s;
  }
  const det = uu * vv - uv * uv;
  let alpha: number, beta: number;
  if (Math.abs(det) > 1e-12 * Math.max(uu * vv, 1e-300)) { alpha = (yu * vv - yv * uv) / det; beta = (yv * uu - yu * uv) / det; }
  else { alpha = ss > 0 ? ys / ss : 0; beta = alpha; } // u ∥ v: one common weight
  let res = 0;
  for (let j = 0; j < M; j++) { const d = y[j] - alpha * u[j] - beta * v[j]; res += d * d; }
  return { alpha, beta, r2: yy > 0 ? 1 - res / yy : NaN, cosine: yy > 0 && ss > 0 ? ys / Math.sqrt(yy * ss) : NaN };
}

/** Options of {@link compositeTest}. */
export interface CompositeTestOptions {
  /** Pairs of images of different classes (default 500). */
  pairs?: number;
  mode?: CompositeMode;
  seed?: number;
}

/** One kind of pair in {@link CompositeTest}: per-pair R² and cosine, with bootstrap CIs of the means. */
export interface CompositeScores { r2: Float64Array; cosine: Float64Array; r2Ci: BootstrapCi; cosineCi: BootstrapCi }

/** Result of {@link compositeTest}. */
export interface CompositeTest {
  mode: CompositeMode;
  /** The pairs (indices into the images) and their composites' indices are pair k → (a[k], b[k]). */
  a: Int32Array;
  b: Int32Array;
  /** The composite's response against its own parts. */
  parts: CompositeScores;
  /** … against two random other images (the control). */
  shuffled: CompositeScores;
  /** … against two other images of the same two classes (the harder control). */
  sameClasses: CompositeScores;
  /** Fraction of pairs whose own parts fit better (R²) than the same-class control. */
  winsOverSameClasses: number;
}

/**
 * The composite test for a layer `respond(images B×P) → B×M` on `images` (B×P) with `labels` (B):
 * draws pairs (a, b) of different classes, composites c = combine(a, b), and fits the centred response
 * y(c) ≈ α·y(a) + β·y(b) — and the same with the parts replaced by controls. Seeded.
 */
export async function compositeTest(respond: (images: Matrix) => Promise<Matrix> | Matrix, images: MatrixLike, labels: ArrayLike<number>,
  o: CompositeTestOptions = {}): Promise<CompositeTest> {
  const X = checkMatrix('images (B×P)', images, { names: ['B', 'P'] });
  const B = X.rows, P = X.cols;
  if (labels.length !== B) throw new ShapeError(`compositeTest: ${B} images but ${labels.length} labels`);
  const pairs = checkInt('pairs', o.pairs ?? 500, 1);
  const mode = o.mode ?? 'max';
  const rng = new Rng(o.seed ?? 0);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < B; i++) { const l = labels[i]; if (!byClass.has(l)) byClass.set(l, []); byClass.get(l)!.push(i); }
  if (byClass.size < 2) throw new ValueError('compositeTest: the images must come from at least two classes');
  const a = new Int32Array(pairs), b = new Int32Array(pairs), ra = new Int32Array(pairs), rb = new Int32Array(pairs), ca = new Int32Array(pairs), cb = new Int32Array(pairs);
  const otherOf = (cls: number[], not: number[]): number => {
    if (cls.length <= not.length) return cls[rng.int(cls.length)];
    for (;;) { const q = cls[rng.int(cls.length)]; if (!not.includes(q)) return q; }
  };
  for (let k = 0; k < pairs; k++) {
    a[k] = rng.int(B);
    do b[k] = rng.int(B); while (labels[b[k]] === labels[a[k]]);
    do ra[k] = rng.int(B); while (ra[k] === a[k] || ra[k] === b[k]);
    do rb[k] = rng.int(B); while (rb[k] === a[k] || rb[k] === b[k] || rb[k] === ra[k]);
    ca[k] = otherOf(byClass.get(labels[a[k]])!, [a[k]]);
    cb[k] = otherOf(byClass.get(labels[b[k]])!, [b[k]]);
  }
  const rows = (idx: Int32Array) => {
    const out = new Float32Array(idx.length * P);
    idx.forEach((q, k) => out.set(X.data.subarray(q * P, (q + 1) * P), k * P));
    return matrix(idx.length, P, out);
  };
  const comp = compositeImages(rows(a), rows(b), mode);
  const Yall = await respond(X);
  const Yc = await respond(comp);
  if (Yall.rows !== B || Yc.rows !== pairs || Yc.cols !== Yall.cols) throw new ShapeError(`compositeTest: respond() must return one row per image (got ${Yall.rows} for ${B} images)`);
  const M = Yall.cols, mean = new Float64Array(M);
  for (let i = 0; i < B; i++) for (let j = 0; j < M; j++) mean[j] += Yall.data[i * M + j] / B;
  const centred = (Y: Matrix, i: number) => Float64Array.from({ length: M }, (_, j) => Y.data[i * M + j] - mean[j]);
  const score = (u: Int32Array, v: Int32Array, seed: number): CompositeScores => {
    const r2 = new Float64Array(pairs), cosine = new Float64Array(pairs);
    for (let k = 0; k < pairs; k++) {
      const f = sumOfPartsFit(centred(Yc, k), centred(Yall, u[k]), centred(Yall, v[k]));
      r2[k] = f.r2; cosine[k] = f.cosine;
    }
    return { r2, cosine, r2Ci: bootstrapMeanCi(r2, { seed }), cosineCi: bootstrapMeanCi(cosine, { seed: seed + 1 }) };
  };
  const parts = score(a, b, 1), shuffled = score(ra, rb, 3), sameClasses = score(ca, cb, 5);
  let wins = 0;
  for (let k = 0; k < pairs; k++) if (parts.r2[k] > sameClasses.r2[k]) wins++;
  return { mode, a, b, parts, shuffled, sameClasses, winsOverSameClasses: wins / pairs };
}
