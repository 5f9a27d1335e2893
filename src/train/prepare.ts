// fit, part 1: everything that can throw on bad input happens here, before anything is
// changed — validate the options and data, resolve the optimizer, schedule, hooks and step
// strategy, then allocate. A failure frees what was made so far and rethrows.
import type { Core } from '../core/core.js';
import { checkDataset, split, type Dataset } from '../data/index.js';
import type { Model } from '../models/model.js';
import { Optimizer } from '../optimizers/optimizer.js';
import { createOptimizer } from '../optimizers/registry.js';
import { show } from '../options.js';
import { Random } from '../random.js';
import { FitAveraging } from './averaging.js';
import { callbackHook, type FitHook } from './hooks.js';
import { checkResumeFields } from './checkpoint-validate.js';
import { momentumKey, parseFitOptions, resolveSchedule, type ParsedFit, type TrainerSchedule } from './options.js';
import { Accumulator, plainStep, type GradientStep, type ParallelSteps, type ParallelTeam } from './step.js';
import { freshTracker, type TrackerState } from './tracker.js';
import type { Checkpoint, FitOptions, History } from './types.js';

/** A run's resolved parts and its state between batches. */
export interface Run {
  o: ParsedFit;
  model: Model;
  train: Dataset;
  val: Dataset | undefined;
  monitor: 'valLoss' | 'loss' | 'valAccuracy';
  batchSize: number;
  iters: number;
  sched: TrainerSchedule | undefined;
  metricDriven: boolean;
  opt: Optimizer;
  cycleKey: 'momentum' | 'beta1' | undefined;
  rng: Random;
  /** Every hook, in call order (the averaging first, then the user's callbacks). */
  hooks: FitHook[];
  averaging: FitAveraging | undefined;
  /** The hook that takes the optimizer step, if one does. */
  stepper: FitHook | undefined;
  step: GradientStep;
  acc: Accumulator | undefined;
  history: History;
  tracker: TrackerState;
  bestParams: Float32Array | undefined;
  keepBest: boolean;
  epoch: number;
  startBatch: number;
  lossSum: number;
  rows: number;
  /** Frees what prepare allocated, in reverse order (the one dispose path). */
  disposers: Array<() => void>;
}

export async function prepare(core: Core, model: Model, data: unknown, options: FitOptions, parallel: ParallelSteps | undefined): Promise<Run> {
  const o = parseFitOptions(options);
  checkModel(model);
  checkDataset(data, 'fit: data');
  const all = data as Dataset;
  checkCompatible(model, all, 'data');
  const rng = new Random(o.seed, 'shuffle');
  let train = all;
  let val: Dataset | undefined;
  if (typeof o.validation === 'number') {
    if (o.validation > 0) {
      const parts = split(all, { validation: o.validation, seed: o.seed });
      train = parts.train;
      val = parts.validation;
      if (val.count < 1 || train.count < 1) throw new RangeError(`fit: validation ${o.validation} leaves an empty split of ${all.count} rows`);
    }
  } else if (o.validation !== undefined) {
    checkDataset(o.validation, 'fit: validation');
    val = o.validation as Dataset;
    checkCompatible(model, val, 'validation');
  }
  const es = o.earlyStopping;
  const monitor = es ? es.monitor ?? (val ? 'valLoss' : 'loss') : val ? 'valLoss' : 'loss';
  if (es && monitor.startsWith('val') && !val) {
    throw new RangeError(`fit: earlyStopping monitors '${monitor}' but there is no validation data`);
  }
  const batchSize = o.batchSize === 'full' ? train.count : o.batchSize;
  if (batchSize > train.count) {
    throw new RangeError(`fit: batchSize ${batchSize} is larger than the ${train.count} training rows (use 'full' for batch gradient descent)`);
  }
  const iters = o.dropLast ? Math.floor(train.count / batchSize) : Math.ceil(train.count / batchSize);
  const sched = resolveSchedule(o.schedule);
  if (o.resume) checkResumeFields(o.resume, { o, model, iters, batchSize, sched }); // before anything is made or written

  const disposers: Array<() => void> = [];
  const fail = (e: unknown): never => {
    for (const d of disposers.splice(0).reverse()) d();
    throw e;
  };
  let opt: Optimizer;
  if (o.optimizer instanceof Optimizer) {
    opt = o.optimizer;
    if (opt.isDisposed) throw new Error('fit: optimizer was disposed');
    if (opt.buffer !== model.buffer) throw new TypeError("fit: optimizer must be made on the model's buffer (sd.optimizer(name, { buffer: model.buffer }))");
  } else {
    const { name, ...rest } = o.optimizer;
    const own = createOptimizer(core, name, { ...rest, buffer: model.buffer });
    disposers.push(() => own.dispose());
    opt = own;
  }
  const cycles = sched?.momentumAt && sched.momentumAt(0) !== undefined;
  const cycleKey = cycles ? momentumKey(opt) : undefined;
  if (cycles && !cycleKey) {
    fail(new TypeError(`fit: the schedule cycles momentum but '${opt.name}' has neither momentum nor beta1; set cycleMomentum: false`));
  }
  let team: ParallelTeam | undefined;
  try {
    team = await parallel?.team(core, model, batchSize, o.workers);
  } catch (e) {
    fail(e);
  }
  // swa / ema / snapshots / lookahead: a hook at the step and epoch boundaries (averaging.ts).
  let averaging: FitAveraging | undefined;
  if (o.swa || o.ema || o.snapshots || o.lookahead) {
    try {
      averaging = new FitAveraging(core, model, opt, sched as ConstructorParameters<typeof FitAveraging>[3], o);
    } catch (e) {
      fail(e);
    }
    const avg = averaging!;
    disposers.push(() => avg.dispose());
    try {
      if (o.resume) avg.load(o.resume.averaging); // checks first; writes only the new averages
    } catch (e) {
      fail(e);
    }
  }
  const resume = o.resume;
  if (resume) {
    try {
      checkResume(resume, model, opt);
      opt.loadState(resume.optimizerState);
    } catch (e) {
      fail(e);
    }
  }
  const hooks: FitHook[] = [];
  if (averaging) hooks.push(averaging);
  const callbacks = callbackHook(o);
  if (callbacks) hooks.push(callbacks);

  const history: History = resume ? structuredClone(resume.history) : { epochs: [], iterations: [], stopReason: 'completed', steps: 0 };
  history.stopReason = 'completed';
  history.workers = team?.agents ?? 1;
  delete history.message;
  const tracker: TrackerState = resume ? { ...(resume.tracker as unknown as TrackerState) } : freshTracker();
  if (resume) {
    rng.state = resume.rngState;
    if (resume.schedule !== undefined && sched && 'state' in sched) sched.state = (resume.schedule as { state: unknown }).state;
  }
  let bestParams: Float32Array | undefined = resume?.bestParams ? Float32Array.from(resume.bestParams) : undefined;
  const keepBest = (es && es.restoreBest !== false) || o.divergence !== false;
  if (keepBest && !bestParams) bestParams = model.buffer.params.slice();

  let acc: Accumulator | undefined;
  let step: GradientStep = plainStep(model);
  try {
    if (o.accumulate > 1) {
      const a = (acc = new Accumulator(core, model, o.accumulate));
      disposers.push(() => a.free());
    }
    model.stage(batchSize); // size the scratch once
    if (team) {
      const s = (step = team.step(step));
      disposers.push(() => s.dispose());
    }
  } catch (e) {
    fail(e);
  }
  return {
    o, model, train, val, monitor, batchSize, iters, sched, rng, opt, cycleKey, hooks, averaging, acc, step, history, tracker, bestParams, keepBest, disposers,
    metricDriven: typeof sched?.observe === 'function',
    stepper: hooks.find((h) => h.step),
    epoch: resume ? resume.epoch : 0,
    startBatch: resume ? resume.batch : 0,
    lossSum: resume ? resume.epochLossSum : 0,
    rows: resume ? resume.epochRows : 0,
  };
}

