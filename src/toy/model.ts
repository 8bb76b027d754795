/**
 * Toy models of superposition (Elhage et al. 2022, "Toy Models of Superposition"), trained on the compute engine.
 *
 * Model (one instance): h = x·W (x has n features, W is **n×m, one feature direction per row** — the
 * transpose of the paper's m×n W, following the workbook's "atoms in rows" convention), and
 * x' = ReLU(h·Wᵀ + b) (or x' = h·Wᵀ + b for the linear variant). Loss: Σ_i I_i (x_i − x'_i)², averaged
 * over the batch. Many instances (e.g. one per sparsity) are trained at once as one batched model, as
 * the reference implementation does; each instance has its own W, b, feature probability and
 * importances, and the instances do not interact.
 *
 * Gradients are written by hand ({@link ToyTrainer}: sparse and dense engine products, or one fused JS loop
 * where the dispatch policy keeps a model this small in JS), the optimiser is AdamW (PyTorch semantics:
 * decoupled weight decay applied to W and b), and the steps run under the one training loop. {@link toyGradients}
 * is the same backward in tfjs (batched over instances), kept as a backend-agnostic reference.
 */
import { tf } from '../core/backend';
import { Rng } from '../core/rng';
import { Matrix, matrix } from '../core/matrix';
import { ValueError } from '../core/errors';
import { checkInt, checkNumber } from '../core/validate';
import { trainLoop } from '../training/loop';
import { ToyTrainer } from './trainer';

/** Options of {@link trainToyModels}. */
export interface ToyTrainOptions {
  /** Number of input features n. */
  n: number;
  /** Hidden dimensions m. */
  m: number;
  /**
   * Feature probability p = 1 − S of each instance (one entry per instance), or per instance and feature
   * (`number[instance][feature]`). Entries in (0, 1].
   */
  featureProbability: number[] | number[][];
  /** Importance I_i: one array of length n shared by all instances, or one per instance. Default all 1. */
  importance?: number[] | number[][];
  /** 'relu' (default) or 'linear' (x' = WᵀWx + b, the linear baseline). */
  activation?: 'relu' | 'linear';
  /** Training steps (default 10,000 as in the reference). */
  steps?: number;
  /** Batch size (default 1024). */
  batch?: number;
  /** AdamW learning rate (default 1e-3). */
  lr?: number;
  /** AdamW decoupled weight decay (default 0.01, PyTorch's default). */
  weightDecay?: number;
  /** Seed for the initial W (Xavier normal, std √(2/(n+m))) and the data stream. */
  seed?: number;
  /** Record the per-instance loss every this many steps (default steps/50). */
  logEvery?: number;
  /** Fresh samples per instance for the final loss estimate (default 8192). */
  evalSamples?: number;
  /** Show progress (default true). */
  progress?: boolean;
}

/** One trained toy-model instance. */
export interface ToyInstance {
  /** Feature directions, n×m (row i = the paper's column W_i). */
  W: Matrix<Float32Array>;
  /** Output bias, length n. */
  b: Float32Array;
  /** Feature probability of each feature (length n). */
  featureProbability: number[];
  /** Importance of each feature (length n). */
  importance: number[];
  /** Importance-weighted loss Σ_i I_i (x_i − x'_i)² per sample, on `evalSamples` fresh samples. */
  loss: number;
}

/** Result of {@link trainToyModels}. */
export interface ToyTrainResult {
  instances: ToyInstance[];
  /** Loss history: `steps[k]` and, per instance, the batch loss at that step. */
  history: { step: number[]; loss: number[][] };
  activation: 'relu' | 'linear';
  n: number;
  m: number;
  steps: number;
  seconds: number;
}

