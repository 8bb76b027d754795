/** Runs environment/run_notebooks.py (the runner `npm run workbook` uses) and returns its JSON report. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/tmp';

export const root = path.resolve(__dirname, '..', '..');

export interface NotebookReport {
  notebook: string;
  status: 'ok' | 'error' | 'timeout' | 'kernel-error';
  seconds: number;
  error: { cell: number; code_cell: number; line: number; source_line: string; stderr: string; message?: string; exception?: string };
  results: Record<string, unknown>[];
  outDir: string;
}

export function runNotebooks(files: string[], extra: string[] = [], mode = process.env.WORKBOOK_MODE ?? 'quick'):
  { code: number; stdout: string; reports: NotebookReport[] } {
  const outDir = tempDir('nbrun-');
  const report = path.join(outDir, 'report.json');
  const r = spawnSync(path.join(root, 'environment', '.venv', 'bin', 'python'),
    [path.join(root, 'environment', 'run_notebooks.py'), '--mode', mode, '--out', outDir, '--report', report, ...extra, ...files],
    { encoding: 'utf8', cwd: root, env: { ...process.env, WORKBOOK_ROOT: root } });
  if (!fs.existsSync(report)) throw new Error(`runner produced no report (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const reports = (JSON.parse(fs.readFileSync(report, 'utf8')) as NotebookReport[]).map((x) => ({ ...x, outDir }));
  return { code: r.status ?? 1, stdout: r.stdout, reports };
}
