/**
 * Grades in Gradescope's autograder format (`/autograder/results/results.json`, see
 * https://gradescope-autograders.readthedocs.io/en/latest/specs/): a top-level `score`, `execution_time`
 * (seconds), `output`, `stdout_visibility`, and one test per exercise of the solution notebooks
 * `{name, score, max_score, status, output, visibility}`. Every exercise of the assignment is a test, graded or
 * not (a notebook missing from the submission gives its exercises 0 points with a sentence saying so), so the
 * tests' `max_score` always add up to the assignment's points.
 */
import type { NotebookGrade, SolutionSummary } from './grade';

/** Who sees a test or the output on Gradescope. */
export type GradescopeVisibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';

/** One test (one exercise) of results.json. */
export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  visibility: GradescopeVisibility;
}

/** The whole results.json. */
export interface GradescopeResults {
  score: number;
  /** Seconds the grading took. */
  execution_time: number;
  output: string;
  stdout_visibility: GradescopeVisibility;
  tests: GradescopeTest[];
}

/**
 * results.json for one student's submission: `grades` of the notebooks found in it, `solutions` the
 * assignment (from {@link solutionSummaries}). A solution notebook's exercises are taken from the submitted
 * notebook graded against it (the best one if several were submitted); unmatched files are named in `output`.
 * @param o.seconds execution time; o.visibility of the tests (default 'visible': the feedback says what is
 * wrong without revealing the answer); o.stdoutVisibility of the grader's log (default 'hidden').
 */
export function gradescopeResults(grades: NotebookGrade[], solutions: SolutionSummary[],
  o: { seconds: number; visibility?: GradescopeVisibility; stdoutVisibility?: GradescopeVisibility }): GradescopeResults {
  const visibility = o.visibility ?? 'visible';
  const notes: string[] = [];
  const used = new Set<NotebookGrade>();
  const tests: GradescopeTest[] = [];
  for (const sol of solutions) {
    const ids = new Set(sol.exercises.map((e) => e.id));
    const candidates = grades.filter((g) => g.exercises.some((e) => ids.has(e.id)));
    const best = candidates.reduce<NotebookGrade | undefined>((b, g) => (!b || g.score > b.score ? g : b), undefined);
    for (const g of candidates) used.add(g);
    if (candidates.length > 1) notes.push(`${candidates.length} notebooks were graded as ${sol.notebook} (${candidates.map((g) => g.notebook).join(', ')}); the best one counts: ${best!.notebook}`);
    if (!best) notes.push(`no notebook for ${sol.notebook} was found in your submission: upload it (a .ipynb file) to be graded`);
    else if (best.error) notes.push(`${best.notebook}: ${best.error}`);
    for (const e of sol.exercises) {
      const got = best?.exercises.find((x) => x.id === e.id);
      const passed = Boolean(got?.passed);
      tests.push({
        name: `${sol.notebook.replace(/\.ipynb$/, '')}: ${e.id}`,
        score: passed ? e.points : 0,
        max_score: e.points,
        status: passed ? 'passed' : 'failed',
        output: got ? got.feedback : `not graded: no notebook for ${sol.notebook} in your submission`,
        visibility,
      });
    }
  }
  for (const g of grades) if (!used.has(g)) notes.push(`${g.notebook} was not graded: ${g.error ?? 'it matches no notebook of this assignment'}`);
  const score = tests.reduce((s, t) => s + t.score, 0);
  const max = tests.reduce((s, t) => s + t.max_score, 0);
  return {
    score,
    execution_time: Math.round(o.seconds),
    output: [`${score} / ${max} points`, ...notes].join('\n'),
    stdout_visibility: o.stdoutVisibility ?? 'hidden',
    tests,
  };
}
