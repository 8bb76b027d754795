/**
 * `superposition workbook`: execute every notebook headless, in order, with the tslab kernel (through
 * environment/run_notebooks.py and Jupyter's nbclient), writing executed copies to build/notebooks/ and
 * figures to figures/; one summary line per notebook; non-zero exit if any cell fails.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { OptionSpec, parseCommandLine } from './args';
import { listNotebooks, projectRoot, venvPython } from './paths';

export const summary = 'run every notebook headless (executed copies in build/notebooks/, figures in figures/)';

const SPEC: Record<string, OptionSpec> = {
  mode: { type: 'string', help: "'quick' (small sizes, for tests) or 'full'", default: process.env.WORKBOOK_MODE ?? 'full' },
  only: { type: 'string', help: 'run only notebooks whose file name contains this text' },
  out: { type: 'string', help: 'folder for the executed notebooks', default: 'build/notebooks' },
  'cell-timeout': { type: 'number', help: 'seconds allowed per cell', default: 900, above: 0 },
  'notebook-timeout': { type: 'number', help: 'seconds allowed per notebook', default: 2400, above: 0 },
  help: { type: 'boolean', help: 'show this help' },
};

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('workbook', 'superposition workbook [options] [notebook.ipynb …]', SPEC, argv, undefined, { positionals: true });
  if (typeof parsed === 'number') return parsed;
  const { options, positionals } = parsed;
  const root = projectRoot();
  const mode = String(options.mode);
  if (mode !== 'quick' && mode !== 'full') throw new Error(`--mode must be 'quick' or 'full', got '${mode}'`);
  let notebooks = positionals.length ? positionals.map((p) => path.resolve(p)) : listNotebooks(root);
  if (options.only) notebooks = notebooks.filter((n) => path.basename(n).includes(String(options.only)));
  if (!notebooks.length) throw new Error('no notebooks selected');
  const out = path.resolve(root, String(options.out));
  console.log(`Running ${notebooks.length} notebook(s) in ${mode} mode with the tslab kernel…`);
  const r = spawnSync(venvPython(root), [
    path.join(root, 'environment', 'run_notebooks.py'), '--mode', mode, '--out', out,
    '--cell-timeout', String(options['cell-timeout']), '--notebook-timeout', String(options['notebook-timeout']),
    '--report', path.join(out, 'report.json'), ...notebooks,
  ], { stdio: 'inherit', cwd: root, env: { ...process.env, WORKBOOK_ROOT: root } });
  return r.status ?? 1;
}
