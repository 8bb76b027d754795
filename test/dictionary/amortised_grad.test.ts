import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng';
import { MlpEncoder } from '../../src/dictionary/mlp_encoder';
import { Lista } from '../../src/dictionary/lista';
import { Workspace } from '../../src/nn/workspace';
import { matmul, numericGrad } from '../nn/reference';

type P = Record<string, Float32Array>;
/** Access to the protected forward/backward of an encoder. */
interface Exposed { forward(x: Float32Array, B: number, p: P, ws: Workspace): Float32Array; backward(x: Float32Array, B: number, p: P, dz: Float32Array, g: P, ws: Workspace): void; dim: number }

/** Loss Σ w·z (fixed random weights w) and its gradients: analytic from backward, numeric from a float64 forward. */
function check(enc: Exposed, p: P, B: number, M: number, N: number, ref: (x: Float64Array, q: Record<string, Float64Array>) => Float64Array): void {
  enc.dim = M;
  const rng = new Rng(11);
  const x = rng.fillNormal(new Float32Array(B * M), 0, 1);
  const w = rng.fillNormal(new Float32Array(B * N), 0, 1);
  const ws = new Workspace(false);
  const z = enc.forward(x, B, p, ws);
  const q: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(p)) q[k] = Float64Array.from(v);
  const x64 = Float64Array.from(x);
  const loss64 = () => ref(x64, q).reduce((s, v, i) => s + v * w[i], 0);
  assert.ok(Math.abs(z.reduce((s, v, i) => s + v * w[i], 0) - loss64()) < 1e-4);
  const g: P = {};
  for (const [k, v] of Object.entries(p)) g[k] = new Float32Array(v.length);
  enc.backward(x, B, p, w.slice(), g, ws);
  for (const k of Object.keys(p)) {
    const num = numericGrad(q[k], loss64);
    const scale = num.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
    assert.ok(scale > 1e-6, `${k}: vacuous`);
    for (let i = 0; i < num.length; i++) assert.ok(Math.abs(g[k][i] - num[i]) <= 2e-3 * scale + 1e-6, `${k}[${i}]: ${g[k][i]} vs ${num[i]}`);
  }
}

const relu = (a: Float64Array) => a.map((v) => Math.max(v, 0));

test('MLP encoder backward matches float64 finite differences', () => {
  const M = 4, H = 7, N = 5, B = 6, rng = new Rng(3);
  const p: P = { W0: rng.fillNormal(new Float32Array(M * H)), b0: rng.fillNormal(new Float32Array(H), 0, 0.3), W1: rng.fillNormal(new Float32Array(H * N)), b1: rng.fillNormal(new Float32Array(N), 0, 0.3) };
  const addBias = (a: Float64Array, b: Float64Array) => a.map((v, i) => v + b[i % b.length]);
  check(new MlpEncoder(N, [H]) as unknown as Exposed, p, B, M, N,
    (x, q) => relu(addBias(matmul(relu(addBias(matmul(x, B, M, q.W0, H), q.b0)), B, H, q.W1, N), q.b1)));
});

test('LISTA backward (through the unrolled iterations and the shared S) matches finite differences', () => {
  const M = 4, N = 6, B = 5, T = 3, rng = new Rng(4);
  const p: P = { W: rng.fillNormal(new Float32Array(M * N), 0, 0.7), S: rng.fillNormal(new Float32Array(N * N), 0, 0.3), theta: rng.fillUniform(new Float32Array(N), -0.2, 0.2) };
  check(new Lista(N, { iterations: T }) as unknown as Exposed, p, B, M, N, (x, q) => {
    const c = matmul(x, B, M, q.W, N).map((v, i) => v - q.theta[i % N]);
    let z = relu(c);
    for (let t = 0; t < T; t++) z = relu(matmul(z, B, N, q.S, N).map((v, i) => v + c[i]));
    return z;
  });
});
