/**
 * Recovery theory for the notebooks' plots: the Donoho–Tanner weak phase transition ρ(δ), mutual coherence,
 * and a Monte-Carlo lower bound on restricted isometry constants.
 */
import { ValueError } from '../core/errors';
import { erfc } from '../core/special';
import { gram } from '../compute/dense';
import { MatrixLike } from '../core/matrix';
import { Rng } from '../core/rng';
import { checkInt, checkMatrix, checkNoZeroRows, checkNumber } from '../core/validate';


/**
 * The Donoho–Tanner weak threshold ρ(δ) for ℓ1 recovery of K-sparse codes from M Gaussian measurements
 * (δ = M/N, ρ = K/M), equal to the minimax AMP threshold (Donoho, Maleki, Montanari 2009):
 * ρ(δ) = max_{t≥0} [1 − (κ/δ)ψ(t)] / [1 + t² − κψ(t)], ψ(t) = (1+t²)Φ(−t) − tφ(t), κ = 2 (signed) or 1 (non-negative).
 * @param delta undersampling ratio δ ∈ (0, 1]. @param kind 'signed' or 'nonneg'.
 * @returns ρ ∈ (0, 1]: ℓ1 recovers most K-sparse codes when K/M < ρ(M/N).
 */
export function donohoTannerRho(delta: number, kind: 'signed' | 'nonneg'): number {
  checkNumber('donohoTannerRho: delta', delta, 0, 1);
  if (!(delta > 0)) throw new ValueError('donohoTannerRho: delta must be > 0 (δ = M/N)');
  if (kind !== 'signed' && kind !== 'nonneg') throw new ValueError(`donohoTannerRho: kind must be 'signed' or 'nonneg', got '${String(kind)}'`);
  const kappa = kind === 'signed' ? 2 : 1;
  const f = (t: number): number => {
    const Phi = 0.5 * erfc(t / Math.SQRT2);
    const phi = Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
    const psi = (1 + t * t) * Phi - t * phi;
    const num = 1 - (kappa / delta) * psi, den = 1 + t * t - kappa * psi;
    // only points with both parts positive are admissible (at t = 0 the signed denominator vanishes)
    return num > 0 && den > 1e-9 ? num / den : 0;
  };
  // grid search, then golden-section refinement around the best grid point
  let bt = 0, bv = 0;
  for (let t = 0.01; t <= 12; t += 0.01) {
    const v = f(t);
    if (v > bv) { bv = v; bt = t; }
  }
  let a = Math.max(0, bt - 0.01), b = bt + 0.01;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i++) {
    const c = b - g * (b - a), d = a + g * (b - a);
    if (f(c) > f(d)) b = d; else a = c;
  }
  return Math.max(bv, f(0.5 * (a + b)));
}

/**
 * Mutual coherence μ(D) = max_{i≠j} |⟨d_i, d_j⟩| / (‖d_i‖‖d_j‖) of the atoms (rows) of D (N×M, N ≥ 2).
 * 0 for orthogonal atoms; at least √((N−M)/(M(N−1))) (Welch bound) when N > M.
 */
export function mutualCoherence(D: MatrixLike): number {
  const d = checkMatrix('mutualCoherence: D (dictionary, N×M)', D, { names: ['N', 'M'] });
  checkNoZeroRows('mutualCoherence: D', d);
  if (d.rows < 2) throw new ValueError(`mutualCoherence: D needs at least 2 atoms, got ${d.rows}`);
  const G = gram(d, { precision: 'float64' }).data, N = d.rows;
  let mu = 0;
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) {
      const v = Math.abs(G[i * N + j]) / Math.sqrt(G[i * N + i] * G[j * N + j]);
      if (v > mu) mu = v;
    }
  }
  return Math.min(1, mu);
}

/** Eigenvalues of a small symmetric matrix (cyclic Jacobi), ascending. */
export function symmetricEigenvalues(A: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(A);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  const ev = new Float64Array(n);
  for (let i = 0; i < n; i++) ev[i] = a[i * n + i];
  return ev.sort();
}

/** Result of {@link ripConstantEstimate}. */
export interface RipEstimate {
  /** Lower bound on δ_k: max over sampled supports of max(λ_max − 1, 1 − λ_min) of G_SS. */
  lower: number;
  /** Smallest and largest eigenvalue of G_SS seen. */
  minEigenvalue: number;
  maxEigenvalue: number;
  /** Supports sampled. */
  trials: number;
}

/**
 * Monte-Carlo lower bound on the restricted isometry constant δ_k of the atoms of D (N×M), i.e. of the
 * measurement matrix A = Dᵀ: the true δ_k is the max over all C(N,k) supports, so sampling `trials` random
 * supports S (|S| = k) and taking max(λ_max(G_SS) − 1, 1 − λ_min(G_SS)) bounds it from below. Atoms are
 * used as given (normalise them first for the usual definition).
 */
export function ripConstantEstimate(D: MatrixLike, k: number, opts: { trials: number; seed: number }): RipEstimate {
  const d = checkMatrix('ripConstantEstimate: D (dictionary, N×M)', D, { names: ['N', 'M'] });
  checkNoZeroRows('ripConstantEstimate: D', d);
  const N = d.rows, M = d.cols;
  if (Number.isInteger(k) && k > N) throw new ValueError(`ripConstantEstimate: k = ${k} exceeds the number of atoms N = ${N}`);
  checkInt('ripConstantEstimate: k', k, 1, N);
  const trials = checkInt('ripConstantEstimate: trials', opts?.trials, 1);
  const rng = new Rng(checkNumber('ripConstantEstimate: seed', opts?.seed));
  const GS = new Float64Array(k * k);
  let lo = Infinity, hi = -Infinity;
  for (let t = 0; t < trials; t++) {
    const S = rng.choice(N, k);
    for (let i = 0; i < k; i++) {
      for (let j = i; j < k; j++) {
        let s = 0;
        const a = S[i] * M, b = S[j] * M;
        for (let m = 0; m < M; m++) s += d.data[a + m] * d.data[b + m];
        GS[i * k + j] = s; GS[j * k + i] = s;
      }
    }
    const ev = symmetricEigenvalues(GS, k);
    lo = Math.min(lo, ev[0]); hi = Math.max(hi, ev[k - 1]);
  }
  return { lower: Math.max(hi - 1, 1 - lo, 0), minEigenvalue: lo, maxEigenvalue: hi, trials };
}

/**
 * The Donoho–Tanner boundary in feature count: the N* (real, ≥ M) at which (δ, ρ) = (M/N*, K/M) lies on the
 * non-negative (or signed) ℓ1 phase-transition curve, so cells with N < N* are inside the recovery region and
 * cells with N > N* outside. Bisection on δ (ρ(δ) increases with δ). Infinity if K/M is below the curve for
 * every δ tried (down to 1e-4); M if K/M is at or above ρ(δ → 1).
 */
export function dtMaxFeatures(m: number, k: number, kind: 'signed' | 'nonneg' = 'nonneg'): number {
  checkInt('m (dimension M)', m, 1);
  checkInt('k (active K)', k, 1);
  const rho = k / m;
  let lo = 1e-4, hi = 0.999;
  if (donohoTannerRho(lo, kind) > rho) return Infinity;
  if (donohoTannerRho(hi, kind) <= rho) return m;
  for (let it = 0; it < 60; it++) {
    const mid = 0.5 * (lo + hi);
    if (donohoTannerRho(mid, kind) > rho) hi = mid; else lo = mid;
  }
  return m / (0.5 * (lo + hi));
}
