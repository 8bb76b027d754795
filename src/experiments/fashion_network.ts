/**
 * Notebook 06, step 1: a small classifier trained on Fashion-MNIST in tfjs (the MLP 784-256-128-64 of the
 * data set's benchmark table, with batch norm and ReLU, plus a bias-free linear head to the 10
 * classes), and the activations of one of its hidden layers.
 *
 * Inputs are B×784 images in [0, 1] (rows of an {@link ImageSplit}); they are standardised with the
 * training pixels' mean and standard deviation (stored with the network). The recorded layer is a hidden
 * layer after batch norm and ReLU (default: the 128-unit second layer) — the "neurons".
 */
import * as fs from 'fs';
import * as path from 'path';
import { Matrix, MatrixLike, matrix } from '../core/matrix';
import { Rng } from '../core/rng';
import { checkInt, checkMatrix, checkNumber } from '../core/validate';
import { ShapeError, ValueError } from '../core/errors';
import { ImageSplit } from '../io/datasets';
import { writeNpy } from '../io/npy';
import { MlpHistoryRow, MlpWeights, encodeMlp, trainClassifier } from '../identifiability/mlp';
import { ActivationSet } from './activation_set';

/** Options of {@link trainFashionNetwork}. */
export interface FashionNetworkOptions {
  /** Hidden widths before the representation (default [256, 128]); with repDim 64 this is MLP 256-128-64. */
  hidden?: number[];
  /** Width of the last (linear) layer before the class head (default 64). */
  repDim?: number;
  /** Hidden layer whose activations are recorded (0-based, default 1: the 128-unit layer). */
  layer?: number;
  /** Adam steps (default 5000) of batch `batch` (default 128) drawn with replacement from the training split. */
  steps?: number;
  batch?: number;
  /** Peak learning rate (default 2e-3), cosine-decayed to 1 % of it. */
  lr?: number;
  /** Leaky-ReLU slope of the hidden layers (default 0: plain ReLU, so neurons are non-negative). */
  slope?: number;
  /** Seed of the initial weights and the batch order. */
  seed?: number;
  /** Evaluate test accuracy this many times during training (default 5). */
  evaluations?: number;
  progress?: boolean;
}

/** A trained Fashion-MNIST classifier (plain data; no tensors). */
export interface FashionNetwork {
  encoder: MlpWeights;
  /** repDim×10 linear head. */
  head: Matrix<Float32Array>;
  /** Recorded hidden layer (index into the hidden layers) and its width. */
  layer: number;
  width: number;
  /** Standardisation of the pixels: (x − pixelMean) / pixelStd. */
  pixelMean: number;
  pixelStd: number;
  seed: number;
  /** Accuracy on the test images given to {@link trainFashionNetwork}. */
  testAccuracy: number;
  /** Loss and test accuracy during training. */
  history: MlpHistoryRow[];
  seconds: number;
}

function checkImages(what: string, images: MatrixLike, cols?: number): Matrix {
  return checkMatrix(`${what} (B×pixels images)`, images, { cols, names: ['B', 'pixels'] });
}

function standardise(net: { pixelMean: number; pixelStd: number }, X: Matrix): Matrix<Float32Array> {
  const out = new Float32Array(X.data.length);
  const m = net.pixelMean, s = net.pixelStd;
  for (let i = 0; i < out.length; i++) out[i] = (X.data[i] - m) / s;
  return matrix(X.rows, X.cols, out);
}

/** Class scores (B×10 logits) of images (B×784 in [0, 1]). */
export async function networkLogits(net: FashionNetwork, images: MatrixLike): Promise<Matrix<Float32Array>> {
  const X = checkImages('images', images, net.encoder.sizes[0]);
  const rep = await encodeMlp(net.encoder, standardise(net, X));
  const R = rep.cols, C = net.head.cols, out = new Float32Array(X.rows * C);
  for (let b = 0; b < X.rows; b++) {
    for (let j = 0; j < R; j++) {
      const v = rep.data[b * R + j];
      for (let c = 0; c < C; c++) out[b * C + c] += v * net.head.data[j * C + c];
    }
  }
  return matrix(X.rows, C, out);
}

/** Fraction of images (B×784) whose arg-max logit is the label (B). */
export async function networkAccuracy(net: FashionNetwork, images: MatrixLike, labels: ArrayLike<number>): Promise<number> {
  const L = await networkLogits(net, images);
  if (labels.length !== L.rows) throw new ShapeError(`networkAccuracy: ${L.rows} images but ${labels.length} labels`);
  let ok = 0;
  for (let b = 0; b < L.rows; b++) {
    let best = 0;
    for (let c = 1; c < L.cols; c++) if (L.data[b * L.cols + c] > L.data[b * L.cols + best]) best = c;
    if (best === labels[b]) ok++;
  }
  return ok / L.rows;
}

/** The widths of the layers {@link networkActivations} can record: the hidden layers, then the linear representation (e.g. [256, 128, 64]). */
export function networkLayerWidths(net: FashionNetwork): number[] {
  return net.encoder.sizes.slice(1);
}

/**
 * Activations (B×width, float32) for images (B×784 in [0, 1]) of the recorded hidden layer, or of `layer`:
 * 0 … H−1 a hidden layer after batch norm and ReLU (non-negative), H the linear representation before the
 * class head (signed), H = the number of hidden layers; widths in {@link networkLayerWidths}.
 */
