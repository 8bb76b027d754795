/**
 * Safe file access for files that come from users or students (untrusted): only regular files (no FIFOs,
 * devices, sockets or symlinks), opened non-blocking so that nothing can hang the reader, with a size bound
 * checked before anything is allocated; and outputs written atomically (temporary file in the same folder,
 * fsync, rename) so that an interrupted write never leaves a truncated file in place of a good one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataFileError } from '../core/errors';

/** Default largest untrusted file read whole: 2 GiB (Node's Buffer limit). */
export const DEFAULT_MAX_READ_BYTES = 2 ** 31 - 1;

/** Error raised for a file that is not a regular file, is too large, or cannot be read or written; it names the file. */
export class FileAccessError extends DataFileError {
  constructor(message: string, readonly file: string, readonly code?: string) {
    super(message);
    this.name = 'FileAccessError';
  }
}

/** Options of {@link checkRegularFile} and {@link readRegularFile}. */
export interface ReadLimits {
  /** Largest accepted size in bytes (default {@link DEFAULT_MAX_READ_BYTES}). */
  maxBytes?: number;
  /** Follow a symbolic link at the last path component (default false: a symlink is refused). */
  followSymlinks?: boolean;
  /** How the file is named in messages (default: its path). */
  what?: string;
}

function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * Check that `file` is a regular file within the size bound, without opening it.
 * @returns its stats (size in bytes).
 * @throws FileAccessError naming the file and what is wrong.
 */
export function checkRegularFile(file: string, limits: ReadLimits = {}): fs.Stats {
  const what = limits.what ?? file;
  let st: fs.Stats;
  try {
    st = limits.followSymlinks ? fs.statSync(file) : fs.lstatSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new FileAccessError(err.code === 'ENOENT' ? `${what}: no such file` : `${what}: cannot read it (${err.code ?? err.message})`, file, err.code);
  }
  if (!st.isFile()) {
    throw new FileAccessError(`${what} is ${kindOf(st)}, not a regular file; give a regular file (copy the data into one first)`, file);
  }
  const max = limits.maxBytes ?? DEFAULT_MAX_READ_BYTES;
  if (st.size > max) {
    throw new FileAccessError(`${what} is ${st.size} bytes, over the limit of ${max} bytes`, file);
  }
  return st;
}

/**
 * Open `file` for reading as an untrusted regular file: refuses symlinks (O_NOFOLLOW) and non-regular files,
 * opens non-blocking (a FIFO swapped in after the check cannot block the open), and checks the opened file again.
 * @returns an open file descriptor (close it) and the file's size in bytes.
 */
export function openRegularFile(file: string, limits: ReadLimits = {}): { fd: number; size: number } {
  const what = limits.what ?? file;
  checkRegularFile(file, limits);
  const flags = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (limits.followSymlinks ? 0 : fs.constants.O_NOFOLLOW);
  let fd: number;
  try {
    fd = fs.openSync(file, flags);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new FileAccessError(err.code === 'ELOOP' ? `${what} is a symbolic link, not a regular file` : `${what}: cannot open it (${err.code ?? err.message})`, file, err.code);
  }
  const st = fs.fstatSync(fd);
  const max = limits.maxBytes ?? DEFAULT_MAX_READ_BYTES;
  if (!st.isFile() || st.size > max) {
    fs.closeSync(fd);
    throw new FileAccessError(!st.isFile() ? `${what} is ${kindOf(st)}, not a regular file` : `${what} is ${st.size} bytes, over the limit of ${max} bytes`, file);
  }
  return { fd, size: st.size };
}

/**
 * Read a whole untrusted regular file (see {@link openRegularFile}); never blocks, never reads more than
 * `maxBytes` (a file that grows while read is cut at the size it had when opened).
 */
export function readRegularFile(file: string, limits: ReadLimits = {}): Buffer {
  const { fd, size } = openRegularFile(file, limits);
  try {
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = fs.readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === size ? buf : buf.subarray(0, off);
  } finally {
    fs.closeSync(fd);
  }
}

/** Read an untrusted regular file as UTF-8 text (see {@link readRegularFile}). */
export function readRegularText(file: string, limits: ReadLimits = {}): string {
  return readRegularFile(file, limits).toString('utf8');
}

/** Bytes (or text, written as UTF-8) of one output file. */
export type FileData = string | Uint8Array | Uint8Array[];

/** Why a write failed, in words (disk full, file-size limit, permission, missing folder). */
function writeFailure(code: string | undefined, message: string, dir: string): string {
  return code === 'ENOSPC' ? 'the disk is full'
    : code === 'EFBIG' ? 'the file is over the file-size limit'
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
        : code === 'ENOENT' ? `the folder ${dir} does not exist`
          : (code ?? message);
}

/** A fresh temporary path in the folder of `file` (hidden, named after it and this process). */
function tempPathFor(file: string): string {
  const dir = path.dirname(path.resolve(file));
  return path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
}

