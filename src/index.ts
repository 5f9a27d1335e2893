// Public entry: re-exports only.
export { init, type InitOptions } from './init.js';
export { Engine } from './engine.js';
export { ParamBuffer } from './buffer.js';
export { Optimizer } from './optimizers/optimizer.js';
export { OPTIMIZER_NAMES } from './optimizers/registry.js';
