/**
 * A frozen invertible nonlinear mixing g: z ↦ x, a leaky-ReLU MLP with well-conditioned layers, as in
 * the identifiability literature (Zimmermann et al. 2021; Reizinger et al. 2025).
 *
 * Layer l: x ← σ(x·A_l + c_l) with σ = leaky ReLU (slope `slope`, invertible for slope > 0) on every
 * layer but the last (linear). A_l = U·diag(s)·V with U, V random orthogonal and singular values s
 * log-uniform in [1/√cond, √cond], so every layer's condition number is at most `cond`. The first layer
 * may widen (n → d ≥ n, injective); the other layers are d×d.
 */
import { Rng } from '../core/rng';
import { Matrix, MatrixLike, matrix } from '../core/matrix';
import { checkInt, checkMatrix, checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';

/** A frozen mixing network (plain data; JSON-serialisable after Array.from). */
export interface Mixing {
  /** Latent dimension n. */
  inDim: number;
  /** Observed dimension d. */
  outDim: number;
  /** Leaky-ReLU negative slope. */
  slope: number;
  /** Layers: weights A (in×out, applied as x·A) and bias c (length out). */
  layers: { A: Matrix<Float64Array>; c: Float64Array }[];
}

/** Options of {@link createMixing}. */
export interface MixingOptions {
  /** Latent dimension n. */
  inDim: number;
  /** Observed dimension d ≥ n (default n). */
  outDim?: number;
  /** Number of layers (default 4). */
  layers?: number;
  /** Leaky-ReLU slope in (0, 1] (default 0.2). */
  slope?: number;
  /** Upper bound on each layer's condition number (default 3). */
  cond?: number;
  /** Std of the biases (default 0: g is then positively homogeneous). */
  biasStd?: number;
  seed: number;
}

/** A random d×d orthogonal matrix (Gram–Schmidt on a Gaussian matrix, twice for accuracy), row-major float64. */
export function randomOrthogonal(d: number, rng: Rng): Float64Array {
  const q = rng.fillNormal(new Float64Array(d * d));
  for (let i = 0; i < d; i++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < i; k++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += q[i * d + j] * q[k * d + j];
        for (let j = 0; j < d; j++) q[i * d + j] -= dot * q[k * d + j];
      }
    }
    let s = 0;
    for (let j = 0; j < d; j++) s += q[i * d + j] ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) q[i * d + j] *= inv;
  }
  return q;
}

/** Make a frozen random invertible mixing g (see the module comment). */
export function createMixing(opts: MixingOptions): Mixing {
  const n = checkInt('inDim', opts.inDim, 1);
  const d = checkInt('outDim', opts.outDim ?? n, n);
  const L = checkInt('layers', opts.layers ?? 4, 1);
  const slope = checkNumber('slope', opts.slope ?? 0.2, 1e-6, 1);
  const cond = checkNumber('cond', opts.cond ?? 3, 1);
  const biasStd = checkNumber('biasStd', opts.biasStd ?? 0, 0);
  const rng = new Rng(checkInt('seed', opts.seed, 0));
  const layers: Mixing['layers'] = [];
  for (let l = 0; l < L; l++) {
    const rIn = l === 0 ? n : d;
    const U = randomOrthogonal(rIn, rng), V = randomOrthogonal(d, rng);
    const k = Math.min(rIn, d);
    const s = Array.from({ length: k }, () => Math.exp((rng.uniform() - 0.5) * Math.log(cond)));
    // A = U (rIn×rIn) · diag(s) (rIn×d, zero-padded) · V (d×d)
    const A = new Float64Array(rIn * d);
    for (let i = 0; i < rIn; i++) {
      for (let j = 0; j < d; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += U[i * rIn + p] * s[p] * V[p * d + j];
        A[i * d + j] = acc;
      }
    }
    const c = new Float64Array(d);
    if (biasStd > 0) rng.fillNormal(c, 0, biasStd);
    layers.push({ A: matrix(rIn, d, A), c });
  }
  return { inDim: n, outDim: d, slope, layers };
}

/** x = g(z) for every row: Z is B×n, result B×d (float32). */
export function applyMixing(g: Mixing, Z: MatrixLike): Matrix<Float32Array> {
  const z = checkMatrix('Z (latents, B×n)', Z, { cols: g.inDim, names: ['B', 'n'] });
  const B = z.rows;
  let cur = Float64Array.from(z.data);
  let w = g.inDim;
  g.layers.forEach((layer, l) => {
    const d = layer.A.cols;
    const next = new Float64Array(B * d);
    const last = l === g.layers.length - 1;
    for (let i = 0; i < B; i++) {
      for (let j = 0; j < d; j++) {
        let acc = layer.c[j];
        for (let p = 0; p < w; p++) acc += cur[i * w + p] * layer.A.data[p * d + j];
        next[i * d + j] = last || acc >= 0 ? acc : g.slope * acc;
      }
    }
    cur = next;
    w = d;
  });
  return matrix(B, w, Float32Array.from(cur));
}

/** z = g⁻¹(x) for a square mixing (inDim = outDim); X is B×d. Solves each layer by Gaussian elimination. */
export function invertMixing(g: Mixing, X: MatrixLike): Matrix<Float32Array> {
  if (g.inDim !== g.outDim) throw new ValueError(`invertMixing: only square mixings are invertible here (n=${g.inDim}, d=${g.outDim})`);
  const x = checkMatrix('X (observations, B×d)', X, { cols: g.outDim, names: ['B', 'd'] });
  const d = g.outDim, B = x.rows;
  const cur = Float64Array.from(x.data);
  for (let l = g.layers.length - 1; l >= 0; l--) {
    const { A, c } = g.layers[l];
    const last = l === g.layers.length - 1;
    // rows: x_out = σ(x_in A + c)  →  x_in = (σ⁻¹(x_out) − c) A⁻¹ ; solve Aᵀ x_inᵀ = (…)ᵀ
    const At = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) At[j * d + i] = A.data[i * d + j];
    const rhs = new Float64Array(d);
    for (let i = 0; i < B; i++) {
      for (let j = 0; j < d; j++) {
        const y = cur[i * d + j];
        rhs[j] = (last || y >= 0 ? y : y / g.slope) - c[j];
      }
      const sol = solveDense(At, rhs, d);
      cur.set(sol, i * d);
    }
  }
  return matrix(B, d, Float32Array.from(cur));
}

/** Solve M·x = r for a dense d×d M (row-major, not modified) by Gaussian elimination with partial pivoting. */
export function solveDense(M: Float64Array, r: Float64Array, d: number): Float64Array {
  const a = M.slice(), b = r.slice();
  for (let k = 0; k < d; k++) {
    let piv = k;
    for (let i = k + 1; i < d; i++) if (Math.abs(a[i * d + k]) > Math.abs(a[piv * d + k])) piv = i;
    if (a[piv * d + k] === 0) throw new ValueError('solveDense: matrix is singular');
    if (piv !== k) {
      for (let j = 0; j < d; j++) { const t = a[k * d + j]; a[k * d + j] = a[piv * d + j]; a[piv * d + j] = t; }
      const t = b[k]; b[k] = b[piv]; b[piv] = t;
    }
    for (let i = k + 1; i < d; i++) {
      const f = a[i * d + k] / a[k * d + k];
      if (f === 0) continue;
      for (let j = k; j < d; j++) a[i * d + j] -= f * a[k * d + j];
      b[i] -= f * b[k];
    }
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < d; j++) s -= a[i * d + j] * b[j];
    b[i] = s / a[i * d + i];
  }
  return b;
}