export async function networkActivations(net: FashionNetwork, images: MatrixLike, layer = net.layer): Promise<Matrix<Float32Array>> {
  const X = checkImages('images', images, net.encoder.sizes[0]);
  const last = net.encoder.layers.length - 1;
  checkInt(`layer (0 … ${last - 1} a hidden layer, ${last} the representation)`, layer, 0, last);
  return encodeMlp(net.encoder, standardise(net, X), layer === last ? {} : { layer });
}

/**
 * Train the classifier on `train` (images B×784 in [0, 1], labels 0…9) and report accuracy on `test`.
 * Seeded and deterministic. Cross-entropy, Adam with cosine decay; the architecture and the recorded
 * layer are in {@link FashionNetworkOptions}.
 */
export async function trainFashionNetwork(train: ImageSplit, test: ImageSplit, o: FashionNetworkOptions = {}): Promise<FashionNetwork> {
  const X = checkImages('train.images', train.images);
  const P = X.cols;
  if (train.labels.length !== X.rows) throw new ShapeError(`trainFashionNetwork: ${X.rows} training images but ${train.labels.length} labels`);
  checkImages('test.images', test.images, P);
  const hidden = o.hidden ?? [256, 128];
  const layer = checkInt('layer', o.layer ?? 1, 0, hidden.length - 1);
  const steps = checkInt('steps', o.steps ?? 5000, 1);
  const evaluations = checkInt('evaluations', o.evaluations ?? 5, 1);
  const seed = checkInt('seed', o.seed ?? 0, 0);
  let classes = 0;
  for (const l of train.labels) {
    if (!Number.isInteger(l) || l < 0) throw new ValueError(`trainFashionNetwork: labels must be integers ≥ 0, found ${l}`);
    classes = Math.max(classes, l + 1);
  }
  let s1 = 0, s2 = 0;
  for (const v of X.data) { s1 += v; s2 += v * v; }
  const pixelMean = s1 / X.data.length, pixelStd = Math.sqrt(Math.max(s2 / X.data.length - pixelMean * pixelMean, 1e-12));
  const norm = { pixelMean, pixelStd };
  const net: Omit<FashionNetwork, 'encoder' | 'head' | 'testAccuracy' | 'history' | 'seconds'> = {
    layer, width: hidden[layer], pixelMean, pixelStd, seed,
  };
  const accuracyOf = async (enc: MlpWeights, head: Matrix<Float32Array>) =>
    networkAccuracy({ ...net, encoder: enc, head, testAccuracy: NaN, history: [], seconds: 0 }, test.images, test.labels);
  const res = await trainClassifier({
    inDim: P, repDim: o.repDim ?? 64, hidden, classes, steps, batch: o.batch ?? 128,
    lr: checkNumber('lr', o.lr ?? 2e-3, 0), lrSchedule: 'cosine', seed, slope: o.slope ?? 0, progress: o.progress ?? true,
    evalEvery: Math.max(1, Math.floor(steps / evaluations)),
    onEval: async (_step, enc, head): Promise<Record<string, number>> => (head ? { testAccuracy: await accuracyOf(enc, head) } : {}),
    sample: (B: number, rng: Rng) => {
      const x = new Float32Array(B * P), labels = new Int32Array(B);
      for (let i = 0; i < B; i++) {
        const q = rng.int(X.rows);
        x.set(X.data.subarray(q * P, (q + 1) * P), i * P);
        labels[i] = train.labels[q];
      }
      return { x: standardise(norm, matrix(B, P, x)), labels };
    },
  });
  const head = res.head!;
  const full: FashionNetwork = { ...net, encoder: res.encoder, head, testAccuracy: NaN, history: res.history, seconds: res.seconds };
  full.testAccuracy = await networkAccuracy(full, test.images, test.labels);
  return full;
}

/**
 * Save a network's recorded activations as NPY files in `dir` (created): `<prefix>_train.npy`,
 * `<prefix>_test.npy` (float32, B×width) and `<prefix>_test_labels.npy` (int32). Returns the paths.
 */
export function saveActivations(dir: string, prefix: string, acts: { train: Matrix; test: Matrix; testLabels?: Int32Array }): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, m: Matrix) => { const f = path.join(dir, `${prefix}_${name}.npy`); writeNpy(f, m); files.push(f); };
  put('train', acts.train);
  put('test', acts.test);
  if (acts.testLabels) {
    const f = path.join(dir, `${prefix}_test_labels.npy`);
    writeNpy(f, { dtype: 'int32', shape: [acts.testLabels.length], data: acts.testLabels });
    files.push(f);
  }
  return files;
}

/**
 * The recorded layer's (or `layer`'s, see {@link networkActivations}) activations on a data set's training and
 * test images, as an {@link ActivationSet} (test images, labels and the image size included; `source` names the
 * network and the layer).
 */
export async function networkActivationSet(net: FashionNetwork, data: { train: ImageSplit; test: ImageSplit; classes: readonly string[] }, source?: string,
  layer = net.layer): Promise<ActivationSet> {
  const width = networkLayerWidths(net)[layer], rep = layer === net.encoder.layers.length - 1;
  return {
    source: source ?? `${rep ? 'representation layer' : 'hidden layer'} ${layer} (${width} units) of the seed-${net.seed} network`,
    train: await networkActivations(net, data.train.images, layer),
    test: await networkActivations(net, data.test.images, layer),
    testImages: data.test.images, testLabels: data.test.labels, classes: data.classes.length,
    height: data.test.height, width: data.test.width,
  };
}
