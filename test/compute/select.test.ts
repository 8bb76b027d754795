import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kthLargest } from '../../src/compute/select';
import { Rng } from '../../src/core/rng';

test('kthLargest equals sorting on both paths (heap for small k, quickselect otherwise), with ties and offsets, and leaves the input alone', () => {
  const rng = new Rng(3);
  for (const n of [1, 7, 64, 1000]) {
    const a = Float32Array.from({ length: n + 5 }, () => Math.round(rng.normal() * 4) / 4); // many ties
    const copy = a.slice();
    const sorted = Array.from(a.subarray(5)).sort((x, y) => y - x);
    for (const k of new Set([1, Math.min(2, n), Math.max(1, Math.floor(n / 8)), Math.ceil(n / 2), n])) {
      assert.ok(kthLargest(a, k, { offset: 5, length: n }) === sorted[k - 1], `n=${n} k=${k}`); // (0 and −0 are one value)
      assert.ok(kthLargest(a, k, { offset: 5, length: n }, new Float32Array(n)) === sorted[k - 1], `n=${n} k=${k} with scratch`);
    }
    assert.deepEqual(a, copy);
  }
  assert.throws(() => kthLargest([1, 2, 3], 4), /k=4 must be in \[1, 3\]/);
});
