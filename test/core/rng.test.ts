import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng';

test('same seed gives the same stream; different seeds differ', () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const xa = Array.from({ length: 5 }, () => a.nextUint32());
  const xb = Array.from({ length: 5 }, () => b.nextUint32());
  const xc = Array.from({ length: 5 }, () => c.nextUint32());
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
});

test('known first outputs (guards against accidental changes of the generator)', () => {
  const r = new Rng(0);
  const first = [r.nextUint32(), r.nextUint32(), r.nextUint32()];
  // Recorded from this implementation; a change here changes every seeded result in the workbook.
  assert.deepEqual(first, KNOWN_SEED0);
});

test('uniform and normal moments match theory within sampling error', () => {
  const r = new Rng(7);
  const n = 200_000;
  let su = 0, su2 = 0, sn = 0, sn2 = 0, sn4 = 0;
  for (let i = 0; i < n; i++) {
    const u = r.uniform(); su += u; su2 += u * u;
    const z = r.normal(); sn += z; sn2 += z * z; sn4 += z ** 4;
  }
  assert.ok(Math.abs(su / n - 0.5) < 0.005);
  assert.ok(Math.abs(su2 / n - 1 / 3) < 0.005);
  assert.ok(Math.abs(sn / n) < 0.01);
  assert.ok(Math.abs(sn2 / n - 1) < 0.015);
  assert.ok(Math.abs(sn4 / n - 3) < 0.08);
});

test('permutation is a permutation; choice draws distinct values uniformly', () => {
  const r = new Rng(3);
  const p = Array.from(r.permutation(50)).sort((x, y) => x - y);
  assert.deepEqual(p, Array.from({ length: 50 }, (_, i) => i));
  const counts = new Array(10).fill(0);
  for (let t = 0; t < 20000; t++) {
    const c = r.choice(10, 3);
    assert.equal(new Set(c).size, 3);
    for (const v of c) counts[v]++;
  }
  for (const k of counts) assert.ok(Math.abs(k / 20000 - 0.3) < 0.02, `count ${k}`);
  assert.throws(() => r.choice(3, 4), /cannot draw 4 distinct values from 3/);
});

const KNOWN_SEED0 = [3809008728, 1133695204, 53579671];
