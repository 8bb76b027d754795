import { test } from 'node:test';
import assert from 'node:assert/strict';
import { universality } from '../../src/metrics/universality';
import { matrix, matmul } from '../../src/core/matrix';
import { Rng } from '../../src/core/rng';
import { close } from './helpers';
import { randn } from './helpers';

test('universality: two permuted, rescaled copies of a model agree perfectly; independent ones do not', () => {
  const rng = new Rng(50);
  const N = 12, M = 6, S = 300;
  const dA = randn(rng, N, M);
  const perm = rng.permutation(N);
  const P = matrix(N, N, new Float64Array(N * N)); // codesB = codesA·P, dB = Pᵀ·dA (same product)
  for (let i = 0; i < N; i++) P.data[i * N + perm[i]] = i % 2 ? 2 : -0.5;
  const Pt = matrix(N, N, new Float64Array(N * N));
  for (let i = 0; i < N; i++) Pt.data[perm[i] * N + i] = 1 / P.data[i * N + perm[i]];
  const dB = matmul(Pt, dA);
  const codesA = randn(rng, S, N);
  const codesB = matmul(codesA, P);
  const u = universality(dA, dB, { codesA, codesB });
  close(u.matchedCos, 1, 1e-12, 'matched cosine');
  close(u.codeMcc!, 1, 1e-12, 'code MCC');
  assert.deepEqual(Array.from(u.matching), Array.from(perm));
  const v = universality(dA, randn(rng, N, M));
  assert.ok(v.matchedCos < 0.85, `independent dictionaries: ${v.matchedCos}`);
  assert.equal(v.codeMcc, undefined);
});
