/**
 * The notebook side: `check(id, fn)` runs the student's function on fresh random cases against the
 * reference and prints feedback (never throws, so the lesson goes on); `solved(student, reference, id)`
 * returns the student's function when it passes, else the reference with a printed note.
 */
import { randomInt } from 'node:crypto';
import { CheckResult, callStudent, forbiddenFeedback, judge, makeCases } from './exercise';
import { exerciseSpec } from './exercises';

/** Options of {@link check}. */
export interface CheckOptions {
  /** Seed of the random cases (default: fresh each call; the seed is printed so a failure can be replayed). */
  seed?: number;
  /** Print nothing (default false). */
  quiet?: boolean;
}

/**
 * Check a student's function for exercise `id` (e.g. 'soft-threshold') on fresh random cases; prints
 * "✔ …" or "✘ … feedback". Returns the {@link CheckResult}; never throws for a wrong or unfinished answer.
 */
export function check(id: string, fn: unknown, opts: CheckOptions = {}): CheckResult {
  const spec = exerciseSpec(id);
  const seed = opts.seed ?? randomInt(1, 2 ** 31 - 1);
  let result: CheckResult;
  if (typeof fn !== 'function') {
    result = { id, passed: false, feedback: `expected your function ${spec.functionName}, got ${fn === undefined ? 'undefined' : typeof fn}`, casesPassed: 0, cases: 0, seed };
  } else {
    const cases = makeCases(spec, seed);
    const forbidden = forbiddenFeedback(spec, Function.prototype.toString.call(fn));
    result = forbidden
      ? { id, passed: false, feedback: forbidden, casesPassed: 0, cases: cases.length, seed }
      : judge(spec, cases, cases.map((c) => callStudent(fn as (...a: unknown[]) => unknown, c, spec.params)), seed);
  }
  // tslab displays a cell's last value: show one short line instead of the whole object.
  Object.defineProperty(result, Symbol.for('nodejs.util.inspect.custom'), {
    value: () => `[${id}: ${result.passed ? 'passed' : 'not passed yet'}]`, enumerable: false,
  });
  if (!opts.quiet) {
    console.log(result.passed
      ? `✔ ${spec.title} (${id}): ${result.feedback}`
      : `✘ ${spec.title} (${id}): ${result.feedback}\n  (replay these cases with sw.coursework.check('${id}', ${spec.functionName}, { seed: ${seed} }))`);
  }
  return result;
}

/**
 * The function later cells should use: the student's `student` if it passes the check of exercise `id`,
 * otherwise `reference` (the library's implementation) with a printed note — so one unsolved exercise
 * does not block the rest of the notebook.
 */
export function solved<F extends (...args: any[]) => any>(student: F, reference: F, id: string): F {
  const r = check(id, student, { quiet: true });
  if (r.passed) return student;
  const title = exerciseSpec(id).title;
  const why = r.feedback.startsWith('not implemented') ? 'not implemented yet' : 'its check does not pass yet';
  console.log(`note: ${title} (${id}) — ${why}; the cells below use the library's reference implementation instead`);
  return reference;
}
