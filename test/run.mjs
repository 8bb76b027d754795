#!/usr/bin/env node
// Runs every test file under test/ (or those given as arguments) with Node's test runner and tsx.
//   node test/run.mjs [--unit | --notebooks] [files…]
// Unit tests: test/**/*.test.ts except test/notebooks/. Notebook tests (quick-mode execution of every
// notebook, headless): test/notebooks/*.test.ts. Both by default.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const only = argv.find((a) => a === '--unit' || a === '--notebooks');
const given = argv.filter((a) => !a.startsWith('--'));
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : []);
let files = given.length ? given : walk(path.join(root, 'test')).sort();
const isNb = (f) => f.split(path.sep).includes('notebooks');
if (only === '--unit') files = files.filter((f) => !isNb(f));
if (only === '--notebooks') files = files.filter(isNb);
// Unit tests first, notebook execution last (it is the slowest).
files.sort((a, b) => Number(isNb(a)) - Number(isNb(b)) || a.localeCompare(b));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit', cwd: root, env: { ...process.env, WORKBOOK_MODE: process.env.WORKBOOK_MODE ?? 'quick' },
});
process.exit(r.status ?? 1);
