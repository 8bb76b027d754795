/**
 * The "Results" cell of every notebook: print the key numbers as one JSON line (`RESULTS {...}`, collected
 * by the notebook runner), a readable table beside their expected ranges, published references and verdicts,
 * and throw if any check fails — so `npm test` fails when a result drifts.
 */

/**
 * The predicate of a check: `value` is the quantity's value, `values` all values of the Results cell (for checks
 * relative to another quantity, e.g. "more than stored dense").
 */
export type CheckTest = (value: unknown, values: Record<string, unknown>) => boolean;

/** A predicate with a human description of what is expected (e.g. '≥ 0.95'). */
export interface CheckSpec {
  expect: string;
  test: CheckTest;
}

/**
 * A claim that does not reproduce here, documented: `knownGap` says why, with the measured numbers (e.g. "at
 * n=80, m=8, 3k steps only the 1/2 line appears"). A failure of `test` is printed as `known gap` and listed in the
 * RESULTS line, not thrown — the check stays the one the claim needs and turns to `reproduces` by itself once the
 * result does reproduce. `floor` is mandatory: what must hold even so, the value below which the experiment is
 * broken rather than merely not reproducing (an untrained or shuffled model fails it); below the floor it throws.
 */
export interface KnownGapCheck extends CheckSpec {
  knownGap: string;
  floor: CheckSpec;
}

/** A check of one value: a bare predicate, a described predicate, or a documented known gap with its floor. */
export type Check = CheckTest | CheckSpec | KnownGapCheck;

/** Outcome of one check: the claim holds; it fails above its floor (documented known gap); or it fails. */
export type Verdict = 'reproduces' | 'known gap' | 'fails';

/** One evaluated check (see {@link evaluateChecks}). */
export interface CheckOutcome {
  verdict: Verdict;
  /** What the check expects (text). */
  expect: string;
  /** For a known gap: why it does not reproduce, and the floor's text. */
  knownGap?: string;
  floor?: string;
}

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

/** Thrown by {@link reportResults} when a check fails (or a known gap is below its floor); lists every failing quantity. */
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

function describe(c: Check): string {
  return typeof c === 'function' ? c.toString().replace(/^\(?\s*\w+\s*(,\s*\w+\s*)?\)?\s*=>\s*/, '') : c.expect;
}

function isKnownGap(c: Check): c is KnownGapCheck {
  return typeof c !== 'function' && 'knownGap' in c && c.knownGap !== undefined;
}

/**
 * Evaluate checks on values without printing or throwing. A check whose quantity is missing from `values` is an
 * error (a renamed key would otherwise silently stop being checked), as is a known gap without a floor.
 * @returns per checked quantity, its verdict and the texts of its check
 */
export function evaluateChecks(values: Record<string, unknown>, checks: Record<string, Check | undefined>): Record<string, CheckOutcome> {
  const out: Record<string, CheckOutcome> = {};
  for (const [k, c] of Object.entries(checks)) {
    if (c === undefined) continue;
    if (!(k in values)) {
      throw new ResultCheckError(`check '${k}' has no value: the Results cell does not compute '${k}' (add it to the values or remove the check)`);
    }
    const fn = typeof c === 'function' ? c : c.test;
    const pass = Boolean(fn(values[k], values));
    if (!isKnownGap(c)) {
      if (typeof c !== 'function' && 'knownGap' in c) throw new ResultCheckError(`check '${k}': knownGap is undefined; omit the key for an ordinary check`);
      out[k] = { verdict: pass ? 'reproduces' : 'fails', expect: describe(c) };
      continue;
    }
    if (!c.floor || typeof c.floor.test !== 'function') {
      throw new ResultCheckError(`check '${k}' is a known gap without a floor: add floor: { expect, test }, the value below which the experiment is broken (an untrained model fails it)`);
    }
    const aboveFloor = Boolean(c.floor.test(values[k], values));
    out[k] = { verdict: pass ? 'reproduces' : aboveFloor ? 'known gap' : 'fails', expect: c.expect, knownGap: c.knownGap, floor: c.floor.expect };
  }
  return out;
}

/**
 * Print and assert a notebook's results.
 * @param notebook notebook name (e.g. '03_compressed_sensing')
 * @param values the key numbers (JSON-serialisable)
 * @param checks per quantity, what must hold (missing = reported only)
 * @param references per quantity, the published or measured reference it is compared with (text)
 * @returns the values (so a cell can keep using them)
 * @throws ResultCheckError listing every check that fails, known gaps below their floor included; the table and
 *   the RESULTS line (with `verdicts` and `known_gaps`) are printed first
 */
export function reportResults<T extends Record<string, unknown>>(notebook: string, values: T,
  checks: Partial<Record<keyof T, Check>> | Record<string, Check> = {}, references: Partial<Record<keyof T, string | number>> | Record<string, string | number> = {}): T {
  const outcomes = evaluateChecks(values, checks as Record<string, Check | undefined>);
  const refs = references as Record<string, string | number | undefined>;
  const rows: { quantity: string; value: string; expected: string; reference: string; ok: string }[] = [];
  const failures: string[] = [];
  const gaps: Record<string, string> = {};
  const verdicts: Record<string, Verdict> = {};
  for (const [k, v] of Object.entries(values)) {
    const o = outcomes[k];
    let ok = '';
    if (o) {
      verdicts[k] = o.verdict;
      if (o.verdict === 'reproduces') ok = 'reproduces';
      else if (o.verdict === 'known gap') { ok = `known gap (${o.knownGap}; floor ${o.floor} holds)`; gaps[k] = o.knownGap!; }
      else if (o.knownGap) { ok = `FAILS: below the floor ${o.floor} of a known gap`; failures.push(`${k} = ${fmt(v)} (known gap, but below its floor ${o.floor}: the experiment is broken)`); }
      else { ok = 'FAILS'; failures.push(`${k} = ${fmt(v)} (expected ${o.expect})`); }
    }
    const ref = refs[k];
    rows.push({ quantity: k, value: fmt(v), expected: o?.expect ?? '', reference: ref === undefined ? '' : String(ref), ok });
  }
  const w = (key: keyof (typeof rows)[number], title: string): number => Math.max(title.length, ...rows.map((r) => r[key].length));
  const cols: [keyof (typeof rows)[number], string][] = [['quantity', 'quantity'], ['value', 'value'], ['expected', 'check'], ['reference', 'reference (paper / measured)'], ['ok', 'verdict']];
  const widths = cols.map(([k, t]) => w(k, t));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(cols.map(([, t]) => t)));
  console.log(line(widths.map((n) => '-'.repeat(n))));
  for (const r of rows) console.log(line(cols.map(([k]) => r[k])));
  const known = Object.keys(gaps).length ? { known_gaps: gaps } : {};
  console.log(`RESULTS ${JSON.stringify({ notebook, mode: workbookMode(), ...values, verdicts, ...known })}`);
  if (failures.length) {
    throw new ResultCheckError(`${notebook}: ${failures.length} result check(s) failed:\n  ${failures.join('\n  ')}`);
  }
  return values;
}
