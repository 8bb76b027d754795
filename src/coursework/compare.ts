/**
 * The generic feedback engine: compare a student's numeric result with the reference on one case and say
 * specifically what is wrong without giving the answer away — wrong shape (transposed?), NaN/Infinity,
 * wrong sign, off by a constant factor or offset, shifted by one index, wrong only in one region of the
 * input ("values match except where z < 0"), or a known mistake recognised by its output.
 */
import { Numeric, Value, shapeText } from './values';

/** Element-wise tolerance: |got − want| ≤ atol·max(1, max|want|) + rtol·|want|. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/** Default tolerance: loose enough for float32 arithmetic (library matrices), tight enough to catch mistakes. */
export const DEFAULT_TOLERANCE: Tolerance = { rtol: 1e-4, atol: 1e-5 };

/** A region of the output (mask over the flattened entries) with the hint to give when only it is wrong. */
export interface Region {
  /** Where, in words: "z < −λ". */
  name: string;
  /** One boolean per output entry (row-major). */
  mask: ArrayLike<boolean>;
  /** What to tell the student when the result is wrong only here. */
  hint: string;
}

/** A known mistake recognised by its output on this case. */
export interface KnownMistake {
  value: Value | undefined;
  message: string;
}

/** Options of {@link diagnose}. */
export interface CompareOptions {
  tol?: Partial<Tolerance>;
  regions?: Region[];
  mistakes?: KnownMistake[];
  /** Appended when the result is transposed, e.g. "did you transpose D?". */
  transposeHint?: string;
}

function tolOf(t?: Partial<Tolerance>): Tolerance {
  return { ...DEFAULT_TOLERANCE, ...(t ?? {}) };
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

/** Per-entry closeness of got to want (same length assumed). */
function closeMask(got: Float64Array, want: Float64Array, tol: Tolerance): boolean[] {
  const a = tol.atol * Math.max(1, maxAbs(want));
  return Array.from(want, (w, k) => {
    const g = got[k];
    if (Number.isNaN(w)) return Number.isNaN(g);
    if (!Number.isFinite(w)) return g === w;
    return Math.abs(g - w) <= a + tol.rtol * Math.abs(w);
  });
}

/** Whether two numerics agree in shape and values within the tolerance. */
export function allClose(got: Numeric, want: Numeric, tol?: Partial<Tolerance>): boolean {
  if (got.shape.length !== want.shape.length || got.shape.some((s, i) => s !== want.shape[i])) return false;
  return closeMask(got.data, want.data, tolOf(tol)).every(Boolean);
}

/** Whether two values (arrays or field sets) agree. */
export function valuesClose(got: Value | undefined, want: Value | undefined, tol?: Partial<Tolerance>): boolean {
  if (!got || !want || got.kind !== want.kind) return false;
  if (got.kind === 'array' && want.kind === 'array') return allClose(got.value, want.value, tol);
  if (got.kind === 'fields' && want.kind === 'fields') {
    return Object.keys(want.fields).every((k) => got.fields[k] !== undefined && allClose(got.fields[k], want.fields[k], tol));
  }
  return false;
}

function indexText(k: number, shape: readonly number[]): string {
  if (shape.length <= 1) return `[${k}]`;
  const idx: number[] = [];
  let r = k;
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(r % shape[d]);
    r = Math.floor(r / shape[d]);
  }
  return `[${idx.join('][')}]`;
}

function transpose2(n: Numeric): Numeric {
  const [r, c] = n.shape;
  const d = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) d[j * r + i] = n.data[i * c + j];
  return { shape: [c, r], data: d };
}

const prefix = (what: string): string => (what === 'your result' ? '' : `${what}: `);

/** Shape problems, or null when the shapes agree. */
function shapeFeedback(got: Numeric, want: Numeric, what: string, tol: Tolerance, transposeHint?: string): string | null {
  const gs = got.shape, ws = want.shape;
  if (gs.length === ws.length && gs.every((s, i) => s === ws[i])) return null;
  const head = `${what} has ${shapeText(gs)}, expected ${shapeText(ws)}`;
  if (ws.length === 0 && got.data.length === 1) return `${head}: return the number itself, not an array holding it`;
  if (ws.length === 0) return `${head}: the result should be one number (a mean or a sum over everything?)`;
  if (gs.length === 2 && ws.length === 2 && gs[0] === ws[1] && gs[1] === ws[0]) {
    const right = allClose(transpose2(got), want, tol);
    return `${head}: your result is transposed${right ? ' (its transpose would be right)' : ''}` +
      (transposeHint ? ` — ${transposeHint}` : '');
  }
  if (gs.length === ws.length && gs.length === 1 && Math.abs(gs[0] - ws[0]) === 1) {
    return `${head}: off by one — check the bounds of your loop (< vs ≤) or a slice`;
  }
  if (got.data.length === want.data.length) {
    return `${head}: the number of entries is right but it is arranged differently (return ${ws.length === 1 ? 'a flat array' : 'one row per sample'})`;
  }
  if (gs.length === 2 && ws.length === 2 && (gs[0] === ws[1] || gs[1] === ws[0]) && transposeHint) return `${head} — ${transposeHint}`;
  return head;
}

/**
 * Feedback on one numeric result against the reference, or null when it matches. Never prints reference
 * values: only shapes, positions, counts, relative errors and the kind of mistake.
 */
