/**
 * Training rows streamed from data larger than memory — the role of SAELens's `ActivationsStore` and its mixing
 * buffer: a bounded buffer of rows drawn from every shard, shuffled with a seed, handed out as B×M float32 batches.
 *
 * How rows are drawn. The R rows of the source (all shards, one after the other) are cut into chunks of
 * `chunkRows` consecutive rows (one positioned read each). Every pass visits the chunks in a new seeded random
 * order, reads them into the buffer until it holds `bufferRows` rows (so one buffer mixes chunks from anywhere in
 * any shard), shuffles the buffered rows, and hands them out; when the buffer is used up it is refilled from the
 * next chunks. Every training row is handed out exactly once per pass; passes follow one another without a gap
 * (a batch may hold the last rows of one pass and the first of the next). Unlike SAELens's buffer, which mixes
 * rows read in file order, chunks come from anywhere in the data, so neighbouring rows (tokens of one sequence)
 * are spread over the whole pass.
 *
 * Held-out rows ({@link ActivationStore.holdOut}): the first n rows of a seeded shuffle of the chunks (whole
 * chunks, the last one cut at n), taken out before training starts and never handed out as training rows.
 *
 * Memory: the buffer, bufferRows × M float32 ({@link ActivationStore.bufferBytes}), the read scratch of one chunk,
 * and 16 bytes per chunk for the visiting order — whatever the size of the data.
 */
import { Rng } from '../core/rng';
import { Matrix, matrix } from '../core/matrix';
import { ShapeError, ValueError } from '../core/errors';
import type { RowSource } from '../io/npy_stream';

/** Options of an {@link ActivationStore}. */
export interface ActivationStoreOptions {
  /** Rows held in memory at once (default 65536, at most the rows of the source). */
  bufferRows?: number;
  /** Consecutive rows per read (default 256; 1 gives a row-level shuffle at one read per row). */
  chunkRows?: number;
  /** Seed of the held-out choice and of the visiting and mixing orders (default 0). */
  seed?: number;
}

/** A bounded, seeded, shuffled stream of B×M float32 batches from a {@link RowSource} (see the module comment). */
export class ActivationStore {
  /** M: entries per row. */
  readonly dim: number;
  /** Rows of the buffer (the most rows held at once). */
  readonly bufferRows: number;
  /** Consecutive rows per read. */
  readonly chunkRows: number;
  /** Passes begun so far (1 once the first row has been read). */
  passes = 0;
  /** Rows handed out so far. */
  delivered = 0;
  private readonly buf: Float32Array;
  private readonly order: Int32Array;
  /** Training segments: first global row and length of each (chunks, minus the held-out rows). */
  private segStart: Float64Array;
  private segLen: Int32Array;
  private trainRows: number;
  /** Visiting order of the segments in the current pass, the next segment to read, rows of it already read. */
  private visit: Int32Array = new Int32Array(0);
  private nextSeg = 0;
  private segPos = 0;
  /** Rows in the buffer and the next one to hand out. */
  private filled = 0;
  private pos = 0;
  private held = false;
  /** Reads of the last refill not yet done (start row, row count, buffer row), while {@link skip} passes buffers over. */
  private pending: number[] | null = null;
  private readonly rng: Rng;
  private readonly heldRng: Rng;

  constructor(private readonly source: RowSource, opts: ActivationStoreOptions = {}) {
    const R = source.rows, M = source.cols;
    if (R < 1) throw new ValueError('the activation source has no rows; give at least one sample');
    const C = opts.chunkRows ?? 256, bufferRows = Math.min(opts.bufferRows ?? 65536, R);
    if (!Number.isInteger(C) || C < 1) throw new ValueError(`chunkRows must be an integer ≥ 1, got ${C}`);
    if (!Number.isInteger(bufferRows) || bufferRows < 1) throw new ValueError(`bufferRows must be an integer ≥ 1, got ${opts.bufferRows}`);
    this.dim = M;
    this.bufferRows = bufferRows;
    this.chunkRows = C;
    this.buf = new Float32Array(bufferRows * M);
    this.order = new Int32Array(bufferRows);
    const K = Math.ceil(R / C);
    this.segStart = new Float64Array(K);
    this.segLen = new Int32Array(K);
    for (let c = 0; c < K; c++) { this.segStart[c] = c * C; this.segLen[c] = Math.min(C, R - c * C); }
    this.trainRows = R;
    const seed = opts.seed ?? 0;
    this.rng = new Rng(seed);
    this.heldRng = new Rng((seed ^ 0x3c6ef372) >>> 0);
  }

  /** Training rows per pass (the source's rows minus the held-out rows). */
  get rows(): number { return this.trainRows; }

  /** Bytes of the row buffer and its shuffle order (the store's memory apart from the 16 bytes per chunk). */
  get bufferBytes(): number { return this.buf.byteLength + this.order.byteLength; }

