/**
 * Notebooks as data (nbformat 4 JSON): find the exercise cells, make the student version (solutions replaced
 * by a stub, outputs cleared, a "For students" cell on top), and pull out what the grader runs.
 *
 * Authoring rules for a solution notebook:
 * - an exercise cell has metadata `{"tags": ["exercise"], "exercise": {"id": "soft-threshold", "points": 2}}`
 *   (optional `"check": "<checker id>"` when the id differs from the checker's) and defines the checker's
 *   function (e.g. `function softThreshold(…)`), using only its arguments, the notebook's imports and the
 *   functions of earlier exercise cells;
 * - the code between `// BEGIN SOLUTION` and `// END SOLUTION` lines (the whole body up to its return) is
 *   what students write;
 * - the next cell calls `sw.coursework.check('<id>', <function>)`; later cells use
 *   `sw.coursework.solved(<function>, sw.coursework.reference.<name>, '<id>')`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { exerciseSpec } from './exercises';
import { NOT_IMPLEMENTED } from './exercise';

/** One cell of an nbformat-4 notebook. */
export interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw';
  id?: string;
  metadata: Record<string, unknown>;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
}

/** An nbformat-4 notebook. */
export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** An exercise cell found in a notebook. */
export interface ExerciseCell {
  /** Exercise id (unique in the notebook). */
  id: string;
  /** Points (from the metadata). */
  points: number;
  /** Id of the checker (metadata `check`, default the exercise id). */
  check: string;
  /** Index of the cell in `cells`. */
  cellIndex: number;
  source: string;
}