export function diagnoseNumeric(got: Numeric, want: Numeric, what: string, opts: CompareOptions = {}): string | null {
  const tol = tolOf(opts.tol);
  const s = shapeFeedback(got, want, what, tol, opts.transposeHint);
  if (s) return s;
  const n = want.data.length;
  const nonFinite: number[] = [];
  for (let k = 0; k < n; k++) if (!Number.isFinite(got.data[k]) && Number.isFinite(want.data[k])) nonFinite.push(k);
  if (nonFinite.length) {
    const kind = Number.isNaN(got.data[nonFinite[0]]) ? 'NaN' : 'Infinity';
    return `${what} contains ${kind}${n > 1 ? ` in ${nonFinite.length} of ${n} entries (first at ${indexText(nonFinite[0], want.shape)})` : ''}: ` +
      'look for a division by zero, 0/0, the log or square root of a negative number, or an array index out of range (undefined)';
  }
  const ok = closeMask(got.data, want.data, tol);
  if (ok.every(Boolean)) return null;
  for (const m of opts.mistakes ?? []) {
    if (m.value && m.value.kind === 'array' && allClose(got, m.value.value, tol)) return `${prefix(what)}${m.message}`;
  }
  const g = got.data, w = want.data;
  const close = (a: Float64Array) => closeMask(g, a, tol).every(Boolean);
  if (maxAbs(w) > 0 && close(w.map((v) => -v))) return `${what} has the right size but the wrong sign: check the order of a subtraction or the sign of the update`;
  let gw = 0, ww = 0;
  for (let k = 0; k < n; k++) { gw += g[k] * w[k]; ww += w[k] * w[k]; }
  if (ww > 0) {
    const c = gw / ww;
    // For a single number any value is a multiple of the reference: only name simple factors there.
    const simple = n > 1 || [2, 0.5, 4, 0.25, 3, 1 / 3].some((f) => Math.abs(c / f - 1) < 1e-3);
    if (Math.abs(c) > 1e-12 && simple && close(w.map((v) => c * v))) {
      return `${what} is off by a constant factor (about ×${c.toPrecision(3)}): a missing or extra ½ or 2, a mean where a sum is meant (or the reverse), or a square/square root?`;
    }
  }
  if (n > 1) {
    const off = g[0] - w[0];
    if (Math.abs(off) > 0 && close(w.map((v) => v + off))) return `${what} is off by the same constant in every entry: a stray offset or bias term?`;
  }
  const shifted = (dir: 1 | -1): boolean => {
    const last = want.shape[want.shape.length - 1] ?? 1;
    if (last < 3) return false;
    const a = tol.atol * Math.max(1, maxAbs(w));
    for (let k = 0; k < n; k++) {
      const j = (k % last) + dir;
      if (j < 0 || j >= last) continue;
      const t = w[k + dir];
      if (!(Math.abs(g[k] - t) <= a + tol.rtol * Math.abs(t))) return false;
    }
    return true;
  };
  if (n > 2 && (shifted(1) || shifted(-1))) return `${what} is shifted by one position: an off-by-one index (i+1 or i−1 where i is meant)?`;
  const bad = ok.map((v) => !v);
  const nBad = bad.filter(Boolean).length;
  if (opts.regions && opts.regions.length) {
    const wrongIn = opts.regions.filter((r) => bad.some((b, k) => b && r.mask[k]));
    const uncovered = bad.some((b, k) => b && !opts.regions!.some((r) => r.mask[k]));
    const rightSomewhere = opts.regions.some((r) => Array.from(r.mask).some(Boolean) && !bad.some((b, k) => b && r.mask[k]));
    if (wrongIn.length === 1 && !uncovered && rightSomewhere) {
      return `${prefix(what)}values match except where ${wrongIn[0].name}: ${wrongIn[0].hint}`;
    }
  }
  let worst = 0, at = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.abs(g[k] - w[k]) / Math.max(Math.abs(w[k]), 1e-12);
    if (bad[k] && e >= worst) { worst = e; at = k; }
  }
  if (n === 1) return `${what} is not right (relative error ${worst.toPrecision(2)})`;
  return `${what}: ${nBad} of ${n} entries are not right (largest relative error ${worst.toPrecision(2)} at ${indexText(at, want.shape)})`;
}

/** Feedback on a whole return value (array or named fields) against the reference, or null when it matches. */
export function diagnose(got: Value, want: Value, opts: CompareOptions = {}): string | null {
  const tol = tolOf(opts.tol);
  for (const m of opts.mistakes ?? []) {
    if (m.value && m.value.kind === 'fields' && !valuesClose(got, want, tol) && valuesClose(got, m.value, tol)) return m.message;
  }
  if (want.kind === 'array') {
    if (got.kind !== 'array') return `your function returned an object with fields ${Object.keys(got.fields).join(', ')}; return the array itself`;
    return diagnoseNumeric(got.value, want.value, 'your result', opts);
  }
  const names = Object.keys(want.fields);
  if (got.kind !== 'fields') return `return an object with the fields { ${names.join(', ')} }, not a plain ${got.value.shape.length ? 'array' : 'number'}`;
  const missing = names.filter((k) => got.fields[k] === undefined);
  if (missing.length) return `your result has no field ${missing.map((k) => `'${k}'`).join(', ')} (expected fields: ${names.join(', ')})`;
  for (const k of names) {
    const f = diagnoseNumeric(got.fields[k], want.fields[k], `field '${k}'`, { ...opts, mistakes: [] });
    if (f) return f;
  }
  return null;
}
