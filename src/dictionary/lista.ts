/**
 * LISTA (Gregor & LeCun 2010): T unrolled ISTA iterations with learned weights,
 * z₀ = ReLU(x·W − θ), z_{t+1} = ReLU(x·W + z_t·S − θ) (non-negative soft threshold; weights shared across
 * iterations). Initialised as ISTA on the decoder D: W = Dᵀ/L, S = I − D·Dᵀ/L, θ = λ/L (L = ‖D·Dᵀ‖₂).
 */
import { mm, mmNT } from '../compute/dense';
import { denseBackward, transposeInto } from '../nn/dense';
import { leakyReluBackward, leakyReluForward } from '../nn/activations';
import { Workspace } from '../nn/workspace';
import { Rng } from '../core/rng';
import { matrix } from '../core/matrix';
import { gram, opNormSquared } from '../compute/dense';
import { readModelDir } from './persist';
import { AmortisedEncoder, ParamInit } from './amortised_base';

/** `new Lista(N, { iterations: T, lambda }, seed).fit(X, { decoder: D })`. */
export class Lista extends AmortisedEncoder {
  readonly kind = 'lista';
  readonly iterations: number;
  readonly initLambda: number;
  constructor(features: number, opts: { iterations?: number; lambda?: number } = {}, seed = 0) {
    super(features, seed);
    this.iterations = opts.iterations ?? 5;
    this.initLambda = opts.lambda ?? 0.01;
  }

  protected initParams(M: number, _rng: Rng, D0: Float32Array): Record<string, ParamInit> {
    const N = this.features;
    const G = gram(matrix(N, M, D0)).data;
    const L = Math.max(opNormSquared(matrix(N, M, D0)), 1e-6);
    const W = new Float32Array(M * N), S = new Float32Array(N * N), th = new Float32Array(N).fill(this.initLambda / L);
    for (let i = 0; i < N; i++) for (let j = 0; j < M; j++) W[j * N + i] = D0[i * M + j] / L;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) S[i * N + j] = (i === j ? 1 : 0) - G[i * N + j] / L;
    return { W: { shape: [M, N], data: W }, S: { shape: [N, N], data: S }, theta: { shape: [1, N], data: th } };
  }

  protected forward(x: Float32Array, B: number, p: Record<string, Float32Array>, ws: Workspace): Float32Array {
    const N = this.features, T = this.iterations, th = p.theta;
    // c = x·W − θ, z₀ = ReLU(c), z_{t+1} = ReLU(c + z_t·S); every z_t is kept for the backward pass
    const c = mm(x, B, this.dim, p.W, N, ws.scratch('lista.c', B * N));
    for (let b = 0; b < B; b++) for (let i = 0; i < N; i++) c[b * N + i] -= th[i];
    let z = leakyReluForward(c, 0, ws.scratch('lista.z0', B * N));
    for (let t = 1; t <= T; t++) {
      const zn = mm(z, B, N, p.S, N, ws.scratch(`lista.z${t}`, B * N));
      for (let i = 0; i < B * N; i++) zn[i] = Math.max(zn[i] + c[i], 0);
      z = zn;
    }
    return z;
  }

  protected backward(x: Float32Array, B: number, p: Record<string, Float32Array>, dz: Float32Array,
    grads: Record<string, Float32Array>, ws: Workspace): void {
    const N = this.features, M = this.dim, T = this.iterations;
    const dc = ws.scratch('lista.dc', B * N).fill(0), zT = ws.scratch('lista.zT', B * N), dS = ws.scratch('lista.dS', N * N);
    grads.S.fill(0);
    let d = dz;
    for (let t = T; t >= 0; t--) {
      leakyReluBackward(ws.scratch(`lista.z${t}`, B * N), d, 0, d);
      for (let i = 0; i < B * N; i++) dc[i] += d[i];
      if (t === 0) break;
      const prev = ws.scratch(`lista.z${t - 1}`, B * N);
      mm(transposeInto(prev, B, N, zT), N, B, d, N, dS);
      for (let i = 0; i < N * N; i++) grads.S[i] += dS[i];
      d = mmNT(d, B, N, p.S, N, ws.scratch(`lista.d${t % 2}`, B * N));
    }
    denseBackward(x, B, M, p.W, N, dc, grads.W, grads.theta, null);
    for (let i = 0; i < N; i++) grads.theta[i] = -grads.theta[i];
  }

  flopsPerSample(): number { return 2 * this.dim * this.features + this.iterations * 2 * this.features * this.features; }

  protected extraConfig(): Record<string, unknown> { return { iterations: this.iterations, lambda: this.initLambda }; }

  /** Load a LISTA encoder saved with `save(dir)`. */
  static load(dir: string): Lista {
    const { meta } = readModelDir(dir);
    const c = meta.config as { features: number; seed: number; iterations: number; lambda: number };
    return new Lista(c.features, { iterations: c.iterations, lambda: c.lambda }, c.seed).loadInto(dir);
  }
}
