/**
 * A small dense network as typed arrays with a hand-written backward pass: per hidden layer linear → batch norm
 * (optional) → leaky ReLU, then a final linear layer. Parameters, gradients, Adam moments and the activations of
 * a step live in a {@link Workspace} for the length of a fit (pinned in the kernels' memory: products and Adam
 * steps run in place); outside a fit the network holds plain arrays ({@link Mlp.weights} copies them out).
 */
import { AdamConfig, AdamSlot, adamStep } from '../compute/adam';
import { Matrix, matrix } from '../core/matrix';
import { leakyReluBackward, leakyReluForward } from './activations';
import { BatchNormCache, batchNormEval, batchNormLeakyBackward, batchNormLeakyTrain } from './batchnorm';
import { denseBackward, denseForward } from './dense';
import { Workspace } from './workspace';

/** A network as plain data (float32 matrices, batch-norm parameters and running statistics). */
export interface MlpWeights {
  /** Layer widths, input first, output last (e.g. [5, 50, 250, 250, 50, 5]). */
  sizes: number[];
  /** Per layer: W (in×out, applied as h·W), bias, and for hidden layers the batch-norm parameters. */
  layers: { W: Matrix<Float32Array>; b: Float32Array; bn?: { gamma: Float32Array; beta: Float32Array; mean: Float32Array; variance: Float32Array } }[];
  /** Leaky-ReLU slope of the hidden layers. */
  slope: number;
}

/** A trainable array: its values, its gradient and its Adam moments. */
export interface Param { p: Float32Array; g: Float32Array; slot: AdamSlot }

/** A parameter with zero gradient and moments in `ws` (values copied in). */
export function param(values: Float32Array, ws: Workspace): Param {
  return { p: ws.copy(values), g: ws.f32(values.length), slot: { m: ws.f32(values.length), v: ws.f32(values.length) } };
}

/** One Adam (AdamW) step on every parameter from its gradient (step t counts from 1). */
export function adamUpdate(params: Param[], lr: number, t: number, cfg?: AdamConfig): void {
  for (const q of params) adamStep(q.p, q.g, q.slot, lr, t, cfg);
}

interface Layer {
  nIn: number; nOut: number; W: Param; b: Param;
  bn?: { gamma: Param; beta: Param; mean: Float32Array; variance: Float32Array };
}

/** Activations of one layer kept for the backward pass (views of workspace scratch). */
interface Cache { x: Float32Array; pre: Float32Array; bn?: BatchNormCache }

/**
 * A network being trained: forward on a batch (training mode: batch statistics, caches kept), backward from the
 * gradient of the output, Adam on every parameter. Create it from weights with a workspace, train, then
 * {@link MlpTrainer.weights} copies the result out before the workspace is released.
 */
export class MlpTrainer {
  readonly sizes: number[];
  readonly slope: number;
  private layers: Layer[];
  private caches: Cache[] = [];
  private rows = 0;

  constructor(w: MlpWeights, private ws: Workspace) {
    this.sizes = w.sizes.slice();
    this.slope = w.slope;
    this.layers = w.layers.map((L, l) => ({
      nIn: w.sizes[l], nOut: w.sizes[l + 1], W: param(L.W.data, ws), b: param(L.b, ws),
      bn: L.bn ? { gamma: param(L.bn.gamma, ws), beta: param(L.bn.beta, ws), mean: L.bn.mean.slice(), variance: L.bn.variance.slice() } : undefined,
    }));
  }

  /** Every trainable array (weights, biases, batch-norm scale and shift), in a fixed order. */
  params(): Param[] {
    return this.layers.flatMap((L) => [L.W, L.b, ...(L.bn ? [L.bn.gamma, L.bn.beta] : [])]);
  }

  /**
   * Training-mode forward of x (rows×in): batch statistics (running statistics updated), activations kept for
   * {@link backward}. Returns the output (rows×out), a scratch view valid until the next forward.
   */
  forward(x: Float32Array, rows: number): Float32Array {
    const ws = this.ws, last = this.layers.length - 1;
    this.rows = rows;
    let h = x;
    this.caches = this.layers.map((L, l) => {
      const pre = ws.scratch(`pre${l}`, rows * L.nOut);
      denseForward(h, rows, L.nIn, L.W.p, L.nOut, L.b.p, pre);
      const c: Cache = { x: h, pre };
      if (l === last) { h = pre; return c; }
      const act = ws.scratch(`act${l}`, rows * L.nOut);
      if (L.bn) {
        c.bn = { xhat: ws.scratch(`xhat${l}`, rows * L.nOut), invStd: new Float64Array(L.nOut) };
        const y = ws.scratch(`bn${l}`, rows * L.nOut);
        batchNormLeakyTrain(pre, rows, L.nOut, { gamma: L.bn.gamma.p, beta: L.bn.beta.p, mean: L.bn.mean, variance: L.bn.variance }, this.slope, y, act, c.bn);
        c.pre = y;
      } else {
        leakyReluForward(pre, this.slope, act);
      }
      h = act;
      return c;
    });
    return h;
  }

  /**
   * Backward from dOut = ∂loss/∂output (rows×out) of the last {@link forward}: writes every parameter's gradient
   * (dOut is overwritten). Returns ∂loss/∂x when `wantInput`, else null.
   */
  backward(dOut: Float32Array, wantInput = false): Float32Array | null {
    const ws = this.ws, rows = this.rows, last = this.layers.length - 1;
    let d = dOut;
    for (let l = last; l >= 0; l--) {
      const L = this.layers[l], c = this.caches[l];
      if (l !== last) {
        if (L.bn && c.bn) batchNormLeakyBackward(d, c.pre, rows, L.nOut, L.bn.gamma.p, this.slope, c.bn, L.bn.gamma.g, L.bn.beta.g, d);
        else leakyReluBackward(c.pre, d, this.slope, d);
      }
      const dx = l > 0 || wantInput ? ws.scratch(`dx${l}`, rows * L.nIn) : null;
      denseBackward(c.x, rows, L.nIn, L.W.p, L.nOut, d, L.W.g, L.b.g, dx);
      if (dx) d = dx;
    }
    return wantInput ? d : null;
  }

  /** The current network as plain data (copies; running statistics included). */
  weights(): MlpWeights {
    return {
      sizes: this.sizes.slice(), slope: this.slope,
      layers: this.layers.map((L) => ({
        W: matrix(L.nIn, L.nOut, L.W.p.slice()), b: L.b.p.slice(),
        bn: L.bn ? { gamma: L.bn.gamma.p.slice(), beta: L.bn.beta.p.slice(), mean: L.bn.mean.slice(), variance: L.bn.variance.slice() } : undefined,
      })),
    };
  }
}

/**
 * Evaluation-mode forward (batch norm with running statistics) of x (rows×in) through layers 0…`lastLayer`
 * (default all; a hidden layer's output is taken after its leaky ReLU). Returns rows×sizes[lastLayer+1].
 */
export function mlpForwardEval(w: MlpWeights, x: Float32Array, rows: number, lastLayer = w.layers.length - 1): Float32Array {
  let h = x;
  const final = w.layers.length - 1;
  for (let l = 0; l <= lastLayer; l++) {
    const L = w.layers[l], nIn = w.sizes[l], nOut = w.sizes[l + 1];
    const y = denseForward(h, rows, nIn, L.W.data, nOut, L.b, new Float32Array(rows * nOut));
    if (l !== final) {
      if (L.bn) batchNormEval(y, rows, nOut, L.bn, y);
      leakyReluForward(y, w.slope, y);
    }
    h = y;
  }
  return h;
}
