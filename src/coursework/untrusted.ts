/**
 * Reading what a sandboxed submission left behind (result lines, the notebook runner's report): only regular
 * files (a FIFO, device or symlink planted in their place is refused, never opened blocking), at most a given
 * size, and JSON parsed with a bound on nesting depth — so that no file a submission controls can hang the
 * grader or exhaust its stack, and every refusal is a sentence the student can act on.
 */
import { FileAccessError, readRegularText } from '../io/files';

/** Largest nesting depth of arrays/objects accepted in a submission's JSON (results are at most ~8 deep). */
export const MAX_JSON_DEPTH = 64;

/** A submission's file or JSON that the grader refuses; the message says what was wrong. */
export class UntrustedDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UntrustedDataError';
  }
}

/**
 * Deepest array/object nesting in JSON text (strings skipped), stopping as soon as `limit` is exceeded.
 * Linear in the text's length, no recursion.
 */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0, max = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) { if (++depth > max) { max = depth; if (max > limit) return max; } }
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * `JSON.parse` for untrusted text: refuses more than `maxBytes` characters and nesting deeper than `maxDepth`
 * before parsing, with a message naming `what`.
 * @throws UntrustedDataError
 */
export function parseJsonBounded(text: string, opts: { what: string; maxDepth?: number; maxBytes?: number }): unknown {
  const maxDepth = opts.maxDepth ?? MAX_JSON_DEPTH;
  if (opts.maxBytes !== undefined && text.length > opts.maxBytes) {
    throw new UntrustedDataError(`${opts.what} is ${text.length} characters long, over the limit of ${opts.maxBytes}`);
  }
  if (jsonDepth(text, maxDepth) > maxDepth) {
    throw new UntrustedDataError(`${opts.what} is nested more than ${maxDepth} levels deep (arrays or objects inside each other); return plain numbers, arrays or matrices`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UntrustedDataError(`${opts.what} is not valid JSON (${(e as Error).message.slice(0, 200)})`);
  }
}

/**
 * The text of a file the sandbox could have written: `null` when absent; refused with an
 * {@link UntrustedDataError} when it is not a regular file (FIFO, symlink, device…) or larger than `maxBytes`.
 */
export function readSandboxText(file: string, opts: { what: string; maxBytes: number }): string | null {
  try {
    return readRegularText(file, { maxBytes: opts.maxBytes, what: opts.what });
  } catch (e) {
    if (e instanceof FileAccessError && e.code === 'ENOENT') return null;
    const why = e instanceof FileAccessError ? e.message.split('; ')[0] : `${opts.what}: ${(e as Error).message}`;
    throw new UntrustedDataError(`${why} — the grader reads only regular files it can open without waiting, so this was not read`);
  }
}
