import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unitExtremes } from '../../src/metrics/ranking';
import { matrix } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';

test('unitExtremes equals the head and reversed tail of a full stable sort (with many ties)', () => {
  const rng = new Rng(60);
  for (let trial = 0; trial < 50; trial++) {
    const B = 1 + rng.int(60), N = 3;
    const acts = matrix(B, N, Float64Array.from({ length: B * N }, () => rng.int(6) - 2));
    const u = rng.int(N), count = 1 + rng.int(B);
    const idx = Array.from({ length: B }, (_, i) => i);
    const v = (i: number) => acts.data[i * N + u];
    const order = idx.slice().sort((a, b) => v(b) - v(a) || a - b);
    const e = unitExtremes(acts, u, count);
    assert.deepEqual(Array.from(e.top), order.slice(0, count), `top, trial ${trial}`);
    assert.deepEqual(Array.from(e.bottom), order.slice(B - count).reverse(), `bottom, trial ${trial}`);
    const sorted = idx.map(v).sort((a, b) => a - b);
    assert.equal(e.median, sorted[(B - 1) >> 1]);
  }
});
