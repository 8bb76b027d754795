/** Student versions of notebooks: solutions replaced by stubs, outputs cleared, no solution text left. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  Notebook, cellSource, exerciseCells, findExerciseSource, importStatements, readNotebook, stripSolutions, studentNotebook,
  writeExerciseVersions,
} from '../../src/coursework/notebook';
import { dependencyCells, readableByOthers } from '../../src/coursework/grade';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'coursework', 'cw_sparse.ipynb');

test('exercise cells are found with ids, points and checker ids', () => {
  const ex = exerciseCells(readNotebook(FIXTURE));
  assert.deepEqual(ex.map((e) => [e.id, e.points, e.check]), [['soft-threshold', 2, 'soft-threshold'], ['ista-step', 3, 'ista-step'], ['mcc', 2, 'mcc']]);
});

test('the student version has stubs instead of solutions, no outputs, a For students cell, and no solution line', () => {
  const nb = readNotebook(FIXTURE);
  // give the solution notebook some outputs that must disappear
  nb.cells[4].outputs = [{ output_type: 'stream', name: 'stdout', text: 'secret 0.123456' }];
  nb.cells[4].execution_count = 3;
  const st = studentNotebook(nb, 'cw_sparse.ipynb');
  assert.equal(st.cells.length, nb.cells.length + 1);
  assert.match(cellSource(st.cells[1]), /^## For students/);
  assert.match(cellSource(st.cells[1]), /\| `ista-step` \| One ISTA step \| `istaStep\(Z: number\[\]\[\]/);
  const text = JSON.stringify(st);
  for (const c of nb.cells) {
    const src = cellSource(c);
    const m = /\/\/ BEGIN SOLUTION\n([\s\S]*?)\n\s*\/\/ END SOLUTION/.exec(src);
    if (!m) continue;
    for (const line of m[1].split('\n')) assert.ok(!text.includes(JSON.stringify(line.trim()).slice(1, -1)) || line.trim().length < 4, `solution line left: ${line}`);
  }
  assert.ok(!text.includes('BEGIN SOLUTION') && !text.includes('secret'));
  const ex1 = cellSource(st.cells.find((c) => (c.metadata.exercise as { id?: string } | undefined)?.id === 'soft-threshold')!);
  assert.equal(ex1, 'function softThreshold(z: number[], lambda: number): number[] {\n  // YOUR CODE HERE\n  throw new Error("not implemented yet: soft-threshold (Soft thresholding)");\n}');
  for (const c of st.cells.filter((x) => x.cell_type === 'code')) {
    assert.deepEqual(c.outputs, []);
    assert.equal(c.execution_count, null);
  }
  assert.deepEqual(exerciseCells(st).map((e) => [e.id, e.points]), [['soft-threshold', 2], ['ista-step', 3], ['mcc', 2]]);
  assert.deepEqual((st.metadata.coursework as { student_version: boolean }).student_version, true);
});

test('writeExerciseVersions writes a notebook that reads back; the input is unchanged', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-ex-'));
  const before = fs.readFileSync(FIXTURE, 'utf8');
  const [w] = writeExerciseVersions([FIXTURE], dir);
  assert.equal(fs.readFileSync(FIXTURE, 'utf8'), before);
  assert.equal(exerciseCells(readNotebook(w.out)).length, 3);
  fs.rmSync(dir, { recursive: true });
});

test('marker and metadata errors are reported', () => {
  assert.throws(() => stripSolutions('a\n// BEGIN SOLUTION\nb', 'x'), /without a matching/);
  assert.throws(() => stripSolutions('a\n// END SOLUTION\nb', 'x'), /without a '\/\/ BEGIN/);
  assert.throws(() => stripSolutions('// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION', 'x'), /inside another/);
  assert.equal(stripSolutions('f() {\n    // BEGIN SOLUTION\n    return 1;\n    // END SOLUTION\n}', 'x'),
    'f() {\n    // YOUR CODE HERE\n    throw new Error("not implemented yet: x");\n}');
  const nb: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [
    { cell_type: 'code', metadata: { tags: ['exercise'], exercise: { id: 'soft-threshold', points: 1 } }, source: 'function softThreshold() {}' },
  ] };
  assert.throws(() => studentNotebook(nb), /has no '\/\/ BEGIN SOLUTION'/);
  nb.cells.push({ ...nb.cells[0] });
  assert.throws(() => exerciseCells(nb), /used twice/);
  nb.cells = [{ cell_type: 'code', metadata: { tags: ['exercise'] }, source: '' }];
  assert.throws(() => exerciseCells(nb), /needs metadata "exercise"/);
});

test('imports and exercise sources are found, by metadata or by function name', () => {
  const nb = readNotebook(FIXTURE);
  assert.deepEqual(importStatements(nb), ["import * as sw from 'superposition-workbook';"]);
  const f = findExerciseSource(nb, 'mcc', 'matchedMcc')!;
  assert.equal(f.byName, false);
  delete nb.cells[f.cellIndex].metadata.exercise;
  nb.cells[f.cellIndex].metadata.tags = [];
  const g = findExerciseSource(nb, 'mcc', 'matchedMcc')!;
  assert.equal(g.byName, true);
  assert.equal(g.cellIndex, f.cellIndex);
  assert.equal(findExerciseSource(nb, 'two-afc', 'twoAfcUnit'), null);
});

test('a harness runs an exercise cell with the earlier exercise cells it uses, transitively, and no others', () => {
  const nb = readNotebook(FIXTURE);
  const checks = new Map([['soft-threshold', 'soft-threshold'], ['ista-step', 'ista-step'], ['mcc', 'mcc']]);
  const idx = (id: string) => findExerciseSource(nb, id, '')!;
  assert.deepEqual(dependencyCells(nb, idx('mcc'), checks), [idx('mcc').cellIndex]);
  assert.deepEqual(dependencyCells(nb, idx('ista-step'), checks), [idx('soft-threshold').cellIndex, idx('ista-step').cellIndex]);
  // transitively: an MCC that calls istaStep pulls in softThreshold too
  const mcc = idx('mcc');
  nb.cells[mcc.cellIndex].source = `${mcc.source}\nconst unused = () => istaStep;`;
  assert.deepEqual(dependencyCells(nb, { ...mcc, source: cellSource(nb.cells[mcc.cellIndex]) }, checks),
    [idx('soft-threshold').cellIndex, idx('ista-step').cellIndex, mcc.cellIndex]);
});

test('paths readable by other users are reported (sandboxed submissions could read them)', () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-perm-'));
  const f = path.join(d, 'a.ipynb');
  fs.writeFileSync(f, '{}');
  fs.chmodSync(f, 0o644);
  fs.chmodSync(d, 0o700);
  assert.deepEqual(readableByOthers([f, d]), [f]);
  fs.chmodSync(f, 0o600);
  fs.chmodSync(d, 0o755);
  assert.deepEqual(readableByOthers([f, d]), [d]);
  fs.rmSync(d, { recursive: true });
});

test("a signature containing '|' is escaped in the For students table", () => {
  const nb: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', metadata: { tags: ['exercise'], exercise: { id: 'donoho-tanner', points: 1 } },
    source: 'function donohoTannerRho(delta: number, kind: string): number {\n  // BEGIN SOLUTION\n  return 0;\n  // END SOLUTION\n}' }] };
  const row = cellSource(studentNotebook(nb).cells[0]).split('\n').find((l) => l.startsWith('| `donoho-tanner`'))!;
  assert.equal(row.split(/(?<!\\)\|/).length, 6, row);
});
