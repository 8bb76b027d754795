/**
 * A small MLP encoder (linear → batch norm → leaky ReLU per hidden layer, final linear layer = the
 * representation) trained in tfjs, with two objectives:
 *  - {@link trainClassifier}: a linear head without bias on top of the representation, cross-entropy on
 *    class labels (softmax) or on multi-hot targets (sigmoid) — the set-up of Reizinger et al. 2025;
 *  - {@link trainContrastive}: InfoNCE on positive pairs with in-batch negatives, representation
 *    normalised to the sphere (Zimmermann et al. 2021) — the second route to identifiability.
 *
 * The learned encoder is returned as plain data ({@link MlpWeights}: float32 matrices, batch-norm
 * running statistics) and applied with {@link encodeMlp}; no tensors outlive a call.
 *
 * Speed on wasm: tfjs' autograd of matMul uses transposed matMul flags, which are slow on the wasm
 * backend; the dense layers here use a matMul whose gradient materialises the transposes instead
 * (`leanMatmul`, default on; measured in bench, see the report of the commit).
 */
import { tf, initBackend } from '../core/backend';
import { Rng } from '../core/rng';
import { Matrix, MatrixLike, matrix } from '../core/matrix';
import { checkInt, checkMatrix, checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';
import { createProgress } from '../core/progress';

/** A trained (or freshly initialised) MLP encoder as plain data. */
export interface MlpWeights {
  /** Layer widths, input first, representation last (e.g. [5, 50, 250, 250, 50, 5]). */
  sizes: number[];
  /** Per layer: W (in×out, applied as h·W), bias, and for hidden layers the batch-norm parameters. */
  layers: { W: Matrix<Float32Array>; b: Float32Array; bn?: { gamma: Float32Array; beta: Float32Array; mean: Float32Array; variance: Float32Array } }[];
  /** Leaky-ReLU slope of the hidden layers. */
  slope: number;
}

/** Options shared by both trainers. */
export interface MlpTrainOptions {
  /** Input dimension d. */
  inDim: number;
  /** Representation dimension (the penultimate layer of the classifier). */
  repDim: number;
  /** Hidden widths (default [10·repDim, 50·repDim, 50·repDim, 10·repDim] as in Reizinger et al.). */
  hidden?: number[];
  /** Batch norm on hidden layers (default true). */
  batchNorm?: boolean;
  /** Leaky-ReLU slope (default 0.01, PyTorch's default). */
  slope?: number;
  /** Adam steps (default 3000). */
  steps?: number;
  /** Batch size (default 1024). */
  batch?: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** Learning-rate schedule: 'constant' (default) or 'cosine' (decays from lr to lr/100 over the steps). */
  lrSchedule?: 'constant' | 'cosine';
  /** Seed for initial weights and the data stream. */
  seed?: number;
  /** Call `onEval` every this many steps (and at the end; default steps/10). */
  evalEvery?: number;
  /**
   * Evaluation hook: receives the current encoder (eval mode) and, for the classifier, the current head
   * (repDim×C); returns numbers recorded in the history.
   */
  onEval?: (step: number, encoder: MlpWeights, head?: Matrix<Float32Array>) => Record<string, number> | Promise<Record<string, number>>;
  /** Materialise transposes in matMul gradients (faster on wasm; default true). */
  leanMatmul?: boolean;
  /** Show progress (default true). */
  progress?: boolean;
}

/** One record of the training history. */
export interface MlpHistoryRow { step: number; loss: number; [metric: string]: number }

/** Result of a training run. */
export interface MlpTrainResult {
  encoder: MlpWeights;
  /** Linear head, repDim×C (classifier only). */
  head?: Matrix<Float32Array>;
  history: MlpHistoryRow[];
  seconds: number;
}

/** A batch for the classifier: inputs B×d and either labels (softmax CE) or multi-hot targets B×C (sigmoid CE). */
export interface ClassifierBatch { x: Matrix; labels?: Int32Array; targets?: Matrix }

/** A batch of positive pairs for InfoNCE: row i of x and of xPos are a positive pair. */
export interface PairBatch { x: Matrix; xPos: Matrix }

type Params = { W: tf.Variable; b: tf.Variable; gamma?: tf.Variable; beta?: tf.Variable }[];
type BnStats = { mean: Float32Array; variance: Float32Array }[];

/** matMul whose gradient uses explicit transposes (no transposeA/B flags). */
const leanMm = tf.customGrad(((a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => [
      tf.matMul(dy, tf.transpose(saved[1] as tf.Tensor2D)),
      tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), dy),
    ],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** PyTorch-style initialisation U(−1/√in, 1/√in) for weights and biases, from the Rng. */
export function initMlp(sizes: number[], seed: number, opts: { batchNorm?: boolean; slope?: number } = {}): MlpWeights {
  if (!Array.isArray(sizes) || sizes.length < 2) throw new ValueError('initMlp: sizes must list at least input and output widths');
  sizes.forEach((s, k) => checkInt(`sizes[${k}]`, s, 1));
  const rng = new Rng(seed);
  const bn = opts.batchNorm ?? true;
  const layers: MlpWeights['layers'] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fi = sizes[l], fo = sizes[l + 1], a = 1 / Math.sqrt(fi);
    const W = matrix(fi, fo, rng.fillUniform(new Float32Array(fi * fo), -a, a));
    const b = rng.fillUniform(new Float32Array(fo), -a, a);
    const hidden = l + 2 < sizes.length;
    layers.push(hidden && bn
      ? { W, b, bn: { gamma: new Float32Array(fo).fill(1), beta: new Float32Array(fo), mean: new Float32Array(fo), variance: new Float32Array(fo).fill(1) } }
      : { W, b });
  }
  return { sizes: sizes.slice(), layers, slope: opts.slope ?? 0.01 };
}

const BN_EPS = 1e-5, BN_MOMENTUM = 0.1;

/** Forward pass; in training mode batch statistics are used and pushed to `batchStats`. */
function forward(params: Params, x: tf.Tensor2D, slope: number, train: boolean, running: BnStats | null,
  batchStats: tf.Tensor[] | null, lean: boolean, lastLayer = params.length - 1): tf.Tensor2D {
  let h = x;
  params.forEach((p, l) => {
    if (l > lastLayer) return;
    h = (lean ? leanMm(h, p.W as unknown as tf.Tensor2D) : tf.matMul(h, p.W as unknown as tf.Tensor2D)).add(p.b) as tf.Tensor2D;
    if (l === params.length - 1) return;
    if (p.gamma && p.beta) {
      let mean: tf.Tensor, variance: tf.Tensor;
      if (train) {
        const mo = tf.moments(h, 0);
        mean = mo.mean; variance = mo.variance;
        if (batchStats) batchStats.push(tf.keep(mean.clone()), tf.keep(variance.clone()));
      } else {
        mean = tf.tensor1d(running![l].mean); variance = tf.tensor1d(running![l].variance);
      }
      h = h.sub(mean).div(variance.add(BN_EPS).sqrt()).mul(p.gamma).add(p.beta) as tf.Tensor2D;
    }
    h = tf.leakyRelu(h, slope);
  });
  return h;
}

/** Options of {@link encodeMlp}. */
export interface EncodeMlpOptions {
  /** Rows per tfjs call (default 4096). */
  chunk?: number;
  /**
   * Which layer's output to return: a hidden layer l (0-based, 0 … sizes.length − 3: the activations after
   * its batch norm and leaky ReLU, width sizes[l + 1]) or, by default, the representation (the last,
   * linear layer).
   */
  layer?: number;
}

/**
 * Representation of every row of X (B×d) under the encoder in evaluation mode (batch norm with running
 * statistics): B×repDim float32, or B×sizes[layer+1] for a hidden layer (`opts.layer`). Computed in
 * chunks with tfjs; no tensors survive the call. A number as third argument is the chunk size.
 */
export async function encodeMlp(enc: MlpWeights, X: MatrixLike, opts: number | EncodeMlpOptions = {}): Promise<Matrix<Float32Array>> {
  await initBackend();
  const o: EncodeMlpOptions = typeof opts === 'number' ? { chunk: opts } : opts;
  const chunk = checkInt('chunk', o.chunk ?? 4096, 1);
  const last = enc.layers.length - 1;
  const layer = o.layer === undefined ? last : checkInt('layer (hidden layer index)', o.layer, 0, Math.max(0, last - 1));
  const x = checkMatrix('X (inputs, B×d)', X, { cols: enc.sizes[0], names: ['B', 'd'] });
  const rep = enc.sizes[layer + 1];
  const out = new Float32Array(x.rows * rep);
  tf.tidy(() => {
    const params: Params = enc.layers.map((L) => ({
      W: tf.tensor2d(L.W.data, [L.W.rows, L.W.cols]) as unknown as tf.Variable,
      b: tf.tensor1d(L.b) as unknown as tf.Variable,
      gamma: L.bn ? tf.tensor1d(L.bn.gamma) as unknown as tf.Variable : undefined,
      beta: L.bn ? tf.tensor1d(L.bn.beta) as unknown as tf.Variable : undefined,
    }));
    const running = enc.layers.map((L) => L.bn ? { mean: L.bn.mean, variance: L.bn.variance } : { mean: new Float32Array(0), variance: new Float32Array(0) });
    for (let s = 0; s < x.rows; s += chunk) {
      const e = Math.min(x.rows, s + chunk);
      tf.tidy(() => {
        const xt = tf.tensor2d(Float32Array.from(x.data.subarray(s * x.cols, e * x.cols)), [e - s, x.cols]);
        out.set(forward(params, xt, enc.slope, false, running, null, false, layer).dataSync(), s * rep);
      });
    }
  });
  return matrix(x.rows, rep, out);
}

/** Hidden widths when none are given: [10, 50, 50, 10] × repDim (Reizinger et al.). */
function defaultHidden(repDim: number): number[] {
  return [10 * repDim, 50 * repDim, 50 * repDim, 10 * repDim];
}

interface CommonSetup {
  steps: number; B: number; lr: number; cosine: boolean; seed: number; evalEvery: number; lean: boolean; sizes: number[];
  slope: number; batchNorm: boolean;
}

function commonOptions(o: MlpTrainOptions): CommonSetup {
  const inDim = checkInt('inDim', o.inDim, 1);
  const repDim = checkInt('repDim', o.repDim, 1);
  const hidden = o.hidden ?? defaultHidden(repDim);
  hidden.forEach((h, k) => checkInt(`hidden[${k}]`, h, 1));
  const steps = checkInt('steps', o.steps ?? 3000, 0);
  if (o.lrSchedule !== undefined && o.lrSchedule !== 'constant' && o.lrSchedule !== 'cosine') {
    throw new ValueError(`lrSchedule must be 'constant' or 'cosine', got '${String(o.lrSchedule)}'`);
  }
  return {
    steps, B: checkInt('batch', o.batch ?? 1024, 2), lr: checkNumber('lr', o.lr ?? 1e-3, 0),
    cosine: (o.lrSchedule ?? 'constant') === 'cosine',
    seed: checkInt('seed', o.seed ?? 0, 0), evalEvery: checkInt('evalEvery', o.evalEvery ?? Math.max(1, Math.floor(steps / 10)), 1),
    lean: o.leanMatmul ?? true, sizes: [inDim, ...hidden, repDim], slope: checkNumber('slope', o.slope ?? 0.01, 0, 1),
    batchNorm: o.batchNorm ?? true,
  };
}

/**
 * The shared training loop: `lossOf(rep, step-batch)` builds the scalar loss from the representation
 * (and any extra variables in `extra`).
 */
async function trainLoop<T>(o: MlpTrainOptions, label: string, extraInit: (rng: Rng) => tf.Variable[],
  draw: (B: number, rng: Rng) => T, lossOf: (enc: (x: tf.Tensor2D) => tf.Tensor2D, batch: T, extra: tf.Variable[]) => tf.Scalar,
  headOf?: (extra: tf.Variable[]) => Matrix<Float32Array>):
  Promise<{ encoder: MlpWeights; extra: Float32Array[]; history: MlpHistoryRow[]; seconds: number }> {
  const c = commonOptions(o);
  await initBackend();
  const t0 = Date.now();
  const rng = new Rng(c.seed);
  const init = initMlp(c.sizes, rng.nextUint32(), { batchNorm: c.batchNorm, slope: c.slope });
  const params: Params = tf.tidy(() => init.layers.map((L) => ({
    W: tf.variable(tf.tensor2d(L.W.data, [L.W.rows, L.W.cols])),
    b: tf.variable(tf.tensor1d(L.b)),
    gamma: L.bn ? tf.variable(tf.tensor1d(L.bn.gamma)) : undefined,
    beta: L.bn ? tf.variable(tf.tensor1d(L.bn.beta)) : undefined,
  })));
  const running: BnStats = init.layers.map((L) => ({ mean: L.bn ? L.bn.mean.slice() : new Float32Array(0), variance: L.bn ? L.bn.variance.slice() : new Float32Array(0) }));
  const extra = tf.tidy(() => extraInit(rng.fork()));
  const vars: tf.Variable[] = [...params.flatMap((p) => [p.W, p.b, ...(p.gamma ? [p.gamma, p.beta!] : [])]), ...extra];
  const opt = tf.train.adam(c.lr);
  const dataRng = rng.fork();
  const history: MlpHistoryRow[] = [];
  const prog = createProgress({ total: c.steps, label, unit: 'steps', enabled: o.progress ?? true });
  const snapshot = (): MlpWeights => ({
    sizes: c.sizes.slice(), slope: c.slope,
    layers: params.map((p, l) => ({
      W: matrix(c.sizes[l], c.sizes[l + 1], p.W.dataSync() as Float32Array),
      b: (p.b.dataSync() as Float32Array).slice(),
      bn: p.gamma ? { gamma: (p.gamma.dataSync() as Float32Array).slice(), beta: (p.beta!.dataSync() as Float32Array).slice(), mean: running[l].mean.slice(), variance: running[l].variance.slice() } : undefined,
    })),
  });
  const record = async (step: number, loss: number): Promise<void> => {
    const row: MlpHistoryRow = { step, loss };
    if (o.onEval) Object.assign(row, await o.onEval(step, snapshot(), headOf ? headOf(extra) : undefined));
    history.push(row);
  };
  try {
    let lastLoss = NaN;
    for (let step = 1; step <= c.steps; step++) {
      const batch = draw(c.B, dataRng);
      // tfjs' Adam reads its learningRate field at every step
      if (c.cosine) (opt as unknown as { learningRate: number }).learningRate = c.lr * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * (step - 1) / Math.max(1, c.steps))));
      const stats: tf.Tensor[] = [];
      const lossT = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() =>
          lossOf((x) => forward(params, x, c.slope, true, running, stats, c.lean), batch, extra), vars);
        opt.applyGradients(grads as tf.NamedTensorMap as never);
        return value;
      });
      // running batch-norm statistics (PyTorch: unbiased variance, momentum 0.1)
      const corr = c.B / (c.B - 1);
      let k = 0;
      for (let l = 0; l < params.length; l++) {
        if (!params[l].gamma) continue;
        const mu = stats[k++].dataSync(), va = stats[k++].dataSync();
        const r = running[l];
        for (let j = 0; j < mu.length; j++) {
          r.mean[j] = (1 - BN_MOMENTUM) * r.mean[j] + BN_MOMENTUM * mu[j];
          r.variance[j] = (1 - BN_MOMENTUM) * r.variance[j] + BN_MOMENTUM * va[j] * corr;
        }
      }
      tf.dispose(stats);
      const isEval = step % c.evalEvery === 0 || step === c.steps;
      if (isEval || step === 1) {
        lastLoss = (await lossT.data())[0];
        if (!Number.isFinite(lastLoss)) throw new ValueError(`${label}: loss became ${lastLoss} at step ${step}; lower lr`);
        if (isEval) await record(step, lastLoss);
        prog.update(step, `loss ${lastLoss.toPrecision(3)}${history.length && 'r2' in history[history.length - 1] ? ` R² ${history[history.length - 1].r2.toFixed(3)}` : ''}`);
      }
      lossT.dispose();
    }
    prog.finish();
    return { encoder: snapshot(), extra: extra.map((v) => (v.dataSync() as Float32Array).slice()), history, seconds: (Date.now() - t0) / 1000 };
  } finally {
    tf.dispose(vars);
    opt.dispose();
  }
}

