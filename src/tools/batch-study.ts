// sd.batchStudy: the same initial params trained once per batch size, the lr scaled with the
// batch by a rule (Goyal et al., 2017, "Accurate, Large Minibatch SGD": linear; Krizhevsky,
// 2014 / Hoffer et al., 2017: sqrt), for the same budget of epochs or seconds. The same seed
// draws the batch order of every run. The model's params are put back afterwards.
import type { Engine } from '../engine.js';
import type { Dataset } from '../data/index.js';
import type { Model } from '../models/model.js';
import { parseOptions, range, show, type Spec } from '../options.js';
import { now, optimizerEntry, withContext } from './common.js';
import { Batches, checkModelData, evaluate, holdOut, Random, snapshot } from './loop.js';

export type LrScaling = 'linear' | 'sqrt' | 'none';

export interface StudyPoint {
  /** Fractional epochs done. */
  epoch: number;
  /** Training wall time in seconds (evaluation excluded). */
  seconds: number;
  /** Mean training loss since the previous point (the initial point: loss of the init on the training rows). */
  loss: number;
  valLoss: number;
  /** 1 − accuracy for classification, the loss for regression. */
  valError: number;
}

export interface StudyRun {
  batchSize: number;
  lr: number;
  curve: StudyPoint[];
  steps: number;
  samplesPerSec: number;
}

export interface StudySummaryRow {
  batchSize: number;
  lr: number;
  bestValError: number;
  /** Epoch of the best validation error. */
  bestEpoch: number;
  /** Training seconds until the validation error first reached `target` (null: never). */
  secondsToTarget: number | null;
  epochsToTarget: number | null;
  samplesPerSec: number;
}

export interface BatchStudyResult {
  lrScaling: LrScaling;
  baseLr: number;
  baseBatchSize: number;
  optimizer: { name: string; options: Record<string, any> };
  budget: { epochs: number } | { seconds: number };
  /** Validation error the summary's time-to-target refers to. */
  target: number;
  /** 'error' (1 − accuracy) or 'loss' (regression). */
  errorKind: 'error' | 'loss';
  runs: StudyRun[];
  summary: StudySummaryRow[];
}

const DEFAULT_SIZES = [8, 16, 32, 64, 128, 256, 512];

const SPEC: Spec = {
  batchSizes: { type: 'array', check: (v) => (v.length ? undefined : 'must hold at least one batch size') },
  lrScaling: { type: 'string', default: 'linear', values: ['linear', 'sqrt', 'none'] },
  baseLr: { type: 'number', check: range.positive },
  baseBatchSize: { type: 'integer', default: 32, check: range.atLeast(1) },
  epochs: { type: 'number', check: range.positive },
  seconds: { type: 'number', check: range.positive },
  validation: { type: 'any', default: 0.2 },
  targetError: { type: 'number', check: range.nonNegative },
  seed: { type: 'integer', default: 0 },
  optimizer: { type: 'any' },
};

/** The lr for `batchSize` under `rule`, from `baseLr` at `baseBatchSize`. */
export function scaledLr(rule: LrScaling, baseLr: number, baseBatchSize: number, batchSize: number): number {
  const k = batchSize / baseBatchSize;
  return rule === 'linear' ? baseLr * k : rule === 'sqrt' ? baseLr * Math.sqrt(k) : baseLr;
}

export async function batchStudy(engine: Engine, model: Model, data: any, options?: Record<string, any>): Promise<BatchStudyResult> {
  return run(engine, model, data, options);
}

