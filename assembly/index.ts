// The ABI of the simdescent core: re-exports only.
// Every export takes byte pointers into linear memory (16-byte aligned, owned by
// src/memory.ts on the JS side), an element count and f32 scalars computed in f64.
export { heap_base, simd_build, relaxed_build } from './kernels/heap';
export * from './kernels/vector';
export * from './kernels/average';
export * from './optim/sgd';
export * from './optim/momentum';
export * from './optim/adagrad';
export * from './optim/rmsprop';
export * from './optim/adadelta';
export * from './optim/adam';
export * from './optim/adamax';
export * from './optim/nadam';
export * from './optim/radam';
export * from './optim/lion';
export * from './optim/lamb';
export * from './kernels/gemm';
export * from './kernels/activation';
export * from './kernels/loss';
export * from './model/mlp';
export * from './threads/team';
export * from './threads/step';
