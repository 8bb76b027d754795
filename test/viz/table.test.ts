import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as aq from 'arquero';
import { formatCell, saveTable, tableHtml, tableText } from '../../src/viz/table';

test('formatCell: integers as is, others to 4 significant digits, tiny/huge in exponent form, gaps marked', () => {
  assert.equal(formatCell(123456), '123456');
  assert.equal(formatCell(0.123456), '0.1235');
  assert.equal(formatCell(2.5), '2.5');
  assert.equal(formatCell(1.23456e-5), '1.235e-5');
  assert.equal(formatCell(98765432.1), '9.877e+7');
  assert.equal(formatCell(NaN), 'NaN');
  assert.equal(formatCell(null), '—');
  assert.equal(formatCell(0.123456, 2), '0.12');
  assert.equal(formatCell('a<b'), 'a<b');
});

test('tableHtml: row limit with a caption giving the full size, numbers right-aligned, HTML escaped', () => {
  const t = aq.table({ method: Array.from({ length: 30 }, (_, i) => (i === 0 ? '<SAE>' : `m${i}`)), mcc: Array.from({ length: 30 }, (_, i) => i / 7) });
  const html = tableHtml(t, { maxRows: 5, caption: 'sweep' });
  assert.equal((html.match(/<tr>/g) ?? []).length, 6);   // header + 5 rows
  assert.match(html, /sweep — 30 rows × 2 columns, first 5 shown/);
  assert.match(html, /&lt;SAE&gt;/);
  assert.match(html, /<td style="text-align:right">0\.1429<\/td>/);
  assert.match(html, /<th style="text-align:left">method<\/th>/);
});

test('tableText: aligned columns, numbers right-aligned', () => {
  const t = aq.table({ name: ['a', 'bbbb'], v: [1.5, 10] });
  const lines = tableText(t).split('\n');
  assert.equal(lines[0], '2 rows × 2 columns');
  assert.equal(lines[1], 'name    v');
  assert.equal(lines[2], '────  ───');
  assert.equal(lines[3], 'a     1.5');
  assert.equal(lines[4], 'bbbb   10');
});

test('saveTable writes CSV and an Arrow IPC file that read back to the same table', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'viz-table-'));
  try {
    const t = aq.table({ method: ['SAE', 'FISTA'], mcc: [0.5, 0.25], k: [3, 4] });
    const p = saveTable(t, 'Amortisation gap (16,8,3)', { dir });
    assert.equal(path.basename(p.csv), 'amortisation-gap-16-8-3.csv');
    assert.equal(fs.readFileSync(p.csv, 'utf8').trim(), 'method,mcc,k\nSAE,0.5,3\nFISTA,0.25,4');
    const back = aq.fromArrow(fs.readFileSync(p.arrow));
    assert.deepEqual(back.objects(), t.objects());
    assert.throws(() => saveTable(t, ''), /give the table a name/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
