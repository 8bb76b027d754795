/**
 * An exercise checker: how to make fresh random cases, the reference implementation, the known mistakes
 * and regions that make the feedback specific. The same {@link judge} is used in the notebook (calling
 * the student's function directly) and by the grader (calling it in a sandboxed process).
 */
import { Rng } from '../core/rng';
import { CompareOptions, Region, Tolerance, diagnose } from './compare';
import { Value, toValue } from './values';

/** One test case: the arguments passed to the student's function (plain JSON: numbers, arrays, strings). */
export interface Case<A extends unknown[] = unknown[]> {
  args: A;
}

/** Declaration of one exercise. `A` is the tuple of arguments of the student's function. */
export interface ExerciseSpec<A extends unknown[] = any[]> {
  /** Identifier used in notebook metadata and in `check(id, fn)`, e.g. 'soft-threshold'. */
  id: string;
  /** Human title. */
  title: string;
  /** Name of the function the exercise cell defines (the grader calls it by this name). */
  functionName: string;
  /** The function's signature as shown to students. */
  signature: string;
  /** Names of the parameters (for feedback such as "z: length 20, lambda = 0.5"). */
  params: string[];
  /** Fresh cases from a seeded generator (include edge cases: zeros, ties, …). */
  cases(rng: Rng): Case<A>[];
  /** The reference implementation. */
  reference(...args: A): unknown;
  /** Known mistakes, recognised when the student's output equals theirs on a case. */
  mistakes?: { message: string; fn: (...args: A) => unknown }[];
  /** Regions of the output for "values match except where …" feedback. */
  regions?(...args: A): Region[];
  /** Tolerance (default {@link DEFAULT_TOLERANCE}). */
  tol?: Partial<Tolerance>;
  /** Hint appended when the result is transposed or has a swapped dimension. */
  transposeHint?: string;
  /** Extra hint for an exception, e.g. on a ShapeError from matmul. */
  errorHint?(error: { name: string; message: string }): string | undefined;
  /**
   * Library functions the student must not call: `pattern` matches a call in source text (the notebook's quick
   * check), and the export names it spells (`\.(a|b)\s*\(` → a, b) are replaced by throwing stubs in the
   * grader's exercise process (see {@link forbiddenExports}).
   */
  forbidden?: { pattern: RegExp; message: string }[];
  /** Extra library exports that solve this exercise (added to those named in `forbidden` and the function's own name). */
  forbiddenExports?: string[];
}

/** What happened when the student's function was called on one case. */
export type Outcome =
  | { ok: true; value: Value; mutated?: string[] }
  | { ok: false; error: { name: string; message: string } };

/** Result of checking one exercise. */
export interface CheckResult {
  id: string;
  passed: boolean;
  /** One line (or a few) of feedback; never contains reference values. */
  feedback: string;
  /** Cases run and passed (a check stops at the first failing case). */
  casesPassed: number;
  cases: number;
  seed: number;
}

/** Marker text of the stub that exercise versions put in place of a solution. */
export const NOT_IMPLEMENTED = 'not implemented yet';

function argText(name: string, a: unknown): string {
  if (typeof a === 'number') return `${name} = ${Number.isInteger(a) ? a : a.toPrecision(3)}`;
  if (typeof a === 'string') return `${name} = '${a}'`;
  if (Array.isArray(a)) {
    if (a.length && Array.isArray(a[0])) return `${name}: ${a.length}×${(a[0] as unknown[]).length}`;
    return `${name}: length ${a.length}`;
  }
  return name;
}

/** "z: length 20, lambda = 0.5" for a case. */
export function describeCase(spec: ExerciseSpec, c: Case): string {
  return c.args.map((a, i) => argText(spec.params[i] ?? `arg${i}`, a)).join(', ');
}

/** Call the student's function in this process on a copy of the arguments; never throws. */
export function callStudent(fn: (...a: any[]) => unknown, c: Case, params: string[]): Outcome {
  const args = c.args.map((a) => structuredClone(a));
  const before = args.map((a) => JSON.stringify(a));
  try {
    const out = fn(...args);
    if (out !== null && typeof out === 'object' && typeof (out as { then?: unknown }).then === 'function') {
      return { ok: false, error: { name: 'AsyncError', message: 'your function returned a Promise; exercise functions must be synchronous (remove async/await)' } };
    }
    const mutated = params.filter((_, i) => JSON.stringify(args[i]) !== before[i]);
    try {
      return { ok: true, value: toValue(out), mutated: mutated.length ? mutated : undefined };
    } catch (e) {
      return { ok: false, error: { name: 'ResultError', message: (e as Error).message } };
    }
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { ok: false, error: { name: err.name, message: err.message } };
  }
}

