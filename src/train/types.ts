// The trainer's public types: fit() options, history and checkpoints.
import type { Optimizer } from '../optimizers/optimizer.js';
import type { OptimizerConfig } from '../optimizers/types.js';
import type { Schedule, ScheduleJSON } from '../schedules/types.js';
import type { Dataset } from '../data/dataset.js';

/**
 * What a checkpoint carries to resume the averages bit for bit: plain JSON, float arrays as
 * base64 of their little-endian bytes (exact, NaN and −0 included).
 */
export interface AveragingState {
  lastCycle?: number;
  swa?: { updates: number; params: string };
  ema?: { updates: number; params: string };
  lookahead?: { fastSteps: number; slow: string };
  snapshots?: string[];
}

export type StopReason = 'completed' | 'earlyStopping' | 'diverged' | 'aborted' | 'callback';

/** What a schedule's t counts in fit: 'iteration' (epoch + i/iters), 'epoch' (the epoch index) or 'step' (the global step). */
export type ScheduleUnit = 'iteration' | 'epoch' | 'step';

/** The metric early stopping watches. */
export type Monitor = 'valLoss' | 'loss' | 'valAccuracy';

export interface EpochEntry {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss over the epoch's rows (with the params of the moment each batch ran). */
  loss: number;
  valLoss?: number;
  /** Fraction in [0, 1] (classification losses). */
  valAccuracy?: number;
  /** The SWA-averaged model's validation metrics (with `swa`, once something was averaged). */
  swaValLoss?: number;
  swaValAccuracy?: number;
  /** The EMA model's validation metrics (with `ema`). */
  emaValLoss?: number;
  emaValAccuracy?: number;
  /** Validation accuracy of the snapshot ensemble so far and its size (with `snapshots`). */
  snapshotValAccuracy?: number;
  snapshots?: number;
  /** lr used by the epoch's last step. */
  lr: number;
  /** Wall time of the epoch in ms (training + validation). */
  ms: number;
  samplesPerSec: number;
}

export interface IterationEntry {
  /** Global optimizer step, 0-based. */
  step: number;
  /** Fractional epoch at this step (epoch index + i/iters). */
  epoch: number;
  loss: number;
  lr: number;
}

export interface History {
  epochs: EpochEntry[];
  /** Per-iteration loss and lr, subsampled by `historyEvery`. */
  iterations: IterationEntry[];
  stopReason: StopReason;
  /** Human-readable reason for stopping early (e.g. the divergence advice). */
  message?: string;
  /** Epoch whose params were restored (early stopping restoreBest / divergence guard). */
  restoredEpoch?: number;
  /** Steps taken in total (across resumes). */
  steps: number;
  /**
   * Threads that shared this run's batches: the agents of its sharded passes (`workers`, or the
   * engine's count), 1 when batches were not sharded (< 128 rows) or threads are unavailable.
   */
  workers?: number;
  /** With swa / ema / lookahead / snapshots: the averaged params at the end of the run. */
  averages?: {
    swa?: { updates: number; params: Float32Array };
    ema?: { updates: number; params: Float32Array };
    lookahead?: { slow: Float32Array };
    snapshots?: Float32Array[];
  };
}

export interface BatchInfo {
  epoch: number;
  /** Batch index within the epoch, 0-based. */
  batch: number;
  batches: number;
  step: number;
  loss: number;
  lr: number;
  /** Rows in this batch. */
  size: number;
}

export interface EarlyStoppingOptions {
  patience: number;
  minDelta?: number;
  monitor?: Monitor;
  restoreBest?: boolean;
}

export interface FitOptions {
  /** Name + that optimizer's options, or an optimizer made by sd.optimizer on model.buffer. Default adam lr 1e-3. */
  optimizer?: OptimizerConfig | Optimizer;
  /** A schedule or its toJSON(). */
  schedule?: Schedule | ScheduleJSON;
  /** 'iteration' (default): the schedule's t is epoch + i/iters; 'epoch': t is the epoch index; 'step': t is the global step. */
  scheduleUnit?: ScheduleUnit;
  epochs?: number;
  batchSize?: number | 'full';
  dropLast?: boolean;
  /** Gradient accumulation across k mini-batches (one optimizer step per k batches). */
  accumulate?: number;
  shuffle?: boolean;
  seed?: number;
  /** A fraction in [0, 1) of the data or a dataset. */
  validation?: number | Dataset;
  earlyStopping?: EarlyStoppingOptions | false;
  /** Divergence guard (on by default): stop when the loss is non-finite or above factor × best smoothed loss. */
  divergence?: { factor?: number; smoothing?: number } | false;
  onBatchEnd?: (info: BatchInfo) => void | boolean | Promise<void | boolean>;
  onEpochEnd?: (entry: EpochEntry, history: History) => void | boolean | Promise<void | boolean>;
  /** Called with a checkpoint after every epoch and when the run stops early. */
  onCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
  signal?: AbortSignal;
  /** Keep every k-th iteration in history.iterations (default 1; 0 keeps none). */
  historyEvery?: number;
  /** Continue a run from a checkpoint (made with the same data and options). */
  resume?: Checkpoint;
  workers?: number | 'auto';
  /**
   * Stochastic weight averaging from epoch `start` (1-based, default 1), at the end of each
   * cycle of an SGDR schedule (every: 'cycle', the default with one), each epoch ('epoch', the
   * default otherwise) or every k steps. `true` takes the defaults.
   */
  swa?: { start?: number; every?: 'cycle' | 'epoch' | number } | boolean;
  /** Exponential moving average of the params after every step (timm ModelEmaV2/V3). */
  ema?: { decay?: number; warmup?: boolean } | boolean;
  /** Keep the params at each SGDR restart; history reports the ensemble's validation accuracy. */
  snapshots?: boolean;
  /** Lookahead around the optimizer: slow weights synced every k steps with step alpha. */
  lookahead?: { k?: number; alpha?: number } | boolean;
}

/** Everything needed to continue a run bit-identically; plain data plus bytes. */
export interface Checkpoint {
  format: 'simdescent-checkpoint/1';
  /** The model's toJSON() (architecture) — params travel inside `optimizerState`. */
  model: Record<string, unknown>;
  optimizerName: string;
  optimizerState: Uint8Array;
  schedule?: unknown;
  /** RNG state at the start of the current epoch (the epoch's permutation is re-drawn from it). */
  rngState: number[];
  /** Epochs fully done. */
  epoch: number;
  /** Batches done in the current epoch. */
  batch: number;
  /** Running sums of the current epoch (loss sum, rows). */
  epochLossSum: number;
  epochRows: number;
  history: History;
  /** Guard and early-stopping bookkeeping. */
  tracker: Record<string, unknown>;
  /** Best params so far (restoreBest/divergence), or undefined. */
  bestParams?: Float32Array;
  /** swa / ema / lookahead / snapshots state (JSON-safe), when the run used them. */
  averaging?: AveragingState;
}
