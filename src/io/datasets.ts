/**
 * Data sets with checksums, found on disk or downloaded into `data/`.
 *
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; MIT licence, © Zalando SE): 60k train / 10k test grey 28×28
 * images, 10 classes. Looked up in order: `$WORKBOOK_DATA_DIR/fashion-mnist/`, `<project>/data/fashion-mnist/`,
 * the files of Debian's `dataset-fashion-mnist` package (`dpkg -L`, usually /usr/share/datasets/fashion-mnist/);
 * otherwise downloaded into `<project>/data/fashion-mnist/` with a clear message if offline.
 *
 * Checksums: a file is accepted if the MD5 of its .gz bytes matches the upstream release, or if the SHA-256 of
 * its decompressed content matches (Debian's package recompresses the upstream files, so their .gz MD5s differ
 * from upstream's while the content is the same). See data/README.md.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DataFileError } from '../core/errors';
import { projectRoot } from '../core/paths';
import { Matrix } from '../core/matrix';
import { parseIdx } from './idx';

/** One file of a data set with its accepted checksums. */
interface FileSpec {
  name: string;
  /** MD5 of the upstream .gz file. */
  gzMd5: string;
  /** SHA-256 of the decompressed IDX content. */
  rawSha256: string;
}

const FASHION: Record<'trainImages' | 'trainLabels' | 'testImages' | 'testLabels', FileSpec> = {
  trainImages: { name: 'train-images-idx3-ubyte.gz', gzMd5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d', rawSha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888' },
  trainLabels: { name: 'train-labels-idx1-ubyte.gz', gzMd5: '25c81989df183df01b3e8a0aad5dffbe', rawSha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9' },
  testImages: { name: 't10k-images-idx3-ubyte.gz', gzMd5: 'bef4ecab320f06d8554ea6380940ec79', rawSha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b' },
  testLabels: { name: 't10k-labels-idx1-ubyte.gz', gzMd5: 'bb300cfdad3c16e7a12a480ee83cd310', rawSha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34' },
};
const FASHION_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/** Fashion-MNIST class names, by label 0–9. */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

/** A labelled image split: `images` is B×784 float32 in [0, 1] (row-major 28×28), `labels` has B ints 0–9. */
export interface ImageSplit {
  images: Matrix<Float32Array>;
  labels: Int32Array;
  height: number;
  width: number;
}

/** Both splits of Fashion-MNIST, plus where the files came from. */
export interface FashionMnist {
  train: ImageSplit;
  test: ImageSplit;
  classes: readonly string[];
  source: string;
}


/** Folders that may hold the Fashion-MNIST files, in order of preference. */
export function fashionMnistCandidates(): string[] {
  const dirs: string[] = [];
  if (process.env.WORKBOOK_DATA_DIR) dirs.push(path.join(process.env.WORKBOOK_DATA_DIR, 'fashion-mnist'));
  dirs.push(path.join(projectRoot(), 'data', 'fashion-mnist'));
  try {
    const files = execFileSync('dpkg', ['-L', 'dataset-fashion-mnist'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const hit = files.split('\n').find((f) => f.endsWith('/train-images-idx3-ubyte.gz'));
    if (hit) dirs.push(path.dirname(hit));
  } catch { /* not Debian or package absent */ }
  dirs.push('/usr/share/datasets/fashion-mnist');
  return [...new Set(dirs)];
}

function verify(file: string, bytes: Buffer, spec: FileSpec): void {
  const md5 = createHash('md5').update(bytes).digest('hex');
  if (md5 === spec.gzMd5) return;
  let raw: Buffer;
  try { raw = zlib.gunzipSync(bytes); } catch {
    throw new DataFileError(`${file}: not valid gzip data (MD5 ${md5}, expected ${spec.gzMd5}); delete it and run again to fetch a fresh copy`);
  }
  const sha = createHash('sha256').update(raw).digest('hex');
  if (sha !== spec.rawSha256) {
    throw new DataFileError(`${file}: checksum mismatch (gz MD5 ${md5}, content SHA-256 ${sha.slice(0, 16)}…); ` +
      'the file is corrupt or not the Fashion-MNIST release; delete it and run again to fetch a fresh copy');
  }
}

async function download(url: string, dest: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new DataFileError(`Fashion-MNIST not found on this machine and the download of ${url} failed ` +
      `(${(e as Error).message}${(e as { cause?: Error }).cause ? `: ${(e as { cause?: Error }).cause?.message}` : ''}). ` +
      `Offline? On Debian/Ubuntu: apt-get install dataset-fashion-mnist. Elsewhere: put the four .gz files into ${path.dirname(dest)}/ ` +
      'or set WORKBOOK_DATA_DIR to a folder containing fashion-mnist/.');
  }
  if (!res.ok) throw new DataFileError(`download of ${url} failed: HTTP ${res.status}`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest + '.part', Buffer.from(await res.arrayBuffer()));
  fs.renameSync(dest + '.part', dest);
}

async function loadFile(spec: FileSpec, dirs: string[]): Promise<{ bytes: Buffer; file: string }> {
  for (const d of dirs) {
    const f = path.join(d, spec.name);
    if (fs.existsSync(f)) {
      const bytes = fs.readFileSync(f);
      verify(f, bytes, spec);
      return { bytes, file: f };
    }
  }
  const dest = path.join(projectRoot(), 'data', 'fashion-mnist', spec.name);
  console.error(`Fashion-MNIST: ${spec.name} not found in ${dirs.join(', ')}; downloading into ${path.dirname(dest)}`);
  await download(FASHION_URL + spec.name, dest);
  const bytes = fs.readFileSync(dest);
  verify(dest, bytes, spec);
  return { bytes, file: dest };
}

function toSplit(img: { bytes: Buffer; file: string }, lab: { bytes: Buffer; file: string }, limit?: number): ImageSplit {
  const im = parseIdx(img.bytes, img.file);
  const lb = parseIdx(lab.bytes, lab.file);
  if (im.shape.length !== 3 || lb.shape.length !== 1 || im.shape[0] !== lb.shape[0]) {
    throw new DataFileError(`${img.file}: unexpected IDX shapes images (${im.shape}) / labels (${lb.shape})`);
  }
  const [n0, h, w] = im.shape;
  const n = limit === undefined ? n0 : Math.min(n0, limit);
  const pix = new Float32Array(n * h * w);
  for (let i = 0; i < pix.length; i++) pix[i] = im.data[i] / 255;
  return { images: { rows: n, cols: h * w, data: pix }, labels: Int32Array.from(lb.data.subarray(0, n)), height: h, width: w };
}

/**
 * Load Fashion-MNIST (checksummed). Images are B×784 float32 in [0, 1].
 * @param opts.trainLimit / testLimit keep only the first n samples of a split (quick mode).
 */
export async function loadFashionMnist(opts: { trainLimit?: number; testLimit?: number } = {}): Promise<FashionMnist> {
  const dirs = fashionMnistCandidates();
  const [ti, tl, si, sl] = await Promise.all([
    loadFile(FASHION.trainImages, dirs), loadFile(FASHION.trainLabels, dirs),
    loadFile(FASHION.testImages, dirs), loadFile(FASHION.testLabels, dirs),
  ]);
  return {
    train: toSplit(ti, tl, opts.trainLimit),
    test: toSplit(si, sl, opts.testLimit),
    classes: FASHION_MNIST_CLASSES,
    source: path.dirname(ti.file),
  };
}
