/**
 * `superposition lab`: open JupyterLab on the project with the TypeScript (tslab) kernel, and keep dist/
 * rebuilt while you edit src/ (`tsc --watch`): after an edit, restart the kernel to load the new code.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { OptionSpec, parseCommandLine } from './args';
import { projectRoot, venvPython } from './paths';

export const summary = 'open JupyterLab with the TypeScript kernel (and rebuild dist/ while you edit src/)';

const SPEC: Record<string, OptionSpec> = {
  port: { type: 'number', help: 'port for JupyterLab', default: 8888, integer: true, min: 1, max: 65535 },
  'no-browser': { type: 'boolean', help: 'do not open a browser (print the URL instead)' },
  'no-watch': { type: 'boolean', help: 'do not rebuild dist/ on changes in src/' },
  help: { type: 'boolean', help: 'show this help' },
};

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine('lab', 'superposition lab [options]', SPEC, argv);
  if (typeof parsed === 'number') return parsed;
  const { options } = parsed;
  const root = projectRoot();
  const children: ReturnType<typeof spawn>[] = [];
  if (!options['no-watch']) {
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    children.push(spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], {
      cwd: root, stdio: ['ignore', 'inherit', 'inherit'],
    }));
    console.log('Rebuilding dist/ on every change in src/ (tsc --watch). After editing src/, restart the kernel.');
  }
  const labArgs = ['-m', 'jupyterlab', `--port=${options.port}`, `--ServerApp.root_dir=${root}`, '--ServerApp.default_url=/lab/tree/notebooks'];
  if (options['no-browser']) labArgs.push('--no-browser');
  if (process.getuid && process.getuid() === 0) labArgs.push('--allow-root');
  const lab = spawn(venvPython(root), labArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, WORKBOOK_ROOT: root } });
  children.push(lab);
  const stop = (): void => { for (const c of children) c.kill('SIGTERM'); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return new Promise((resolve) => lab.on('exit', (code) => { stop(); resolve(code ?? 0); }));
}
