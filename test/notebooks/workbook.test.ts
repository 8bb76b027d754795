// Every notebook of the workbook, executed headless in quick mode through the same runner as `npm run workbook`.
// Each notebook's Results cell asserts its own numbers (and throws if one drifts); here we also require that it
// printed them (a RESULTS line), so a notebook whose Results cell was removed or skipped fails too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { listNotebooks } from '../../src/cli/paths';
import { root, runNotebooks } from './helpers';

for (const file of listNotebooks(root)) {
  const name = path.basename(file);
  test(`notebook ${name} runs headless and its results hold`, () => {
    const { stdout, reports } = runNotebooks([file]);
    const r = reports[0];
    assert.equal(r.status, 'ok', `${name} failed:\n${stdout}`);
    assert.ok(r.results.length >= 1, `${name} printed no RESULTS line`);
    assert.equal(r.results[r.results.length - 1].notebook, name.replace(/\.ipynb$/, ''));
  });
}
