/**
 * `.npy` data larger than memory: 2-D arrays read by row ranges with positioned reads, never whole (any size —
 * a 3 GB file is fine, where reading it whole fails at Node's 2 GiB Buffer limit), several files ("shards")
 * seen as one matrix with their rows one after the other, and codes written row block by row block into one
 * `.npy` whose header is written first.
 *
 * Rows are read into float32 (what training computes in) or float64 (what the sparse solvers take float64 data in):
 * every dtype {@link parseNpy} reads is accepted (float16/32/64, int8…64, uint8…64, bool); into float32, float64
 * and integers beyond 2^24 are rounded to the nearest float32, as the in-memory path does when it copies a batch
 * into float32. NaN, ±inf and values that overflow the output type are refused naming the file, row and column. Fortran-order files (`a.T`, `np.asfortranarray`) are read
 * by column strips: rows [a, b) are M positioned reads of b − a elements, one per column (slower, same values).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataFileError, ShapeError } from '../core/errors';
import { decodeNpyElements, encodeNpyHeader, NpyData, NpyHeader, npyHeaderSpan, parseNpyHeader } from './npy';
import { AtomicOutput, FileAccessError, openAtomicOutput, openRegularFile } from './files';

/** Largest file opened for range reads: 2^48 bytes (256 TiB), far above any disk; reads are by ranges anyway. */
export const MAX_STREAM_FILE_BYTES = 2 ** 48;

/** Largest `.npy` header read (NumPy writes ≤ 64 KiB; format 2.0 allows 4 GiB, refused beyond this). */
const MAX_HEADER_BYTES = 16 * 2 ** 20;

/** A matrix of R rows × M columns (`rows`, `cols`) whose rows can be read by ranges into float32. */
export interface RowSource {
  readonly rows: number;
  readonly cols: number;
  /**
   * Copy rows [a, b) (0 ≤ a ≤ b ≤ rows) into `out` starting at element `offset` ((b − a)·M entries, row-major):
   * float32 (values rounded to it, refused if they overflow it) or float64 (exact, as {@link readMatrix} keeps
   * float64 and large integers).
   */
  readRows(a: number, b: number, out: Float32Array | Float64Array, offset?: number): void;
  /** Release open files (a no-op for in-memory sources). */
  close(): void;
}

/** Positioned read of exactly `length` bytes at `position` into `buf` (a short read means the file shrank). */
function readFully(fd: number, buf: Uint8Array, length: number, position: number, file: string): void {
  let off = 0;
  while (off < length) {
    const n = fs.readSync(fd, buf, off, length - off, position + off);
    if (n === 0) throw new DataFileError(`${file}: file ended at byte ${position + off} while reading rows; was it truncated while being read?`);
    off += n;
  }
}

/**
 * Copy decoded elements into `out[o + i·stride]`, refusing a value that is not finite there (NaN, ±inf, or a
 * float64 beyond float32's range when `out` is float32) and an int64 beyond ±(2^53 − 1); `where(i)` names the element.
 */
function putFloat(src: NpyData, out: Float32Array | Float64Array, o: number, stride: number, where: (i: number) => string, file: string): void {
  const n = src.length;
  if (src instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) {
      const v = src[i];
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new DataFileError(`${file}: int64 value ${v} at ${where(i)} cannot be represented exactly as a float`);
      }
      out[o + i * stride] = Number(v);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const q = o + i * stride;
    out[q] = src[i];
    if (!Number.isFinite(out[q])) { // the stored float32 (a finite float64 may overflow it)
      throw new DataFileError(`${file}: ${Number.isFinite(src[i]) ? `value ${src[i]} (beyond float32's range)` : String(src[i])} at ${where(i)}; ` +
        'remove or impute non-finite values (and scale the data into float32 range)');
    }
  }
}

/**
 * One 2-D `.npy` file read by row ranges (see the module comment). Opened as an untrusted regular file
 * ({@link openRegularFile}: no FIFOs, devices or symlinks, non-blocking); only the header is read on open.
 * Close it when done.
 */
