/**
 * `superposition grade <notebook.ipynb | folder …> [--json] [--out DIR] [--timeout S] [--jobs N] [--gradescope FILE]`: grade submissions
 * (several at once, each in its own sandbox).
 * Each notebook is run headless in its own scratch folder and each exercise is re-run in a fresh sandboxed
 * process against references computed by the grader; prints a table per student and writes grades.csv and
 * grades.json (and one grade.json per submission) to the output folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultJobs, gradeSubmissions, gradeTable, gradesCsv, gradescopeResults, solutionSummaries } from '../coursework';
import { writeFileAtomic } from '../io/files';
import { OptionSpec, parseCommandLine, UsageError } from './args';
import { projectRoot } from './paths';

export const summary = 'grade submitted notebooks (a table per student, CSV and JSON for the instructor)';

const SPEC: Record<string, OptionSpec> = {
  json: { type: 'boolean', help: 'print JSON (one object per notebook) instead of the tables' },
  out: { type: 'string', help: 'folder for grades.csv and grades.json (default: the scratch folder build/grading/<date-time>/)' },
  scratch: { type: 'string', help: 'scratch folder for the copies, inside the project (default build/grading/<date-time>/)' },
  timeout: { type: 'number', help: 'seconds allowed per exercise check', default: 20, above: 0, max: 86400 },
  'notebook-timeout': { type: 'number', help: 'seconds allowed for running a whole notebook', default: 900, above: 0, max: 7 * 86400 },
  'skip-run': { type: 'boolean', help: 'do not run the whole notebooks (grade the exercises only; faster)' },
  solutions: { type: 'string', help: 'solution notebook or folder giving exercises and points (default notebooks/)' },
  seed: { type: 'number', help: 'seed of the random cases (default: fresh; printed)', integer: true, min: 1, max: 2 ** 31 - 1 },
  jobs: { type: 'number', help: 'submissions graded at the same time (each still in its own sandbox)', default: defaultJobs(), integer: true, min: 1, max: 1024 },
  gradescope: { type: 'string', help: 'also write Gradescope\'s results.json to this file, treating all the notebooks given as one student\'s submission' },
  help: { type: 'boolean', help: 'show this help' },
};

export async function run(argv: string[]): Promise<number> {
  const usage = 'superposition grade [options] <notebook.ipynb | folder> …';
  const parsed = parseCommandLine('grade', usage, SPEC, argv, (p) => {
    if (!p.positionals.length) throw new UsageError('give the submitted notebook(s) or a folder of them');
  }, { positionals: true });
  if (typeof parsed === 'number') return parsed; // help (0) or a usage error (2): nothing was done
  const { options, positionals } = parsed;
  const root = projectRoot();
  const json = Boolean(options.json);
  const log = json ? undefined : (l: string) => console.error(l);
  const t0 = Date.now();
  const solutionPaths = options.solutions ? [path.resolve(String(options.solutions))] : undefined;
  const { grades, outDir, seed, warnings } = await gradeSubmissions(positionals.map((p) => path.resolve(p)), {
    root,
    solutions: solutionPaths,
    outDir: options.scratch ? path.resolve(String(options.scratch)) : undefined,
    timeoutSeconds: Number(options.timeout),
    notebookTimeoutSeconds: Number(options['notebook-timeout']),
    runNotebook: !options['skip-run'],
    seed: options.seed === undefined ? undefined : Number(options.seed),
    jobs: Number(options.jobs),
    log,
  });
  for (const w of warnings) console.error(`warning: ${w}`);
  const plain = grades.map(({ notebook, student, score, max, exercises, run: r, error }) => ({ notebook, student, score, max, exercises, ...(r ? { run: r } : {}), ...(error ? { error } : {}) }));
  const reports = options.out ? path.resolve(String(options.out)) : outDir;
  fs.mkdirSync(reports, { recursive: true });
  writeFileAtomic(path.join(reports, 'grades.json'), `${JSON.stringify(plain, null, 1)}\n`);
  writeFileAtomic(path.join(reports, 'grades.csv'), gradesCsv(grades));
  if (options.gradescope) {
    const results = gradescopeResults(grades, solutionSummaries(solutionPaths ?? [path.join(root, 'notebooks')]), { seconds: (Date.now() - t0) / 1000 });
    writeFileAtomic(path.resolve(String(options.gradescope)), `${JSON.stringify(results, null, 1)}\n`);
  }
  if (json) {
    console.log(JSON.stringify(plain.length === 1 && positionals.length === 1 && positionals[0].endsWith('.ipynb') ? plain[0] : plain, null, 1));
  } else {
    console.log(gradeTable(grades));
    console.log(`seed ${seed}; reports: ${path.relative(process.cwd(), path.join(reports, 'grades.csv'))} and grades.json; per-submission grades and outputs in ${path.relative(process.cwd(), outDir)}/ (copies of the submissions are removed)`);
  }
  return 0;
}
