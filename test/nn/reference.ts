/**
 * Float64 reference forward passes for the gradient checks of src/nn: plain loops written independently of the
 * float32 implementation (no shared code), differentiated by central finite differences in the tests.
 */

/** Row-major float64 matrix product (n×k)·(k×m). */
export function matmul(a: Float64Array, n: number, k: number, b: Float64Array, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) for (let j = 0; j < m; j++) c[i * m + j] += a[i * k + p] * b[p * m + j];
  return c;
}

/** Parameters of the reference MLP: per layer W (in×out), b, and optional batch-norm gamma and beta. */
export interface RefLayer { W: Float64Array; b: Float64Array; gamma?: Float64Array; beta?: Float64Array }

/** Training-mode forward (batch statistics, biased variance, ε 1e-5) of x (B×sizes[0]). */
export function mlpForward(layers: RefLayer[], sizes: number[], x: Float64Array, B: number, slope: number): Float64Array {
  let h = x;
  layers.forEach((L, l) => {
    const F = sizes[l + 1];
    const y = matmul(h, B, sizes[l], L.W, F);
    for (let r = 0; r < B; r++) for (let j = 0; j < F; j++) y[r * F + j] += L.b[j];
    if (l === layers.length - 1) { h = y; return; }
    if (L.gamma && L.beta) {
      for (let j = 0; j < F; j++) {
        let mu = 0, va = 0;
        for (let r = 0; r < B; r++) mu += y[r * F + j] / B;
        for (let r = 0; r < B; r++) va += (y[r * F + j] - mu) ** 2 / B;
        for (let r = 0; r < B; r++) y[r * F + j] = L.gamma[j] * (y[r * F + j] - mu) / Math.sqrt(va + 1e-5) + L.beta[j];
      }
    }
    h = y.map((v) => (v > 0 ? v : slope * v));
  });
  return h;
}

/** Mean softmax cross-entropy of logits (B×C) on labels. */
export function softmaxCe(z: Float64Array, B: number, C: number, labels: ArrayLike<number>): number {
  let s = 0;
  for (let r = 0; r < B; r++) {
    let e = 0;
    for (let j = 0; j < C; j++) e += Math.exp(z[r * C + j]);
    s += Math.log(e) - z[r * C + labels[r]];
  }
  return s / B;
}

/** Sigmoid cross-entropy summed over C, mean over B: −t·log σ(z) − (1−t)·log(1−σ(z)). */
export function sigmoidCe(z: Float64Array, B: number, C: number, t: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < B * C; i++) {
    const p = 1 / (1 + Math.exp(-z[i]));
    s += -t[i] * Math.log(p) - (1 - t[i]) * Math.log(1 - p);
  }
  return s / B;
}

/** Symmetric InfoNCE of f (2n×r): anchors rows 0…n−1, positives n…2n−1, normalised, temperature tau. */
export function infoNce(f: Float64Array, n: number, r: number, tau: number): number {
  const u = new Float64Array(f.length);
  for (let i = 0; i < 2 * n; i++) {
    let q = 0;
    for (let j = 0; j < r; j++) q += f[i * r + j] ** 2;
    for (let j = 0; j < r; j++) u[i * r + j] = f[i * r + j] / Math.sqrt(q + 1e-12);
  }
  const L = (i: number, j: number): number => { let s = 0; for (let k = 0; k < r; k++) s += u[i * r + k] * u[(n + j) * r + k]; return s / tau; };
  let rows = 0, cols = 0;
  for (let i = 0; i < n; i++) {
    let er = 0, ec = 0;
    for (let j = 0; j < n; j++) { er += Math.exp(L(i, j)); ec += Math.exp(L(j, i)); }
    rows += Math.log(er) - L(i, i);
    cols += Math.log(ec) - L(i, i);
  }
  return (rows + cols) / (2 * n);
}

/** Central finite-difference gradient of f with respect to the entries of v (changed and restored in place). */
export function numericGrad(v: Float64Array, f: () => number, h = 1e-6): Float64Array {
  const g = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const o = v[i];
    v[i] = o + h; const fp = f();
    v[i] = o - h; const fm = f();
    v[i] = o;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}
