// sd.race({ data, model, optimizers, ... }): each optimizer trains the same architecture from
// the same initial params over the same batch order; validation curves against epochs and
// training wall time. An optimizer given `lr: 'find'` gets the LR finder's valley suggestion
// (steepest, then minimum/10 when there is no valley). The runs train side by side
// (lockstep.ts): with workers their passes share the threads, and any worker count gives the
// bits of training them one after another; each run's seconds count its own work.
import type { Core } from '../core/core.js';
import { createMlp } from '../models/mlp.js';
import { createOptimizer } from '../optimizers/registry.js';
import type { Dataset } from '../data/index.js';
import type { Model } from '../models/model.js';
import type { MlpOptions } from '../models/mlp.js';
import { parseOptions, range, show, typed, type OptionsOf, type Spec } from '../options.js';
import type { OptimizerName, OptimizerOptions } from '../optimizers/types.js';
import type { Optimizer, OptimizerSettings } from '../optimizers/optimizer.js';
import { checkWorkers, optimizerEntry, withContext } from './common.js';
import { Lockstep, type Lane } from './lockstep.js';
import { Batches, checkModelData, evaluate, holdOut, Random } from './loop.js';
import { lrFinder } from './lr-finder.js';
import { checkIdle } from '../train/busy.js';

export interface DataRaceEpoch {
  epoch: number;
  /** Mean training loss over the epoch's batches (epoch 0: the init's loss on the training rows). */
  loss: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Training wall time so far, seconds (evaluation excluded). */
  seconds: number;
}

export interface DataRaceRun {
  name: string;
  options: OptimizerSettings;
  lr: number;
  /** Where the lr came from: 'given', 'default' or the LR finder's suggestion name. */
  lrFrom: string;
  epochs: DataRaceEpoch[];
}

export interface DataRaceResult {
  model: Record<string, unknown>;
  epochs: number;
  batchSize: number;
  runs: DataRaceRun[];
}

/** A racer on data: a name, or a name with options where `lr: 'find'` asks the LR finder. */
export type DataRacer = OptimizerName | { [N in OptimizerName]: { name: N; lr?: number | 'find' } & Omit<OptimizerOptions[N], 'lr'> }[OptimizerName];

const SPEC = {
  data: typed<Dataset>()({ type: 'object' }),
  /** An MLP config (as sd.mlp takes) or a model from sd.mlp, whose current params every run starts from. */
  model: typed<MlpOptions | Model>()({ type: 'object' }),
  optimizers: typed<readonly DataRacer[]>()({ type: 'array', check: (v) => (v.length ? undefined : 'must name at least one optimizer') }),
  epochs: { type: 'integer', default: 5, check: range.atLeast(1) },
  batchSize: typed<number | 'full'>()({ type: 'any', default: 32 }),
  validation: typed<number | Dataset>()({ type: 'any', default: 0.2 }),
  seed: { type: 'integer', default: 0 },
  workers: typed<number | 'auto'>()({ type: 'any' }),
} satisfies Spec;

/** sd.race's options on a dataset (data and model required), from the spec above. */
export type DataRaceOptions = OptionsOf<typeof SPEC> & { data: Dataset; model: MlpOptions | Model };

