/** Element-wise activations on float32 arrays: leaky ReLU (ReLU at slope 0), forward and backward. */

/** out = x where x > 0, slope·x elsewhere (in place when out is x). */
export function leakyReluForward(x: Float32Array, slope: number, out: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) { const v = x[i]; out[i] = v > 0 ? v : slope * v; }
  return out;
}

/**
 * dx = dy where the input was > 0, slope·dy elsewhere (the derivative at 0 taken as the slope, as tfjs and
 * PyTorch do); `pre` is the activation's input. In place when dx is dy.
 */
export function leakyReluBackward(pre: Float32Array, dy: Float32Array, slope: number, dx: Float32Array): Float32Array {
  for (let i = 0; i < pre.length; i++) dx[i] = pre[i] > 0 ? dy[i] : slope * dy[i];
  return dx;
}
