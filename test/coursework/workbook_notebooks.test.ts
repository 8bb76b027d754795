/**
 * The workbook's own notebooks (notebooks/NN_*.ipynb) that contain exercises: each solution notebook scores
 * full marks and its student version scores zero with "not implemented" feedback (exercise checks only, no
 * whole-notebook run: test/notebooks/ already runs every notebook). Skipped while no notebook has exercises.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { gradeSubmissions } from '../../src/coursework/grade';
import { dropsPrivileges, untraversableDir } from '../../src/coursework/sandbox';
import { exerciseCells, readNotebook, studentNotebook, writeNotebook } from '../../src/coursework/notebook';

const root = path.resolve(__dirname, '..', '..');
// a checkout the sandbox uids cannot reach (e.g. under `mktemp -d`): grade as the same user (see grade.test.ts)
if (dropsPrivileges() && untraversableDir(root)) process.env.WORKBOOK_GRADE_SAME_USER = '1';
const dir = path.join(root, 'notebooks');
const withExercises = fs.readdirSync(dir).filter((f) => /^\d\d_.*\.ipynb$/.test(f))
  .map((f) => path.join(dir, f)).filter((f) => exerciseCells(readNotebook(f), f).length > 0);

test('solution notebooks score full marks; their student versions score zero', { skip: withExercises.length ? false : 'no notebook has exercise cells yet' }, async () => {
  const scratch = path.join(root, 'build', 'grading', `test-notebooks-${process.pid}-${Date.now()}`);
  try {
    const students = path.join(scratch, 'students');
    for (const f of withExercises) writeNotebook(path.join(students, path.basename(f)), studentNotebook(readNotebook(f), path.basename(f)));
    const opts = { root, solutions: withExercises, runNotebook: false, timeoutSeconds: 60, seed: 3 };
    const sol = await gradeSubmissions(withExercises, { ...opts, outDir: path.join(scratch, 'a') });
    for (const g of sol.grades) {
      assert.ok(g.exercises.length >= 2, `${g.notebook}: at least two exercises per notebook`);
      for (const e of g.exercises) assert.equal(e.passed, true, `${g.notebook} / ${e.id}: ${e.feedback}`);
      assert.equal(g.score, g.max);
    }
    const st = await gradeSubmissions([students], { ...opts, outDir: path.join(scratch, 'b') });
    for (const g of st.grades) {
      assert.equal(g.score, 0, g.notebook);
      for (const e of g.exercises) assert.match(e.feedback, /^not implemented yet/, `${g.notebook} / ${e.id}`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
