/**
 * Arquero tables in notebooks (HTML with a row limit and formatted numbers, plus aligned text) and on
 * disk (CSV and Arrow IPC in `build/results/`).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as aq from 'arquero';
import { ValueError } from '../core/errors';
import type { DisplayBundle } from './kernel';
import { resultsDir } from './export';
import { slugify } from './figure';

/** An arquero table (any `ColumnTable`). */
export type AnyTable = aq.ColumnTable;

/** Options for showing a table. */
export interface TableDisplayOptions {
  /** Rows shown (default 20); the caption says how many there are. */
  maxRows?: number;
  /** Significant digits of non-integer numbers (default 4). */
  digits?: number;
  /** Caption above the table. */
  caption?: string;
}

/** True for an arquero table. */
export function isTable(x: unknown): x is AnyTable {
  return typeof x === 'object' && x !== null && typeof (x as AnyTable).numRows === 'function' &&
    typeof (x as AnyTable).columnNames === 'function' && typeof (x as AnyTable).objects === 'function';
}

/** Format one cell: integers as is, other numbers to `digits` significant digits, null as '—'. */
export function formatCell(v: unknown, digits = 4): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(digits - 1);
    return String(Number(v.toPrecision(digits)));
  }
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (ArrayBuffer.isView(v) || Array.isArray(v)) {
    const arr = Array.from(v as ArrayLike<unknown>);
    return `[${arr.slice(0, 6).map((e) => formatCell(e, digits)).join(', ')}${arr.length > 6 ? ', …' : ''}]`;
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Prepared { names: string[]; cells: string[][]; numeric: boolean[]; total: number; shown: number }

function prepare(t: AnyTable, opts: TableDisplayOptions): Prepared {
  const names = t.columnNames();
  const total = t.numRows();
  const shown = Math.min(total, opts.maxRows ?? 20);
  const rows = t.objects({ limit: shown }) as Array<Record<string, unknown>>;
  const numeric = names.map((n) => rows.length > 0 && rows.every((r) => r[n] === null || r[n] === undefined || typeof r[n] === 'number'));
  const cells = rows.map((r) => names.map((n) => formatCell(r[n], opts.digits ?? 4)));
  return { names, cells, numeric, total, shown };
}

function captionText(p: Prepared, opts: TableDisplayOptions): string {
  const size = `${p.total} row${p.total === 1 ? '' : 's'} × ${p.names.length} column${p.names.length === 1 ? '' : 's'}`;
  const more = p.shown < p.total ? `, first ${p.shown} shown` : '';
  return `${opts.caption ? `${opts.caption} — ` : ''}${size}${more}`;
}

/** HTML of a table (first `maxRows` rows, numbers formatted and right-aligned, a caption with its size). */
export function tableHtml(t: AnyTable, opts: TableDisplayOptions = {}): string {
  const p = prepare(t, opts);
  const align = (j: number) => (p.numeric[j] ? ' style="text-align:right"' : ' style="text-align:left"');
  const head = p.names.map((n, j) => `<th${align(j)}>${escapeHtml(n)}</th>`).join('');
  const body = p.cells.map((r) => `<tr>${r.map((c, j) => `<td${align(j)}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table class="dataframe">\n<caption style="caption-side:top;text-align:left">${escapeHtml(captionText(p, opts))}</caption>\n` +
    `<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** Plain-text table with aligned columns (numbers right-aligned) and a caption line. */
export function tableText(t: AnyTable, opts: TableDisplayOptions = {}): string {
  const p = prepare(t, opts);
  const widths = p.names.map((n, j) => Math.max(n.length, ...p.cells.map((r) => r[j].length)));
  const pad = (s: string, j: number) => (p.numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j]));
  const lines = [captionText(p, opts), p.names.map(pad).join('  '), widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const r of p.cells) lines.push(r.map(pad).join('  ').trimEnd());
  return lines.join('\n');
}

/** The display bundle of a table: `text/html` + `text/plain`. */
export function tableBundle(t: AnyTable, opts: TableDisplayOptions = {}): DisplayBundle {
  return { data: { 'text/html': tableHtml(t, opts), 'text/plain': tableText(t, opts) }, metadata: {}, transient: {} };
}

/** Paths written by {@link saveTable}. */
export interface SavedTable { csv: string; arrow: string }

/**
 * Save a table as `<dir>/<name>.csv` and `<dir>/<name>.arrow` (Arrow IPC file), dir defaulting to
 * `build/results/` under the project root. Returns the paths.
 */
export function saveTable(t: AnyTable, name: string, opts: { dir?: string } = {}): SavedTable {
  if (!isTable(t)) throw new ValueError('saveTable: expected an arquero table (aq.table({...}))');
  if (typeof name !== 'string' || !name.trim()) throw new ValueError('saveTable: give the table a name, e.g. saveTable(t, "sweep-lambda")');
  const dir = opts.dir ?? resultsDir();
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, slugify(name));
  fs.writeFileSync(`${base}.csv`, aq.toCSV(t));
  fs.writeFileSync(`${base}.arrow`, aq.toArrowIPC(t, { format: 'file' }));
  return { csv: `${base}.csv`, arrow: `${base}.arrow` };
}