function checkModel(model: unknown): asserts model is Model {
  const m = model as Model;
  if (!m || typeof m !== 'object' || typeof m.lossAndGradStaged !== 'function' || !m.buffer) {
    throw new TypeError(`fit: model must be made by sd.mlp(), got ${show(model)}`);
  }
  if (m.buffer.isDisposed) throw new Error('fit: model was disposed');
}

function checkCompatible(model: Model, d: Dataset, what: string): void {
  if (d.features !== model.inputs) {
    throw new RangeError(`fit: ${what} has ${d.features} features but the model's first layer takes ${model.inputs}`);
  }
  if (model.loss === 'softmaxCrossEntropy') {
    if (!(d.y instanceof Int32Array)) throw new TypeError(`fit: ${what}.y must be an Int32Array of labels for softmaxCrossEntropy`);
    const classes = d.classes ?? 0;
    if (classes > model.outputs) {
      throw new RangeError(`fit: ${what} has ${classes} classes but the model's last layer has ${model.outputs} outputs`);
    }
    for (let i = 0; i < d.y.length; i++) {
      if (d.y[i] < 0 || d.y[i] >= model.outputs) throw new RangeError(`fit: ${what}.y[${i}] = ${d.y[i]} is outside [0, ${model.outputs})`);
    }
  } else if (d.y instanceof Int32Array) {
    // Labels stage as one float per row: only a one-output BCE model reads them that way (as evaluate does).
    if (model.loss !== 'sigmoidBinaryCrossEntropy' || model.outputs !== 1) {
      const also = model.loss === 'sigmoidBinaryCrossEntropy' ? ', or a model with one output for labels in {0, 1}' : '';
      throw new TypeError(`fit: ${what}.y holds class labels (Int32Array), but ${model.loss} with ${model.outputs} outputs needs a Float32Array of count × ${model.outputs} targets (one-hot rows)${also}`);
    }
    for (let i = 0; i < d.y.length; i++) {
      if (d.y[i] !== 0 && d.y[i] !== 1) throw new RangeError(`fit: ${what}.y[${i}] = ${d.y[i]}: sigmoidBinaryCrossEntropy with one output takes labels in {0, 1}`);
    }
  } else if (d.y.length !== d.count * model.outputs) {
    throw new RangeError(`fit: ${what}.y has ${d.y.length} values, expected count × outputs = ${d.count * model.outputs}`);
  }
}

function checkResume(c: Checkpoint, model: Model, opt: Optimizer): void {
  if (!c || c.format !== 'simdescent-checkpoint/1') throw new TypeError('fit: resume must be a checkpoint from onCheckpoint');
  if (c.optimizerName !== opt.name) throw new Error(`fit: the checkpoint was made with optimizer '${c.optimizerName}', not '${opt.name}'`);
  // The architecture must match; the init seed need not (the checkpoint carries the params).
  const arch = (m: Record<string, unknown>) => JSON.stringify({ ...m, seed: undefined });
  if (arch(c.model) !== arch(model.toJSON())) {
    throw new Error(`fit: the checkpoint's model ${arch(c.model)} differs from this model ${arch(model.toJSON())}`);
  }
}
