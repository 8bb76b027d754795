/**
 * "SAE + inference": keep a learned (or oracle) dictionary and replace the amortised encoder by explicit
 * sparse inference (FISTA / lasso-CD / OMP from `sparse/`), optionally warm-started from the encoder's codes
 * (inference-time optimisation, ITO). With an SAE, its decoder bias is subtracted first: codes are inferred
 * for X − b_dec on D, and decode adds b_dec back. Shapes: X B×M, D N×M, Z B×N.
 */
import { Matrix, matrix } from '../core/matrix';
import { checkMatrix } from '../core/validate';
import { InferOptions, inferCodesResult } from './inference';

/** Anything with a dictionary and an optional decoder bias (SAEs, DL, encoders). */
export interface HasDictionary {
  readonly dictionary: Matrix;
  readonly bDec?: Float32Array;
  encode?(X: Matrix): Matrix;
}

/** Sparse inference on a fixed dictionary (`encode` / `decode`). */
export class DictionaryInference {
  readonly D: Matrix;
  readonly bias: Float32Array | null;
  readonly opts: InferOptions;
  /** Encoder used for warm starts (ITO), if any. */
  readonly warmStart: ((X: Matrix) => Matrix) | null;
  /** Iterations the solver used in the last encode. */
  lastIterations = 0;

  /**
   * @param D dictionary N×M (atoms in rows)
   * @param opts solver: { method: 'fista' | 'lasso' | 'omp', lambda | k, nonneg }
   * @param extra bias: M-vector subtracted before inference; warmStart: encoder giving initial codes
   */
  constructor(D: Matrix, opts: InferOptions, extra: { bias?: Float32Array; warmStart?: (X: Matrix) => Matrix } = {}) {
    this.D = checkMatrix('D (N×M dictionary)', D, { names: ['N', 'M'] });
    this.opts = opts;
    this.bias = extra.bias && extra.bias.some((v) => v !== 0) ? extra.bias : null;
    this.warmStart = extra.warmStart ?? null;
  }

  /**
   * From a trained model: its decoder (and decoder bias), with explicit inference; `ito: true` warm-starts
   * the lasso from the model's own codes.
   */
  static fromModel(model: HasDictionary, opts: InferOptions, ito = false): DictionaryInference {
    const enc = model.encode;
    return new DictionaryInference(model.dictionary, opts, {
      bias: model.bDec, warmStart: ito && enc ? (X: Matrix) => enc.call(model, X) : undefined,
    });
  }

  get features(): number { return this.D.rows; }
  get dictionary(): Matrix { return this.D; }

  /** Codes Z (B×N) of X (B×M). */
  encode(Xin: Matrix | number[][]): Matrix<Float32Array> {
    let X = checkMatrix('X (data, B×M)', Xin, { cols: this.D.cols, names: ['B', 'M'] });
    const init = this.warmStart && this.opts.method !== 'omp' ? this.warmStart(X) : undefined;
    if (this.bias) {
      const M = X.cols, b = this.bias, out = new Float32Array(X.rows * M);
      for (let r = 0; r < X.rows; r++) for (let j = 0; j < M; j++) out[r * M + j] = X.data[r * M + j] - b[j];
      X = matrix(X.rows, M, out);
    }
    const res = inferCodesResult(X, this.D, { ...this.opts, init: init ?? this.opts.init });
    this.lastIterations = res.iterations;
    return res.codes;
  }

  /** X̂ = Z·D (+ bias) (B×M). */
  decode(Zin: Matrix | number[][]): Matrix<Float32Array> {
    const Z = checkMatrix('Z (codes, B×N)', Zin, { cols: this.D.rows, names: ['B', 'N'] });
    const N = this.D.rows, M = this.D.cols, out = new Float32Array(Z.rows * M);
    for (let r = 0; r < Z.rows; r++) {
      for (let i = 0; i < N; i++) {
        const v = Z.data[r * N + i];
        if (v !== 0) for (let j = 0; j < M; j++) out[r * M + j] += v * this.D.data[i * M + j];
      }
      if (this.bias) for (let j = 0; j < M; j++) out[r * M + j] += this.bias[j];
    }
    return matrix(Z.rows, M, out);
  }
}
