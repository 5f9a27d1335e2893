// fit's per-batch step strategies: the plain one (one pass of the model on the staged batch),
// gradient accumulation over several batches, and — through ParallelSteps, an interface this
// layer owns and src/threads/fit-step.ts implements — the sharded one. fit picks them once,
// in prepare (prepare.ts); the batch loop only calls them.
import type { Core } from '../core/core.js';
import { gatherRows, type Dataset } from '../data/index.js';
import { F32Block } from '../memory.js';
import type { Model } from '../models/model.js';
import type { Optimizer } from '../optimizers/optimizer.js';

/** Rows [start, end) of `order` over `train`: batch `batch` of an epoch. */
export interface Batch {
  train: Dataset;
  order: Uint32Array;
  batch: number;
  start: number;
  end: number;
}

/** The optimizer step a strategy may run inside its own job; `before` sets the step's lr first. */
export interface FusableStep {
  opt: Optimizer;
  before(): void;
}

export interface GradientStep {
  /**
   * The batch's mean loss, with its gradient in the model's grads. With `fuse`, a strategy may
   * also take the optimizer step (then `fused` is true until the next call). `next`: the batch
   * after this one, which a strategy may gather while this one runs.
   */
  gradient(b: Batch, next: Batch | undefined, fuse: FusableStep | undefined): number | Promise<number>;
  /** Whether the last gradient() took the optimizer step. */
  readonly fused: boolean;
  dispose(): void;
}

/** One pass of the model on the batch, staged in its own input buffers. */
export function plainStep(model: Model): GradientStep {
  return {
    fused: false,
    gradient(b) {
      const size = b.end - b.start;
      const staged = model.stage(size);
      gatherRows(b.train, b.order, b.start, b.end, staged.x, staged.y);
      return model.lossAndGradStaged(size);
    },
    dispose() {},
  };
}

/** Data-parallel batches, supplied by a higher layer (src/threads/fit-step.ts) through the facade. */
export interface ParallelSteps {
  /**
   * Agents for batches of `batchSize` rows, or undefined when this model does not shard them.
   * Starts the workers; allocates nothing the run must free.
   */
  team(core: Core, model: Model, batchSize: number, workers: number | 'auto' | undefined): Promise<ParallelTeam | undefined>;
}

export interface ParallelTeam {
  /** Agents (the calling thread included) that share each batch. */
  agents: number;
  /** The sharded step; batches too small to shard go to `plain`. */
  step(plain: GradientStep): GradientStep;
}

/**
 * Gradient accumulation: sums `every` batch gradients and, at a step, replaces the model's
 * gradient by their mean (the mean of the batch means), as a step over the union would see.
 */
export class Accumulator {
  private readonly acc: F32Block;
  private count = 0;

  constructor(private readonly core: Core, private readonly model: Model, private readonly every: number) {
    this.acc = new F32Block(core.mem, model.buffer.size);
  }

  /** Adds the batch's gradient; true when the optimizer should step now. */
  add(last: boolean): boolean {
    const n = this.model.buffer.size;
    const k = this.core.kernels;
    k.axpy_f32(this.acc.ptr, this.model.buffer.gradsPtr, n, 1);
    this.count++;
    if (this.count < this.every && !last) return false;
    // grads ← (Σ batch grads) / k: the mean of the accumulated batch means.
    k.lerp_f32(this.model.buffer.gradsPtr, this.acc.ptr, n, 0, 1 / this.count);
    k.fill_f32(this.acc.ptr, n, 0);
    this.count = 0;
    return true;
  }

  /** Batches summed since the last step (an abort waits for a step boundary). */
  get pending(): number {
    return this.count;
  }

  /** A new epoch starts with nothing accumulated. */
  reset(): void {
    this.count = 0;
  }

  free(): void {
    this.acc.free();
  }
}
