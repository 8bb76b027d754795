/**
 * Memory limits of the data commands (`encode`, `learn`, `metrics`): before anything large is allocated, a
 * command estimates the bytes it needs from the shapes of its inputs and refuses with a message when that is
 * over the limit. The limit is `--max-memory`, else the environment variable WORKBOOK_MAX_MEMORY, else
 * {@link DEFAULT_MAX_MEMORY}. Sizes are written as bytes or with a binary suffix: 512M, 8G, 1.5GiB, 2T.
 */
import os from 'node:os';
import { CommandFailure } from './failure';
import { OptionSpec, UsageError } from './args';

const KIB = 1024, MIB = KIB ** 2, GIB = KIB ** 3, TIB = KIB ** 4;

/** Default memory limit in bytes: half of this machine's memory, at most 8 GiB. */
export const DEFAULT_MAX_MEMORY = Math.min(8 * GIB, Math.floor(os.totalmem() / 2));

/** Largest number of elements one typed array can hold in Node (2^32). */
export const MAX_ARRAY_ELEMENTS = 2 ** 32;

/** The `--max-memory` option, shared by the data commands. */
export const MAX_MEMORY_OPTION: OptionSpec = {
  type: 'string',
  help: `memory limit for this run, e.g. 16G (default: WORKBOOK_MAX_MEMORY or ${formatBytes(DEFAULT_MAX_MEMORY)}, half the machine's memory up to 8 GiB)`,
};

/**
 * Parse a size: a plain number of bytes or a number with a binary suffix K, M, G, T (optionally followed by
 * 'iB' or 'B'; 1G = 2^30 bytes). Throws {@link UsageError} naming `what` for anything else.
 */
export function parseByteSize(text: string, what = '--max-memory'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|b)?\s*$/i.exec(text);
  const unit = m?.[2] ? { k: KIB, m: MIB, g: GIB, t: TIB }[m[2].toLowerCase() as 'k' | 'm' | 'g' | 't'] : 1;
  const v = m ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!Number.isSafeInteger(v) || v <= 0) throw new UsageError(`${what} needs a size such as 512M, 8G or 2T, got '${text}'`);
  return v;
}

/** The memory limit in bytes: `option` (the --max-memory text) if given, else WORKBOOK_MAX_MEMORY, else the default. */
export function memoryLimit(option?: string): number {
  if (option !== undefined) return parseByteSize(option, '--max-memory');
  const env = process.env.WORKBOOK_MAX_MEMORY;
  if (env !== undefined && env !== '') return parseByteSize(env, 'WORKBOOK_MAX_MEMORY');
  return DEFAULT_MAX_MEMORY;
}

/** A size in bytes for people: '96.0 GiB', '640 B'. */
export function formatBytes(n: number): string {
  if (n < KIB) return `${n} B`;
  const [d, u] = n >= TIB ? [TIB, 'TiB'] : n >= GIB ? [GIB, 'GiB'] : n >= MIB ? [MIB, 'MiB'] : [KIB, 'KiB'];
  return `${(n / d).toFixed(1)} ${u}`;
}

/** One large array a command will hold: what it is, its element count and bytes per element. */
export interface ArrayNeed {
  what: string;
  elements: number;
  bytesPerElement: number;
}

/**
 * Refuse a run whose arrays add up to more than `limit` bytes, or that needs one array larger than a typed
 * array can be. The message lists the largest arrays and says how to fix it.
 * @throws CommandFailure (exit 1)
 */
export function checkMemory(command: string, needs: ArrayNeed[], limit: number, fix: string): void {
  const total = needs.reduce((s, a) => s + a.elements * a.bytesPerElement, 0);
  const sorted = [...needs].sort((a, b) => b.elements * b.bytesPerElement - a.elements * a.bytesPerElement);
  const biggest = sorted[0];
  const list = sorted.slice(0, 3).map((a) => `${a.what} ${formatBytes(a.elements * a.bytesPerElement)}`).join(', ');
  if (biggest && biggest.elements > MAX_ARRAY_ELEMENTS) {
    throw new CommandFailure(`${command} would need one array of ${biggest.elements.toExponential(2)} elements (${biggest.what}), ` +
      `more than the ${MAX_ARRAY_ELEMENTS} one array can hold; ${fix}`);
  }
  if (!(total <= limit)) {
    throw new CommandFailure(`${command} would need about ${formatBytes(total)} of memory (${list}), over the limit of ` +
      `${formatBytes(limit)}; ${fix}, or raise the limit with --max-memory (or WORKBOOK_MAX_MEMORY) if the machine has that much`);
  }
}
