// sd.batchStudy: the same initial params trained once per batch size, the lr scaled with the
// batch by a rule (Goyal et al., 2017, "Accurate, Large Minibatch SGD": linear; Krizhevsky,
// 2014 / Hoffer et al., 2017: sqrt), for the same budget of epochs or seconds. The same seed
// draws the batch order of every run. The model's params are put back afterwards. The runs
// train side by side (lockstep.ts): with workers, their passes share the threads; with any
// worker count the bits are those of training them one after another.
import type { Core } from '../core/core.js';
import { createMlp } from '../models/mlp.js';
import { createOptimizer } from '../optimizers/registry.js';
import type { Dataset } from '../data/index.js';
import type { Model } from '../models/model.js';
import { parseOptions, range, show, typed, type OptionsOf, type Spec } from '../options.js';
import type { OptimizerChoice } from '../optimizers/types.js';
import { Mlp } from '../models/mlp.js';
import type { Optimizer, OptimizerSettings } from '../optimizers/optimizer.js';
import { checkWorkers, optimizerEntry, withContext } from './common.js';
import { Lockstep, type Lane } from './lockstep.js';
import { Batches, checkModelData, evaluate, holdOut, Random, snapshot } from './loop.js';
import { held } from '../train/busy.js';

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
  /** The optimizer and the options given to it (lr aside: each run's is in runs). */
  optimizer: { name: string; options: OptimizerSettings };
  budget: { epochs: number } | { seconds: number };
  /** Validation error the summary's time-to-target refers to. */
  target: number;
  /** 'error' (1 − accuracy) or 'loss' (regression). */
  errorKind: 'error' | 'loss';
  runs: StudyRun[];
  summary: StudySummaryRow[];
}

const DEFAULT_SIZES = [8, 16, 32, 64, 128, 256, 512];

const SPEC = {
  batchSizes: typed<readonly number[]>()({ type: 'array', check: (v) => (v.length ? undefined : 'must hold at least one batch size') }),
  lrScaling: { type: 'string', default: 'linear', values: ['linear', 'sqrt', 'none'] as const },
  baseLr: { type: 'number', check: range.positive },
  baseBatchSize: { type: 'integer', default: 32, check: range.atLeast(1) },
  epochs: { type: 'number', check: range.positive },
  seconds: { type: 'number', check: range.positive },
  validation: typed<number | Dataset>()({ type: 'any', default: 0.2 }),
  targetError: { type: 'number', check: range.nonNegative },
  seed: { type: 'integer', default: 0 },
  optimizer: typed<OptimizerChoice>()({ type: 'any' }),
  workers: typed<number | 'auto'>()({ type: 'any' }),
} satisfies Spec;

/** The lr for `batchSize` under `rule`, from `baseLr` at `baseBatchSize`. */
export function scaledLr(rule: LrScaling, baseLr: number, baseBatchSize: number, batchSize: number): number {
  const k = batchSize / baseBatchSize;
  return rule === 'linear' ? baseLr * k : rule === 'sqrt' ? baseLr * Math.sqrt(k) : baseLr;
}

/** sd.batchStudy's options, from the spec above. */
export type BatchStudyOptions = OptionsOf<typeof SPEC>;

export async function batchStudy(core: Core, model: Model, data: Dataset, options?: BatchStudyOptions): Promise<BatchStudyResult> {
  return held('batchStudy', model, () => study(core, model, data, options));
}

async function study(core: Core, model: Model, data: any, options?: Record<string, any>): Promise<BatchStudyResult> {
  const o = parseOptions('batchStudy', SPEC, options);
  checkWorkers('batchStudy', o.workers);
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
    const probe = createOptimizer(core, entry.name, { size: 1, ...optOptions, ...(entryLr !== undefined ? { lr: entryLr } : {}) });
    baseLr = o.baseLr ?? probe.lr;
    probe.dispose();
  } catch (e) {
    withContext('batchStudy: optimizer', e);
  }
  const lrs = sizes.map((b) => scaledLr(o.lrScaling, baseLr, o.baseBatchSize, b));

  const restore = snapshot(model);
  const initial = model.buffer.params.slice();
  const lockstep = await Lockstep.make(core, o.workers, 'batchStudy');
  // An MLP is copied once per run so the runs can train side by side; another Model trains
  // its runs one after another on itself.
  const copies: Model[] = [];
  const opts: Optimizer[] = [];
  let runs: StudyRun[];
  try {
    const parallel = model instanceof Mlp && sizes.length > 1;
    const studies = sizes.map((b, k) => {
      let m = model;
      if (parallel) {
        const { kind: _kind, ...config } = model.toJSON();
        m = createMlp(core, config as any);
        copies.push(m);
      }
      m.buffer.params.set(initial);
      const opt = createOptimizer(core, entry.name, { buffer: m.buffer, ...optOptions, lr: lrs[k] });
      opts.push(opt);
      return new StudyLane(m, opt, train, validation, b, lrs[k], budget, o.seed);
    });
    if (parallel) await lockstep.run(studies);
    else {
      for (const s of studies) {
        s.model.buffer.params.set(initial);
        await lockstep.run([s]);
      }
    }
    runs = studies.map((s) => s.result());
  } finally {
    for (const opt of opts) opt.dispose();
    for (const m of copies) m.dispose();
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

/** One batch size's training (see lockstep.ts): evaluations at every epoch end and at the end. */
class StudyLane implements Lane {
  ms = 0;
  private readonly batches: Batches;
  private readonly curve: StudyPoint[];
  private steps = 0;
  private rows = 0;
  private lossSum = 0;
  private lossRows = 0;
  private epochBefore = 0;
  private done = false;

  constructor(
    readonly model: Model,
    private readonly opt: Optimizer,
    private readonly train: Dataset,
    private readonly validation: Dataset,
    private readonly batchSize: number,
    private readonly lr: number,
    private readonly budget: { epochs: number } | { seconds: number },
    seed: number,
  ) {
    this.batches = new Batches(model, train, batchSize, new Random(seed));
    const start = evaluate(model, validation);
    this.curve = [{ epoch: 0, seconds: 0, loss: evaluate(model, train).loss, valLoss: start.loss, valError: start.error }];
  }

  stage(): number {
    if (this.done) return 0;
    this.epochBefore = this.batches.epoch;
    return this.batches.next();
  }

  step(): void {
    this.opt.step();
  }

  record(loss: number): void {
    const n = this.batches.lastRows;
    this.steps++;
    this.rows += n;
    this.lossSum += loss * n;
    this.lossRows += n;
    const seconds = this.ms / 1000;
    const epochDone = this.batches.epoch > this.epochBefore;
    const outOfTime = 'seconds' in this.budget && seconds >= this.budget.seconds;
    this.done = ('epochs' in this.budget && this.batches.progress >= this.budget.epochs) || outOfTime || !Number.isFinite(loss);
    if (epochDone || this.done) {
      const v = evaluate(this.model, this.validation);
      this.curve.push({ epoch: this.batches.progress, seconds, loss: this.lossSum / this.lossRows, valLoss: v.loss, valError: v.error });
      this.lossSum = 0;
      this.lossRows = 0;
    }
  }

  result(): StudyRun {
    const seconds = this.ms / 1000;
    return { batchSize: this.batchSize, lr: this.lr, curve: this.curve, steps: this.steps, samplesPerSec: seconds > 0 ? this.rows / seconds : 0 };
  }
}
