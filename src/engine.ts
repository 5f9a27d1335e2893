// An engine is one instantiated core (SIMD or scalar) with its own linear memory.
// Everything that allocates WASM memory is made through it; the heavy lifting lives in
// the modules each method names.
import { ParamBuffer } from './buffer.js';
import { Memory } from './memory.js';
import { createMlp, type MlpOptions } from './models/mlp.js';
import type { Model } from './models/model.js';
import { Optimizer } from './optimizers/optimizer.js';
import { ruleFor } from './optimizers/registry.js';
import { batchStudy } from './tools/batch-study.js';
import { landscape } from './tools/landscape.js';
import { sharpness, type SharpnessResult } from './tools/sharpness.js';
import { Swa } from './averaging/swa.js';
import { Ema, type EmaOptions } from './averaging/ema.js';
import { Lookahead, type LookaheadOptions } from './optimizers/lookahead.js';
import { saveSafetensors, loadSafetensors } from './interop/safetensors.js';
import { lrFinder } from './tools/lr-finder.js';
import { race } from './tools/race.js';
import { fit } from './train/fit.js';
import type { Kernels } from './wasm.js';
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
  /** @internal */ readonly kernels: Kernels;
  /** @internal */ readonly mem: Memory;

  /** @internal use init() */
  constructor(kernels: Kernels, readonly simd: boolean) {
    this.kernels = kernels;
    this.mem = new Memory(kernels);
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
    return new Optimizer(this.kernels, this.mem, ruleFor(name), options);
  }

  /** A multilayer perceptron whose forward and backward passes run in WASM. */
  mlp(options: MlpOptions): Model {
    return createMlp(this, options);
  }

  /** Train a model: epochs, mini-batches, schedules, validation, early stopping. */
  fit(model: Model, data: Dataset, options?: FitOptions): Promise<History> {
    return fit(this, model, data, options);
  }

  /** Learning-rate range test. */
  lrFinder(model: Model, data: Dataset, options?: LrFinderOptions): Promise<LrFinderResult> {
    return lrFinder(this, model, data, options);
  }

  /** Batch-size study with an lr scaling rule. */
  batchStudy(model: Model, data: Dataset, options?: BatchStudyOptions): Promise<BatchStudyResult> {
    return batchStudy(this, model, data, options);
  }

  /** Optimizer race on a 2-D surface or a dataset. */
  race(options: SurfaceRaceOptions): SurfaceRaceResult;
  race(options: DataRaceOptions): Promise<DataRaceResult>;
  race(options: SurfaceRaceOptions | DataRaceOptions): SurfaceRaceResult | Promise<DataRaceResult>;
  race(options: SurfaceRaceOptions | DataRaceOptions): SurfaceRaceResult | Promise<DataRaceResult> {
    return race(this, options);
  }

  /** 1-D/2-D loss-landscape slices around the current params. */
  landscape(model: Model, data: Dataset, options?: LandscapeOptions): LandscapeResult {
    return landscape(this, model, data, options);
  }

  /** Largest loss rise within a filter-normalised ball of `radius` around the params (random probes). */
  sharpness(model: Model, data: Dataset, options?: SharpnessOptions): SharpnessResult {
    return sharpness(this, model, data, options);
  }

  /** Stochastic weight averaging of a buffer's params (update() at the points you choose). */
  swa(buffer: ParamBuffer): Swa {
    return new Swa(this, buffer);
  }

  /** Exponential moving average of a buffer's params (timm's ModelEmaV2/V3 update). */
  ema(buffer: ParamBuffer, options?: EmaOptions): Ema {
    return new Ema(this, buffer, options);
  }

  /** Lookahead around an optimizer: slow weights synced every k steps. */
  lookahead(optimizer: Optimizer, options?: LookaheadOptions): Lookahead {
    return new Lookahead(this, optimizer, options);
  }

  /** Params (and optimizer state) as safetensors bytes with PyTorch names. */
  saveSafetensors(model: Model, optimizer?: Optimizer, metadata?: Record<string, string>): Uint8Array {
    return saveSafetensors(model, optimizer, metadata);
  }

  /** Load params (and optimizer state) from safetensors bytes with PyTorch names. */
  loadSafetensors(model: Model, bytes: Uint8Array, optimizer?: Optimizer): { metadata?: Record<string, string> } {
    return loadSafetensors(model, bytes, optimizer);
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
