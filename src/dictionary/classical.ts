/**
 * Classical dictionary learning with explicit sparse inference: alternate (1) codes for fixed D (OMP or
 * lasso, via `sparse/`) and (2) a dictionary update for fixed codes — MOD, Mairal-style block-coordinate
 * (online, on mini-batches with forgetting) or K-SVD — with dead/duplicate-atom replacement by the
 * worst-reconstructed samples' residuals. Shapes: X B×M, D N×M (unit-norm atoms in rows), Z B×N.
 */
import { Rng } from '../core/rng';
import { Matrix, matrix } from '../core/matrix';
import { checkInt, checkMatrix, checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';
import { createProgress } from '../core/progress';
import { inferCodes } from './inference';
import { readModelDir, writeModelDir } from './persist';
import { SparseCodes, blockCoordinateUpdate, codeStats, ksvdSweep, modUpdate, residual, toSparse } from './dl_updates';

/** Hyper-parameters of {@link DictionaryLearner}. */
export interface DictionaryLearnerConfig {
  /** N: number of atoms. */
  atoms: number;
  /** Dictionary update: 'mod' (default), 'online' (block-coordinate on mini-batches) or 'ksvd'. */
  update?: 'mod' | 'online' | 'ksvd';
  /** Sparse inference: 'omp' (default, needs k), 'lasso' or 'fista' (need lambda). */
  inference?: 'omp' | 'lasso' | 'fista';
  /** K for OMP (atoms per sample). */
  k?: number;
  /** λ for the lasso. */
  lambda?: number;
  /** Non-negative codes (default true). */
  nonneg?: boolean;
  /** Seed. */
  seed?: number;
}

/** Options of {@link DictionaryLearner.fit}. */
export interface DictionaryFitOptions {
  /** Outer iterations (default 30; for 'online', passes over the data). */
  iterations?: number;
  /** Mini-batch size for 'online' (default 1024). */
  batch?: number;
  /** Stop when FVU improves by less than this (relative) over `patience` iterations (default 1e-4, 3). */
  tol?: number;
  patience?: number;
  /** Replace unused or duplicated atoms (default true). */
  replaceDead?: boolean;
  /** Initial dictionary (N×M); default N distinct random samples, normalised. */
  init?: Matrix;
  progress?: boolean;
}

/** What fitting did. */
export interface DictionaryFitReport {
  iterations: number;
  seconds: number;
  samplesPerSecond: number;
  fvu: number;
  meanL0: number;
  /** Atoms unused by every sample at the end. */
  deadFraction: number;
  replaced: number;
  history: { iteration: number; fvu: number }[];
}

/** Classical dictionary learning (`fit` / `encode` / `decode`); `dictionary` is N×M. */
export class DictionaryLearner {
  readonly kind = 'dl' as const;
  readonly config: Required<DictionaryLearnerConfig>;
  /** N×M dictionary (float64 during fitting). */
  D = new Float64Array(0);
  dim = 0;
  report: DictionaryFitReport | null = null;

  constructor(cfg: DictionaryLearnerConfig) {
    checkInt('atoms (N)', cfg.atoms, 1);
    const inference = cfg.inference ?? 'omp';
    if (inference === 'omp' && !(cfg.k && cfg.k >= 1)) throw new ValueError('OMP inference needs k ≥ 1 (atoms per sample); pass { k: K } or use inference: \'lasso\'');
    this.config = {
      atoms: cfg.atoms, update: cfg.update ?? 'mod', inference, k: cfg.k ?? 0,
      lambda: checkNumber('lambda', cfg.lambda ?? 0.05, 0), nonneg: cfg.nonneg ?? true, seed: cfg.seed ?? 0,
    };
  }

  get features(): number { return this.config.atoms; }

  /** N×M dictionary, float32, unit-norm rows. */
  get dictionary(): Matrix<Float32Array> { return matrix(this.config.atoms, this.dim, Float32Array.from(this.D)); }

  private codes(X: Matrix): Matrix<Float32Array> {
    const c = this.config;
    return inferCodes(X, this.dictionary, { method: c.inference, k: c.k, lambda: c.lambda, nonneg: c.nonneg });
  }

  /** Learn D from X (B×M). */
  fit(Xin: Matrix | number[][], opts: DictionaryFitOptions = {}): DictionaryFitReport {
    const X = checkMatrix('X (data, B×M)', Xin, { names: ['B', 'M'] });
    const N = this.config.atoms, M = X.cols, B = X.rows;
    if (B < 2) throw new ValueError('X needs at least 2 samples');
    this.dim = M;
    const rng = new Rng(this.config.seed);
    const iters = checkInt('iterations', opts.iterations ?? 30, 1);
    const tol = opts.tol ?? 1e-4, patience = opts.patience ?? 3;
    const replace = opts.replaceDead ?? true;
    const D = new Float64Array(N * M);
    if (opts.init) {
      D.set(checkMatrix('init (N×M)', opts.init, { rows: N, cols: M, names: ['N', 'M'] }).data);
    } else {
      const pick = B >= N ? rng.choice(B, N) : null;
      for (let i = 0; i < N; i++) {
        if (pick) D.set(X.data.subarray(pick[i] * M, (pick[i] + 1) * M), i * M);
        else for (let c = 0; c < M; c++) D[i * M + c] = rng.normal();
      }
    }
    normalise(D, N, M, rng);
    this.D = D;
    let total = 0;
    for (let i = 0; i < X.data.length; i++) total += X.data[i] ** 2; // FVU uses centred variance below
    const mean = new Float64Array(M);
    for (let b = 0; b < B; b++) for (let c = 0; c < M; c++) mean[c] += X.data[b * M + c] / B;
    let varSum = 0;
    for (let b = 0; b < B; b++) for (let c = 0; c < M; c++) varSum += (X.data[b * M + c] - mean[c]) ** 2;
    void total;
    const prog = createProgress({ total: iters, label: `DL-${this.config.update}`, unit: 'its', enabled: opts.progress ?? true });
    const history: { iteration: number; fvu: number }[] = [];
    const t0 = performance.now();
    let best = Infinity, bad = 0, it = 0, replaced = 0, fvu = NaN, l0 = NaN, dead = 0;
    const bs = Math.min(opts.batch ?? 1024, B);
    const stats = { A: new Float64Array(N * N), C: new Float64Array(N * M) };
    for (it = 0; it < iters; it++) {
      if (this.config.update === 'online') {
        const perm = rng.permutation(B);
        for (let s = 0; s + bs <= B; s += bs) {
          const idx = perm.subarray(s, s + bs);
          const Xb = matrix(bs, M, new Float32Array(bs * M));
          for (let r = 0; r < bs; r++) Xb.data.set(X.data.subarray(idx[r] * M, (idx[r] + 1) * M), r * M);
          const zb = toSparse(this.codes(Xb).data, bs, N);
          const t = it * B + s + bs;
          const beta = Math.pow(1 - bs / Math.max(t, bs), 1); // Mairal's forgetting: old stats weigh (1 − 1/t)
          for (let q = 0; q < stats.A.length; q++) stats.A[q] *= beta;
          for (let q = 0; q < stats.C.length; q++) stats.C[q] *= beta;
          codeStats(zb, Xb.data, M, stats);
          blockCoordinateUpdate(D, stats.A, stats.C, N, M, 1);
        }
      }
      const Z = this.codes(X);
      const z = toSparse(Z.data, B, N);
      let R: Float64Array;
      if (this.config.update === 'mod') {
        D.set(modUpdate(z, X.data, M));
        normalise(D, N, M, null);
        R = residual(z, X.data, D, M);
      } else if (this.config.update === 'ksvd') {
        R = residual(z, X.data, D, M);
        ksvdSweep(D, z, R, M, this.config.nonneg);
      } else {
        R = residual(z, X.data, D, M);
      }
      let rs = 0;
      for (let q = 0; q < R.length; q++) rs += R[q] * R[q];
      fvu = rs / varSum;
      l0 = z.idx.length / B;
      dead = countUnused(z, N);
      if (replace && it < iters - 1) replaced += replaceAtoms(D, z, R, N, M, B);
      history.push({ iteration: it + 1, fvu });
      prog.update(it + 1, `fvu ${fvu.toFixed(4)} L0 ${l0.toFixed(2)}`);
      if (fvu < best * (1 - tol)) { best = fvu; bad = 0; } else if (++bad >= patience) { it++; break; }
    }
    if (it === iters) it = iters;
    const seconds = (performance.now() - t0) / 1000;
    prog.finish(`fvu ${fvu.toFixed(4)}`);
    this.report = { iterations: it, seconds, samplesPerSecond: (it * B) / seconds, fvu, meanL0: l0, deadFraction: dead / N, replaced, history };
    return this.report;
  }

  /** Codes Z (B×N) of X (B×M) by the configured sparse inference on the learned D. */
  encode(Xin: Matrix | number[][]): Matrix<Float32Array> {
    if (this.dim === 0) throw new ValueError('this DictionaryLearner has not been fitted or loaded; call fit(X) first');
    return this.codes(checkMatrix('X (data, B×M)', Xin, { cols: this.dim, names: ['B', 'M'] }));
  }

  /** Save to a directory: model.json + D.npy (N×M). */
  save(dir: string): void {
    if (this.dim === 0) throw new ValueError('nothing to save: fit(X) first');
    writeModelDir(dir, { kind: this.config.update === 'ksvd' ? 'ksvd' : 'dl', config: { ...this.config }, dim: this.dim,
      report: this.report ? { ...this.report, history: undefined } : undefined },
    { D: { shape: [this.config.atoms, this.dim], data: Float32Array.from(this.D) } });
  }

  /** Load a model saved with {@link DictionaryLearner.save}. */
  static load(dir: string): DictionaryLearner {
    const { meta, arrays } = readModelDir(dir);
    if (meta.kind !== 'dl' && meta.kind !== 'ksvd') throw new ValueError(`${dir}: model kind '${meta.kind}' is not a classical dictionary (dl/ksvd)`);
    const m = new DictionaryLearner(meta.config as unknown as DictionaryLearnerConfig);
    m.dim = meta.dim;
    m.D = Float64Array.from(arrays.D);
    return m;
  }

  /** X̂ = Z·D (B×M) from codes Z (B×N). */
  decode(Zin: Matrix | number[][]): Matrix<Float32Array> {
    const Z = checkMatrix('Z (codes, B×N)', Zin, { cols: this.config.atoms, names: ['B', 'N'] });
    const z = toSparse(Z.data, Z.rows, Z.cols);
    const R = residual(z, new Float64Array(Z.rows * this.dim), this.D, this.dim);
    const out = new Float32Array(R.length);
    for (let i = 0; i < R.length; i++) out[i] = -R[i];
    return matrix(Z.rows, this.dim, out);
  }
}

/** K-SVD: {@link DictionaryLearner} with the K-SVD update (OMP inference by default). */
export class KSvd extends DictionaryLearner {
  constructor(cfg: Omit<DictionaryLearnerConfig, 'update'>) { super({ ...cfg, update: 'ksvd' }); }
}

function normalise(D: Float64Array, N: number, M: number, rng: Rng | null): void {
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let c = 0; c < M; c++) s += D[i * M + c] ** 2;
    if (s <= 1e-20) {
      if (!rng) continue; // left as zero: replaced as dead
      for (let c = 0; c < M; c++) D[i * M + c] = rng.normal();
      i--; continue;
    }
    const inv = 1 / Math.sqrt(s);
    for (let c = 0; c < M; c++) D[i * M + c] *= inv;
  }
}

