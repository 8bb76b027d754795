/** Grade reports for the instructor: a text table per student, and CSV. */
import type { NotebookGrade } from './grade';

function wrap(text: string, width: number): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && (cur + ' ' + w).length > width) { lines.push(cur); cur = w; } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur || !lines.length) lines.push(cur);
  return lines;
}

/** A readable table per submission: exercise, points, pass/fail, feedback (wrapped at `width`). */
export function gradeTable(grades: NotebookGrade[], width = 110): string {
  const out: string[] = [];
  for (const g of grades) {
    out.push(`${g.student} — ${g.notebook}: ${g.score} / ${g.max} points`);
    if (g.error) out.push(`  ! ${g.error}`);
    if (g.run) out.push(`  notebook run: ${g.run.status} (${g.run.seconds.toFixed(0)} s)${g.run.message ? ` — ${g.run.message}` : ''}`);
    const idW = Math.max(8, ...g.exercises.map((e) => e.id.length));
    const fbW = Math.max(30, width - idW - 20);
    out.push(`  ${'exercise'.padEnd(idW)}  points  result  feedback`);
    out.push(`  ${'-'.repeat(idW)}  ------  ------  ${'-'.repeat(Math.min(fbW, 40))}`);
    for (const e of g.exercises) {
      const lines = wrap(e.feedback, fbW);
      out.push(`  ${e.id.padEnd(idW)}  ${`${e.points}/${e.max}`.padStart(6)}  ${(e.passed ? 'pass' : 'FAIL').padEnd(6)}  ${lines[0]}`);
      for (const l of lines.slice(1)) out.push(`  ${''.padEnd(idW)}  ${''.padStart(6)}  ${''.padEnd(6)}  ${l}`);
    }
    out.push('');
  }
  return out.join('\n');
}

const csvCell = (v: unknown): string => {
  const s = String(v ?? '');
  // quote, and neutralise spreadsheet formulas in text coming from submissions
  const t = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
};

/** CSV, one row per (submission, exercise): student, notebook, exercise, passed, points, max, feedback. */
export function gradesCsv(grades: NotebookGrade[]): string {
  const rows = [['student', 'notebook', 'exercise', 'passed', 'points', 'max', 'feedback']];
  for (const g of grades) {
    if (!g.exercises.length) rows.push([g.student, g.notebook, '', 'false', '0', String(g.max), g.error ?? '']);
    for (const e of g.exercises) rows.push([g.student, g.notebook, e.id, String(e.passed), String(e.points), String(e.max), e.feedback]);
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
