/**
 * Finding the figures in executed notebooks: every `application/vnd.plotly.v1+json` output, with the name
 * show() gave it, so `superposition figures` can re-render them to SVG/PNG.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataFileError } from '../core/errors';
import { PlotlyFigure, figureName } from './figure';

/** A figure found in a notebook. */
export interface NotebookFigure {
  /** Notebook file name without folder and `.ipynb` (the folder name under figures/). */
  notebook: string;
  /** Export name (unique within the notebook: repeated names get '-2', '-3'…). */
  name: string;
  /** Index of the code cell (0-based, counting all cells). */
  cell: number;
  figure: PlotlyFigure;
}

const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

interface NbOutput { output_type?: string; data?: Record<string, unknown>; metadata?: Record<string, unknown> }
interface NbCell { cell_type?: string; outputs?: NbOutput[] }

/** The plotly figures of one notebook, in order. */
export function notebookFigures(file: string): NotebookFigure[] {
  let nb: { cells?: NbCell[] };
  try {
    nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells?: NbCell[] };
  } catch (e) {
    throw new DataFileError(`${file}: not a readable notebook (${(e as Error).message})`);
  }
  const notebook = path.basename(file).replace(/\.ipynb$/i, '');
  const out: NotebookFigure[] = [];
  const used = new Map<string, number>();
  (nb.cells ?? []).forEach((cell, ci) => {
    for (const o of cell.outputs ?? []) {
      const raw = o.data?.[PLOTLY_MIME];
      if (!raw) continue;
      const spec = (typeof raw === 'string' ? JSON.parse(raw) : raw) as PlotlyFigure;
      const figure: PlotlyFigure = { data: spec.data ?? [], layout: spec.layout ?? {}, config: spec.config };
      const meta = o.metadata?.['superposition-workbook'] as { name?: unknown } | undefined;
      const base = typeof meta?.name === 'string' && meta.name ? meta.name : figureName(figure);
      const k = (used.get(base) ?? 0) + 1;
      used.set(base, k);
      out.push({ notebook, name: k === 1 ? base : `${base}-${k}`, cell: ci, figure });
    }
  });
  return out;
}

/** Executed notebooks (`*.ipynb`, recursively, skipping checkpoints) under `dir`, sorted. */
export function findNotebooks(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith('.')) return [];
    const p = path.join(d, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.ipynb') ? [p] : [];
  });
  return walk(dir).sort();
}
