/**
 * Grading end to end on the fixture notebook: the solution scores full marks, the student version zero
 * ("not implemented"), planted wrong answers fail with their specific feedback, an infinite loop times out,
 * megabytes of output are truncated, a crash is reported, and (as root) a hostile submission can neither
 * change files outside its sandbox nor stop the grader. One whole-notebook run (the student version, to show
 * that it runs end to end with the library's fallbacks) runs concurrently with the rest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gradeSubmissions, NotebookGrade } from '../../src/coursework/grade';
import { gradeTable, gradesCsv } from '../../src/coursework/report';
import { dropsPrivileges, untraversableDir } from '../../src/coursework/sandbox';
import { Notebook, cellSource, readNotebook, studentNotebook, writeNotebook } from '../../src/coursework/notebook';

const root = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(root, 'test', 'fixtures', 'coursework', 'cw_sparse.ipynb');
const SOLUTIONS = path.dirname(FIXTURE);
// In a checkout the sandbox uids cannot reach (e.g. under a `mktemp -d` folder, mode 700) grading as root
// refuses to start; these tests then grade as the same user and skip the isolation assertions, and say so.
const blocked = dropsPrivileges() ? untraversableDir(root) : null;
if (blocked) {
  console.log(`# ${blocked} is not traversable by other users: grading tests run with WORKBOOK_GRADE_SAME_USER=1 (no uid isolation checked)`);
  process.env.WORKBOOK_GRADE_SAME_USER = '1';
}
const isRoot = process.getuid?.() === 0 && !blocked;

/** The solution notebook with the solution of exercise `id` replaced by `body` (a student's answer). */
function plant(nb: Notebook, answers: Record<string, string>, topLevel: Record<string, string> = {}): Notebook {
  const out: Notebook = JSON.parse(JSON.stringify(nb));
  for (const c of out.cells) {
    const id = (c.metadata.exercise as { id?: string } | undefined)?.id;
    if (!id) continue;
    let src = cellSource(c);
    if (answers[id] !== undefined) src = src.replace(/\/\/ BEGIN SOLUTION\n[\s\S]*?\/\/ END SOLUTION/, answers[id]);
    if (topLevel[id]) src = `${topLevel[id]}\n${src}`;
    c.source = src;
  }
  return out;
}

function byStudent(grades: NotebookGrade[], s: string): NotebookGrade {
  const g = grades.find((x) => x.student === s);
  assert.ok(g, `no grade for ${s}`);
  return g;
}
const ex = (g: NotebookGrade, id: string) => g.exercises.find((e) => e.id === id)!;

