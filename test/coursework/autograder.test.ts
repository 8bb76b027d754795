/**
 * The Gradescope autograder end to end: `superposition autograder` writes a zip (setup.sh and run_autograder
 * executable at its root, the compiled library and the solutions under workbook/); unpacked into a folder laid
 * out like Gradescope's /autograder (AUTOGRADER_ROOT points there; the project's node_modules stand in for
 * setup.sh's `npm ci`, which needs the network), its run_autograder grades a solution (full marks), a blank
 * student version (zero) and an empty submission (zero, with the reason), writing results.json in Gradescope's
 * format each time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { solutionSummaries } from '../../src/coursework/grade';
import { readNotebook, studentNotebook, writeNotebook } from '../../src/coursework/notebook';
import { dropsPrivileges, untraversableDir } from '../../src/coursework/sandbox';

const root = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(root, 'test', 'fixtures', 'coursework', 'cw_sparse.ipynb');
const SOLUTIONS = path.dirname(FIXTURE);
const env: NodeJS.ProcessEnv = { ...process.env };
if (dropsPrivileges() && untraversableDir(os.tmpdir())) env.WORKBOOK_GRADE_SAME_USER = '1';

const VISIBILITY = ['hidden', 'after_due_date', 'after_published', 'visible'];

/** Schema-level checks of a Gradescope results.json; returns it. */
function checkResults(file: string, maxPoints: number): { score: number; output: string; tests: { name: string; score: number; max_score: number; output: string }[] } {
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(typeof r.score, 'number');
  assert.ok(Number.isFinite(r.score) && r.score >= 0);
  assert.ok(Number.isFinite(r.execution_time) && r.execution_time >= 0);
  assert.ok(VISIBILITY.includes(r.stdout_visibility), r.stdout_visibility);
  assert.equal(typeof r.output, 'string');
  assert.ok(Array.isArray(r.tests));
  const names = new Set<string>();
  for (const t of r.tests) {
    assert.equal(typeof t.name, 'string');
    assert.ok(t.name.length > 0 && !names.has(t.name), `test name '${t.name}'`);
    names.add(t.name);
    assert.ok(Number.isFinite(t.score) && Number.isFinite(t.max_score) && t.score >= 0 && t.score <= t.max_score, JSON.stringify(t));
    assert.ok(['passed', 'failed'].includes(t.status));
    assert.equal(typeof t.output, 'string');
    assert.ok(VISIBILITY.includes(t.visibility));
  }
  if (r.tests.length) {
    assert.equal(r.tests.reduce((s: number, t: { max_score: number }) => s + t.max_score, 0), maxPoints);
    assert.equal(r.tests.reduce((s: number, t: { score: number }) => s + t.score, 0), r.score);
  }
  return r;
}

test('a generated Gradescope autograder grades a solution (full marks), a blank (zero) and an empty submission locally', () => {
  const built = fs.readFileSync(path.join(root, 'dist', 'cli', 'grade.js'), 'utf8');
  assert.match(built, /gradescope/, 'dist/ predates the --gradescope option of grade: run npm run build');
  const ag = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-ag-'));
  fs.chmodSync(ag, 0o755); // the sandbox uids must reach the workbook below it
  const zip = path.join(ag, 'autograder.zip');
  try {
    const made = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'cli', 'main.ts'), 'autograder', '--out', zip, '--solutions', SOLUTIONS, '--timeout', '20'],
      { cwd: root, encoding: 'utf8', env });
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stdout, /1 notebook\(s\), 3 exercises, 7 points/);

    // the archive: required files at the root, scripts executable, CRCs valid (Python's zipfile; modes applied as unzip does)
    const py = `import zipfile, json, sys
z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
z.extractall(sys.argv[2])
import os
for i in z.infolist(): os.chmod(os.path.join(sys.argv[2], i.filename), (i.external_attr >> 16) & 0o777)  # as unzip does
print(json.dumps({i.filename: i.external_attr >> 16 for i in z.infolist()}))`;
    const source = path.join(ag, 'source');
    const modes = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, zip, source], { encoding: 'utf8' })) as Record<string, number>;
    for (const f of ['setup.sh', 'run_autograder']) assert.equal(modes[f] & 0o777, 0o755, f);
    assert.ok(modes['workbook/dist/cli/main.js'] && modes['workbook/package-lock.json'] && modes['workbook/solutions/cw_sparse.ipynb']);
    assert.ok(!Object.keys(modes).some((f) => f.endsWith('.map') || f.includes('.tsbuildinfo') || f.startsWith('workbook/node_modules')));
    assert.equal(spawnSync('bash', ['-n', path.join(source, 'setup.sh')]).status, 0, 'setup.sh is valid bash');
    // what setup.sh's npm ci would install: hard links of the project's packages (same file system), plus the self link
    const wb = path.join(source, 'workbook');
    execFileSync('cp', ['-al', path.join(root, 'node_modules'), path.join(wb, 'node_modules')]);
    fs.rmSync(path.join(wb, 'node_modules', 'superposition-workbook'), { force: true });
    fs.symlinkSync('..', path.join(wb, 'node_modules', 'superposition-workbook'));

    const maxPoints = solutionSummaries([SOLUTIONS])[0].exercises.reduce((s, e) => s + e.points, 0);
    const sol = readNotebook(FIXTURE);
    const runWith = (submit: (dir: string) => void) => {
      const sub = path.join(ag, 'submission');
      fs.rmSync(sub, { recursive: true, force: true });
      fs.rmSync(path.join(ag, 'results'), { recursive: true, force: true });
      fs.mkdirSync(sub);
      submit(sub);
      const r = spawnSync(path.join(source, 'run_autograder'), [], { cwd: ag, encoding: 'utf8', env: { ...env, AUTOGRADER_ROOT: ag } });
      assert.equal(r.status, 0, r.stderr);
      return checkResults(path.join(ag, 'results', 'results.json'), maxPoints);
    };

    const full = runWith((d) => writeNotebook(path.join(d, 'cw_sparse.ipynb'), sol));
    assert.equal(full.score, 7, JSON.stringify(full.tests));
    assert.deepEqual(full.tests.map((t) => [t.name, t.score, t.max_score]), [['cw_sparse: soft-threshold', 2, 2], ['cw_sparse: ista-step', 3, 3], ['cw_sparse: mcc', 2, 2]]);

    const blank = runWith((d) => writeNotebook(path.join(d, 'my_homework.ipynb'), studentNotebook(sol, 'cw_sparse.ipynb')));
    assert.equal(blank.score, 0);
    assert.equal(blank.tests.length, 3);
    for (const t of blank.tests) assert.match(t.output, /^not implemented yet/);

    const none = runWith((d) => fs.writeFileSync(path.join(d, 'answers.txt'), 'I forgot the notebook'));
    assert.equal(none.score, 0);
    assert.match(none.output, /could not be graded[\s\S]*no \.ipynb files in/);
    assert.ok(!fs.readdirSync(path.join(wb, 'build', 'grading')).length, 'each run removes its scratch folder');
  } finally {
    fs.rmSync(ag, { recursive: true, force: true });
  }
});
