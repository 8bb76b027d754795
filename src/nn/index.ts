/**
 * Small dense networks on the compute engine: dense layers, batch norm, leaky ReLU, losses (softmax and sigmoid
 * cross-entropy, InfoNCE) with hand-written gradients, an MLP trainer and the memory of a fit.
 */
export * from './workspace';
export * from './dense';
export * from './activations';
export * from './batchnorm';
export * from './losses';
export * from './mlp';
