/**
 * A small MLP encoder (linear → batch norm → leaky ReLU per hidden layer, final linear layer = the
 * representation) trained with two objectives:
 *  - {@link trainClassifier}: a linear head without bias on top of the representation, cross-entropy on
 *    class labels (softmax) or on multi-hot targets (sigmoid) — the set-up of Reizinger et al. 2025;
 *  - {@link trainContrastive}: InfoNCE on positive pairs with in-batch negatives, representation
 *    normalised to the sphere (Zimmermann et al. 2021) — the second route to identifiability.
 *
 * Forward and backward passes are hand-written on typed arrays ({@link ../nn}: products on the engine's wasm GEMM
 * on two threads, Adam in its fused kernel, every reduction in a fixed order — bitwise the same on one or two
 * threads; JS loops where WebAssembly is unavailable), driven by the one training loop ({@link ../training}).
 * The learned encoder is returned as plain data ({@link MlpWeights}: float32 matrices, batch-norm running
 * statistics) and applied with {@link encodeMlp}.
 */
import { Rng } from '../core/rng';
import { Matrix, MatrixLike, matrix } from '../core/matrix';
import { checkInt, checkMatrix, checkNumber } from '../core/validate';
import { ValueError } from '../core/errors';
import { MlpTrainer, MlpWeights, Param, adamUpdate, mlpForwardEval, param } from '../nn/mlp';
import { denseBackward, denseForward } from '../nn/dense';
import { infoNce, infoNceScratch, sigmoidCrossEntropy, softmaxCrossEntropy } from '../nn/losses';
import { Workspace } from '../nn/workspace';
import { trainLoopAsync } from '../training/loop';

export type { MlpWeights } from '../nn/mlp';

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
  /** Ignored (kept so that old option objects still type-check): the backward pass is hand-written now. */
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

/** Options of {@link encodeMlp}. */
export interface EncodeMlpOptions {
  /** Rows per forward pass (default 4096; bounds the scratch memory). */
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
 * chunks on typed arrays. A number as third argument is the chunk size.
 */
export async function encodeMlp(enc: MlpWeights, X: MatrixLike, opts: number | EncodeMlpOptions = {}): Promise<Matrix<Float32Array>> {
  const o: EncodeMlpOptions = typeof opts === 'number' ? { chunk: opts } : opts;
  const chunk = checkInt('chunk', o.chunk ?? 4096, 1);
  const last = enc.layers.length - 1;
  const layer = o.layer === undefined ? last : checkInt('layer (hidden layer index)', o.layer, 0, Math.max(0, last - 1));
  const x = checkMatrix('X (inputs, B×d)', X, { cols: enc.sizes[0], names: ['B', 'd'] });
  const rep = enc.sizes[layer + 1];
  const out = new Float32Array(x.rows * rep);
  for (let s = 0; s < x.rows; s += chunk) {
    const e = Math.min(x.rows, s + chunk);
    out.set(mlpForwardEval(enc, Float32Array.from(x.data.subarray(s * x.cols, e * x.cols)), e - s, layer), s * rep);
  }
  return matrix(x.rows, rep, out);
}

/** Hidden widths when none are given: [10, 50, 50, 10] × repDim (Reizinger et al.). */
function defaultHidden(repDim: number): number[] {
  return [10 * repDim, 50 * repDim, 50 * repDim, 10 * repDim];
}

interface CommonSetup {
  steps: number; B: number; lr: number; cosine: boolean; seed: number; evalEvery: number; sizes: number[];
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
    sizes: [inDim, ...hidden, repDim], slope: checkNumber('slope', o.slope ?? 0.01, 0, 1),
    batchNorm: o.batchNorm ?? true,
  };
}

/**
 * One step of an objective on the encoder being trained: draws its batch from `rng`, runs forward and backward
 * (writing the gradients of the encoder's and of its `extra` parameters) and returns the batch loss.
 */
type ObjectiveStep = (enc: MlpTrainer, extra: Param[], ws: Workspace, B: number, rng: Rng) => number;

/**
 * Train the encoder (and `extra` parameters initialised by `extraInit`, e.g. a head) on an objective through the
 * one training loop; the workspace holding the fit's arrays is released at the end.
 */