function countUnused(z: SparseCodes, N: number): number {
  const used = new Uint8Array(N);
  for (let p = 0; p < z.idx.length; p++) used[z.idx[p]] = 1;
  let u = 0;
  for (let i = 0; i < N; i++) if (!used[i]) u++;
  return u;
}

/**
 * Replace atoms that no sample uses, that are zero, or that nearly duplicate an earlier atom (|cos| > 0.99),
 * by the normalised residuals of the worst-reconstructed samples (one sample per atom). Returns the count.
 */
function replaceAtoms(D: Float64Array, z: SparseCodes, R: Float64Array, N: number, M: number, B: number): number {
  const used = new Int32Array(N);
  for (let p = 0; p < z.idx.length; p++) used[z.idx[p]]++;
  const bad: number[] = [];
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let c = 0; c < M; c++) s += D[i * M + c] ** 2;
    if (used[i] === 0 || s < 0.5) { bad.push(i); continue; }
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let c = 0; c < M; c++) dot += D[i * M + c] * D[j * M + c];
      if (Math.abs(dot) > 0.99) { bad.push(i); break; }
    }
  }
  if (bad.length === 0) return 0;
  const err = new Float64Array(B);
  for (let b = 0; b < B; b++) { let s = 0; for (let c = 0; c < M; c++) s += R[b * M + c] ** 2; err[b] = s; }
  const order = Array.from({ length: B }, (_, i) => i).sort((a, b) => err[b] - err[a]);
  let k = 0;
  for (const i of bad) {
    const b = order[k++ % B];
    const s = Math.sqrt(err[b]);
    if (s <= 1e-12) continue;
    for (let c = 0; c < M; c++) D[i * M + c] = R[b * M + c] / s;
    err[b] = 0;
  }
  return bad.length;
}