/** Write `data` to a new temporary file next to `file` and fsync it; returns the temporary path. Throws FileAccessError naming `file`. */
function writeTemp(file: string, data: FileData, mode: number): string {
  const dir = path.dirname(path.resolve(file));
  const tmp = tempPathFor(file);
  const parts = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : Array.isArray(data) ? data : [data];
  let fd: number | null = null;
  try {
    fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode);
    for (const p of parts) {
      let off = 0;
      while (off < p.byteLength) off += fs.writeSync(fd, p, off, p.byteLength - off);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    return tmp;
  } catch (e) {
    if (fd !== null) { try { fs.closeSync(fd); } catch { /* already failing */ } }
    try { fs.rmSync(tmp, { force: true }); } catch { /* best effort */ }
    const err = e as NodeJS.ErrnoException;
    throw new FileAccessError(`cannot write ${file}: ${writeFailure(err.code, err.message, dir)}; nothing was changed there`, file, err.code);
  }
}

/** Rename the written temporary files over their targets; on failure remove the temporaries not yet renamed. */
function renameAll(done: { file: string; tmp: string }[]): void {
  for (let i = 0; i < done.length; i++) {
    const { file, tmp } = done[i];
    try {
      fs.renameSync(tmp, file);
    } catch (e) {
      for (const d of done.slice(i)) { try { fs.rmSync(d.tmp, { force: true }); } catch { /* best effort */ } }
      const err = e as NodeJS.ErrnoException;
      const kept = done.slice(0, i).map((d) => d.file);
      throw new FileAccessError(`cannot write ${file}: ${writeFailure(err.code, err.message, path.dirname(path.resolve(file)))}; ` +
        `nothing was changed there${kept.length ? ` (already written: ${kept.join(', ')})` : ''}`, file, err.code);
    }
  }
}

/**
 * Write `data` to `file` atomically: a temporary file in the same folder is written, fsynced and renamed over
 * `file`, so a reader sees the old file or the new one, never a part. On failure (disk full, file-size limit)
 * the temporary file is removed, the old file is untouched, and the error names `file`.
 * @param mode file mode of the new file (default 0o644).
 */
export function writeFileAtomic(file: string, data: FileData, mode = 0o644): void {
  writeFilesAtomic([{ file, data }], mode);
}

/**
 * Write several files together: every one is first written to a temporary file in its folder and fsynced, and
 * only when all of them succeeded are they renamed over their targets. A failure while writing (disk full,
 * file-size limit) removes the temporaries and changes none of the targets; the error names the file.
 * @param mode file mode of the new files (default 0o644).
 */
export function writeFilesAtomic(files: { file: string; data: FileData }[], mode = 0o644): void {
  const done: { file: string; tmp: string }[] = [];
  try {
    for (const { file, data } of files) done.push({ file, tmp: writeTemp(file, data, mode) });
  } catch (e) {
    for (const d of done) { try { fs.rmSync(d.tmp, { force: true }); } catch { /* best effort */ } }
    throw e;
  }
  renameAll(done);
}

/** Whether two paths name the same existing file (same device and inode), e.g. an output equal to an input. */
export function sameFile(a: string, b: string): boolean {
  try {
    const sa = fs.statSync(a), sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}

/** An output file written piece by piece (see {@link openAtomicOutput}). */
export interface AtomicOutput {
  /** Append bytes. Throws FileAccessError naming the file (the temporary file is then removed). */
  write(data: Uint8Array): void;
  /** fsync the temporary file and rename it over the target. */
  commit(): void;
  /** Remove the temporary file; the target is left as it was (idempotent). */
  abort(): void;
}

/**
 * Write `file` atomically in pieces, for outputs too large to hold in memory: bytes are appended to a temporary
 * file in the same folder, and {@link AtomicOutput.commit} fsyncs it and renames it over `file`, so a reader sees
 * the old file or the whole new one. A failed write (disk full, file-size limit) removes the temporary file and
 * the error names `file`; so does {@link AtomicOutput.abort}.
 * @param mode file mode of the new file (default 0o644).
 */
export function openAtomicOutput(file: string, mode = 0o644): AtomicOutput {
  const dir = path.dirname(path.resolve(file));
  const tmp = tempPathFor(file);
  let fd: number | null = null;
  const fail = (e: unknown): never => {
    if (fd !== null) { try { fs.closeSync(fd); } catch { /* already failing */ } fd = null; }
    try { fs.rmSync(tmp, { force: true }); } catch { /* best effort */ }
    const err = e as NodeJS.ErrnoException;
    throw new FileAccessError(`cannot write ${file}: ${writeFailure(err.code, err.message, dir)}; nothing was changed there`, file, err.code);
  };
  try { fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode); } catch (e) { fail(e); }
  let done = false;
  return {
    write(data: Uint8Array): void {
      if (fd === null) throw new FileAccessError(`cannot write ${file}: the output was already finished or abandoned`, file);
      try {
        let off = 0;
        while (off < data.byteLength) off += fs.writeSync(fd, data, off, data.byteLength - off);
      } catch (e) { fail(e); }
    },
    commit(): void {
      if (fd === null || done) throw new FileAccessError(`cannot write ${file}: the output was already finished or abandoned`, file);
      try { fs.fsyncSync(fd); fs.closeSync(fd); fd = null; } catch (e) { fail(e); }
      done = true;
      renameAll([{ file, tmp }]);
    },
    abort(): void {
      if (fd !== null) { try { fs.closeSync(fd); } catch { /* closing anyway */ } fd = null; }
      if (!done) { try { fs.rmSync(tmp, { force: true }); } catch { /* best effort */ } }
      done = true;
    },
  };
}
