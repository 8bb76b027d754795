/**
 * Where static figures and result tables go, and writing them.
 *
 * Figures: `<figures dir>/<notebook>/<name>.svg` and `.png`, where the figures dir is `WORKBOOK_FIGURES_DIR`
 * or `<root>/figures`, root is `WORKBOOK_ROOT` or the workbook's folder, `<notebook>` is
 * `WORKBOOK_NOTEBOOK` (set by the notebook runner; default 'interactive') and `<name>` an explicit name
 * or a slug of the figure's title.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../core/paths';
import { PlotlyFigure, figureName, slugify } from './figure';
import { RenderOptions, RenderedFigure, renderFigure } from './render';

/** The project root used for default output folders (see core/paths: `WORKBOOK_ROOT`, else the workbook's folder). */
export function workbookRoot(): string {
  return projectRoot();
}

/** The folder receiving static figures: `WORKBOOK_FIGURES_DIR`, else `<root>/figures`. */
export function figuresDir(): string {
  return process.env.WORKBOOK_FIGURES_DIR || path.join(workbookRoot(), 'figures');
}

/** The folder receiving result tables: `WORKBOOK_RESULTS_DIR`, else `<root>/build/results`. */
export function resultsDir(): string {
  return process.env.WORKBOOK_RESULTS_DIR || path.join(workbookRoot(), 'build', 'results');
}

/** The notebook a figure belongs to: `WORKBOOK_NOTEBOOK` without folder or `.ipynb`, else 'interactive'. */
export function notebookName(): string {
  const n = process.env.WORKBOOK_NOTEBOOK;
  if (!n) return 'interactive';
  return path.basename(n).replace(/\.ipynb$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '-') || 'interactive';
}

/** Paths of the two static files of a figure. */
export interface StaticPaths { svg: string; png: string }

/** Write a rendered figure as `<dir>/<notebook>/<name>.svg` and `.png`; returns the paths. */
export function writeStatics(rendered: RenderedFigure, name: string, opts: { dir?: string; notebook?: string } = {}): StaticPaths {
  const folder = path.join(opts.dir ?? figuresDir(), opts.notebook ?? notebookName());
  fs.mkdirSync(folder, { recursive: true });
  const base = path.join(folder, slugify(name));
  fs.writeFileSync(`${base}.svg`, rendered.svg);
  fs.writeFileSync(`${base}.png`, rendered.png);
  return { svg: `${base}.svg`, png: `${base}.png` };
}

/** Options of {@link exportFigure}. */
export interface ExportOptions extends RenderOptions {
  /** File name without extension (default: the figure's name or a slug of its title). */
  name?: string;
  /** Notebook folder (default {@link notebookName}). */
  notebook?: string;
  /** Figures folder (default {@link figuresDir}). */
  dir?: string;
}

/** Render a figure in headless Chromium and write its SVG and PNG; returns the paths and the rendering. */
export async function exportFigure(fig: PlotlyFigure, opts: ExportOptions = {}): Promise<StaticPaths & { rendered: RenderedFigure }> {
  const rendered = await renderFigure(fig, opts);
  const paths = writeStatics(rendered, opts.name ?? figureName(fig), opts);
  return { ...paths, rendered };
}

/** A path relative to the project root when inside it (for messages). */
export function displayPath(p: string): string {
  const rel = path.relative(workbookRoot(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}
