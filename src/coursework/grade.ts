/**
 * Grading a folder of submissions. For each notebook: its own scratch folder in build/grading/, an optional
 * headless run of the whole notebook (for the instructor's information: does it run end to end?), and for
 * every exercise of the matching solution notebook a fresh sandboxed process that runs the student's exercise
 * cells and calls the function on fresh random cases; the grader compares the returned values with the
 * references computed in its own process. Points come from the solution notebook, never from the submission.
 */
import { createHash, randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../io/files';
import { CheckResult, ExerciseSpec, forbiddenExports, judge, makeCases } from './exercise';
import { exerciseSpec } from './exercises';
import { buildHarness, parseHarnessResult } from './harness';
import { ExerciseCell, Notebook, exerciseCells, findExerciseSource, importStatements, readNotebook, validateNotebook } from './notebook';
import {
  SandboxIdentity, SandboxResult, dropsPrivileges, killLeftovers, makeOwnedDir, newIdentity, nodePermissionArgs, removeFilesOf, runSandboxed, untraversableDir,
} from './sandbox';
import { parseJsonBounded, readSandboxText } from './untrusted';

/** Options of {@link gradeSubmissions}. */
export interface GradeOptions {
  /** Project root (for node_modules, the notebook runner and its Python). */
  root: string;
  /** Solution notebooks or folders of them (default: <root>/notebooks). */
  solutions?: string[];
  /**
   * Scratch folder (default <root>/build/grading/<date-time>). It must be inside the project so that the
   * submissions' `import … from 'superposition-workbook'` resolves through its node_modules.
   */
  outDir?: string;
  /** Seconds allowed per exercise process (default 20). */
  timeoutSeconds?: number;
  /** Seconds allowed for the whole-notebook run (default 900). */
  notebookTimeoutSeconds?: number;
  /** Execute the whole notebook headless first (default true). */
  runNotebook?: boolean;
  /** Base seed of the random cases (default: fresh). */
  seed?: number;
  /** Python of the Jupyter environment (default <root>/environment/.venv/bin/python). */
  python?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /**
   * Submissions graded at the same time (default: the number of cores, `os.availableParallelism()`). Each one
   * still has its own uid, work folder and processes; results come back in the same order whatever the value.
   */
  jobs?: number;
}

/** Grade of one exercise; `points` are the points awarded, `max` those available. */
export interface ExerciseGrade {
  id: string;
  passed: boolean;
  points: number;
  max: number;
  feedback: string;
}

/** Grade of one submitted notebook. */
export interface NotebookGrade {
  notebook: string;
  student: string;
  score: number;
  max: number;
  exercises: ExerciseGrade[];
  /** The whole-notebook run (information only; not part of the score). */
  run?: { status: string; seconds: number; message?: string };
  /** Problems with the submission as a whole (unreadable, no matching solution…). */
  error?: string;
}

interface Solution { file: string; name: string; exercises: ExerciseCell[] }

function listIpynb(p: string): string[] {
  const st = fs.statSync(p);
  if (st.isFile()) return [p];
  return fs.readdirSync(p, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith('.')) return [];
    const f = path.join(p, e.name);
    return e.isDirectory() ? listIpynb(f) : e.name.endsWith('.ipynb') ? [f] : [];
  }).sort();
}

function loadSolutions(paths: string[]): Solution[] {
  const out: Solution[] = [];
  for (const file of paths.flatMap(listIpynb)) {
    const exercises = exerciseCells(readNotebook(file), file);
    if (exercises.length) out.push({ file, name: path.basename(file), exercises });
  }
  const seen = new Map<string, string>();
  for (const s of out) for (const e of s.exercises) {
    if (seen.has(e.id) && seen.get(e.id) !== s.file) throw new Error(`exercise id '${e.id}' is used in ${seen.get(e.id)} and ${s.file}; ids must be unique`);
    seen.set(e.id, s.file);
  }
  return out;
}

/** A solution notebook's exercises and their points, as graded (in notebook order). */
export interface SolutionSummary { notebook: string; exercises: { id: string; points: number }[] }

