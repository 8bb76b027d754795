/**
 * The tfjs numeric backend: one call picks the best one available and reports it.
 *
 * Order of preference: `tensorflow` (from the optional `@tensorflow/tfjs-node`, native libtensorflow,
 * multi-threaded; its install needs the internet), then `wasm` (`@tensorflow/tfjs-backend-wasm`, the
 * .wasm ships inside the npm package; single-threaded in Node), then `cpu` (pure JS). The environment
 * variable `WORKBOOK_BACKEND=tensorflow|wasm|cpu` forces one (an unknown or unavailable forced backend
 * is an error, not a silent fallback).
 */
import * as tf from '@tensorflow/tfjs';

/** Names of the backends the workbook knows. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** What {@link initBackend} chose and why. */
export interface BackendInfo {
  /** The active tfjs backend. */
  name: BackendName;
  /** tfjs version. */
  tfjsVersion: string;
  /** Whether the choice was forced by WORKBOOK_BACKEND. */
  forced: boolean;
  /** Backends tried before this one and why they were skipped. */
  skipped: { name: BackendName; reason: string }[];
}

const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];
let current: Promise<BackendInfo> | null = null;

/** Make tfjs quiet about the "install tfjs-node" hint; we report the backend ourselves. */
function quietTf(): void {
  try {
    tf.env().set('IS_TEST', false);
    // tfjs prints a hint on the first op of the cpu backend in Node; the flag below suppresses it.
    (tf.env() as unknown as { set(k: string, v: unknown): void }).set('PROD', true);
  } catch {
    /* flags differ between tfjs versions: harmless */
  }
}

async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    if (name === 'tensorflow') {
      // Registers the 'tensorflow' backend with the same tfjs-core if installed.
      require('@tensorflow/tfjs-node');
    } else if (name === 'wasm') {
      require('@tensorflow/tfjs-backend-wasm');
    }
    const ok = await tf.setBackend(name);
    if (!ok) return `tf.setBackend('${name}') returned false`;
    await tf.ready();
    return null;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return /Cannot find module/.test(msg) ? 'not installed' : msg;
  }
}

/**
 * Pick and activate the best available backend (once per process; later calls return the same info).
 * @param force a backend name to require instead of the automatic choice (default: `WORKBOOK_BACKEND`).
 */
export function initBackend(force?: BackendName): Promise<BackendInfo> {
  if (current && !force) return current;
  const wanted = force ?? (process.env.WORKBOOK_BACKEND as BackendName | undefined) ?? undefined;
  current = (async () => {
    quietTf();
    const skipped: BackendInfo['skipped'] = [];
    if (wanted) {
      if (!ORDER.includes(wanted)) {
        throw new Error(`WORKBOOK_BACKEND=${wanted} is not a backend; use one of ${ORDER.join(', ')}`);
      }
      const err = await tryBackend(wanted);
      if (err) throw new Error(`backend '${wanted}' was requested but is unavailable: ${err}`);
      return { name: wanted, tfjsVersion: tf.version.tfjs, forced: true, skipped };
    }
    for (const name of ORDER) {
      const err = await tryBackend(name);
      if (!err) return { name, tfjsVersion: tf.version.tfjs, forced: false, skipped };
      skipped.push({ name, reason: err });
    }
    throw new Error('no tfjs backend could be initialised (tried tensorflow, wasm, cpu)');
  })();
  return current;
}

/** One line describing the backend, e.g. "tfjs 4.22.0 on wasm (tensorflow: not installed)". */
export function describeBackend(info: BackendInfo): string {
  const why = info.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  return `tfjs ${info.tfjsVersion} on ${info.name}${info.forced ? ' (forced by WORKBOOK_BACKEND)' : ''}${why ? ` (skipped ${why})` : ''}`;
}

export { tf };