export class NpyRowReader implements RowSource {
  readonly rows: number;
  readonly cols: number;
  readonly header: NpyHeader;
  private fd: number | null;
  private scratch = new Uint8Array(0);

  /**
   * @param file path of a 2-D `.npy`
   * @param name role in messages, e.g. 'data (--input, B×M)'
   * @param what how the file is named when it cannot be opened (default: its path), e.g. '--input acts.npy'
   * @throws FileAccessError / DataFileError / ShapeError naming the file, what is wrong and how to fix it
   */
  constructor(readonly file: string, name = 'array', what = file) {
    const { fd, size } = openRegularFile(file, { maxBytes: MAX_STREAM_FILE_BYTES, what });
    this.fd = fd;
    try {
      const prefix = new Uint8Array(Math.min(size, 12));
      readFully(fd, prefix, prefix.length, 0, file);
      const span = npyHeaderSpan(prefix, file);
      if (span.length > MAX_HEADER_BYTES) throw new DataFileError(`${file}: .npy header of ${span.length} bytes is over ${MAX_HEADER_BYTES}; is the file corrupt? save it again with numpy.save`);
      const head = new Uint8Array(Math.min(size, span.start + span.length));
      readFully(fd, head, head.length, 0, file);
      this.header = parseNpyHeader(head, size, file);
    } catch (e) {
      this.close();
      throw e;
    }
    const s = this.header.shape;
    if (s.length !== 2) {
      this.close();
      throw new ShapeError(`${file}: ${name} must be 2-D but has shape (${s.join(', ')})` +
        (s.length === 1 ? '; reshape it in NumPy with a.reshape(-1, 1) (one feature) or a.reshape(1, -1) (one sample)' :
          s.length > 2 ? `; flatten the leading dimensions, e.g. a.reshape(-1, ${s[s.length - 1]})` : ''));
    }
    this.rows = s[0];
    this.cols = s[1];
  }

  /** Read rows [a, b) into `out` at `offset` (see {@link RowSource.readRows}). */
  readRows(a: number, b: number, out: Float32Array | Float64Array, offset = 0): void {
    if (this.fd === null) throw new DataFileError(`${this.file}: read after close`);
    if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && a <= b && b <= this.rows)) {
      throw new RangeError(`${this.file}: rows [${a}, ${b}) are outside [0, ${this.rows})`);
    }
    const R = this.rows, M = this.cols, h = this.header, w = h.itemBytes, n = b - a;
    if (n === 0 || M === 0) return;
    if (out.length < offset + n * M) throw new RangeError(`readRows: out has ${out.length} entries, rows [${a}, ${b}) need ${offset + n * M}`);
    const where = (r: number, j: number) => `row ${a + r}, column ${j}`;
    if (!h.fortran || M === 1) {
      const bytes = this.buffer(n * M * w);
      readFully(this.fd, bytes, n * M * w, h.dataOffset + a * M * w, this.file);
      putFloat(decodeNpyElements(bytes, n * M, h, this.file), out, offset, 1, (i) => where(Math.floor(i / M), i % M), this.file);
      return;
    }
    // Fortran order: column j holds rows 0..R-1 contiguously; read the strip [a, b) of every column.
    const bytes = this.buffer(n * w);
    for (let j = 0; j < M; j++) {
      readFully(this.fd, bytes, n * w, h.dataOffset + (j * R + a) * w, this.file);
      putFloat(decodeNpyElements(bytes, n, h, this.file), out, offset + j, M, (i) => where(i, j), this.file);
    }
  }

  /** A reusable byte buffer of at least `n` bytes (grows to the largest read asked for). */
  private buffer(n: number): Uint8Array {
    if (this.scratch.length < n) this.scratch = new Uint8Array(n);
    return this.scratch;
  }

  /** Close the file (idempotent). */
  close(): void {
    if (this.fd !== null) { try { fs.closeSync(this.fd); } catch { /* already closed */ } this.fd = null; }
  }
}

