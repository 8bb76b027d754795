/**
 * The compute engine: dense and sparse products, row passes, order statistics and the Adam optimiser on typed arrays, run by
 * the project's WebAssembly SIMD kernels on two threads where available, under one dispatch policy. Every solver
 * and trainer runs its products here.
 */
export { denseRoute, dispatchPolicy, fastBackend, setDispatchPolicy, setWasmKernels, wasmKernelsOn } from './dispatch';
export type { DispatchPolicy } from './dispatch';
export { gemm, gemmNT, gram, mm, mmNT, opNormSquared, tr } from './dense';
export type { KernelOptions } from './dense';
export { csrOf, sampledDots, sampledDotValues, spmmAdd, spmmTAdd } from './csr';
export type { Csr } from './csr';
export { kthLargest } from './select';
export { addRowVector, columnSums, normaliseRowsInPlace, projectRowsTangent, reluBackward, residualRows, sparseCodes } from './rows';
export { adamSlot, adamStep } from './adam';
export type { AdamConfig, AdamSlot } from './adam';
export { kernelThreads, setKernelThreads } from './threads';
export { WasmMemoryFull } from './wasm';
