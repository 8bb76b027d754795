/**
 * A Gradescope autograder for the workbook's exercises (https://gradescope-autograders.readthedocs.io/en/latest/specs/):
 * a zip with `setup.sh` (run once when Gradescope builds its Ubuntu image), `run_autograder` (run per
 * submission) and `workbook/` — the compiled library (`dist/`), `package.json`, `package-lock.json` and the
 * solution notebooks that define the exercises and their points.
 *
 * How the library gets there: the compiled `dist/` is bundled and `setup.sh` installs its runtime dependencies
 * from the lockfile (`npm ci --omit=dev --omit=optional --ignore-scripts`). Not `npm pack`: the package is private,
 * and a packed tarball would follow .gitignore (which excludes `dist/`) and carry the tests and notebooks; the
 * bundle here is exactly what grading runs, at the versions the course was tested with.
 *
 * `run_autograder` grades the notebooks in `/autograder/submission/` with the same grader as `superposition grade`
 * (each exercise in a fresh sandboxed process under its own uid, Gradescope running it as root) and writes
 * `/autograder/results/results.json`. `AUTOGRADER_ROOT` relocates `/autograder` (to run it anywhere, e.g. in tests);
 * `WORKBOOK_DIR` overrides `<root>/source/workbook`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ZipEntry } from '../io/zip';
import { solutionSummaries } from './grade';

/** Options of {@link autograderEntries}. */
export interface AutograderOptions {
  /** Project root holding `dist/`, `package.json` and `package-lock.json`. */
  root: string;
  /** Solution notebooks or folders of them (default `<root>/notebooks`): the assignment's exercises and points. */
  solutions?: string[];
  /** Seconds allowed per exercise process (default 20). */
  timeoutSeconds?: number;
}

function listFiles(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.name.startsWith('.') || e.name.endsWith('.map')) return []; // build state and source maps: not needed to run
    return e.isDirectory() ? listFiles(dir, r) : e.isFile() ? [r] : [];
  }).sort();
}

function solutionFiles(paths: string[]): string[] {
  const walk = (p: string): string[] => fs.statSync(p).isDirectory()
    ? fs.readdirSync(p).filter((f) => !f.startsWith('.')).sort().flatMap((f) => walk(path.join(p, f)))
    : p.endsWith('.ipynb') ? [p] : [];
  return paths.flatMap(walk);
}

/** setup.sh: Node ≥ 20.19 from NodeSource when the image has none, then the library's runtime dependencies. */
export const SETUP_SH = `#!/usr/bin/env bash
# Gradescope runs this once, as root in /autograder/source, when it builds the autograder image (Ubuntu).
set -euo pipefail
cd "$(dirname "$0")"
node_ok() { command -v node >/dev/null && node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; }
if ! node_ok; then
  apt-get update
  apt-get install -y ca-certificates curl
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  apt-get install -y nodejs
fi
node_ok || { echo "setup.sh: Node >= 20.19 is needed and could not be installed" >&2; exit 1; }
cd workbook
# the runtime dependencies at the locked versions; no install scripts (grading loads no native addon)
npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund
# submissions import 'superposition-workbook': resolve it to this folder
ln -sfn .. node_modules/superposition-workbook
# the sandboxed submissions must not read the solutions
chmod -R o-rwx solutions
`;