async function fitEncoder(o: MlpTrainOptions, label: string, extraInit: (rng: Rng) => Float32Array[], step: ObjectiveStep,
  headOf?: (extra: Param[]) => Matrix<Float32Array>):
  Promise<{ encoder: MlpWeights; extra: Float32Array[]; history: MlpHistoryRow[]; seconds: number }> {
  const c = commonOptions(o);
  const t0 = performance.now();
  const rng = new Rng(c.seed);
  const init = initMlp(c.sizes, rng.nextUint32(), { batchNorm: c.batchNorm, slope: c.slope });
  const extraValues = extraInit(rng.fork());
  const dataRng = rng.fork();
  const ws = new Workspace();
  try {
    const enc = new MlpTrainer(init, ws);
    const extra = extraValues.map((v) => param(v, ws));
    const params = [...enc.params(), ...extra];
    const r = await trainLoopAsync({
      update(t, lr) {
        const loss = step(enc, extra, ws, c.B, dataRng);
        adamUpdate(params, lr, t);
        return loss;
      },
    }, {
      steps: c.steps, lr: c.lr, schedule: c.cosine ? 'cosine' : 'constant', evalEvery: c.evalEvery, logEvery: c.evalEvery,
      name: label, progress: { label, unit: 'steps', enabled: o.progress ?? true },
      onEval: async (t) => (o.onEval ? o.onEval(t, enc.weights(), headOf ? headOf(extra) : undefined) : undefined),
    });
    const history = r.history.map(({ lr: _lr, ...row }) => row as MlpHistoryRow);
    return { encoder: enc.weights(), extra: extra.map((q) => q.p.slice()), history, seconds: (performance.now() - t0) / 1000 };
  } finally {
    ws.release();
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
  const r = await fitEncoder(o, `classifier ${[inDim, ...(o.hidden ?? defaultHidden(repDim)), repDim, C].join('→')}`,
    (rng) => {
      const a = 1 / Math.sqrt(repDim);
      return [rng.fillUniform(new Float32Array(repDim * C), -a, a)];
    },
    (enc, [head], ws, B, rng) => {
      const bt = o.sample(B, rng);
      if (bt.x.rows !== B || bt.x.cols !== inDim) throw new ValueError(`sample(B) must return x of shape ${B}×${inDim}, got ${bt.x.rows}×${bt.x.cols}`);
      if (!bt.labels && !bt.targets) throw new ValueError('sample(B) must return labels or targets');
      const x = ws.scratch('in.x', B * inDim);
      x.set(bt.x.data);
      const rep = enc.forward(x, B);
      const logits = denseForward(rep, B, repDim, head.p, C, null, ws.scratch('head.logits', B * C));
      let loss: number;
      if (bt.labels) {
        const y = bt.labels;
        if (y.length !== B) throw new ValueError(`sample(B) must return ${B} labels, got ${y.length}`);
        for (let i = 0; i < B; i++) if (!(y[i] >= 0 && y[i] < C)) throw new ValueError(`label ${y[i]} of row ${i} is outside 0…${C - 1}; labels index the ${C} classes`);
        loss = softmaxCrossEntropy(logits, B, C, y, logits);
      } else {
        const t = bt.targets!;
        if (t.rows !== B || t.cols !== C) throw new ValueError(`sample(B) must return targets of shape ${B}×${C}, got ${t.rows}×${t.cols}`);
        loss = sigmoidCrossEntropy(logits, B, C, t.data, logits);
      }
      const dRep = ws.scratch('head.drep', B * repDim);
      denseBackward(rep, B, repDim, head.p, C, logits, head.g, null, dRep);
      enc.backward(dRep);
      return loss;
    },
    ([head]) => matrix(repDim, C, head.p.slice()));
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
  const inDim = o.inDim, repDim = o.repDim;
  let scratch: ReturnType<typeof infoNceScratch> | null = null;
  const r = await fitEncoder(o, `InfoNCE ${o.inDim}→${o.repDim}`, () => [],
    (enc, _extra, ws, B, rng) => {
      const bt = o.samplePairs(B, rng);
      for (const [k, m] of [['x', bt.x], ['xPos', bt.xPos]] as const) {
        if (m.rows !== B || m.cols !== inDim) throw new ValueError(`samplePairs(B) must return ${k} of shape ${B}×${inDim}, got ${m.rows}×${m.cols}`);
      }
      const both = ws.scratch('in.pairs', 2 * B * inDim);
      both.set(bt.x.data); both.set(bt.xPos.data, B * inDim);
      const f = enc.forward(both, 2 * B);
      scratch ??= infoNceScratch(B, repDim, (n) => ws.f32(n));
      const df = ws.scratch('nce.df', 2 * B * repDim);
      const loss = infoNce(f, B, repDim, tau, df, scratch);
      enc.backward(df);
      return loss;
    });
  return { encoder: r.encoder, history: r.history, seconds: r.seconds };
}