/**
 * Several row sources (shards) seen as one matrix: the rows of the first, then those of the second, …; every shard
 * has the same number of columns M. Row ranges may span shards.
 */
export class ShardedRows implements RowSource {
  readonly rows: number;
  readonly cols: number;
  /** Global index of each shard's first row, and the total row count at the end (length shards + 1). */
  readonly starts: number[];

  constructor(readonly shards: RowSource[], names: string[] = shards.map((_, i) => `shard ${i}`)) {
    if (shards.length === 0) throw new ShapeError('no shards given; name at least one .npy file');
    this.cols = shards[0].cols;
    this.starts = [0];
    shards.forEach((s, i) => {
      if (s.cols !== this.cols) {
        throw new ShapeError(`${names[i]} has ${s.cols} columns but ${names[0]} has ${this.cols}; every shard must hold rows of the same width M`);
      }
      this.starts.push(this.starts[i] + s.rows);
    });
    this.rows = this.starts[shards.length];
  }

  readRows(a: number, b: number, out: Float32Array | Float64Array, offset = 0): void {
    if (!(a >= 0 && a <= b && b <= this.rows)) throw new RangeError(`rows [${a}, ${b}) are outside [0, ${this.rows})`);
    // first shard holding row a (binary search over the starts)
    let lo = 0, hi = this.shards.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (this.starts[mid] <= a) lo = mid; else hi = mid - 1; }
    for (let s = lo, r = a; r < b; s++) {
      const e = Math.min(b, this.starts[s + 1]);
      if (e > r) this.shards[s].readRows(r - this.starts[s], e - this.starts[s], out, offset + (r - a) * this.cols);
      r = Math.max(r, e);
    }
  }

  close(): void { for (const s of this.shards) s.close(); }
}

/**
 * Scratch for `rows` rows of X in the precision {@link readMatrix} keeps: float64 when a shard holds float64 or
 * integers that float32 cannot hold exactly (int32, int64), float32 otherwise.
 */
export function rowBuffer(X: ShardedRows, rows: number): Float32Array | Float64Array {
  const wide = X.shards.some((s) => s instanceof NpyRowReader && ['float64', 'int64', 'int32'].includes(s.header.dtype));
  return wide ? new Float64Array(rows * X.cols) : new Float32Array(rows * X.cols);
}

/** An in-memory matrix (R×M, row-major) as a {@link RowSource} (values copied into float32). */
export class MatrixRows implements RowSource {
  constructor(readonly rows: number, readonly cols: number, private readonly data: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> }) {
    if (data.length !== rows * cols) throw new ShapeError(`MatrixRows: ${data.length} entries for ${rows}×${cols}`);
  }

  readRows(a: number, b: number, out: Float32Array | Float64Array, offset = 0): void {
    if (!(a >= 0 && a <= b && b <= this.rows)) throw new RangeError(`rows [${a}, ${b}) are outside [0, ${this.rows})`);
    out.set(this.data.subarray(a * this.cols, b * this.cols), offset);
  }

  close(): void { /* nothing to release */ }
}

/** Whether a path component holds glob characters (`*`, `?`, `[`). */
function isGlob(s: string): boolean { return /[*?[]/.test(s); }

/** A glob over one file name (`*`, `?`, `[abc]`, `[a-z]`, `[!a]`) as an anchored regular expression. */
function globRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) { re += '\\['; continue; }
      let body = pattern.slice(i + 1, end);
      if (body[0] === '!') body = '^' + body.slice(1);
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * The `.npy` files an input names, in order: a file (itself), a folder (its `*.npy` files, sorted by name with
 * numbers in order: shard_2 before shard_10), or a glob in the last path component (`acts/shard_*.npy`, sorted
 * the same way). Several inputs may be given separated by commas (`a.npy,b.npy`), each resolved this way.
 * @throws FileAccessError when a folder or glob matches no `.npy` file, or a named file does not exist
 */
