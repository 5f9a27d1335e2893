// sd.race({ data, model, optimizers, ... }): each optimizer trains the same architecture from
// the same initial params over the same batch order; validation curves against epochs and
// training wall time. An optimizer given `lr: 'find'` gets the LR finder's valley suggestion
// (steepest, then minimum/10 when there is no valley).
import type { Engine } from '../engine.js';
import type { Dataset } from '../data/index.js';
import type { Model } from '../models/model.js';
import type { MlpOptions } from '../models/mlp.js';
import { parseOptions, range, show, type Spec } from '../options.js';
import { now, optimizerEntry, withContext } from './common.js';
import { Batches, checkModelData, evaluate, holdOut, Random } from './loop.js';
import { lrFinder } from './lr-finder.js';

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
  options: Record<string, any>;
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

const SPEC: Spec = {
  data: { type: 'object' },
  model: { type: 'object' },
  optimizers: { type: 'array', check: (v) => (v.length ? undefined : 'must name at least one optimizer') },
  epochs: { type: 'integer', default: 5, check: range.atLeast(1) },
  batchSize: { type: 'any', default: 32 },
  validation: { type: 'any', default: 0.2 },
  seed: { type: 'integer', default: 0 },
};

export async function dataRace(engine: Engine, options: Record<string, any>): Promise<DataRaceResult> {
  const o = parseOptions('race', SPEC, options);
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
    model = engine.mlp(config as MlpOptions);
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
        engine.optimizer(entries[i].name, { size: 1, ...rest, ...(typeof lr === 'number' ? { lr } : {}) }).dispose();
      } catch (e) {
        withContext(`race: optimizers[${i}]`, e);
      }
    }

    const init = model.buffer.params.slice();
    const runs: DataRaceRun[] = [];
    for (const e of entries) {
      model.buffer.params.set(init);
      const { lr: lrGiven, ...rest } = e.options;
      let lr: number | undefined = typeof lrGiven === 'number' ? lrGiven : undefined;
      let lrFrom = lr !== undefined ? 'given' : 'default';
      if (lrGiven === 'find') {
        const found = await lrFinder(engine, model, train, { optimizer: { name: e.name, ...rest }, seed: o.seed, batchSize: Math.min(batchSize, train.count) });
        const pick = (['valley', 'steepest', 'minimum'] as const).find((k) => found.suggestions[k]);
        if (!pick) throw new RangeError(`race: the LR finder could not suggest an lr for ${e.name} (${found.notes.join('; ')}); give lr`);
        lr = found.suggestions[pick]!.lr;
        lrFrom = `lrFinder.${pick}`;
      }
      const opt = engine.optimizer(e.name, { buffer: model.buffer, ...rest, ...(lr !== undefined ? { lr } : {}) });
      try {
        const batches = new Batches(model, train, Math.min(batchSize, train.count), new Random(o.seed));
        const row = (epoch: number, loss: number, seconds: number): DataRaceEpoch => {
          const out: DataRaceEpoch = { epoch, loss, seconds };
          if (validation) {
            const v = evaluate(model, validation);
            out.valLoss = v.loss;
            if (v.accuracy !== undefined) out.valAccuracy = v.accuracy;
          }
          return out;
        };
        const epochs = [row(0, evaluate(model, train).loss, 0)];
        let seconds = 0;
        for (let ep = 1; ep <= o.epochs; ep++) {
          const t0 = now();
          let sum = 0, rows = 0;
          while (batches.epoch < ep) {
            const l = batches.step(opt);
            sum += l * batches.lastRows;
            rows += batches.lastRows;
          }
          seconds += (now() - t0) / 1000;
          epochs.push(row(ep, sum / rows, seconds));
          if (!Number.isFinite(sum)) break;
        }
        runs.push({ name: e.name, options: opt.options, lr: opt.lr, lrFrom, epochs });
      } finally {
        opt.dispose();
      }
    }
    return { model: model.toJSON(), epochs: o.epochs, batchSize, runs };
  } finally {
    model.dispose();
  }
}
