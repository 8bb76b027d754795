/** Planted labelled data for the interpretability tests. */
import { Matrix, matrix } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';

/**
 * B = 100·C examples, C classes of 100 (labels shuffled). Units 0..C−1 are "class units": unit u
 * is 2 + U for class u, 0 + 0.1·U for class (u+1) mod C (its bottom decile is exactly that class),
 * 0.5 + 0.5·U otherwise (U uniform). Units C..C+R−1 are random noise.
 */
export function plantedUnits(seed: number, C = 10, R = 20): { acts: Matrix<Float64Array>; labels: Int32Array; onehot: Matrix<Float64Array> } {
  const rng = new Rng(seed);
  const B = 100 * C, N = C + R;
  const labels = new Int32Array(B);
  const perm = rng.permutation(B);
  for (let i = 0; i < B; i++) labels[perm[i]] = i % C;
  const acts = matrix(B, N, new Float64Array(B * N));
  const onehot = matrix(B, C, new Float64Array(B * C));
  for (let i = 0; i < B; i++) {
    onehot.data[i * C + labels[i]] = 1;
    for (let u = 0; u < C; u++) {
      const U = rng.uniform();
      acts.data[i * N + u] = labels[i] === u ? 2 + U : labels[i] === (u + 1) % C ? 0.1 * U : 0.5 + 0.5 * U;
    }
    for (let u = C; u < N; u++) acts.data[i * N + u] = rng.uniform();
  }
  return { acts, labels, onehot };
}