function perInstance(name: string, v: number[] | number[][] | undefined, count: number, n: number,
  dflt: number, lo: number, hi: number): Float64Array {
  const out = new Float64Array(count * n).fill(dflt);
  if (v === undefined) return out;
  if (!Array.isArray(v)) throw new ValueError(`${name} must be an array`);
  const nested = Array.isArray(v[0]);
  for (let s = 0; s < count; s++) {
    for (let i = 0; i < n; i++) {
      const x = nested ? (v as number[][])[s]?.[i] : (v as number[])[name === 'importance' ? i : s];
      if (typeof x !== 'number' || !Number.isFinite(x) || x < lo || x > hi) {
        throw new ValueError(`${name}: entry for instance ${s}, feature ${i} is ${x}; expected a number in [${lo}, ${hi}]` +
          (nested ? ` (give one row of length n=${n} per instance)` : ''));
      }
      out[s * n + i] = x;
    }
  }
  return out;
}

/**
 * Train toy models of superposition, many instances at once.
 * Instances are defined by `featureProbability` (its length, or its number of rows).
 * @returns per-instance W (n×m), b, final loss and the loss history.
 */
export async function trainToyModels(opts: ToyTrainOptions): Promise<ToyTrainResult> {
  const n = checkInt('n (features)', opts.n, 1);
  const m = checkInt('m (hidden dims)', opts.m, 1);
  if (!Array.isArray(opts.featureProbability) || opts.featureProbability.length === 0) {
    throw new ValueError('featureProbability must be a non-empty array (one probability per instance, or one row of n per instance)');
  }
  const I = opts.featureProbability.length;
  if (opts.importance !== undefined && Array.isArray(opts.importance[0]) && opts.importance.length !== I) {
    throw new ValueError(`importance has ${opts.importance.length} rows but there are ${I} instances; give one row per instance or one shared array`);
  }
  if (opts.importance !== undefined && !Array.isArray(opts.importance[0]) && opts.importance.length !== n) {
    throw new ValueError(`importance has length ${opts.importance.length} but n=${n}`);
  }
  if (Array.isArray(opts.featureProbability[0]) && (opts.featureProbability[0] as number[]).length !== n) {
    throw new ValueError(`featureProbability rows must have length n=${n}`);
  }
  const prob = perInstance('featureProbability', opts.featureProbability, I, n, 1, 1e-9, 1);
  const imp = perInstance('importance', opts.importance, I, n, 1, 0, Infinity);
  const steps = checkInt('steps', opts.steps ?? 10_000, 0);
  const B = checkInt('batch', opts.batch ?? 1024, 1);
  const lr = checkNumber('lr', opts.lr ?? 1e-3, 0);
  const wd = checkNumber('weightDecay', opts.weightDecay ?? 0.01, 0);
  const seed = checkInt('seed', opts.seed ?? 0, 0);
  const logEvery = checkInt('logEvery', opts.logEvery ?? Math.max(1, Math.floor(steps / 50)), 1);
  const evalSamples = checkInt('evalSamples', opts.evalSamples ?? 8192, 1);
  const activation = opts.activation ?? 'relu';
  if (activation !== 'relu' && activation !== 'linear') throw new ValueError(`activation must be 'relu' or 'linear', got '${activation}'`);
  const t0 = Date.now();

  const rng = new Rng(seed);
  const W0 = rng.fork().fillNormal(new Float32Array(I * n * m), 0, Math.sqrt(2 / (n + m)));
  const trainer = new ToyTrainer({ instances: I, n, m, batch: B, prob, importance: imp, activation, weightDecay: wd, W0 });
  trainer.dataRng = rng.fork();
  const history = { step: [] as number[], loss: [] as number[][] };
  let Wd: Float32Array, bd: Float32Array;
  try {
    trainLoop({
      update(step, stepLr) {
        const loss = trainer.update(step, stepLr);
        if (step === 1 || step % logEvery === 0 || step === steps) {
          history.step.push(step);
          history.loss.push(Array.from(trainer.losses));
        }
        return loss;
      },
    }, {
      steps, lr, logEvery, evalEvery: steps + 1, name: `toy model n=${n} m=${m}`,
      progress: { label: `toy n=${n} m=${m} ×${I}`, unit: 'steps', enabled: opts.progress ?? true },
    });
    Wd = trainer.W.slice();
    bd = trainer.b.slice();
  } finally {
    trainer.release();
  }
  const evalRng = rng.fork();
  const instances: ToyInstance[] = [];
  for (let s = 0; s < I; s++) {
    const Ws = matrix(n, m, Wd.slice(s * n * m, (s + 1) * n * m));
    const bs = bd.slice(s * n, (s + 1) * n);
    const ps = Array.from(prob.subarray(s * n, (s + 1) * n));
    const is = Array.from(imp.subarray(s * n, (s + 1) * n));
    instances.push({
      W: Ws, b: bs, featureProbability: ps, importance: is,
      loss: toyLoss(Ws, bs, ps, is, activation, evalSamples, evalRng),
    });
  }
  return { instances, history, activation, n, m, steps, seconds: (Date.now() - t0) / 1000 };
}

