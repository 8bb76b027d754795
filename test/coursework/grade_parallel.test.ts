/**
 * Parallel grading: the same submissions (a solution, a blank student version, a partial one whose ista-step
 * hangs) graded with jobs 1 and jobs 2 give identical grades, in the same order, and the hang
 * costs only its own exercise. Bad --jobs values are refused (exit 2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gradeSubmissions } from '../../src/coursework/grade';
import { gradesCsv } from '../../src/coursework/report';
import { dropsPrivileges, untraversableDir } from '../../src/coursework/sandbox';
import { Notebook, cellSource, readNotebook, studentNotebook, writeNotebook } from '../../src/coursework/notebook';

const root = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(root, 'test', 'fixtures', 'coursework', 'cw_sparse.ipynb');
const SOLUTIONS = path.dirname(FIXTURE);
if (dropsPrivileges() && untraversableDir(root)) process.env.WORKBOOK_GRADE_SAME_USER = '1';

function plant(nb: Notebook, answers: Record<string, string>): Notebook {
  const out: Notebook = JSON.parse(JSON.stringify(nb));
  for (const c of out.cells) {
    const id = (c.metadata.exercise as { id?: string } | undefined)?.id;
    if (id && answers[id] !== undefined) c.source = cellSource(c).replace(/\/\/ BEGIN SOLUTION\n[\s\S]*?\/\/ END SOLUTION/, answers[id]);
  }
  return out;
}

test('grading with jobs 2 gives the grades, order and CSV of jobs 1; a hanging exercise affects nothing else', async () => {
  const subs = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-par-'));
  fs.chmodSync(subs, 0o700);
  const scratch = path.join(root, 'build', 'grading', `parallel-${process.pid}-${Date.now()}`);
  const sol = readNotebook(FIXTURE);
  const put = (student: string, nb: Notebook) => writeNotebook(path.join(subs, student, 'cw_sparse.ipynb'), nb);
  put('alice', sol);
  put('bob', studentNotebook(sol, 'cw_sparse.ipynb'));
  put('carol', plant(sol, { 'ista-step': 'while (true) { /* forever */ }' }));
  try {
    const opts = { root, solutions: [SOLUTIONS], timeoutSeconds: 15, runNotebook: false, seed: 3 };
    const one = await gradeSubmissions([subs], { ...opts, outDir: path.join(scratch, 'j1'), jobs: 1 });
    const two = await gradeSubmissions([subs], { ...opts, outDir: path.join(scratch, 'j2'), jobs: 2 });
    assert.deepEqual(two.grades, one.grades);
    assert.equal(gradesCsv(two.grades), gradesCsv(one.grades));
    assert.deepEqual(one.grades.map((g) => [g.student, g.score, g.max]), [['alice', 7, 7], ['bob', 0, 7], ['carol', 4, 7]]);
    const carol = two.grades[2];
    assert.match(carol.exercises.find((e) => e.id === 'ista-step')!.feedback, /timed out after 15 s on case 1 of 6/);
    assert.equal(carol.exercises.find((e) => e.id === 'mcc')!.passed, true, 'the exercise after the hang is graded');
    for (const e of two.grades[1].exercises) assert.match(e.feedback, /^not implemented yet/);
    // the same per-submission folders, numbered in the sequential order
    assert.deepEqual(fs.readdirSync(two.outDir).sort(), fs.readdirSync(one.outDir).sort());
    await assert.rejects(gradeSubmissions([subs], { ...opts, outDir: path.join(scratch, 'j0'), jobs: 0 }), /jobs must be an integer ≥ 1 \(submissions graded at once\), got 0/);
  } finally {
    fs.rmSync(subs, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('grade --jobs 0 / 1.5 / x is refused with exit 2 and a message', () => {
  for (const j of ['0', '1.5', 'x']) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'cli', 'main.ts'), 'grade', '--skip-run', `--jobs=${j}`, FIXTURE],
      { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 2, `--jobs ${j}: ${r.stderr}`);
    assert.match(r.stderr, /--jobs/);
  }
});
