/** results.json from grades: every exercise of the assignment is a test, whatever was submitted. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradescopeResults } from '../../src/coursework/gradescope';
import type { NotebookGrade, SolutionSummary } from '../../src/coursework/grade';

const solutions: SolutionSummary[] = [
  { notebook: '03_cs.ipynb', exercises: [{ id: 'soft-threshold', points: 2 }, { id: 'ista-step', points: 3 }] },
  { notebook: '05_metrics.ipynb', exercises: [{ id: 'mcc', points: 2 }] },
];
const grade = (notebook: string, passed: Record<string, boolean>, error?: string): NotebookGrade => {
  const exercises = Object.entries(passed).map(([id, p]) => {
    const max = id === 'ista-step' ? 3 : 2;
    return { id, passed: p, points: p ? max : 0, max, feedback: p ? 'passed' : `wrong ${id}` };
  });
  return { notebook, student: 's', score: exercises.reduce((s, e) => s + e.points, 0), max: 7, exercises, ...(error ? { error } : {}) };
};

test('one test per exercise of the assignment; a missing notebook scores 0 with a sentence; max_score adds up', () => {
  const r = gradescopeResults([grade('03_cs.ipynb', { 'soft-threshold': true, 'ista-step': false })], solutions, { seconds: 12.4 });
  assert.deepEqual(r.tests.map((t) => [t.name, t.score, t.max_score, t.status]), [
    ['03_cs: soft-threshold', 2, 2, 'passed'], ['03_cs: ista-step', 0, 3, 'failed'], ['05_metrics: mcc', 0, 2, 'failed']]);
  assert.equal(r.score, 2);
  assert.equal(r.execution_time, 12);
  assert.equal(r.tests[1].output, 'wrong ista-step');
  assert.match(r.tests[2].output, /no notebook for 05_metrics\.ipynb in your submission/);
  assert.match(r.output, /^2 \/ 7 points\n[\s\S]*no notebook for 05_metrics\.ipynb was found/);
  assert.equal(r.stdout_visibility, 'hidden');
  assert.ok(r.tests.every((t) => t.visibility === 'visible'));
});

test('two notebooks for the same assignment notebook: the best counts, both named; an unmatched file is named', () => {
  const r = gradescopeResults([
    grade('03_cs_old.ipynb', { 'soft-threshold': false, 'ista-step': false }),
    grade('03_cs.ipynb', { 'soft-threshold': true, 'ista-step': true }),
    grade('05_metrics.ipynb', { mcc: true }),
    { notebook: 'notes.ipynb', student: 's', score: 0, max: 0, exercises: [], error: 'no solution notebook matches notes.ipynb' },
  ], solutions, { seconds: 1, visibility: 'after_published' });
  assert.equal(r.score, 7);
  assert.match(r.output, /2 notebooks were graded as 03_cs\.ipynb \(03_cs_old\.ipynb, 03_cs\.ipynb\); the best one counts: 03_cs\.ipynb/);
  assert.match(r.output, /notes\.ipynb was not graded: no solution notebook matches/);
  assert.ok(r.tests.every((t) => t.visibility === 'after_published'));
});