/**
 * Hand-written gradients of the batched toy-model loss (sum over instances of the batch mean of
 * Σ_i I_i (x_i − x'_i)²). Shapes: x I×B×n, W I×n×m, b I×1×n, imp I×1×n. Returns gradients of W and b and the
 * per-instance loss (length I; null unless `withLoss`). Call inside tf.tidy.
 */
export function toyGradients(x: tf.Tensor3D, W: tf.Tensor3D | tf.Variable, b: tf.Tensor | tf.Variable,
  imp: tf.Tensor, activation: 'relu' | 'linear', withLoss = true): { gradW: tf.Tensor; gradB: tf.Tensor; loss: tf.Tensor | null } {
  const B = x.shape[1];
  const Wt = (W as tf.Tensor3D).transpose([0, 2, 1]);
  const h = tf.matMul(x, W as tf.Tensor3D); // I×B×m
  const pre = tf.matMul(h, Wt).add(b); // I×B×n
  const out = activation === 'relu' ? tf.relu(pre) : pre;
  const diff = out.sub(x);
  let G = diff.mul(imp).mul(2 / B);
  if (activation === 'relu') G = G.mul(tf.step(pre, 0));
  const gradB = G.sum(1, true);
  const Gt = G.transpose([0, 2, 1]); // I×n×B (materialised: transposed matMul flags are slow on wasm)
  const xt = x.transpose([0, 2, 1]);
  const dh = tf.matMul(G, W as tf.Tensor3D); // I×B×m
  const gradW = tf.matMul(Gt, h).add(tf.matMul(xt, dh));
  const loss = withLoss ? diff.square().mul(imp).sum(2).mean(1) : null;
  return { gradW, gradB, loss };
}

/**
 * Monte-Carlo estimate of the importance-weighted loss of one toy model (W n×m, b length n) on fresh
 * sparse-uniform inputs (per-sample Σ_i I_i (x_i − x'_i)², averaged over `samples`). Plain JS, float64.
 */
export function toyLoss(W: Matrix, b: ArrayLike<number>, featureProbability: number[], importance: number[],
  activation: 'relu' | 'linear', samples: number, rng: Rng): number {
  const n = W.rows, m = W.cols;
  const x = new Float64Array(n), h = new Float64Array(m);
  let total = 0;
  for (let t = 0; t < samples; t++) {
    for (let i = 0; i < n; i++) x[i] = rng.uniform() < featureProbability[i] ? rng.uniform() : 0;
    h.fill(0);
    for (let i = 0; i < n; i++) {
      if (x[i] === 0) continue;
      for (let k = 0; k < m; k++) h[k] += x[i] * W.data[i * m + k];
    }
    for (let i = 0; i < n; i++) {
      let o = b[i];
      for (let k = 0; k < m; k++) o += h[k] * W.data[i * m + k];
      if (activation === 'relu' && o < 0) o = 0;
      total += importance[i] * (x[i] - o) ** 2;
    }
  }
  return total / samples;
}
