import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(__dirname, '..', '..');

test('the embedded kernel module is a fresh build of src/compute/wasm/kernels.wat', async () => {
  const build = await import(pathToFileURL(path.join(root, 'src/compute/wasm/build.mjs')).href) as { buildBinarySource(): Promise<string> };
  const fresh = await build.buildBinarySource();
  const embedded = fs.readFileSync(path.join(root, 'src/compute/wasm_binary.ts'), 'utf8');
  assert.ok(fresh.includes('export const KERNELS_WASM'), 'the build produced no module');
  assert.equal(embedded, fresh, 'src/compute/wasm_binary.ts is stale: run node src/compute/wasm/build.mjs');
});
