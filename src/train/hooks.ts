// The interface everything that plugs into fit() goes through: a user's callbacks
// (onBatchEnd / onEpochEnd) and the weight averaging (averaging.ts) are both FitHooks, so fit
// knows the hook, never what is behind it (Keras callbacks).
import type { Dataset } from '../data/index.js';
import type { BatchInfo, EpochEntry, FitOptions, History } from './types.js';

export interface FitHook {
  /**
   * Takes the optimizer step in fit's place (at most one hook: Lookahead wraps the optimizer).
   * t: the schedule's t of this step; epoch: 0-based; stepsBefore: steps taken so far.
   */
  step?(t: number, epoch: number, stepsBefore: number): void;
  /** After each batch; false stops the run ('callback'). */
  batchEnd?(info: BatchInfo): void | boolean | Promise<void | boolean>;
  /** Adds metrics to the epoch's entry before it is timed (tNext: the next step's t). */
  epochMetrics?(entry: EpochEntry, epoch: number, tNext: number, val: Dataset | undefined, batch: number): void;
  /** After early stopping had its say (not called when it stopped the run); false stops the run. */
  epochEnd?(entry: EpochEntry, history: History): void | boolean | Promise<void | boolean>;
  /** Once, when the run ends however it ends, before anything is disposed. */
  finish?(history: History): void;
  dispose?(): void;
}

/** The user's callbacks as a hook (undefined without any). */
export function callbackHook(o: Pick<FitOptions, 'onBatchEnd' | 'onEpochEnd'>): FitHook | undefined {
  if (!o.onBatchEnd && !o.onEpochEnd) return undefined;
  const hook: FitHook = {};
  const { onBatchEnd, onEpochEnd } = o;
  if (onBatchEnd) hook.batchEnd = (info) => onBatchEnd(info);
  if (onEpochEnd) hook.epochEnd = (entry, history) => onEpochEnd(entry, history);
  return hook;
}