/** Options of {@link trainClassifier}. */
export interface ClassifierTrainOptions extends MlpTrainOptions {
  /** Number of classes C (head outputs). */
  classes: number;
  /** Fresh training batch: inputs B×d and labels (0..C−1) or multi-hot targets B×C. */
  sample: (B: number, rng: Rng) => ClassifierBatch;
}

/**
 * Train an MLP encoder + bias-free linear head with cross-entropy (softmax on labels, or sigmoid on
 * multi-hot targets); returns the encoder (its output = the penultimate representation), the head
 * (repDim×C) and the history (loss and whatever `onEval` returns).
 */
export async function trainClassifier(o: ClassifierTrainOptions): Promise<MlpTrainResult> {
  const C = checkInt('classes', o.classes, 2);
  if (typeof o.sample !== 'function') throw new ValueError('trainClassifier: pass sample(B, rng) returning {x, labels} or {x, targets}');
  const repDim = checkInt('repDim', o.repDim, 1);
  const inDim = o.inDim;
  const r = await trainLoop<ClassifierBatch>(o, `classifier ${[inDim, ...(o.hidden ?? defaultHidden(repDim)), repDim, C].join('→')}`,
    (rng) => {
      const a = 1 / Math.sqrt(repDim);
      return [tf.variable(tf.tensor2d(rng.fillUniform(new Float32Array(repDim * C), -a, a), [repDim, C]))];
    },
    (B, rng) => {
      const bt = o.sample(B, rng);
      if (bt.x.rows !== B || bt.x.cols !== inDim) throw new ValueError(`sample(B) must return x of shape ${B}×${inDim}, got ${bt.x.rows}×${bt.x.cols}`);
      if (!bt.labels && !bt.targets) throw new ValueError('sample(B) must return labels or targets');
      return bt;
    },
    (enc, bt, [head]) => {
      const x = tf.tensor2d(bt.x.data instanceof Float32Array ? bt.x.data : Float32Array.from(bt.x.data), [bt.x.rows, bt.x.cols]);
      const logits = (o.leanMatmul ?? true) ? leanMm(enc(x), head as unknown as tf.Tensor2D) : tf.matMul(enc(x), head as unknown as tf.Tensor2D);
      if (bt.labels) {
        const oh = tf.oneHot(tf.tensor1d(bt.labels, 'int32'), C);
        return tf.neg(oh.mul(tf.logSoftmax(logits)).sum(1).mean()) as tf.Scalar;
      }
      const t = tf.tensor2d(Float32Array.from(bt.targets!.data), [bt.targets!.rows, bt.targets!.cols]);
      // stable BCE with logits: max(l,0) − l·t + log(1 + e^{−|l|})
      return tf.relu(logits).sub(logits.mul(t)).add(tf.log1p(tf.exp(tf.neg(tf.abs(logits))))).sum(1).mean() as tf.Scalar;
    },
    ([head]) => matrix(repDim, C, (head.dataSync() as Float32Array).slice()));
  return { encoder: r.encoder, head: matrix(repDim, C, r.extra[0]), history: r.history, seconds: r.seconds };
}

