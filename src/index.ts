// Public entry: re-exports only.
export { init, type InitOptions } from './init.js';
export { Engine } from './engine.js';
export { ParamBuffer } from './buffer.js';
export { Optimizer } from './optimizers/optimizer.js';
export { OPTIMIZER_NAMES } from './optimizers/registry.js';
export { Random } from './random.js';
export type { Model, LossName, Targets, ParamGroup } from './models/model.js';
export type { MlpOptions } from './models/mlp.js';
export { encodeCheckpoint, decodeCheckpoint } from './train/checkpoint.js';
export type * from './train/types.js';
export * from './schedules/index.js';
export * from './data/index.js';
export { SURFACES, SURFACE_NAMES, type Surface, type SurfaceName } from './tools/surfaces.js';
export { Swa, Ema, SnapshotEnsemble, type EmaOptions } from './averaging/index.js';
export { Lookahead, type LookaheadOptions } from './optimizers/lookahead.js';
export type { GroupOptions, ParamRange } from './optimizers/groups.js';
export type { SharpnessResult } from './tools/sharpness.js';
export { encodeSafetensors, decodeSafetensors, saveSafetensors, loadSafetensors, torchNames, type Tensor, type SafetensorsFile } from './interop/index.js';