/** run_autograder: grade /autograder/submission, write /autograder/results/results.json (paths relocatable). */
export function runAutograderScript(timeoutSeconds: number): string {
  return `#!/usr/bin/env bash
# Gradescope runs this for every submission, as root. AUTOGRADER_ROOT (default /autograder) relocates all its
# paths, so it can run anywhere: AUTOGRADER_ROOT=/tmp/ag /tmp/ag/source/run_autograder
set -uo pipefail
AG="\${AUTOGRADER_ROOT:-/autograder}"
WB="\${WORKBOOK_DIR:-$AG/source/workbook}"
RESULTS="$AG/results/results.json"
mkdir -p "$AG/results"
rm -f "$RESULTS"
# other uids (the sandboxed submissions) must not read the submission folder except through the grader's copies
chmod -R o-rwx "$AG/submission" "$WB/solutions" 2>/dev/null || true
SCRATCH="$WB/build/grading/run-$(date +%Y%m%d-%H%M%S)-$$"
LOG="$(mktemp)"
WORKBOOK_ROOT="$WB" node "$WB/dist/cli/main.js" grade --skip-run --solutions "$WB/solutions" --timeout ${timeoutSeconds} \\
  --scratch "$SCRATCH" --gradescope "$RESULTS" "$AG/submission" 2>"$LOG"
status=$?
cat "$LOG" >&2
if [ ! -s "$RESULTS" ]; then
  # the grader stopped before writing results (e.g. no notebook in the submission): say why, score 0
  node -e '
    const fs = require("fs");
    const why = fs.readFileSync(process.argv[1], "utf8").trim().split("\\n").slice(-5).join("\\n");
    const r = { score: 0, execution_time: 0, stdout_visibility: "hidden", tests: [],
      output: "The submission could not be graded (grader exit code " + process.argv[3] + "):\\n" + why };
    fs.writeFileSync(process.argv[2], JSON.stringify(r, null, 1) + "\\n");' "$LOG" "$RESULTS" "$status"
fi
rm -f "$LOG"
rm -rf "$SCRATCH"
exit 0
`;
}

/**
 * The files of the autograder zip, in order: setup.sh, run_autograder (both executable), workbook/package.json,
 * workbook/package-lock.json, workbook/dist/**, workbook/solutions/*.ipynb.
 * @throws Error naming what is missing (no dist/: run `npm run build`; no solution notebook with exercises).
 */
export function autograderEntries(o: AutograderOptions): ZipEntry[] {
  const root = path.resolve(o.root);
  const timeout = o.timeoutSeconds ?? 20;
  if (!(Number.isFinite(timeout) && timeout > 0)) throw new RangeError(`autograder: timeoutSeconds must be > 0, got ${timeout}`);
  const dist = path.join(root, 'dist');
  if (!fs.existsSync(path.join(dist, 'cli', 'main.js'))) throw new Error(`autograder: ${dist}/cli/main.js is missing; run 'npm run build' in ${root} first`);
  for (const f of ['package.json', 'package-lock.json']) {
    if (!fs.existsSync(path.join(root, f))) throw new Error(`autograder: ${path.join(root, f)} is missing (setup.sh installs the dependencies from it)`);
  }
  const solutionPaths = o.solutions ?? [path.join(root, 'notebooks')];
  const summaries = solutionSummaries(solutionPaths);
  if (!summaries.length) throw new Error(`autograder: no solution notebook with exercises in ${solutionPaths.join(', ')}`);
  const withExercises = new Set(summaries.map((s) => s.notebook));
  const notebooks = solutionFiles(solutionPaths).filter((f) => withExercises.has(path.basename(f)));
  const names = new Set<string>();
  for (const f of notebooks) {
    if (names.has(path.basename(f))) throw new Error(`autograder: two solution notebooks are named ${path.basename(f)}; give one folder per assignment`);
    names.add(path.basename(f));
  }
  return [
    { name: 'setup.sh', data: SETUP_SH, mode: 0o755 },
    { name: 'run_autograder', data: runAutograderScript(timeout), mode: 0o755 },
    { name: 'workbook/package.json', data: fs.readFileSync(path.join(root, 'package.json')) },
    { name: 'workbook/package-lock.json', data: fs.readFileSync(path.join(root, 'package-lock.json')) },
    ...listFiles(dist).map((r) => ({ name: `workbook/dist/${r}`, data: fs.readFileSync(path.join(dist, r)), mode: r.endsWith('cli/main.js') ? 0o755 : 0o644 })),
    ...notebooks.map((f) => ({ name: `workbook/solutions/${path.basename(f)}`, data: fs.readFileSync(f), mode: 0o600 })),
  ];
}
