import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend, tf } from '../../src/core/backend';
import { fista } from '../../src/sparse/proximal';
import { lassoCD } from '../../src/sparse/cd';
import { omp } from '../../src/sparse/omp';
import { plantedSparseProblem } from '../../src/sparse/synthetic';

test('with the tfjs fast path (float32 products), CD and FISTA agree to 1e-6 and leak no tensors', async () => {
  await initBackend();
  // big enough that G, C and FISTA's dense early iterations go through tfjs (> 2e6 multiply-adds)
  const { X, D, Z } = plantedSparseProblem({ n: 256, m: 64, b: 200, k: 4, noise: 0.01, seed: 21 });
  const before = tf.memory().numTensors;
  const cd = lassoCD(X, D, { lambda: 0.05, nonneg: true, tol: 1e-8, progress: false });
  const fi = fista(X, D, { lambda: 0.05, nonneg: true, tol: 1e-9, maxIter: 5000, progress: false });
  assert.equal(tf.memory().numTensors, before);
  assert.ok(Math.abs(cd.objective - fi.objective) <= 1e-6 * cd.objective, `cd ${cd.objective} fista ${fi.objective}`);
  // float32 products leave a small duality gap (KKT residuals at the float32 level), not a large one
  assert.ok(cd.dualityGap! <= 1e-4 * cd.objective, `gap ${cd.dualityGap}`);
  const o = omp(X, D, { k: 4, nonneg: true });
  let hit = 0;
  for (let i = 0; i < Z.data.length; i++) if (Z.data[i] !== 0 && o.codes.data[i] !== 0) hit++;
  assert.ok(hit / (200 * 4) > 0.95, `OMP support recovery ${hit / 800}`);
});
