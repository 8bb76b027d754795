/**
 * Temporary folders for tests, removed when the test process exits (a test file runs in its own process), so that
 * repeated `npm test` runs do not pile folders up in the system's temporary directory. `WORKBOOK_KEEP_TEST_TMP=1`
 * keeps them for inspection (executed notebooks, written files).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

process.on('exit', () => {
  if (process.env.WORKBOOK_KEEP_TEST_TMP === '1') return;
  for (const dir of made) {
    try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* already gone, or not ours to remove */ }
  }
});

/** A fresh folder `<os tmpdir>/<prefix>XXXXXX`, removed at process exit. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