/** Options of {@link trainContrastive}. */
export interface ContrastiveTrainOptions extends MlpTrainOptions {
  /** Fresh batch of positive pairs (x, xPos), each B×d. */
  samplePairs: (B: number, rng: Rng) => PairBatch;
  /** InfoNCE temperature τ (default 0.1). */
  temperature?: number;
}

/**
 * Train an MLP encoder with InfoNCE: representations are normalised to the unit sphere, logits
 * f(x_i)·f(x̃_j)/τ, and cross-entropy picks the positive j = i among the batch (symmetrised).
 */
export async function trainContrastive(o: ContrastiveTrainOptions): Promise<MlpTrainResult> {
  if (typeof o.samplePairs !== 'function') throw new ValueError('trainContrastive: pass samplePairs(B, rng) returning {x, xPos}');
  const tau = checkNumber('temperature', o.temperature ?? 0.1, 1e-6);
  const r = await trainLoop<PairBatch>(o, `InfoNCE ${o.inDim}→${o.repDim}`, () => [],
    (B, rng) => o.samplePairs(B, rng),
    (enc, bt) => {
      const n = bt.x.rows;
      const both = new Float32Array(2 * n * bt.x.cols);
      both.set(bt.x.data); both.set(bt.xPos.data, n * bt.x.cols);
      const f = enc(tf.tensor2d(both, [2 * n, bt.x.cols]));
      const fn = f.div(f.square().sum(1, true).add(1e-12).sqrt());
      const a = fn.slice([0, 0], [n, -1]) as tf.Tensor2D, p = fn.slice([n, 0], [n, -1]) as tf.Tensor2D;
      const logits = leanMm(a, tf.transpose(p)).div(tau);
      const diag = tf.oneHot(tf.range(0, n, 1, 'int32'), n);
      const l1 = tf.neg(diag.mul(tf.logSoftmax(logits)).sum(1).mean());
      const l2 = tf.neg(diag.mul(tf.logSoftmax(tf.transpose(logits))).sum(1).mean());
      return l1.add(l2).div(2) as tf.Scalar;
    });
  return { encoder: r.encoder, history: r.history, seconds: r.seconds };
}