/** Read and minimally validate a notebook file; throws with the file name on anything malformed. */
export function readNotebook(file: string): Notebook {
  let nb: unknown;
  try {
    nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not a readable notebook (JSON): ${(e as Error).message}`);
  }
  return validateNotebook(nb, file);
}

/** Check the structure of parsed notebook JSON. */
export function validateNotebook(nb: unknown, file = 'notebook'): Notebook {
  const n = nb as Partial<Notebook>;
  if (!n || typeof n !== 'object' || !Array.isArray(n.cells)) throw new Error(`${file} is not a Jupyter notebook (no "cells" list)`);
  for (const [i, c] of n.cells.entries()) {
    if (!c || typeof c !== 'object' || typeof c.cell_type !== 'string' || !(typeof c.source === 'string' || Array.isArray(c.source))) {
      throw new Error(`${file}: cell ${i + 1} is malformed`);
    }
    if (!c.metadata || typeof c.metadata !== 'object') c.metadata = {};
  }
  return { metadata: {}, nbformat: 4, nbformat_minor: 5, ...n } as Notebook;
}

/** A cell's source as one string. */
export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** Source text in the nbformat list-of-lines form. */
export function toSourceLines(text: string): string[] {
  const lines = text.split('\n');
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)).filter((l, i) => l !== '' || i < lines.length - 1);
}

/** The exercise cells of a notebook, in order; throws on malformed exercise metadata or duplicate ids. */
export function exerciseCells(nb: Notebook, file = 'notebook'): ExerciseCell[] {
  const out: ExerciseCell[] = [];
  nb.cells.forEach((cell, cellIndex) => {
    const meta = cell.metadata ?? {};
    const tags = Array.isArray(meta.tags) ? meta.tags : [];
    const ex = meta.exercise as { id?: unknown; points?: unknown; check?: unknown } | undefined;
    if (!tags.includes('exercise') && !ex) return;
    if (cell.cell_type !== 'code') throw new Error(`${file}: cell ${cellIndex + 1} is tagged as an exercise but is not a code cell`);
    if (!ex || typeof ex.id !== 'string' || !ex.id) throw new Error(`${file}: exercise cell ${cellIndex + 1} needs metadata "exercise": {"id": "...", "points": N}`);
    const points = ex.points === undefined ? 1 : Number(ex.points);
    if (!Number.isFinite(points) || points < 0) throw new Error(`${file}: exercise '${ex.id}' has invalid points ${String(ex.points)}`);
    if (out.some((e) => e.id === ex.id)) throw new Error(`${file}: exercise id '${ex.id}' is used twice`);
    out.push({ id: ex.id, points, check: typeof ex.check === 'string' ? ex.check : ex.id, cellIndex, source: cellSource(cell) });
  });
  return out;
}

const BEGIN = /^(\s*)\/\/\s*BEGIN SOLUTION\s*$/;
const END = /^\s*\/\/\s*END SOLUTION\s*$/;

/** Whether a cell's source contains solution markers. */
export function hasSolution(source: string): boolean {
  return source.split('\n').some((l) => BEGIN.test(l));
}

/**
 * Replace every `// BEGIN SOLUTION` … `// END SOLUTION` block by `// YOUR CODE HERE` and a stub that throws
 * "not implemented yet: <label>", at the indentation of the BEGIN line. Throws on unbalanced markers.
 */
export function stripSolutions(source: string, label: string, where = 'cell'): string {
  const out: string[] = [];
  let inside = false;
  for (const line of source.split('\n')) {
    const b = BEGIN.exec(line);
    if (b) {
      if (inside) throw new Error(`${where}: '// BEGIN SOLUTION' inside another solution block`);
      inside = true;
      out.push(`${b[1]}// YOUR CODE HERE`, `${b[1]}throw new Error(${JSON.stringify(`${NOT_IMPLEMENTED}: ${label}`)});`);
      continue;
    }
    if (END.test(line)) {
      if (!inside) throw new Error(`${where}: '// END SOLUTION' without a '// BEGIN SOLUTION'`);
      inside = false;
      continue;
    }
    if (!inside) out.push(line);
  }
  if (inside) throw new Error(`${where}: '// BEGIN SOLUTION' without a matching '// END SOLUTION'`);
  return out.join('\n');
}

function studentsCell(exercises: ExerciseCell[]): NotebookCell {
  const total = exercises.reduce((s, e) => s + e.points, 0);
  const rows = exercises.map((e) => {
    const spec = exerciseSpec(e.check);
    return `| \`${e.id}\` | ${spec.title} | \`${spec.signature.replace(/\|/g, '\\|')}\` | ${e.points} |`; // '|' would end the cell
  });
  const text = [
    '## For students',
    '',
    `This notebook has ${exercises.length} exercise${exercises.length === 1 ? '' : 's'} (${total} point${total === 1 ? '' : 's'}):`,
    '',
    '| exercise | what | your function | points |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    '- In each exercise cell, replace the line `throw new Error("not implemented yet: …")` below `// YOUR CODE HERE` by your code. Keep the function\'s name and signature; use only its arguments, the imports at the top and your functions from earlier exercises.',
    '- Run the check cell right after it: it calls your function on fresh random cases, compares with the library\'s reference implementation and tells you *what* is wrong (shape, sign, a region of the input…) without giving the answer. It prints the seed of the cases so that you can replay them.',
    '- You can run the whole notebook before finishing: cells after an unsolved exercise use the library\'s implementation and say so.',
    '- Hand in this `.ipynb` file. Do not change the cell metadata (it tells the grader which cell is which exercise). Grading re-runs your exercise functions on new random cases in a separate process, so what counts is your code, not the printed output.',
  ].join('\n');
  return { cell_type: 'markdown', id: 'for-students', metadata: { tags: ['for-students'] }, source: toSourceLines(text) };
}

/** The student version of a solution notebook (a new object; the input is not changed). */
export function studentNotebook(nb: Notebook, file = 'notebook'): Notebook {
  const exercises = exerciseCells(nb, file);
  const byIndex = new Map(exercises.map((e) => [e.cellIndex, e]));
  const cells: NotebookCell[] = nb.cells.map((cell, i) => {
    const ex = byIndex.get(i);
    const metadata: Record<string, unknown> = {};
    if (cell.metadata.tags) metadata.tags = cell.metadata.tags;
    if (ex) metadata.exercise = { id: ex.id, points: ex.points, ...(ex.check !== ex.id ? { check: ex.check } : {}) };
    let source = cellSource(cell);
    if (cell.cell_type === 'code' && hasSolution(source)) {
      source = stripSolutions(source, ex ? `${ex.id} (${exerciseSpec(ex.check).title})` : `cell ${i + 1}`, `${file}, cell ${i + 1}`);
    } else if (ex) {
      throw new Error(`${file}: exercise '${ex.id}' (cell ${i + 1}) has no '// BEGIN SOLUTION' … '// END SOLUTION' block`);
    }
    const c: NotebookCell = { cell_type: cell.cell_type, metadata, source: toSourceLines(source) };
    if (cell.id) c.id = cell.id;
    if (cell.cell_type === 'code') { c.outputs = []; c.execution_count = null; }
    return c;
  });
  const firstMarkdown = cells.findIndex((c) => c.cell_type === 'markdown');
  if (exercises.length) cells.splice(firstMarkdown === 0 ? 1 : 0, 0, studentsCell(exercises));
  const metadata = { ...nb.metadata, coursework: { student_version: true, source: path.basename(file) } };
  return { ...nb, metadata, cells };
}

/** Write a notebook as nbformat JSON (1-space indent, as Jupyter does). */
export function writeNotebook(file: string, nb: Notebook): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(nb, null, 1)}\n`);
}

/** Result of {@link writeExerciseVersions} for one notebook. */
export interface ExerciseVersion {
  source: string;
  out: string;
  exercises: ExerciseCell[];
}

/** Write the student version of each notebook into `outDir` (same file names). */
export function writeExerciseVersions(notebooks: string[], outDir: string): ExerciseVersion[] {
  return notebooks.map((file) => {
    const nb = readNotebook(file);
    const student = studentNotebook(nb, path.basename(file));
    const out = path.join(outDir, path.basename(file));
    writeNotebook(out, student);
    return { source: file, out, exercises: exerciseCells(nb, file) };
  });
}

/** The import statements of a notebook's code cells (single- or multi-line `import … from '…'`), in order, deduplicated. */
export function importStatements(nb: Notebook): string[] {
  const seen = new Set<string>();
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    for (const m of cellSource(cell).matchAll(/^import\s[^;'"]*?(?:from\s*)?['"][^'"\n]+['"]\s*;?/gm)) seen.add(m[0].trim());
  }
  return [...seen];
}

/**
 * The source of exercise `id` in a (student's) notebook: the cell with that exercise id in its metadata,
 * else the first code cell defining `functionName` (in case the metadata was lost). Null if neither.
 */
export function findExerciseSource(nb: Notebook, id: string, functionName: string): { cellIndex: number; source: string; byName: boolean } | null {
  let cells: ExerciseCell[] = [];
  try { cells = exerciseCells(nb); } catch { cells = []; }
  const hit = cells.find((e) => e.id === id);
  if (hit) return { cellIndex: hit.cellIndex, source: hit.source, byName: false };
  const def = new RegExp(`(?:function\\s+${functionName}\\b|(?:const|let|var)\\s+${functionName}\\s*[=:])`);
  const i = nb.cells.findIndex((c) => c.cell_type === 'code' && def.test(cellSource(c)));
  return i < 0 ? null : { cellIndex: i, source: cellSource(nb.cells[i]), byName: true };
}