test('grading: full marks, zero, specific feedback, timeout, truncated output, crash, isolation', async () => {
  const subs = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-subs-'));
  const scratch = path.join(root, 'build', 'grading', `test-${process.pid}-${Date.now()}`);
  fs.mkdirSync(scratch, { recursive: true });
  const canary = path.join(scratch, 'canary.txt');
  fs.writeFileSync(canary, 'grader file\n', { mode: 0o644 });
  const sol = readNotebook(FIXTURE);
  const put = (student: string, nb: Notebook, dir = subs) => writeNotebook(path.join(dir, student, 'cw_sparse.ipynb'), nb);
  put('alice', sol);
  const studentDir = path.join(subs, '_student');
  put('bob', studentNotebook(sol, 'cw_sparse.ipynb'), studentDir);
  const hostile = [
    `const fs_ = require('fs');`,
    `try { fs_.writeFileSync(${JSON.stringify(canary)}, 'pwned'); } catch (e) {}`,
    `try { for (const f of fs_.readdirSync(__dirname)) if (f.startsWith('cases')) fs_.writeFileSync(__dirname + '/' + f, '[]'); } catch (e) {}`,
    isRoot ? `try { process.kill(process.ppid, 'SIGKILL'); } catch (e) {}` : '',
  ].join('\n');
  put('carol', plant(sol, {
    'soft-threshold': 'return z.map((v) => Math.max(v - lambda, 0));',
    'ista-step': `const Dm = sw.fromRows(D, 'float64');
  const R = sw.toRows(sw.matmul(sw.fromRows(Z, 'float64'), Dm)).map((r, b) => r.map((v, m) => v - X[b][m]));
  const G = sw.toRows(sw.matmul(sw.fromRows(R, 'float64'), Dm));
  return Z.map((z, b) => softThreshold(z.map((v, i) => v - step * G[b][i]), lambda * step));`,
    mcc: 'while (true) { /* forever */ }',
  }, { 'soft-threshold': hostile }));
  put('dave', plant(sol, {
    'soft-threshold': `for (let i = 0; i < 300; i++) console.log('x'.repeat(1000));
  return z.map((v) => Math.sign(v) * Math.max(Math.abs(v) - lambda, 0));`,
    'ista-step': 'process.exit(7);',
  }));

  fs.mkdirSync(path.join(subs, 'zed'));
  fs.writeFileSync(path.join(subs, 'zed', 'cw_sparse.ipynb'), '{"cells": [');

  try {
    const cli = new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'cli', 'main.ts'), 'grade', '--json', '--skip-run',
        '--solutions', SOLUTIONS, '--timeout', '20', '--scratch', path.join(scratch, 'cli'), path.join(subs, 'alice', 'cw_sparse.ipynb')], { cwd: root, env: { ...process.env, WORKBOOK_ROOT: root } });
      let out = '';
      p.stdout.on('data', (b) => { out += b; });
      p.on('close', (code) => resolve({ code, out }));
    });
    const [withRun, rest] = await Promise.all([
      gradeSubmissions([studentDir], { root, solutions: [SOLUTIONS], outDir: path.join(scratch, 'a'), timeoutSeconds: 20, notebookTimeoutSeconds: 240, seed: 5 }),
      // one submission at a time: the 8-s timeouts are wall-clock and this run shares the cores with the two above
      gradeSubmissions([subs], { root, solutions: [SOLUTIONS], outDir: path.join(scratch, 'b'), timeoutSeconds: 8, runNotebook: false, seed: 5, jobs: 1 }),
    ]);
    const grades = [...withRun.grades, ...rest.grades];

    const alice = byStudent(grades, 'alice');
    assert.equal(alice.score, 7, gradeTable([alice]));
    assert.equal(alice.max, 7);
    assert.ok(alice.exercises.every((e) => e.passed && e.points === e.max));

    const bob = byStudent(grades, 'bob');
    assert.equal(bob.score, 0);
    for (const e of bob.exercises) assert.match(e.feedback, /^not implemented yet/);
    assert.equal(bob.run?.status, 'ok', `the student version should run end to end with fallbacks: ${JSON.stringify(bob.run)}`);

    const carol = byStudent(grades, 'carol');
    assert.equal(carol.score, 0, gradeTable([carol]));
    // her cell also sabotages the grader (below): only the uid sandbox keeps her feedback specific
    if (isRoot) assert.match(ex(carol, 'soft-threshold').feedback, /symmetric/);
    if (isRoot) assert.match(ex(carol, 'ista-step').feedback, /ShapeError: matmul[\s\S]*did you transpose D\?/);
    if (isRoot) assert.match(ex(carol, 'mcc').feedback, /timed out after 8 s on case 1 of 6/);

    const dave = byStudent(grades, 'dave');
    assert.equal(ex(dave, 'soft-threshold').passed, true, ex(dave, 'soft-threshold').feedback);
    assert.match(ex(dave, 'soft-threshold').feedback, /printed 2\.\d MB; output truncated to the first 64 KB/);
    assert.match(ex(dave, 'ista-step').feedback, /process ended on case 1 of 6 \(exit code 7/);
    assert.equal(ex(dave, 'mcc').passed, true);
    assert.equal(dave.score, 4);

    // carol's soft-threshold cell also tried to overwrite a grader file, empty the grader's case files and
    // kill the grader: as root (dedicated uid) none of it works, and her feedback above is still the specific one.
    if (isRoot) assert.equal(fs.readFileSync(canary, 'utf8'), 'grader file\n', 'a submission changed a file outside its sandbox');

    const zed = byStudent(grades, 'zed');
    assert.equal(zed.score, 0);
    assert.equal(zed.max, 7);
    assert.match(zed.error ?? '', /not a readable notebook/);
    assert.equal(zed.exercises.length, 3);

    const csv = gradesCsv(grades);
    assert.match(csv, /^student,notebook,exercise,passed,points,max,feedback\n/);
    assert.match(csv, /carol,cw_sparse\.ipynb,soft-threshold,false,0,2,/);
    assert.match(gradeTable([carol]), /carol — cw_sparse\.ipynb: 0 \/ 7 points\n[\s\S]*soft-threshold +0\/2 +FAIL/);

    const c = await cli;
    assert.equal(c.code, 0);
    const j = JSON.parse(c.out);
    assert.deepEqual(Object.keys(j).slice(0, 4), ['notebook', 'student', 'score', 'max']);
    assert.equal(j.notebook, 'cw_sparse.ipynb');
    assert.equal(j.score, 7);
    assert.deepEqual(Object.keys(j.exercises[0]), ['id', 'passed', 'points', 'max', 'feedback']);

  } finally {
    fs.rmSync(subs, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('untraversableDir finds a mode-700 folder on the way; grading as root refuses to start below one, saying how to fix it', async () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-700-'));
  fs.mkdirSync(path.join(d, 'p', 'q'), { recursive: true, mode: 0o755 });
  fs.chmodSync(d, 0o700);
  assert.equal(untraversableDir(path.join(d, 'p', 'q')), d);
  fs.chmodSync(d, 0o755);
  assert.equal(untraversableDir(path.join(d, 'p', 'q')), untraversableDir(os.tmpdir()));
  if (process.getuid?.() === 0) {
    fs.chmodSync(d, 0o700);
    const before = process.env.WORKBOOK_GRADE_SAME_USER;
    delete process.env.WORKBOOK_GRADE_SAME_USER;
    try {
      await assert.rejects(gradeSubmissions([FIXTURE], { root: path.join(d, 'p'), outDir: path.join(d, 'p', 'out'), solutions: [SOLUTIONS], runNotebook: false }),
        (e: Error) => e.message.includes(`${d} is not traversable by other users`) && e.message.includes(`chmod o+x ${d}`));
    } finally {
      if (before !== undefined) process.env.WORKBOOK_GRADE_SAME_USER = before;
    }
  }
  fs.rmSync(d, { recursive: true, force: true });
});