export async function dataRace(core: Core, options: DataRaceOptions): Promise<DataRaceResult> {
  checkIdle('race', (options as { model?: unknown } | null)?.model);
  const o = parseOptions('race', SPEC, options);
  checkWorkers('race', o.workers);
  if (o.model === undefined) throw new TypeError("race: model is required with data, e.g. model: { layers: [64, 32, 10] } or a model from sd.mlp");
  const entries = (o.optimizers ?? ['sgd', 'momentum', 'adam']).map((v: unknown, i: number) => optimizerEntry(`race: optimizers[${i}]`, v));

  // The model: a config (built here) or a Model whose current params are the common init.
  const given = typeof (o.model as Model).lossAndGradStaged === 'function' ? (o.model as Model) : undefined;
  let config: Record<string, any>;
  if (given) {
    const { kind: _kind, ...rest } = given.toJSON();
    config = rest;
  } else config = o.model;
  let model: Model;
  try {
    model = createMlp(core, config as MlpOptions);
  } catch (e) {
    withContext('race: model', e);
  }
  try {
    if (given) {
      if (given.buffer.size !== model.buffer.size) throw new TypeError('race: model must be an MLP made by sd.mlp');
      model.buffer.params.set(given.buffer.params);
    }
    checkModelData('race', model, o.data);
    const { train, validation } = holdOut('race', o.data as Dataset, o.validation, o.seed);
    if (validation && typeof o.validation === 'object') checkModelData('race', model, validation, 'validation');
    const batchSize = o.batchSize === 'full' ? train.count : o.batchSize;
    if (typeof batchSize !== 'number') throw new TypeError(`race: batchSize must be a number or 'full', got ${show(o.batchSize)}`);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`race: batchSize must be a positive integer or 'full', got ${batchSize}`);

    // Validate every optimizer's options before training any.
    for (let i = 0; i < entries.length; i++) {
      const { lr, ...rest } = entries[i].options;
      if (lr !== undefined && lr !== 'find' && typeof lr !== 'number') throw new TypeError(`race: optimizers[${i}].lr must be a number or 'find', got ${show(lr)}`);
      try {
        createOptimizer(core, entries[i].name, { size: 1, ...rest, ...(typeof lr === 'number' ? { lr } : {}) }).dispose();
      } catch (e) {
        withContext(`race: optimizers[${i}]`, e);
      }
    }

    const init = model.buffer.params.slice();
    // Each optimizer's lr first ('find' runs the LR finder from the common init).
    const lrs: { lr?: number; lrFrom: string }[] = [];
    for (const e of entries) {
      model.buffer.params.set(init);
      const { lr: lrGiven, ...rest } = e.options;
      if (lrGiven !== 'find') {
        lrs.push(typeof lrGiven === 'number' ? { lr: lrGiven, lrFrom: 'given' } : { lrFrom: 'default' });
        continue;
      }
      const found = await lrFinder(core, model, train, { optimizer: { name: e.name, ...rest }, seed: o.seed, batchSize: Math.min(batchSize, train.count), workers: o.workers });
      const pick = (['valley', 'steepest', 'minimum'] as const).find((k) => found.suggestions[k]);
      if (!pick) throw new RangeError(`race: the LR finder could not suggest an lr for ${e.name} (${found.notes.join('; ')}); give lr`);
      lrs.push({ lr: found.suggestions[pick]!.lr, lrFrom: `lrFinder.${pick}` });
    }
    model.buffer.params.set(init);
    const lockstep = await Lockstep.make(core, o.workers, 'race');
    const lanes: RaceLane[] = [];
    try {
      entries.forEach((e: { name: string; options: Record<string, any> }, i: number) => {
        const m = i === 0 ? model : createMlp(core, config as MlpOptions);
        m.buffer.params.set(init);
        const { lr: _lr, ...rest } = e.options;
        const lr = lrs[i].lr;
        const opt = createOptimizer(core, e.name, { buffer: m.buffer, ...rest, ...(lr !== undefined ? { lr } : {}) });
        lanes.push(new RaceLane(e.name, lrs[i].lrFrom, m, opt, train, validation, Math.min(batchSize, train.count), o.epochs, o.seed));
      });
      await lockstep.run(lanes);
    } finally {
      for (const lane of lanes) {
        lane.opt.dispose();
        if (lane.model !== model) lane.model.dispose();
      }
    }
    const runs: DataRaceRun[] = lanes.map((l) => l.result());
    return { model: model.toJSON(), epochs: o.epochs, batchSize, runs };
  } finally {
    model.dispose();
  }
}

/** One optimizer's training (see lockstep.ts): a row per epoch, evaluated at its end. */
class RaceLane implements Lane {
  ms = 0;
  private readonly batches: Batches;
  private readonly epochs: DataRaceEpoch[];
  private sum = 0;
  private rows = 0;
  private done = false;

  constructor(
    private readonly name: string,
    private readonly lrFrom: string,
    readonly model: Model,
    readonly opt: Optimizer,
    train: Dataset,
    private readonly validation: Dataset | undefined,
    batchSize: number,
    private readonly limit: number,
    seed: number,
  ) {
    this.batches = new Batches(model, train, batchSize, new Random(seed));
    this.epochs = [this.row(0, evaluate(model, train).loss)];
  }

  private row(epoch: number, loss: number): DataRaceEpoch {
    const out: DataRaceEpoch = { epoch, loss, seconds: this.ms / 1000 };
    if (this.validation) {
      const v = evaluate(this.model, this.validation);
      out.valLoss = v.loss;
      if (v.accuracy !== undefined) out.valAccuracy = v.accuracy;
    }
    return out;
  }

  stage(): number {
    return this.done ? 0 : this.batches.next();
  }

  step(): void {
    this.opt.step();
  }

  record(loss: number): void {
    this.sum += loss * this.batches.lastRows;
    this.rows += this.batches.lastRows;
    if (this.batches.epoch < this.epochs.length) return; // the epoch goes on
    this.epochs.push(this.row(this.batches.epoch, this.sum / this.rows));
    this.done = this.batches.epoch >= this.limit || !Number.isFinite(this.sum);
    this.sum = 0;
    this.rows = 0;
  }

  result(): DataRaceRun {
    return { name: this.name, options: this.opt.options, lr: this.opt.lr, lrFrom: this.lrFrom, epochs: this.epochs };
  }
}