  /**
   * Take `n` rows out of the stream as the held-out set (n×M; see the module comment); they are never handed out
   * by {@link next}. Call once, before the first batch; at least one training row must remain.
   */
  holdOut(n: number): Matrix<Float32Array> {
    if (this.held || this.passes > 0) throw new ValueError('holdOut must be called once, before the first batch is drawn');
    if (!Number.isInteger(n) || n < 0 || n >= this.trainRows) throw new ValueError(`cannot hold out ${n} of ${this.trainRows} rows; at least one must remain for training`);
    this.held = true;
    const M = this.dim, out = new Float32Array(n * M);
    const K = this.segLen.length, perm = this.heldRng.permutation(K);
    const drop = new Uint8Array(K);
    let got = 0;
    for (let i = 0; got < n; i++) {
      const c = perm[i], take = Math.min(this.segLen[c], n - got);
      this.source.readRows(this.segStart[c], this.segStart[c] + take, out, got * M);
      got += take;
      if (take === this.segLen[c]) drop[c] = 1;
      else { this.segStart[c] += take; this.segLen[c] -= take; }
    }
    const keep: number[] = [];
    for (let c = 0; c < K; c++) if (!drop[c]) keep.push(c);
    this.segStart = Float64Array.from(keep, (c) => this.segStart[c]);
    this.segLen = Int32Array.from(keep, (c) => this.segLen[c]);
    this.trainRows -= n;
    return matrix(n, M, out);
  }

  /** Up to `n` of the next training rows (fewer if the buffer holds fewer), without consuming them. */
  peek(n: number): Matrix<Float32Array> {
    if (this.pos === this.filled) this.refill();
    this.load();
    const M = this.dim, k = Math.min(n, this.filled - this.pos), out = new Float32Array(k * M);
    for (let i = 0; i < k; i++) { const r = this.order[this.pos + i]; out.set(this.buf.subarray(r * M, (r + 1) * M), i * M); }
    return matrix(k, M, out);
  }

  /** Fill `out` (B×M, row-major) with the next B training rows. */
  next(out: Float32Array, B: number): void {
    const M = this.dim;
    if (out.length < B * M) throw new ShapeError(`next: out has ${out.length} entries, a batch of ${B} rows of ${M} needs ${B * M}`);
    for (let i = 0; i < B; i++) {
      if (this.pos === this.filled) this.refill();
      if (this.pending) this.load();
      const r = this.order[this.pos++];
      out.set(this.buf.subarray(r * M, (r + 1) * M), i * M);
    }
    this.delivered += B;
  }

  /**
   * Pass over the next `n` training rows as {@link next} would hand them out, without copying them: the stream is
   * then where it would be after batches totalling n rows (same visiting and mixing orders). Buffers passed over
   * whole are never read, so continuing a long fit from a checkpoint costs little I/O.
   */
  skip(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new ValueError(`skip: n must be an integer ≥ 0, got ${n}`);
    let left = n;
    while (left > 0) {
      if (this.pos === this.filled) this.refill(false);
      const k = Math.min(left, this.filled - this.pos);
      this.pos += k; left -= k;
    }
    this.delivered += n;
  }

  /** Do the reads of the last refill if {@link skip} deferred them. */
  private load(): void {
    const p = this.pending;
    if (!p) return;
    for (let i = 0; i < p.length; i += 3) this.source.readRows(p[i], p[i] + p[i + 1], this.buf, p[i + 2] * this.dim);
    this.pending = null;
  }

  /**
   * Take the next chunks of the visiting order into the buffer (a new pass when they are used up) and shuffle it;
   * the reads are done now, or deferred until a row of this buffer is needed when `read` is false.
   */
  private refill(read = true): void {
    const cap = this.bufferRows;
    const reads: number[] = [];
    let filled = 0;
    while (filled < cap) {
      if (this.nextSeg === this.visit.length) this.beginPass();
      const s = this.visit[this.nextSeg];
      const take = Math.min(this.segLen[s] - this.segPos, cap - filled);
      reads.push(this.segStart[s] + this.segPos, take, filled);
      filled += take;
      this.segPos += take;
      if (this.segPos === this.segLen[s]) { this.nextSeg++; this.segPos = 0; }
      // a pass ends at the buffer's end, so that each pass hands out every row exactly once before the next begins
      if (this.nextSeg === this.visit.length) break;
    }
    this.pending = reads;
    if (read) this.load();
    this.filled = filled;
    this.pos = 0;
    const o = this.order;
    for (let i = 0; i < filled; i++) o[i] = i;
    for (let i = filled - 1; i > 0; i--) { const j = this.rng.int(i + 1); const t = o[i]; o[i] = o[j]; o[j] = t; }
  }

  private beginPass(): void {
    this.visit = this.rng.permutation(this.segLen.length);
    this.nextSeg = 0;
    this.segPos = 0;
    this.passes++;
  }
}
