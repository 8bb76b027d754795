/**
 * `linear(x, W)` = x·W with a hand-written gradient that uses plain products of materialised transposes
 * (dx = dy·Wᵀ, dW = xᵀ·dy). tfjs' own gradient of matMul uses transposeA/transposeB products, which are
 * 10–40× slower on the wasm backend; with this op autograd-trained encoders run at plain-matMul speed.
 */
import { tf } from '../core/backend';

const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.matMul(x, w) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as tf.Tensor2D[];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy as tf.Tensor2D)];
    },
  };
});

/** x (B×K) · W (K×N) → B×N, differentiable in both with fast (non-transposed) products. */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return op(x, w) as tf.Tensor2D;
}