/** Feedback for a function that threw. */
export function errorFeedback(spec: ExerciseSpec, error: { name: string; message: string }): string {
  if (error.message.includes(NOT_IMPLEMENTED)) {
    return `${NOT_IMPLEMENTED}: write your code in ${spec.functionName} where it says // YOUR CODE HERE (and remove the throw)`;
  }
  if (error.name === 'ResultError' || error.name === 'AsyncError') return error.message;
  const hint = spec.errorHint?.(error);
  const msg = error.message.length > 300 ? `${error.message.slice(0, 300)}…` : error.message;
  return `your function threw ${error.name}: ${msg}${hint ? ` — ${hint}` : ''}`;
}

/** Forbidden library calls found in a function's source text, as feedback (or null). */
export function forbiddenFeedback(spec: ExerciseSpec, source: string): string | null {
  const code = source.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
  if (/\bcoursework\b/.test(code)) return 'your function calls sw.coursework (the reference implementation); write it yourself';
  for (const f of spec.forbidden ?? []) if (f.pattern.test(code)) return f.message;
  return null;
}

/** One library export an exercise's code may not call, and why (the message shown when it is called). */
export interface ForbiddenExport { name: string; message: string }

/**
 * The library exports that solve exercise `spec` and are therefore disabled while grading it: the export
 * with the exercise's function name (e.g. `sw.donohoTannerRho` for the exercise of that name), the names in
 * `forbiddenExports`, and the names spelled by each `forbidden` pattern (`\.name` or `\.(a|b|c)`).
 * `sw.coursework` (references, checkers) is disabled for every exercise, separately.
 */
export function forbiddenExports(spec: ExerciseSpec): ForbiddenExport[] {
  const out = new Map<string, string>();
  const own = `${spec.functionName} is what this exercise asks you to write`;
  out.set(spec.functionName, own);
  for (const n of spec.forbiddenExports ?? []) out.set(n, `sw.${n} solves this exercise; write it yourself`);
  for (const f of spec.forbidden ?? []) {
    for (const m of f.pattern.source.matchAll(/\\\.(?:\(([\w$|]+)\)|([\w$]+))/g)) {
      for (const n of (m[1] ?? m[2]).split('|')) if (n) out.set(n, f.message);
    }
  }
  return [...out].map(([name, message]) => ({ name, message }));
}

/** The reference output on a case. */
export function referenceValue(spec: ExerciseSpec, c: Case): Value {
  return toValue(spec.reference(...c.args.map((a) => structuredClone(a))));
}

/** Compare outcomes with the reference, case by case; the first failing case gives the feedback. */
export function judge(spec: ExerciseSpec, cases: Case[], outcomes: Outcome[], seed: number): CheckResult {
  const n = cases.length;
  const notes = new Set<string>();
  for (let i = 0; i < n; i++) {
    const o = outcomes[i];
    const c = cases[i];
    const fail = (feedback: string): CheckResult =>
      ({ id: spec.id, passed: false, feedback: i === 0 || feedback.startsWith(NOT_IMPLEMENTED) ? feedback : `case ${i + 1} of ${n} (${describeCase(spec, c)}): ${feedback}`, casesPassed: i, cases: n, seed });
    if (!o) return fail('no result (the run stopped before this case)');
    if (!o.ok) return fail(errorFeedback(spec, o.error));
    const want = referenceValue(spec, c);
    const opts: CompareOptions = {
      tol: spec.tol,
      transposeHint: spec.transposeHint,
      regions: spec.regions?.(...(c.args as any[])),
      mistakes: (spec.mistakes ?? []).map((m) => {
        try { return { message: m.message, value: toValue(m.fn(...c.args.map((a) => structuredClone(a)))) }; } catch { return { message: m.message, value: undefined }; }
      }),
    };
    const f = diagnose(o.value, want, opts);
    if (f) return fail(f);
    if (o.mutated) notes.add(`note: your function changed its input ${o.mutated.join(', ')}; work on a copy`);
  }
  const extra = notes.size ? `; ${[...notes].join('; ')}` : '';
  return { id: spec.id, passed: true, feedback: `passed ${n} of ${n} random cases${extra}`, casesPassed: n, cases: n, seed };
}

/** The cases of an exercise for a seed. */
export function makeCases(spec: ExerciseSpec, seed: number): Case[] {
  return spec.cases(new Rng(seed));
}
