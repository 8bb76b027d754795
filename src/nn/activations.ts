/** Element-wise activations on float32 arrays: leaky ReLU (ReLU at slope 0), forward and backward. */

/** out = x where x > 0, slope·x elsewhere (in place when out is x). */
export function leakyReluForward(x: Float32Array, slope: number, out: Float32Array): Float32Array {
  // branch-free (signs of activations are close to random: a branch would mispredict half the time); exact:
  // v + slope·0 = v for v > 0, 0 + slope·v for v ≤ 0
  for (let i = 0; i < x.length; i++) { const v = x[i]; out[i] = Math.max(v, 0) + slope * Math.min(v, 0); }
  return out;
}

/**
 * dx = dy where the input was > 0, slope·dy elsewhere (the derivative at 0 taken as the slope, as tfjs and
 * PyTorch do); `pre` is the activation's input. In place when dx is dy.
 */
export function leakyReluBackward(pre: Float32Array, dy: Float32Array, slope: number, dx: Float32Array): Float32Array {
  const f = [slope, 1]; // branch-free, exact factors
  for (let i = 0; i < pre.length; i++) dx[i] = dy[i] * f[+(pre[i] > 0)];
  return dx;
}
