/**
 * Where the workbook lives on disk: the one definition used for `data/`, `figures/`, `build/` and the Jupyter
 * environment.
 */
import fs from 'node:fs';
import path from 'node:path';

/**
 * The project root: `WORKBOOK_ROOT` (the notebook runner and the kernel set it), else the folder above this
 * module holding the workbook's package.json (works from `src/` and from `dist/`), else the working directory.
 */
export function projectRoot(): string {
  if (process.env.WORKBOOK_ROOT) return process.env.WORKBOOK_ROOT;
  let d = __dirname;
  while (d !== path.dirname(d)) {
    const pkg = path.join(d, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'superposition-workbook') return d;
      } catch { /* unreadable package.json: keep looking */ }
    }
    d = path.dirname(d);
  }
  return process.cwd();
}
