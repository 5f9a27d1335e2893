// The `sd` facade: the one module that knows every part. It wraps a Core (src/core/core.ts:
// one instantiated build with its own linear memory) and hands it to the modules each method
// names; nothing below imports this file.
import { ParamBuffer } from './buffer.js';
import type { Core } from './core/core.js';
import type { Memory } from './memory.js';
import { createMlp, type MlpOptions } from './models/mlp.js';
import type { Model } from './models/model.js';
import { Optimizer } from './optimizers/optimizer.js';
import { createOptimizer } from './optimizers/registry.js';
import { batchStudy } from './tools/batch-study.js';
import { landscape } from './tools/landscape.js';
import { sharpness, type SharpnessResult } from './tools/sharpness.js';
import { Swa } from './averaging/swa.js';
import { Ema, type EmaOptions } from './averaging/ema.js';
import { Lookahead, type LookaheadOptions } from './optimizers/lookahead.js';
import { saveSafetensors, loadSafetensors } from './interop/safetensors.js';
import { exportTorch, importTorch, type TorchExportOptions, type TorchFiles } from './interop/torch.js';
import type { Checkpoint } from './train/types.js';
import { lrFinder } from './tools/lr-finder.js';
import { race } from './tools/race.js';
import { fit } from './train/fit.js';
import type { Kernels } from './wasm.js';
import { FIT_PARALLEL } from './threads/fit-step.js';
import { threadContext } from './threads/context.js';
import type { Dataset } from './data/index.js';
import type { OptimizerArgs, OptimizerName } from './optimizers/types.js';
import type { FitOptions, History } from './train/types.js';
import type { LrFinderOptions, LrFinderResult } from './tools/lr-finder.js';
import type { BatchStudyOptions, BatchStudyResult } from './tools/batch-study.js';
import type { SurfaceRaceOptions, SurfaceRaceResult } from './tools/race.js';
import type { DataRaceOptions, DataRaceResult } from './tools/data-race.js';
import type { LandscapeOptions, LandscapeResult } from './tools/landscape.js';
import type { SharpnessOptions } from './tools/sharpness.js';
import { coreName, type CoreName } from './core-choice.js';

export class Engine {
  /** Whether this engine runs the SIMD build. */
  readonly simd: boolean;

  /** @internal use init() */
  constructor(/** @internal the core handle everything below the facade takes */ readonly handle: Core) {
    this.simd = handle.simd;
  }

  /** @internal the kernel exports (tests reach the ABI through it) */
  get kernels(): Kernels {
    return this.handle.kernels;
  }

  /** @internal the allocator of the core's linear memory */
  get mem(): Memory {
    return this.handle.mem;
  }

  /** Worker threads `fit` and the tools use by default (init's `workers`, 'auto' resolved; 1 without threads). */
  get workers(): number {
    return threadContext(this.handle)?.workers ?? 1;
  }

  /**
   * Stops the engine's worker threads (none run on an engine made without init({ workers })).
   * Resolves once they have exited; the engine stays usable and starts workers again on demand.
   */
  close(): Promise<void> {
    return this.handle.close();
  }

  /** A zero-filled parameter buffer of `size` floats (params and grads). */
  buffer(size: number): ParamBuffer {
    return new ParamBuffer(this.mem, size);
  }

  /** An optimizer by name; options as in PyTorch, plus `buffer` or `size`. */
  optimizer<N extends OptimizerName>(name: N, options: OptimizerArgs<N>): Optimizer;
  /** @internal a name and options checked at run time only (fit, the tools, the CLI) */
  optimizer(name: string, options: object): Optimizer;
  optimizer(name: string, options: object): Optimizer {
    return createOptimizer(this.handle, name, options);
  }

  /** A multilayer perceptron whose forward and backward passes run in WASM. */
  mlp(options: MlpOptions): Model {
    return createMlp(this.handle, options);
  }

  /** Train a model: epochs, mini-batches, schedules, validation, early stopping. */
  fit(model: Model, data: Dataset, options?: FitOptions): Promise<History> {
    return fit(this.handle, model, data, options, FIT_PARALLEL);
  }

  /** Learning-rate range test. */
  lrFinder(model: Model, data: Dataset, options?: LrFinderOptions): Promise<LrFinderResult> {
    return lrFinder(this.handle, model, data, options);
  }

  /** Batch-size study with an lr scaling rule. */
  batchStudy(model: Model, data: Dataset, options?: BatchStudyOptions): Promise<BatchStudyResult> {
    return batchStudy(this.handle, model, data, options);
  }

  /** Optimizer race on a 2-D surface or a dataset. */
  race(options: SurfaceRaceOptions): SurfaceRaceResult;
  race(options: DataRaceOptions): Promise<DataRaceResult>;
  race(options: SurfaceRaceOptions | DataRaceOptions): SurfaceRaceResult | Promise<DataRaceResult>;
  race(options: SurfaceRaceOptions | DataRaceOptions): SurfaceRaceResult | Promise<DataRaceResult> {
    return race(this.handle, options);
  }

  /** 1-D/2-D loss-landscape slices around the current params. */
  landscape(model: Model, data: Dataset, options?: LandscapeOptions): LandscapeResult {
    return landscape(this.handle, model, data, options);
  }

  /** Largest loss rise within a filter-normalised ball of `radius` around the params (random probes). */
  sharpness(model: Model, data: Dataset, options?: SharpnessOptions): SharpnessResult {
    return sharpness(this.handle, model, data, options);
  }

  /** Stochastic weight averaging of a buffer's params (update() at the points you choose). */
  swa(buffer: ParamBuffer): Swa {
    return new Swa(this.handle, buffer);
  }

  /** Exponential moving average of a buffer's params (timm's ModelEmaV2/V3 update). */
  ema(buffer: ParamBuffer, options?: EmaOptions): Ema {
    return new Ema(this.handle, buffer, options);
  }

  /** Lookahead around an optimizer: slow weights synced every k steps. */
  lookahead(optimizer: Optimizer, options?: LookaheadOptions): Lookahead {
    return new Lookahead(this.handle, optimizer, options);
  }

  /** Params (and optimizer state) as safetensors bytes with PyTorch names. */
  saveSafetensors(model: Model, optimizer?: Optimizer, metadata?: Record<string, string>): Uint8Array {
    return saveSafetensors(model, optimizer, metadata);
  }

  /** Load params (and optimizer state) from safetensors bytes with PyTorch names. */
  loadSafetensors(model: Model, bytes: Uint8Array, optimizer?: Optimizer): { metadata?: Record<string, string> } {
    return loadSafetensors(model, bytes, optimizer);
  }

  /** A run's PyTorch continuation as files: model.safetensors, data.json and train.py. */
  exportTorch(options: TorchExportOptions): TorchFiles {
    return exportTorch(this.handle, options);
  }

  /** The checkpoint that resumes a run from the safetensors file its train.py wrote. */
  importTorch(bytes: Uint8Array, options: { checkpoint: Checkpoint }): Checkpoint {
    return importTorch(this.handle, bytes, options);
  }

  /** The core running: 'simd' (exact, default), 'relaxed' (init({ fma: true })), 'scalar'; '+threads' on shared memory. */
  get core(): CoreName {
    return coreName(this.kernels as unknown as Parameters<typeof coreName>[0]);
  }

  /** Bytes of WASM memory in use or reserved by the allocator. */
  get memoryBytes(): number {
    return this.mem.highWater;
  }
}
