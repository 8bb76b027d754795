/**
 * Notebook 06's input: the activations of one layer on training and test examples, with the test images
 * (for the image-based scores and grids) and labels (for the label-based scores). Built from a trained
 * network, or from the user's own `.npy` files ({@link loadActivationSet}).
 *
 * Shapes: train acts B_train×M, test acts B_test×M (M units), test images B_test×(h·w), labels B_test.
 */
import { Matrix, matrix, selectRows } from '../core/matrix';
import { Rng } from '../core/rng';
import { checkMatrix, checkNumber, checkInt } from '../core/validate';
import { DataFileError, ShapeError, ValueError } from '../core/errors';
import { NpyArray, readNpy, toFloat } from '../io/npy';

/** Activations of one layer, split into examples to learn on and examples to evaluate on. */
export interface ActivationSet {
  /** Where the activations came from (for captions). */
  source: string;
  /** B_train×M activations to fit PCA and dictionaries on. */
  train: Matrix;
  /** B_test×M activations to evaluate and score on. */
  test: Matrix;
  /** B_test×(h·w) images of the test examples, values in any range (grey levels), if known. */
  testImages: Matrix | null;
  /** Class of every test example (0…C−1), if known. */
  testLabels: Int32Array | null;
  /** Number of classes C (max label + 1), 0 without labels. */
  classes: number;
  /** Image height and width (h·w = image columns), 0 without images. */
  height: number;
  width: number;
}

/** Options of {@link loadActivationSet}. */
export interface LoadActivationSetOptions {
  /** `.npy` of activations, B×M (float32/float64; any leading dimensions after the first are flattened). */
  activations: string;
  /** `.npy` of the same B examples' images: B×h×w (or B×P with `imageShape`), any numeric dtype. */
  images?: string | null;
  /** `.npy` of the same B examples' integer class labels (length B). */
  labels?: string | null;
  /** [h, w] when images are stored flat (B×P). */
  imageShape?: [number, number];
  /** Fraction of examples held out for evaluation (default 0.2), drawn with `seed`. */
  testFraction?: number;
  seed?: number;
}

function asNumbers(a: NpyArray): Float64Array | Float32Array {
  if (a.data instanceof Float32Array || a.data instanceof Float64Array) return a.data;
  if (a.data instanceof BigInt64Array) return Float64Array.from(a.data, (v) => Number(v));
  return Float64Array.from(a.data as ArrayLike<number>);
}

/**
 * The user's own activations (and optionally images and labels, same examples in the same order) as an
 * {@link ActivationSet}: a seeded random `testFraction` of the examples is held out for evaluation.
 * Errors name the file and what is wrong (row counts that differ, non-finite activations, labels that are
 * not integers, images whose shape is unknown).
 */
export function loadActivationSet(o: LoadActivationSetOptions): ActivationSet {
  if (!o || typeof o.activations !== 'string') throw new ValueError('loadActivationSet: pass { activations: "path/to/acts.npy" } (and optionally images, labels)');
  const A = readNpy(o.activations);
  if (A.shape.length < 2) throw new DataFileError(`${o.activations}: activations must be 2-D (examples × units), got shape (${A.shape.join(', ')}); reshape with acts.reshape(len(acts), -1)`);
  // integer (e.g. quantised) activations are converted exactly, as readMatrix does
  const data = A.data instanceof Float32Array || A.data instanceof Float64Array ? A.data : toFloat(A, o.activations);
  const B = A.shape[0], M = data.length / B;
  const acts = checkMatrix(`activations in ${o.activations}`, matrix(B, M, data), { names: ['B', 'M'] });
  let images: Matrix | null = null, h = 0, w = 0;
  if (o.images) {
    const I = readNpy(o.images);
    if (I.shape[0] !== B) throw new ShapeError(`${o.images}: ${I.shape[0]} images but ${B} activation rows in ${o.activations}; both must list the same examples in the same order`);
    if (I.shape.length === 3) { h = I.shape[1]; w = I.shape[2]; }
    else if (I.shape.length === 4 && (I.shape[1] === 1 || I.shape[3] === 1)) { h = I.shape[I.shape[1] === 1 ? 2 : 1]; w = I.shape[I.shape[1] === 1 ? 3 : 2]; }
    else if (I.shape.length === 2 && o.imageShape) {
      [h, w] = o.imageShape;
      if (h * w !== I.shape[1]) throw new ShapeError(`${o.images}: imageShape ${h}×${w} = ${h * w} pixels but the images have ${I.shape[1]} columns`);
    } else {
      throw new ShapeError(`${o.images}: images must be B×h×w (grey) or B×P with imageShape: [h, w]; got shape (${I.shape.join(', ')})`);
    }
    images = checkMatrix(`images in ${o.images}`, matrix(B, h * w, asNumbers(I)), { names: ['B', 'pixels'] });
  }
  let labels: Int32Array | null = null, classes = 0;
  if (o.labels) {
    const L = readNpy(o.labels);
    if (L.data.length !== B) throw new ShapeError(`${o.labels}: ${L.data.length} labels but ${B} activation rows in ${o.activations}`);
    const v = asNumbers(L);
    labels = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      if (!Number.isInteger(v[b]) || v[b] < 0) throw new DataFileError(`${o.labels}: label ${b} is ${v[b]}; labels must be integers 0…C−1`);
      labels[b] = v[b];
      classes = Math.max(classes, v[b] + 1);
    }
  }
  const frac = checkNumber('testFraction', o.testFraction ?? 0.2, 0, 1);
  const nTest = Math.round(frac * B);
  if (nTest < 20 || B - nTest < 20) throw new ValueError(`loadActivationSet: ${B} examples with testFraction ${frac} leave ${B - nTest} to learn on and ${nTest} to evaluate; need at least 20 of each`);
  const perm = new Rng(checkInt('seed', o.seed ?? 0, 0)).permutation(B);
  const test = Int32Array.from(perm.subarray(0, nTest)).sort(), train = Int32Array.from(perm.subarray(nTest)).sort();
  return {
    source: o.activations, train: selectRows(acts, train), test: selectRows(acts, test),
    testImages: images ? selectRows(images, test) : null,
    testLabels: labels ? Int32Array.from(test, (b) => labels![b]) : null,
    classes, height: h, width: w,
  };
}
