/**
 * `superposition exercises [--out DIR] [notebook.ipynb …]`: write the student version of every notebook
 * (default: all of notebooks/) — solutions replaced by a stub that throws "not implemented yet", outputs
 * cleared, a "For students" cell on top. Notebooks without exercise cells are copied with outputs cleared.
 */
import path from 'node:path';
import { writeExerciseVersions } from '../coursework';
import { helpText, parseArgs, OptionSpec } from './args';
import { listNotebooks, projectRoot } from './paths';

export const summary = 'write the student (exercise) versions of the notebooks (default into build/exercises/)';

const SPEC: Record<string, OptionSpec> = {
  out: { type: 'string', help: 'folder for the student notebooks (default build/exercises/ in the project)' },
  help: { type: 'boolean', help: 'show this help' },
};

export async function run(argv: string[]): Promise<number> {
  const { options, positionals } = parseArgs(argv, SPEC);
  if (options.help) { console.log(helpText('superposition exercises [options] [notebook.ipynb …]', SPEC)); return 0; }
  const root = projectRoot();
  const notebooks = positionals.length ? positionals.map((p) => path.resolve(p)) : listNotebooks(root);
  if (!notebooks.length) throw new Error('no notebooks given or found in notebooks/');
  const out = options.out ? path.resolve(String(options.out)) : path.join(root, 'build', 'exercises');
  const written = writeExerciseVersions(notebooks, out);
  for (const w of written) {
    const pts = w.exercises.reduce((s, e) => s + e.points, 0);
    console.log(`${path.basename(w.source).padEnd(36)} ${w.exercises.length ? `${w.exercises.length} exercise(s), ${pts} point(s): ${w.exercises.map((e) => e.id).join(', ')}` : 'no exercises (copied, outputs cleared)'}`);
  }
  console.log(`student versions written to ${path.relative(process.cwd(), out) || '.'}/`);
  return 0;
}
