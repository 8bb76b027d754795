import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linearSumAssignment } from '../../src/metrics/hungarian';
import { Rng } from '../../src/core/rng';
import { ShapeError, ValueError } from '../../src/core/errors';
import { fixtures, f64, randn, close } from './helpers';

/** Brute force: best total over all injective maps from the smaller side into the larger. */
function bruteForce(c: number[][], maximize: boolean): number {
  const R = c.length, C = c[0].length;
  const t = R <= C ? c : c[0].map((_, j) => c.map((r) => r[j]));
  const n = t.length, m = t[0].length;
  let best = maximize ? -Infinity : Infinity;
  const used = new Array(m).fill(false);
  const rec = (i: number, acc: number): void => {
    if (i === n) { best = maximize ? Math.max(best, acc) : Math.min(best, acc); return; }
    for (let j = 0; j < m; j++) if (!used[j]) { used[j] = true; rec(i + 1, acc + t[i][j]); used[j] = false; }
  };
  rec(0, 0);
  return best;
}

test('linearSumAssignment equals brute force on small random matrices (square and rectangular, min and max)', () => {
  const rng = new Rng(1);
  for (let trial = 0; trial < 150; trial++) {
    const R = 1 + rng.int(6), C = 1 + rng.int(6);
    const maximize = rng.uniform() < 0.5;
    // Half the trials use small integers so ties occur.
    const cost = Array.from({ length: R }, () => Array.from({ length: C }, () => (trial % 2 ? rng.int(4) : rng.normal())));
    const a = linearSumAssignment(cost, { maximize });
    assert.equal(a.rowInd.length, Math.min(R, C));
    assert.equal(new Set(a.colInd).size, a.colInd.length, 'columns distinct');
    assert.equal(new Set(a.rowInd).size, a.rowInd.length, 'rows distinct');
    for (let k = 1; k < a.rowInd.length; k++) assert.ok(a.rowInd[k] > a.rowInd[k - 1], 'rows ascending');
    let total = 0;
    for (let k = 0; k < a.rowInd.length; k++) total += cost[a.rowInd[k]][a.colInd[k]];
    close(a.total, total, 1e-12, 'total is the sum of the chosen entries');
    close(a.total, bruteForce(cost, maximize), 1e-9, `trial ${trial} (${R}×${C}, maximize ${maximize})`);
  }
});

test('linearSumAssignment matches scipy linear_sum_assignment fixtures', () => {
  for (const fx of fixtures.lsa) {
    const a = linearSumAssignment(f64(fx.cost), { maximize: fx.maximize });
    close(a.total, fx.total, 1e-9, 'total');
    if (!fx.ties) {
      assert.deepEqual(Array.from(a.rowInd), fx.row);
      assert.deepEqual(Array.from(a.colInd), fx.col);
    }
  }
});

test('linearSumAssignment recovers a planted permutation in a larger matrix', () => {
  const rng = new Rng(2);
  const n = 300;
  const perm = rng.permutation(n);
  const c = randn(rng, n, n);
  for (let i = 0; i < n; i++) c.data[i * n + perm[i]] += 10; // planted optimum
  const a = linearSumAssignment(c, { maximize: true });
  assert.deepEqual(Array.from(a.colInd), Array.from(perm));
});

test('linearSumAssignment validates its input', () => {
  assert.throws(() => linearSumAssignment([[1, NaN]]), ValueError);
  assert.throws(() => linearSumAssignment([[1, 2], [3]]), ShapeError);
  const empty = linearSumAssignment({ rows: 0, cols: 3, data: new Float64Array(0) });
  assert.equal(empty.rowInd.length, 0);
});
