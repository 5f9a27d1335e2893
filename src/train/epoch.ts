// fit, part 3: the end of an epoch — validation, the hooks' metrics (averaging), early
// stopping and the best params, the hooks' epochEnd (the user's onEpochEnd), the checkpoint.
// The divergence guard runs per batch (fit.ts); restore() is shared with it.
import type { Run } from './prepare.js';
import { evaluateDataset } from './evaluate.js';
import { improve } from './tracker.js';
import type { Checkpoint, EpochEntry, History } from './types.js';

/** The params of the best epoch back (when kept), and the reason the run stops. */
export function restore(run: Run, why: History['stopReason']): void {
  if (run.bestParams) {
    run.model.buffer.params.set(run.bestParams);
    run.history.restoredEpoch = run.tracker.bestEpoch;
  }
  run.history.stopReason = why;
}

export function checkpoint(run: Run, batch: number, epochRng: number[]): Checkpoint {
  const { model, opt, sched, history, tracker, bestParams, averaging } = run;
  return {
    format: 'simdescent-checkpoint/1',
    model: model.toJSON(),
    optimizerName: opt.name,
    optimizerState: opt.saveState(),
    schedule: sched?.toJSON(),
    rngState: epochRng,
    epoch: run.epoch,
    batch,
    epochLossSum: run.lossSum,
    epochRows: run.rows,
    history: structuredClone(history),
    tracker: { ...tracker } as unknown as Record<string, unknown>,
    bestParams: bestParams ? Float32Array.from(bestParams) : undefined,
    ...(averaging ? { averaging: averaging.save() } : {}),
  };
}

/** Records the finished epoch; returns true when the run stops. `t0`: when the epoch began. */
export async function endEpoch(run: Run, t0: number, lastLr: number, now: () => number): Promise<boolean> {
  const { o, model, val, history, monitor } = run;
  const es = o.earlyStopping;
  const entry: EpochEntry = { epoch: run.epoch + 1, loss: run.lossSum / run.rows, lr: lastLr, ms: 0, samplesPerSec: 0 };
  const evalBatch = Math.max(run.batchSize, 256);
  if (val) {
    const r = evaluateDataset(model, val, evalBatch);
    entry.valLoss = r.loss;
    if (r.accuracy !== undefined) entry.valAccuracy = r.accuracy;
  }
  const tNext = o.scheduleUnit === 'step' ? history.steps : run.epoch + 1;
  for (const h of run.hooks) h.epochMetrics?.(entry, run.epoch, tNext, val, evalBatch);
  entry.ms = now() - t0;
  entry.samplesPerSec = run.rows / (entry.ms / 1000);
  history.epochs.push(entry);
  run.epoch++;
  run.lossSum = 0;
  run.rows = 0;
  const metric = monitor === 'valLoss' ? entry.valLoss! : monitor === 'valAccuracy' ? entry.valAccuracy! : entry.loss;
  if (run.metricDriven) run.opt.lr = run.sched!.observe!(metric);
  let stop = false;
  if (run.keepBest || es) {
    // Early stopping without restoreBest and without the guard keeps no best params.
    const improved = improve(run.tracker, metric, run.epoch, monitor === 'valAccuracy' ? 'max' : 'min', es ? es.minDelta ?? 0 : 0);
    if (improved) run.bestParams?.set(model.buffer.params);
    if (es && run.tracker.wait >= es.patience) {
      if (es.restoreBest !== false) restore(run, 'earlyStopping');
      else history.stopReason = 'earlyStopping';
      history.message = `no improvement in ${monitor} for ${es.patience} epochs (best ${run.tracker.best} at epoch ${run.tracker.bestEpoch})`;
      stop = true;
    }
  }
  for (const h of run.hooks) {
    if (stop || !h.epochEnd) continue;
    if ((await h.epochEnd(entry, history)) === false) {
      history.stopReason = 'callback';
      stop = true;
    }
  }
  if (o.onCheckpoint) await o.onCheckpoint(checkpoint(run, 0, run.rng.state));
  return stop;
}
