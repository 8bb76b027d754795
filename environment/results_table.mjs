#!/usr/bin/env node
// The README's "What reproduces" table, regenerated from the notebooks' RESULTS lines.
//
//   node environment/results_table.mjs [--report build/notebooks/report.json] [--write]
//
// Reads the report written by `superposition workbook` (environment/run_notebooks.py): per notebook its status and
// the RESULTS records its Results cell printed. A notebook whose Results cell threw has no record in the report (the
// runner collects a cell's output only when it succeeds); its RESULTS line, printed before the throw, is then read
// from the executed copy beside the report (build/notebooks/<name>.ipynb). Every row's verdict is computed by the
// notebook's checks (src/experiments/checks.ts, compiled to dist/: run `node environment/setup.mjs` first), never
// typed. Prints the table; with --write replaces the table between the README's results-table markers.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const BEGIN = '<!-- results-table:begin (npm run results-table -- --write) -->';
const END = '<!-- results-table:end -->';

function fail(msg) {
  console.error(`results-table: ${msg}`);
  process.exit(1);
}

const argv = process.argv.slice(2);
let reportPath = path.join(root, 'build', 'notebooks', 'report.json');
let write = false;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--report') reportPath = path.resolve(argv[++i] ?? fail('--report needs a file'));
  else if (argv[i] === '--write') write = true;
  else fail(`unknown argument '${argv[i]}'; usage: node environment/results_table.mjs [--report FILE] [--write]`);
}

const distChecks = path.join(root, 'dist', 'experiments', 'checks.js');
if (!fs.existsSync(distChecks)) fail(`${distChecks} is missing; run 'node environment/setup.mjs' (it compiles src/ to dist/)`);
const { resultsTable } = require(distChecks);
const { readRegularText, writeFileAtomic } = require(path.join(root, 'dist', 'io', 'files.js'));

let report;
try {
  report = JSON.parse(readRegularText(reportPath, { maxBytes: 64 << 20 }));
} catch (e) {
  fail(`cannot read the notebook report ${reportPath}: ${e.message}. Run the notebooks first: npm run workbook (full mode) or WORKBOOK_MODE=quick npm run workbook`);
}
if (!Array.isArray(report)) fail(`${reportPath} is not a notebook report (expected a JSON list of {notebook, status, results})`);

/** RESULTS records printed in an executed notebook's cells (also by a cell that then threw). */
function resultsFromExecuted(file) {
  if (!fs.existsSync(file)) return [];
  const nb = JSON.parse(readRegularText(file, { maxBytes: 256 << 20 }));
  const out = [];
  for (const cell of nb.cells ?? []) {
    for (const o of cell.outputs ?? []) {
      if (o.output_type !== 'stream' || o.name !== 'stdout') continue;
      const text = Array.isArray(o.text) ? o.text.join('') : String(o.text ?? '');
      for (const m of text.matchAll(/^RESULTS (\{.*\})\s*$/gm)) {
        try { out.push(JSON.parse(m[1])); } catch { /* a truncated line is skipped */ }
      }
    }
  }
  return out;
}

const records = [];
for (const rep of report) {
  let rs = Array.isArray(rep.results) ? rep.results : [];
  if (!rs.length && rep.notebook) rs = resultsFromExecuted(path.join(path.dirname(reportPath), rep.notebook));
  if (!rs.length) console.error(`results-table: ${rep.notebook}: no RESULTS line (status ${rep.status}); its rows say "not run"`);
  records.push(...rs.filter((r) => r && typeof r.notebook === 'string' && (r.mode === 'quick' || r.mode === 'full')));
}
const table = resultsTable(records);
if (!write) {
  console.log(table);
} else {
  const readme = path.join(root, 'README.md');
  const text = readRegularText(readme);
  const a = text.indexOf(BEGIN), b = text.indexOf(END);
  if (a < 0 || b < a) fail(`README.md has no '${BEGIN}' … '${END}' markers around the table; add them where the table goes`);
  writeFileAtomic(readme, `${text.slice(0, a + BEGIN.length)}\n${table}\n${text.slice(b)}`);
  console.log(`README.md: table regenerated from ${path.relative(root, reportPath)} (${records.length} notebook records)`);
}