export function resolveShards(input: string): string[] {
  const out: string[] = [];
  const order = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  for (const part of input.split(',').map((s) => s.trim()).filter(Boolean)) {
    const base = path.basename(part), dir = path.dirname(part);
    if (isGlob(base)) {
      if (isGlob(dir)) throw new FileAccessError(`${part}: glob characters are only understood in the file name, not in the folder ${dir}`, part);
      let names: string[];
      try { names = fs.readdirSync(dir); } catch { throw new FileAccessError(`${part}: the folder ${dir} does not exist`, part); }
      const re = globRegex(base);
      const hit = names.filter((n) => re.test(n)).sort(order);
      if (hit.length === 0) throw new FileAccessError(`${part}: no file matches the pattern ${base} in ${dir}`, part);
      out.push(...hit.map((n) => path.join(dir, n)));
      continue;
    }
    let st: fs.Stats | null = null;
    try { st = fs.statSync(part); } catch { /* reported by the reader, naming the file */ }
    if (st?.isDirectory()) {
      const hit = fs.readdirSync(part).filter((n) => n.endsWith('.npy')).sort(order);
      if (hit.length === 0) throw new FileAccessError(`${part} is a folder with no .npy file in it; put the shards there or name the files`, part);
      out.push(...hit.map((n) => path.join(part, n)));
    } else out.push(part);
  }
  if (out.length === 0) throw new FileAccessError(`'${input}' names no file`, input);
  return out;
}

/**
 * Open the `.npy` files an input names ({@link resolveShards}) as one matrix of their rows, read by ranges.
 * @param name role in messages, e.g. 'data (--input, B×M)'
 * @param option the command-line option that named the input, prefixed to the file in open errors
 */
export function openShards(input: string, name = 'array', option = ''): ShardedRows {
  const files = resolveShards(input);
  const readers: NpyRowReader[] = [];
  try {
    for (const f of files) readers.push(new NpyRowReader(f, name, option ? `${option} ${f}` : f));
    return new ShardedRows(readers, files);
  } catch (e) {
    for (const r of readers) r.close();
    throw e;
  }
}

/**
 * A float32 2-D `.npy` written row block by row block, for outputs larger than memory: the header (shape R×M,
 * known up front) is written first into a temporary file next to `file`, rows are appended with
 * {@link NpyRowWriter.append}, and {@link NpyRowWriter.commit} checks that exactly R rows came, fsyncs and renames
 * over `file` (so a reader sees the old file or the whole new one). {@link NpyRowWriter.abort} removes the
 * temporary file. The bytes are those `np.save` writes for the same array.
 */
export class NpyRowWriter {
  private written = 0;
  private readonly out: AtomicOutput;

  constructor(readonly file: string, readonly rows: number, readonly cols: number) {
    this.out = openAtomicOutput(file);
    try {
      this.out.write(encodeNpyHeader([rows, cols], 'float32'));
    } catch (e) {
      this.out.abort();
      throw e;
    }
  }

  /** Append `n` rows (n·M float32 entries of `data`, row-major). */
  append(data: Float32Array, n = data.length / this.cols): void {
    if (this.written + n > this.rows) throw new ShapeError(`${this.file}: ${this.written + n} rows appended, the header declares ${this.rows}`);
    this.out.write(new Uint8Array(data.buffer, data.byteOffset, n * this.cols * 4));
    this.written += n;
  }

  /** Finish: every declared row was appended; fsync and rename over the target. */
  commit(): void {
    if (this.written !== this.rows) {
      this.out.abort();
      throw new ShapeError(`${this.file}: ${this.written} rows written, the header declares ${this.rows}; nothing was changed there`);
    }
    this.out.commit();
  }

  /** Give up: remove the temporary file, leave `file` as it was. */
  abort(): void { this.out.abort(); }
}