function run(engine: Engine, model: Model, data: Dataset, options?: Record<string, any>): BatchStudyResult {
  const o = parseOptions('batchStudy', SPEC, options);
  if (o.epochs !== undefined && o.seconds !== undefined) throw new TypeError('batchStudy: give either epochs or seconds as the budget, not both');
  const budget = o.seconds !== undefined ? { seconds: o.seconds as number } : { epochs: (o.epochs ?? 5) as number };
  checkModelData('batchStudy', model, data);
  const { train, validation } = holdOut('batchStudy', data, o.validation, o.seed);
  if (!validation) throw new RangeError('batchStudy: validation must hold out some rows (a fraction in (0, 1) or a dataset), got 0');
  // A split of data is already checked; a separate validation dataset is not.
  if (typeof o.validation === 'object') checkModelData('batchStudy', model, validation, 'validation');

  let sizes: number[];
  if (o.batchSizes === undefined) {
    sizes = DEFAULT_SIZES.filter((b) => b <= train.count);
    if (!sizes.length) sizes = [train.count];
  } else {
    sizes = o.batchSizes.map((b: unknown, i: number) => {
      if (typeof b !== 'number') throw new TypeError(`batchStudy: batchSizes[${i}] must be a number, got ${show(b)}`);
      if (!Number.isInteger(b) || b < 1) throw new RangeError(`batchStudy: batchSizes[${i}] must be a positive integer, got ${b}`);
      if (b > train.count) throw new RangeError(`batchStudy: batchSizes[${i}] = ${b} exceeds the ${train.count} training rows`);
      return b;
    });
  }

  const entry = optimizerEntry('batchStudy: optimizer', o.optimizer ?? 'adam', ['buffer', 'size']);
  const { lr: entryLr, ...optOptions } = entry.options;
  if (entryLr !== undefined && o.baseLr !== undefined) throw new TypeError('batchStudy: give the lr as baseLr or as optimizer.lr, not both');
  // Validate the options (and learn the default lr) on a throwaway optimizer before training.
  let baseLr: number;
  try {
    const probe = engine.optimizer(entry.name, { size: 1, ...optOptions, ...(entryLr !== undefined ? { lr: entryLr } : {}) });
    baseLr = o.baseLr ?? probe.lr;
    probe.dispose();
  } catch (e) {
    withContext('batchStudy: optimizer', e);
  }
  const lrs = sizes.map((b) => scaledLr(o.lrScaling, baseLr, o.baseBatchSize, b));

  const restore = snapshot(model);
  const initial = model.buffer.params.slice();
  const runs: StudyRun[] = [];
  try {
    sizes.forEach((b, k) => {
      model.buffer.params.set(initial);
      const opt = engine.optimizer(entry.name, { buffer: model.buffer, ...optOptions, lr: lrs[k] });
      try {
        runs.push(trainOne(model, opt, train, validation, b, lrs[k], budget, o.seed));
      } finally {
        opt.dispose();
      }
    });
  } finally {
    restore();
  }

  const errorKind = model.loss === 'mse' ? 'loss' : 'error';
  const target = o.targetError ?? Math.max(...runs.map((r) => Math.min(...r.curve.map((p) => p.valError))));
  const summary = runs.map((r): StudySummaryRow => {
    let best = 0;
    r.curve.forEach((p, i) => {
      if (p.valError < r.curve[best].valError) best = i;
    });
    const hit = r.curve.find((p) => p.valError <= target);
    return {
      batchSize: r.batchSize,
      lr: r.lr,
      bestValError: r.curve[best].valError,
      bestEpoch: r.curve[best].epoch,
      secondsToTarget: hit ? hit.seconds : null,
      epochsToTarget: hit ? hit.epoch : null,
      samplesPerSec: r.samplesPerSec,
    };
  });
  return {
    lrScaling: o.lrScaling,
    baseLr,
    baseBatchSize: o.baseBatchSize,
    optimizer: { name: entry.name, options: optOptions },
    budget,
    target,
    errorKind,
    runs,
    summary,
  };
}

function trainOne(
  model: Model,
  opt: ReturnType<Engine['optimizer']>,
  train: Dataset,
  validation: Dataset,
  batchSize: number,
  lr: number,
  budget: { epochs: number } | { seconds: number },
  seed: number,
): StudyRun {
  const batches = new Batches(model, train, batchSize, new Random(seed));
  const start = evaluate(model, validation);
  const curve: StudyPoint[] = [{ epoch: 0, seconds: 0, loss: evaluate(model, train).loss, valLoss: start.loss, valError: start.error }];
  let seconds = 0;
  let steps = 0;
  let rows = 0;
  let lossSum = 0, lossRows = 0;
  const limitEpochs = 'epochs' in budget ? budget.epochs : Infinity;
  const limitSeconds = 'seconds' in budget ? budget.seconds : Infinity;
  let t0 = now();
  for (;;) {
    const epochBefore = batches.epoch;
    const loss = batches.step(opt);
    const n = batches.lastRows;
    steps++;
    rows += n;
    lossSum += loss * n;
    lossRows += n;
    const elapsed = seconds + (now() - t0) / 1000;
    const epochDone = batches.epoch > epochBefore;
    const outOfTime = elapsed >= limitSeconds;
    const done = batches.progress >= limitEpochs || outOfTime || !Number.isFinite(loss);
    if (epochDone || done) {
      seconds = elapsed;
      const v = evaluate(model, validation);
      curve.push({ epoch: batches.progress, seconds, loss: lossSum / lossRows, valLoss: v.loss, valError: v.error });
      lossSum = 0;
      lossRows = 0;
      if (done) break;
      t0 = now();
    }
  }
  return { batchSize, lr, curve, steps, samplesPerSec: seconds > 0 ? rows / seconds : 0 };
}