/** The solution notebooks with exercises in `paths` (files or folders), in the order the grader uses them. */
export function solutionSummaries(paths: string[]): SolutionSummary[] {
  return loadSolutions(paths).map((s) => ({ notebook: s.name, exercises: s.exercises.map((e) => ({ id: e.id, points: e.points })) }));
}

function matchSolution(file: string, nb: Notebook | null, solutions: Solution[]): Solution | undefined {
  const base = path.basename(file);
  const exact = solutions.find((s) => s.name === base) ?? solutions.find((s) => base.endsWith(s.name) || base.includes(s.name.replace(/\.ipynb$/, '')));
  if (exact) return exact;
  if (!nb) return solutions.length === 1 ? solutions[0] : undefined;
  let ids: string[] = [];
  try { ids = exerciseCells(nb).map((e) => e.id); } catch { ids = []; }
  let best: Solution | undefined, bestN = 0;
  for (const s of solutions) {
    const n = s.exercises.filter((e) => ids.includes(e.id)).length;
    if (n > bestN) { best = s; bestN = n; }
  }
  return best ?? (solutions.length === 1 ? solutions[0] : undefined);
}

/** Student name: the submission's folder under the graded folder, else the file name without the notebook's name. */
function studentName(file: string, base: string, solution?: Solution): string {
  const rel = path.relative(base, file);
  const parts = rel.split(path.sep);
  if (parts.length > 1) return parts[0];
  const stem = path.basename(file, '.ipynb');
  const sol = solution ? solution.name.replace(/\.ipynb$/, '') : '';
  const s = sol && stem !== sol ? stem.replace(sol, '').replace(/^[-_. ]+|[-_. ]+$/g, '') : '';
  return s || stem;
}

const safe = (s: string): string => s.replace(/[^\w.-]+/g, '_').slice(0, 80);

function subSeed(base: number, id: string): number {
  return createHash('sha256').update(`${base}:${id}`).digest().readUInt32LE(0) % 2147483646 + 1;
}

function sandboxEnv(root: string, work: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, TMPDIR: work, LANG: 'C.UTF-8',
    WORKBOOK_ROOT: root, WORKBOOK_MODE: 'quick', JUPYTER_RUNTIME_DIR: path.join(work, '.jupyter', 'runtime'),
    JUPYTER_CONFIG_DIR: path.join(work, '.jupyter', 'config'), IPYTHONDIR: path.join(work, '.ipython'),
    JUPYTER_PLATFORM_DIRS: '1',
    // the notebook's own outputs go to its work folder (the project itself is not writable by the sandbox)
    WORKBOOK_FIGURES_DIR: path.join(work, 'build', 'figures'), WORKBOOK_RESULTS_DIR: path.join(work, 'build', 'results'),
  };
}

/**
 * A grader file the sandboxed process must read (its harness, its cases): created new (never through a file
 * planted in its place), readable by that submission's uid only (owner, mode 0400) or by the grader (0600).
 */
function writeForSandbox(file: string, text: string, identity: SandboxIdentity): void {
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
  if (identity.uid !== undefined) {
    fs.chownSync(file, identity.uid, identity.gid ?? identity.uid);
    fs.chmodSync(file, 0o400);
  }
}

/**
 * What an exercise process may read of the project: the compiled library (`dist/`), `package.json` and the
 * packages (`node_modules/`). (Node 20's permission model mis-handles long lists of sibling folders, so
 * `node_modules` is granted whole; its link back to the project lets the process read what any user may read
 * there — hence the warning about world-readable solutions.)
 */
function libraryReadPaths(realRoot: string): string[] {
  return [path.join(realRoot, 'dist'), path.join(realRoot, 'package.json'), path.join(realRoot, 'node_modules')];
}

function megabytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(0)} KB`;
}

async function runWholeNotebook(nbFile: string, work: string, identity: SandboxIdentity, o: Required<Pick<GradeOptions, 'root' | 'notebookTimeoutSeconds'>> & { python: string }):
  Promise<NonNullable<NotebookGrade['run']>> {
  const report = path.join(work, 'report.json');
  const t = o.notebookTimeoutSeconds;
  const r = await runSandboxed(o.python, [path.join(o.root, 'environment', 'run_notebooks.py'), '--mode', 'quick',
    '--out', path.join(work, 'executed'), '--report', report, '--cell-timeout', String(t), '--notebook-timeout', String(t), nbFile],
  { cwd: work, env: sandboxEnv(o.root, work), timeoutMs: (t + 90) * 1000, identity });
  killLeftovers(identity);
  if (r.timedOut) return { status: 'timeout', seconds: r.seconds, message: `the notebook did not finish within ${t} s` };
  // The report is written by a process running submission code: information only, parsed defensively.
  let rep: { status?: unknown; seconds?: unknown; error?: { cell?: unknown; source_line?: unknown; stderr?: unknown; message?: unknown } } | undefined;
  let unreadable = '';
  try {
    const text = readSandboxText(report, { what: 'the notebook runner\'s report', maxBytes: 1 << 20 });
    const parsed = text === null ? null : parseJsonBounded(text, { what: 'the notebook runner\'s report' });
    rep = Array.isArray(parsed) && parsed[0] !== null && typeof parsed[0] === 'object' ? parsed[0] as typeof rep : undefined;
  } catch (e) {
    unreadable = ` (${(e as Error).message})`;
  }
  if (!rep) return { status: 'error', seconds: r.seconds, message: `the notebook runner produced no readable report${unreadable} (exit ${r.code}): ${r.output.slice(-500)}` };
  const status = String(rep.status ?? 'error');
  const e = rep.error ?? {};
  const firstErr = String(e.stderr ?? '').split('\n').find((l) => l.trim()) ?? '';
  const message = status === 'ok' ? undefined
    : [e.cell !== undefined ? `cell ${String(e.cell)}: ${String(e.source_line ?? '').trim()}` : '', String(e.message ?? ''), firstErr].filter(Boolean).join(' — ').slice(0, 500);
  return { status, seconds: Number(rep.seconds) || r.seconds, message };
}

const cellText = (nb: Notebook, i: number): string => { const c = nb.cells[i].source; return Array.isArray(c) ? c.join('') : c; };

/**
 * The cells an exercise's harness runs, in notebook order: the earlier exercise cells whose functions this
 * cell uses (transitively, by name), then the cell itself — so that one exercise's top-level code does not
 * run in (or break) the check of an unrelated one.
 */
export function dependencyCells(nb: Notebook, found: { cellIndex: number; source: string }, officialChecks: Map<string, string>): number[] {
  let earlier: { cellIndex: number; fn: string }[] = [];
  try {
    earlier = exerciseCells(nb).filter((e) => officialChecks.has(e.id) && e.cellIndex < found.cellIndex)
      .map((e) => ({ cellIndex: e.cellIndex, fn: exerciseSpec(officialChecks.get(e.id)!).functionName }));
  } catch { earlier = []; }
  const need = new Set<number>([found.cellIndex]);
  const queue = [found.source];
  while (queue.length) {
    const src = queue.pop()!;
    for (const e of earlier) {
      if (!need.has(e.cellIndex) && new RegExp(`\\b${e.fn}\\b`).test(src)) { need.add(e.cellIndex); queue.push(cellText(nb, e.cellIndex)); }
    }
  }
  return [...need].sort((a, b) => a - b);
}

async function gradeExercise(spec: ExerciseSpec, nb: Notebook, ex: ExerciseCell, officialChecks: Map<string, string>, dirs: { grader: string; work: string },
  identity: SandboxIdentity, seed: number, timeoutSeconds: number, root: string): Promise<CheckResult> {
  const fail = (feedback: string): CheckResult => ({ id: ex.id, passed: false, feedback, casesPassed: 0, cases: 0, seed });
  const found = findExerciseSource(nb, ex.id, spec.functionName);
  if (!found) return fail(`exercise cell not found (no cell with exercise id '${ex.id}' in its metadata nor one defining ${spec.functionName})`);
  const cells = dependencyCells(nb, found, officialChecks).map((i) => cellText(nb, i));
  const cases = makeCases(spec, seed);
  const tag = safe(ex.id);
  const casesFile = path.join(dirs.grader, `cases-${tag}.json`);
  const harnessFile = path.join(dirs.grader, `harness-${tag}.cjs`);
  const resultFile = path.join(dirs.work, `result-${tag}.jsonl`);
  fs.rmSync(resultFile, { force: true }); // (a symlink or FIFO planted there is removed, not followed)
  const realRoot = fs.realpathSync(root);
  const h = buildHarness({
    imports: importStatements(nb), cells, functionName: spec.functionName, params: spec.params, casesFile, resultFile,
    guard: { exerciseId: ex.id, forbidden: forbiddenExports(spec), root: realRoot },
  });
  if ('error' in h) return fail(h.error);
  let r: SandboxResult;
  try {
    writeForSandbox(casesFile, JSON.stringify(cases.map((c) => ({ args: c.args }))), identity);
    writeForSandbox(harnessFile, h.js, identity);
    const permissions = nodePermissionArgs([...libraryReadPaths(realRoot), dirs.grader, dirs.work], [dirs.work]);
    r = await runSandboxed(process.execPath, [...permissions, '--max-old-space-size=2048', harnessFile],
      { cwd: dirs.work, env: sandboxEnv(root, dirs.work), timeoutMs: timeoutSeconds * 1000, identity, keepBytes: 64 * 1024 });
    killLeftovers(identity);
  } finally {
    fs.rmSync(harnessFile, { force: true }); // it holds the student's code
    fs.rmSync(casesFile, { force: true });
  }
  writeFileAtomic(path.join(dirs.grader, `output-${tag}.txt`), r.output, 0o600);
  let resultText: string | null;
  try {
    resultText = readSandboxText(resultFile, { what: 'the result file of your exercise process', maxBytes: 32 * 1024 * 1024 });
  } catch (e) {
    return fail(`${(e as Error).message}`);
  }
  const rep = parseHarnessResult(resultText);
  const printed = r.outputBytes > 64 * 1024 ? ` (your code printed ${megabytes(r.outputBytes)}; output truncated to the first 64 KB)` : '';
  const done = rep.outcomes.length;
  if (rep.fatal) return fail(`the exercise cell failed before ${spec.functionName} could be called: ${rep.fatal.name}: ${rep.fatal.message}${printed}`);
  // every case answered: judged in full even if the process was then slow to exit (a busy machine)
  if (done < cases.length) {
    const res = judge(spec, cases.slice(0, done), rep.outcomes, seed);
    if (!res.passed) return { ...res, cases: cases.length, feedback: res.feedback + printed };
    const why = r.timedOut ? `timed out after ${timeoutSeconds} s on case ${done + 1} of ${cases.length} (an infinite loop?)`
      : r.outputLimited ? `stopped on case ${done + 1} of ${cases.length}: printed more than ${megabytes(r.outputBytes)}`
        : `the process ended on case ${done + 1} of ${cases.length} (exit code ${r.code}${r.signal ? `, ${r.signal}` : ''}): ${r.output.trim().split('\n').slice(-3).join(' / ').slice(0, 300)}`;
    return { ...res, passed: false, cases: cases.length, feedback: why + printed };
  }
  const res = judge(spec, cases, rep.outcomes, seed);
  const byName = found.byName ? ' (found by its function name: the exercise metadata was missing)' : '';
  return { ...res, feedback: res.feedback + printed + byName };
}

/** Grade one submitted notebook file against the given solutions. */
export async function gradeNotebook(file: string, solutions: Solution[], o: GradeOptions & { base: string; index: number; baseSeed: number; outDir: string }): Promise<NotebookGrade> {
  const name = path.basename(file);
  let nb: Notebook | null = null;
  let readError: string | undefined;
  try { nb = validateNotebook(JSON.parse(fs.readFileSync(file, 'utf8')), name); } catch (e) { readError = `not a readable notebook: ${(e as Error).message}`; }
  const solution = matchSolution(file, nb, solutions);
  const student = studentName(file, o.base, solution);
  const empty = (error: string, sol?: Solution): NotebookGrade => ({
    notebook: name, student, score: 0, max: sol ? sol.exercises.reduce((s, e) => s + e.points, 0) : 0, error,
    exercises: sol ? sol.exercises.map((e) => ({ id: e.id, passed: false, points: 0, max: e.points, feedback: error })) : [],
  });
  if (!solution) return empty(readError ?? `no solution notebook matches ${name} (by file name or exercise ids)`);
  if (!nb) return empty(readError ?? 'unreadable', solution);
  const dir = path.join(o.outDir, `${String(o.index + 1).padStart(3, '0')}-${safe(student)}-${safe(name)}`);
  const grader = path.join(dir, 'grader'), work = path.join(dir, 'work');
  fs.rmSync(dir, { recursive: true, force: true }); // never reuse a previous run's files
  // the grader's folders: others may pass through (to their own files) but not list or read them
  fs.mkdirSync(grader, { recursive: true, mode: 0o711 });
  fs.chmodSync(dir, 0o711);
  fs.chmodSync(grader, 0o711);
  const identity = newIdentity();
  makeOwnedDir(work, identity);
  try {
    const copy = path.join(work, name);
    fs.copyFileSync(file, copy);
    fs.chmodSync(copy, 0o600);
    if (identity.uid !== undefined) fs.chownSync(copy, identity.uid, identity.gid ?? identity.uid);
    return await gradeInSandbox(copy, nb, solution, { name, student, dir, grader, work, identity }, o);
  } finally {
    killLeftovers(identity);
    fs.rmSync(work, { recursive: true, force: true });
    removeFilesOf(identity);
  }
}

/** The grading of one submission once its work folder and uid exist: the optional whole-notebook run, then each exercise. */
async function gradeInSandbox(copy: string, nb: Notebook, solution: Solution,
  s: { name: string; student: string; dir: string; grader: string; work: string; identity: SandboxIdentity },
  o: GradeOptions & { index: number; baseSeed: number }): Promise<NotebookGrade> {
  const { name, student, dir, grader, work, identity } = s;
  const grade: NotebookGrade = { notebook: name, student, score: 0, max: 0, exercises: [] };
  if (o.runNotebook ?? true) {
    o.log?.(`  ${student} / ${name}: running the notebook headless…`);
    grade.run = await runWholeNotebook(copy, work, identity, {
      root: o.root, notebookTimeoutSeconds: o.notebookTimeoutSeconds ?? 900,
      python: o.python ?? path.join(o.root, 'environment', '.venv', 'bin', 'python'),
    });
  }
  const officialChecks = new Map(solution.exercises.map((e) => [e.id, e.check]));
  for (const ex of solution.exercises) {
    const spec = exerciseSpec(ex.check);
    o.log?.(`  ${student} / ${name}: ${ex.id}`);
    let r: CheckResult;
    try {
      r = await gradeExercise(spec, nb, ex, officialChecks, { grader, work }, identity, subSeed(o.baseSeed, `${name}:${ex.id}:${o.index}`), o.timeoutSeconds ?? 20, o.root);
    } catch (e) {
      r = { id: ex.id, passed: false, feedback: `grader error on this exercise: ${(e as Error).message}`, casesPassed: 0, cases: 0, seed: 0 };
    }
    grade.exercises.push({ id: ex.id, passed: r.passed, points: r.passed ? ex.points : 0, max: ex.points, feedback: r.feedback });
  }
  grade.score = grade.exercises.reduce((sum, e) => sum + e.points, 0);
  grade.max = grade.exercises.reduce((sum, e) => sum + e.max, 0);
  writeFileAtomic(path.join(dir, 'grade.json'), `${JSON.stringify(grade, null, 1)}\n`, 0o600);
  return grade;
}

/**
 * Paths that sandboxed submissions could read although they should not (other students' notebooks, the
 * solutions): anything readable by "others" when submissions run under dedicated uids.
 */
export function readableByOthers(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st: fs.Stats;
    try { st = fs.statSync(p); } catch { continue; }
    if (st.isDirectory() ? (st.mode & 0o005) === 0o005 : (st.mode & 0o004) !== 0) out.push(p);
  }
  return out;
}

/** Submissions graded at once by default: one per core. */
export function defaultJobs(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * `work(item, index)` for every item, at most `jobs` at a time, results in the items' order. `work` must not
 * throw (a grade carries its own errors); if it does, the first error is rethrown once all started work ended.
 */
async function inPool<T, R>(items: T[], jobs: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < items.length && !errors.length) {
      const i = next++;
      try { out[i] = await work(items[i], i); } catch (e) { errors.push(e); }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  if (errors.length) throw errors[0];
  return out;
}

/** Grade every notebook in `paths` (files or folders, searched recursively); one {@link NotebookGrade} each, plus warnings about readable paths. */
export async function gradeSubmissions(paths: string[], o: GradeOptions): Promise<{ grades: NotebookGrade[]; outDir: string; seed: number; warnings: string[] }> {
  for (const [k, v] of [['timeoutSeconds', o.timeoutSeconds], ['notebookTimeoutSeconds', o.notebookTimeoutSeconds]] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new RangeError(`grading: ${k} must be a number of seconds > 0, got ${v}`);
  }
  const jobs = o.jobs ?? defaultJobs();
  if (!(Number.isSafeInteger(jobs) && jobs >= 1)) throw new RangeError(`grading: jobs must be an integer ≥ 1 (submissions graded at once), got ${jobs}`);
  const solutionPaths = o.solutions ?? [path.join(o.root, 'notebooks')];
  const solutions = loadSolutions(solutionPaths);
  const warnings: string[] = [];
  const open = readableByOthers([...paths, ...solutionPaths]);
  if (open.length && typeof process.getuid === 'function' && process.getuid() === 0) {
    warnings.push(`readable by other users, hence by the sandboxed submissions (which could copy another student's answer or read the solutions): ${open.join(', ')} — consider chmod -R o-rwx`);
  }
  if (dropsPrivileges()) {
    // the dedicated uids must reach the project (its node_modules, the harness) and Node itself
    for (const p of [o.root, process.execPath]) {
      const d = untraversableDir(p);
      if (d) {
        throw new Error(`grading sandbox: submissions run under unprivileged uids, which cannot reach ${p}: ${d} is not traversable by other users ` +
          `(mode ${(fs.statSync(d).mode & 0o777).toString(8)}). Fix: chmod o+x ${d} (or move the project), or set WORKBOOK_GRADE_SAME_USER=1 to grade as yourself without isolation`);
      }
    }
  }
    if (!solutions.length) throw new Error(`no solution notebooks with exercises in ${(o.solutions ?? ['notebooks/']).join(', ')}`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const outDir = path.resolve(o.outDir ?? path.join(o.root, 'build', 'grading', stamp));
  if (path.relative(path.resolve(o.root), outDir).startsWith('..')) {
    throw new Error(`the grading scratch folder ${outDir} must be inside the project ${o.root} (imports of 'superposition-workbook' resolve through its node_modules)`);
  }
  // others (the sandbox uids) may pass through to their own files, not list the submissions
  if (!fs.existsSync(outDir)) { fs.mkdirSync(outDir, { recursive: true }); fs.chmodSync(outDir, 0o711); }
  const baseSeed = o.seed ?? randomInt(1, 2 ** 31 - 1);
  // every submission and its index first (the index fixes its folder name and seed), then graded by a pool
  const queue: { file: string; base: string }[] = [];
  for (const p of paths) {
    if (!fs.existsSync(p)) throw new Error(`${p} does not exist`);
    const base = fs.statSync(p).isDirectory() ? p : path.dirname(p);
    const files = listIpynb(p);
    if (!files.length) throw new Error(`no .ipynb files in ${p}`);
    for (const file of files) queue.push({ file, base });
  }
  const grades = await inPool(queue, jobs, (q, index) => gradeNotebook(q.file, solutions, { ...o, base: q.base, index, baseSeed, outDir }));
  return { grades, outDir, seed: baseSeed, warnings };
}
