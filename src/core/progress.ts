/**
 * Progress reporting for long loops, in a terminal and in a notebook cell.
 *
 * - In the tslab kernel: one updatable display entry (a single line rewritten in place), at most ~4
 *   updates a second.
 * - In a terminal (TTY): one line rewritten with `\r`.
 * - Elsewhere (CI logs, pipes): a line at most every 10 % of the way or every 15 s, whichever is later.
 * Set `WORKBOOK_PROGRESS=0` to silence it.
 */

/** A running progress indicator. */
export interface Progress {
  /** Report `done` units out of the total (absolute, not an increment), with optional extra text. */
  update(done: number, extra?: string): void;
  /** Mark finished and print the final line (with an optional summary). */
  finish(summary?: string): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Total units (steps, samples, epochs…). */
  total: number;
  /** Short label, e.g. 'SAE training'. */
  label: string;
  /** Units name, e.g. 'steps' (default 'it'). */
  unit?: string;
  /** Force off (default: on unless WORKBOOK_PROGRESS=0). */
  enabled?: boolean;
}

interface TslabDisplay { text(s: string): void }

/** The tslab kernel's display API when running inside it, else null. */
export function tslabDisplay(): { newDisplay(): TslabDisplay } | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData?: unknown };
    if (!jupyter.lastWriteDisplayData) return null;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require('tslab') as { newDisplay(): TslabDisplay };
  } catch {
    return null;
  }
}

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s`;
}

/** Start a progress indicator. */
export function createProgress(opts: ProgressOptions): Progress {
  const enabled = opts.enabled ?? process.env.WORKBOOK_PROGRESS !== '0';
  const unit = opts.unit ?? 'it';
  const t0 = Date.now();
  const tslab = enabled ? tslabDisplay() : null;
  const disp = tslab ? tslab.newDisplay() : null;
  const tty = !disp && Boolean(process.stderr.isTTY);
  let lastShown = 0;
  let lastFrac = -1;
  let finished = false;
  const line = (done: number, extra?: string): string => {
    const frac = opts.total > 0 ? Math.min(1, done / opts.total) : 1;
    const el = (Date.now() - t0) / 1000;
    const eta = frac > 0 ? el * (1 - frac) / frac : NaN;
    const bar = '█'.repeat(Math.round(frac * 20)).padEnd(20, '·');
    return `${opts.label} ${bar} ${done}/${opts.total} ${unit} ${(100 * frac).toFixed(0)}% ` +
      `${fmtTime(el)} elapsed, ${fmtTime(eta)} left${extra ? ` · ${extra}` : ''}`;
  };
  const emit = (s: string, final: boolean): void => {
    if (disp) disp.text(s);
    else if (tty) process.stderr.write(`\r${s}\x1b[K${final ? '\n' : ''}`);
    else process.stderr.write(`${s}\n`);
  };
  return {
    update(done, extra) {
      if (!enabled || finished) return;
      const now = Date.now();
      const frac = opts.total > 0 ? done / opts.total : 1;
      if (disp || tty) {
        if (now - lastShown < 250) return;
      } else if (frac - lastFrac < 0.1 || now - lastShown < 15000) {
        return;
      }
      lastShown = now;
      lastFrac = frac;
      emit(line(done, extra), false);
    },
    finish(summary) {
      if (!enabled || finished) return;
      finished = true;
      emit(line(opts.total, summary), true);
    },
  };
}
