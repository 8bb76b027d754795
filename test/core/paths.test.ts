import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/core/paths';

test('projectRoot is WORKBOOK_ROOT when set, else the folder of the workbook package', () => {
  const old = process.env.WORKBOOK_ROOT;
  try {
    process.env.WORKBOOK_ROOT = '/some/where';
    assert.equal(projectRoot(), '/some/where');
    delete process.env.WORKBOOK_ROOT;
    const root = projectRoot();
    assert.equal(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).name, 'superposition-workbook');
    assert.equal(root, path.resolve(__dirname, '..', '..'));
  } finally {
    if (old === undefined) delete process.env.WORKBOOK_ROOT; else process.env.WORKBOOK_ROOT = old;
  }
});
