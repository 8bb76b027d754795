/** Locations of the project's folders and tools, for the CLI commands that drive Jupyter. */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../core/paths';

export { projectRoot };

/** The Python of the project's Jupyter environment; throws with the fix if setup has not run. */
export function venvPython(root = projectRoot()): string {
  const py = path.join(root, 'environment', '.venv', 'bin', 'python');
  if (!fs.existsSync(py)) {
    throw new Error(`the Jupyter environment is missing (${py}); run 'npm run setup' in ${root} first`);
  }
  return py;
}

/** The workbook's notebooks in order (notebooks/NN_*.ipynb; names starting with '_' are skipped). */
export function listNotebooks(root = projectRoot()): string[] {
  const dir = path.join(root, 'notebooks');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb') && !f.startsWith('_')).sort().map((f) => path.join(dir, f));
}
