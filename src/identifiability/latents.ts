/**
 * Latent distributions for identifiability experiments. Every sampler returns a B×n float32 matrix
 * (one latent vector per row) and draws only from the given {@link Rng}.
 */
import { Rng } from '../core/rng';
import { Matrix, matrix } from '../core/matrix';
import { checkInt, checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';

/** B points uniform on the unit sphere S^{n−1} (normalised Gaussians). B×n. */
export function sampleSphere(B: number, n: number, rng: Rng): Matrix<Float32Array> {
  checkInt('B', B, 0); checkInt('n', n, 1);
  const out = new Float32Array(B * n);
  const g = new Float64Array(n);
  for (let i = 0; i < B; i++) {
    let s = 0;
    do {
      s = 0;
      for (let j = 0; j < n; j++) { g[j] = rng.normal(); s += g[j] * g[j]; }
    } while (s === 0);
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < n; j++) out[i * n + j] = g[j] * inv;
  }
  return matrix(B, n, out);
}

/** B points uniform in the box [lo, hi]^n. B×n. */
export function sampleBox(B: number, n: number, rng: Rng, lo = -1, hi = 1): Matrix<Float32Array> {
  checkInt('B', B, 0); checkInt('n', n, 1);
  if (!(hi > lo)) throw new ValueError(`sampleBox: need hi > lo, got [${lo}, ${hi}]`);
  return matrix(B, n, rng.fillUniform(new Float32Array(B * n), lo, hi));
}

/** B standard Gaussian vectors N(0, I_n). B×n. */
export function sampleGaussian(B: number, n: number, rng: Rng): Matrix<Float32Array> {
  checkInt('B', B, 0); checkInt('n', n, 1);
  return matrix(B, n, rng.fillNormal(new Float32Array(B * n)));
}

/**
 * B sparse non-negative codes: exactly K of n entries active (support uniform at random), active values
 * |N(0,1)| (the amortisation-gap set-up) or U[lo, 1] with `values: 'uniform'`. B×n.
 */
export function sampleSparseNonneg(B: number, n: number, K: number, rng: Rng,
  values: 'halfnormal' | 'uniform' = 'halfnormal', lo = 0.1): Matrix<Float32Array> {
  checkInt('B', B, 0); checkInt('n', n, 1); checkInt('K (active per sample)', K, 0, n);
  const out = new Float32Array(B * n);
  for (let i = 0; i < B; i++) {
    const supp = rng.choice(n, K);
    for (let k = 0; k < K; k++) out[i * n + supp[k]] = values === 'uniform' ? rng.uniformIn(lo, 1) : Math.abs(rng.normal());
  }
  return matrix(B, n, out);
}

/** Gamma(a, 1) by Marsaglia–Tsang (with the U^{1/a} boost for a < 1). */
function gamma(a: number, rng: Rng): number {
  if (a < 1) return gamma(a + 1, rng) * Math.pow(rng.uniform() || Number.MIN_VALUE, 1 / a);
  const d = a - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do { x = rng.normal(); v = 1 + c * x; } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * Exact samples from the von Mises–Fisher distribution on S^{d−1} with mean direction `mu` (length d,
 * normalised here) and concentration κ ≥ 0, by Wood's (1994) rejection algorithm for the component
 * along μ and a uniform tangent direction. Returns count×d.
 */
export function sampleVmf(mu: ArrayLike<number>, kappa: number, count: number, rng: Rng): Matrix<Float32Array> {
  const d = mu.length;
  checkInt('mu length (d)', d, 2);
  checkNumber('kappa', kappa, 0);
  checkInt('count', count, 0);
  let nm = 0;
  for (let j = 0; j < d; j++) nm += mu[j] * mu[j];
  if (!(nm > 0) || !Number.isFinite(nm)) throw new ValueError('sampleVmf: mu must be a finite non-zero vector');
  const m = Float64Array.from(mu, (v) => v / Math.sqrt(nm));
  const out = new Float32Array(count * d);
  const dm1 = d - 1;
  const b = dm1 / (2 * kappa + Math.sqrt(4 * kappa * kappa + dm1 * dm1)); // = (−2κ + √(4κ²+(d−1)²))/(d−1), stable
  const x0 = (1 - b) / (1 + b);
  const c = kappa * x0 + dm1 * Math.log(1 - x0 * x0);
  const v = new Float64Array(d);
  for (let i = 0; i < count; i++) {
    let w: number;
    for (;;) {
      const g1 = gamma(dm1 / 2, rng), g2 = gamma(dm1 / 2, rng);
      const z = g1 / (g1 + g2);
      w = (1 - (1 + b) * z) / (1 - (1 - b) * z);
      const u = rng.uniform();
      if (kappa * w + dm1 * Math.log(1 - x0 * w) - c >= Math.log(u)) break;
    }
    // uniform direction orthogonal to mu
    let s: number;
    do {
      let dot = 0;
      for (let j = 0; j < d; j++) { v[j] = rng.normal(); dot += v[j] * m[j]; }
      s = 0;
      for (let j = 0; j < d; j++) { v[j] -= dot * m[j]; s += v[j] * v[j]; }
    } while (s < 1e-20);
    const r = Math.sqrt(Math.max(0, 1 - w * w)) / Math.sqrt(s);
    for (let j = 0; j < d; j++) out[i * d + j] = w * m[j] + r * v[j];
  }
  return matrix(count, d, out);
}

/** Latents and class labels drawn from a mixture of vMF clusters. */
export interface LabelledLatents {
  /** B×n latents. */
  z: Matrix<Float32Array>;
  /** Class of each row (0..C−1). */
  labels: Int32Array;
}

/**
 * Cluster-centric latents (Reizinger et al.): for each sample a class c uniform in 0..C−1, then
 * z ~ vMF(centres[c], κ). `centres` is C×n (unit rows, e.g. from {@link sampleSphere}).
 */
export function sampleVmfClusters(centres: Matrix, kappa: number, B: number, rng: Rng): LabelledLatents {
  const C = centres.rows, n = centres.cols;
  checkInt('B', B, 0);
  const labels = new Int32Array(B);
  const z = new Float32Array(B * n);
  for (let i = 0; i < B; i++) {
    const c = rng.int(C);
    labels[i] = c;
    const s = sampleVmf(centres.data.subarray(c * n, (c + 1) * n), kappa, 1, rng);
    z.set(s.data, i * n);
  }
  return { z: matrix(B, n, z), labels };
}

/**
 * Laplace-like clusters on the sphere (an ablation of the vMF assumption): z = normalise(centre_c + ε),
 * ε with i.i.d. Laplace(0, scale) entries. Same return as {@link sampleVmfClusters}.
 */
export function sampleLaplaceClusters(centres: Matrix, scale: number, B: number, rng: Rng): LabelledLatents {
  const C = centres.rows, n = centres.cols;
  checkNumber('scale', scale, 0);
  const labels = new Int32Array(B);
  const z = new Float32Array(B * n);
  const v = new Float64Array(n);
  for (let i = 0; i < B; i++) {
    const c = rng.int(C);
    labels[i] = c;
    let s = 0;
    for (let j = 0; j < n; j++) {
      const u = rng.uniform() - 0.5;
      v[j] = centres.data[c * n + j] - scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
      s += v[j] * v[j];
    }
    const inv = 1 / Math.sqrt(s || 1);
    for (let j = 0; j < n; j++) z[i * n + j] = v[j] * inv;
  }
  return { z: matrix(B, n, z), labels };
}
