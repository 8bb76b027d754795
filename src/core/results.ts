/**
 * The "Results" cell of every notebook: print the key numbers as one JSON line (`RESULTS {...}`, collected
 * by the notebook runner), a readable table beside their expected ranges and published references, and throw
 * if any check fails — so `npm test` fails when a result drifts.
 */

/**
 * A check of one value: a predicate, or a predicate with a human description of what is expected. With
 * `knownGap` (why the claim does not reproduce here, e.g. "needs the paper's n=200 at 10k steps"), a failure is a
 * documented non-reproduction: printed as `NO (known gap: …)` and in the RESULTS line, but not thrown — the
 * check stays the one the claim needs, and it turns to `yes` by itself once the result does reproduce.
 */
export type Check = ((value: unknown) => boolean) | { expect: string; test: (value: unknown) => boolean; knownGap?: string };

/** Run mode of the notebooks: 'quick' (tests: small sizes) or 'full' (`npm run workbook`), from WORKBOOK_MODE. */
export function workbookMode(): 'quick' | 'full' {
  const m = process.env.WORKBOOK_MODE;
  if (m === undefined || m === '' || m === 'full') return 'full';
  if (m === 'quick') return 'quick';
  throw new Error(`WORKBOOK_MODE=${m} is not a mode; use 'quick' or 'full'`);
}

/** `bySize({quick, full})` picks the value for the current {@link workbookMode}. */
export function bySize<T>(v: { quick: T; full: T }): T {
  return v[workbookMode()];
}

/** Thrown by {@link reportResults} when a check fails; lists every failing quantity. */
export class ResultCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultCheckError';
  }
}

function fmt(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Print and assert a notebook's results.
 * @param notebook notebook name (e.g. '03_compressed_sensing')
 * @param values the key numbers (JSON-serialisable)
 * @param checks per quantity, what must hold (missing = reported only)
 * @param references per quantity, the published or measured reference it is compared with (text)
 * @returns the values (so a cell can keep using them)
 */
export function reportResults<T extends Record<string, unknown>>(notebook: string, values: T,
  checks: Partial<Record<keyof T, Check>> = {}, references: Partial<Record<keyof T, string | number>> = {}): T {
  const rows: { quantity: string; value: string; expected: string; reference: string; ok: string }[] = [];
  const failures: string[] = [];
  const gaps: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    const c = checks[k as keyof T] as Check | undefined;
    let ok = '';
    let expect = '';
    if (c) {
      const fn = typeof c === 'function' ? c : c.test;
      expect = typeof c === 'function' ? c.toString().replace(/^\(?\s*\w+\s*\)?\s*=>\s*/, '') : c.expect;
      const pass = Boolean(fn(v));
      const gap = typeof c === 'function' ? undefined : c.knownGap;
      ok = pass ? 'yes' : gap ? `NO (known gap: ${gap})` : 'NO';
      if (!pass && gap) gaps[k] = gap;
      else if (!pass) failures.push(`${k} = ${fmt(v)} (expected ${expect})`);
    }
    const ref = references[k as keyof T];
    rows.push({ quantity: k, value: fmt(v), expected: expect, reference: ref === undefined ? '' : String(ref), ok });
  }
  const w = (key: keyof (typeof rows)[number], title: string): number => Math.max(title.length, ...rows.map((r) => r[key].length));
  const cols: [keyof (typeof rows)[number], string][] = [['quantity', 'quantity'], ['value', 'value'], ['expected', 'check'], ['reference', 'reference (paper / measured)'], ['ok', 'ok']];
  const widths = cols.map(([k, t]) => w(k, t));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(cols.map(([, t]) => t)));
  console.log(line(widths.map((n) => '-'.repeat(n))));
  for (const r of rows) console.log(line(cols.map(([k]) => r[k])));
  const known = Object.keys(gaps).length ? { known_gaps: gaps } : {};
  console.log(`RESULTS ${JSON.stringify({ notebook, mode: workbookMode(), ...values, ...known })}`);
  if (failures.length) {
    throw new ResultCheckError(`${notebook}: ${failures.length} result check(s) failed:\n  ${failures.join('\n  ')}`);
  }
  return values;
}
