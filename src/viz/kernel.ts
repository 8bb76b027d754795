/**
 * Writing one display_data message with several MIME types from the tslab kernel.
 *
 * tslab's public `display.raw(mime, data)` sends one MIME type per output. A bundle (plotly JSON + PNG +
 * text in ONE output, so each front end picks what it can draw) needs tslab's internal writer
 * `require('tslab/dist/jupyter').lastWriteDisplayData(content, update)`, which the public API itself
 * calls (tslab 1.0.22, node_modules/tslab/dist/public.js). The test test/viz/kernel.test.ts fails if
 * tslab changes this. If the internal writer is missing, we fall back to the public API, one MIME type
 * (the most widely drawable one) per output.
 */

/** The content of a Jupyter display_data message. */
export interface DisplayBundle {
  /** MIME type → payload (strings; binary payloads base64-encoded; JSON payloads as objects). */
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}

/** tslab versions whose internal display writer this module has been tested with. */
export const TSLAB_TESTED_VERSIONS = ['1.0.22'];

/** How bundles reach the notebook: tslab's internal writer (one output), or its public API (degraded). */
export interface KernelWriter {
  via: 'internal' | 'public';
  /** False once the cell that created this writer has finished (its outputs may then be dropped). */
  current(): boolean;
  write(bundle: DisplayBundle): void;
}

interface TslabJupyterModule { lastWriteDisplayData: ((content: DisplayBundle, update: boolean) => void) | null }
interface TslabPublic { display: { raw(mime: string, data: string | Uint8Array): void } }

/** True when this process is the tslab kernel (argv: `… tslab kernel --config-path …`). */
export function inTslabKernel(): boolean {
  return /tslab/.test(process.argv[1] ?? '') && process.argv.includes('kernel');
}

function internalModule(): TslabJupyterModule | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const m = require('tslab/dist/jupyter') as TslabJupyterModule;
    return m && 'lastWriteDisplayData' in m ? m : null;
  } catch {
    return null;
  }
}

/** MIME types in the order a single-output fallback prefers them (drawable without trust or extensions first). */
const FALLBACK_ORDER = ['image/png', 'text/html', 'image/svg+xml', 'application/vnd.plotly.v1+json', 'text/plain'];

/**
 * The display writer when running inside the tslab kernel during a cell, else null (plain node/tsx).
 * The writer is bound to the cell running at the time of the call (tslab replaces it for every cell), so
 * an output computed asynchronously still goes to the cell that asked for it.
 */
export function kernelWriter(): KernelWriter | null {
  const m = internalModule();
  if (m && typeof m.lastWriteDisplayData === 'function') {
    // Bound now: the writer of the cell that is running (tslab swaps it when the next cell starts).
    const w = m.lastWriteDisplayData;
    return {
      via: 'internal',
      current: () => m.lastWriteDisplayData === w,
      write: (b) => w({ data: b.data, metadata: b.metadata, transient: b.transient ?? {} }, false),
    };
  }
  if (!inTslabKernel()) return null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const pub = require('tslab') as TslabPublic;
    return {
      via: 'public',
      current: () => true,
      write: (b) => {
        const mime = FALLBACK_ORDER.find((k) => k in b.data) ?? 'text/plain';
        const v = b.data[mime];
        pub.display.raw(mime, typeof v === 'string' ? v : JSON.stringify(v));
      },
    };
  } catch {
    return null;
  }
}

/** The installed tslab version ('' if tslab is not installed). */
export function tslabVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return (require('tslab/package.json') as { version: string }).version;
  } catch {
    return '';
  }
}
