// The small training loop the tools share: seeded epoch permutations, batches gathered
// straight into the model's WASM staging buffers, one fused forward/backward + one optimizer
// step per batch. The tools need per-step control (the LR finder sets the lr every batch and
// stops on divergence; the batch study stops on a time budget), so they drive this loop
// rather than sd.fit.
import { checkDataset, gatherRows, split, type Dataset } from '../data/index.js';
import type { Model } from '../models/model.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { show } from '../options.js';
import { Random } from '../random.js';
import { now } from './common.js';

/**
 * Validates `data` against `model` once (shape, finiteness, labels in range) by evaluating the
 * whole set; returns that evaluation so callers get the starting loss for free.
 */
export function checkModelData(where: string, model: Model, data: unknown, name = 'data'): { loss: number; accuracy?: number } {
  if (model === null || typeof model !== 'object' || typeof (model as Model).lossAndGradStaged !== 'function') {
    throw new TypeError(`${where}: model must be made by sd.mlp (or implement Model), got ${show(model)}`);
  }
  checkDataset(data, `${where}: ${name}`);
  const d = data as Dataset;
  if (d.features !== model.inputs) {
    throw new RangeError(`${where}: ${name} has ${d.features} features, the model takes ${model.inputs} inputs`);
  }
  try {
    return model.evaluate(d.x, d.y, d.count);
  } catch (e) {
    if (e instanceof TypeError) throw new TypeError(`${where}: ${name} does not fit the model: ${e.message}`);
    if (e instanceof RangeError) throw new RangeError(`${where}: ${name} does not fit the model: ${e.message}`);
    throw e;
  }
}

/** A fraction of `data` (seeded split) or a separate dataset; undefined/0 → none. */
export function holdOut(where: string, data: Dataset, validation: unknown, seed: number): { train: Dataset; validation?: Dataset } {
  if (validation === undefined || validation === 0) return { train: data };
  if (typeof validation === 'number') {
    if (!(validation > 0 && validation < 1)) throw new RangeError(`${where}: validation must be a fraction in [0, 1) or a dataset, got ${validation}`);
    const s = split(data, { validation, seed });
    return { train: s.train, validation: s.validation };
  }
  if (validation !== null && typeof validation === 'object') return { train: data, validation: validation as Dataset };
  throw new TypeError(`${where}: validation must be a fraction in [0, 1) or a dataset, got ${show(validation)}`);
}

/** Mean loss and the error the tools report: 1 − accuracy for classification, else the loss. */
export function evaluate(model: Model, data: Dataset): { loss: number; accuracy?: number; error: number } {
  const r = model.evaluate(data.x, data.y, data.count);
  return { ...r, error: r.accuracy !== undefined ? 1 - r.accuracy : r.loss };
}

/** Endless seeded mini-batches: a fresh permutation per epoch, the last short batch kept. */
export class Batches {
  private order: Uint32Array;
  private at = 0;
  /** Completed passes over the data. */
  epoch = 0;
  /** Rows of the batch staged last (the last batch of an epoch may be short). */
  lastRows = 0;

  constructor(private readonly model: Model, private readonly data: Dataset, readonly batchSize: number, private readonly rng: Random) {
    this.order = rng.permutation(data.count);
  }

  get batchesPerEpoch(): number {
    return Math.ceil(this.data.count / this.batchSize);
  }

  /** Fractional epochs done. */
  get progress(): number {
    return this.epoch + (this.at < this.data.count ? this.at / this.data.count : 0);
  }

  /** Stages the next batch into the model; returns its row count. */
  next(): number {
    if (this.at >= this.data.count) {
      this.order = this.rng.permutation(this.data.count);
      this.at = 0;
    }
    const n = Math.min(this.batchSize, this.data.count - this.at);
    const st = this.model.stage(n);
    gatherRows(this.data, this.order, this.at, this.at + n, st.x, st.y);
    this.at += n;
    this.lastRows = n;
    if (this.at >= this.data.count) this.epoch++;
    return n;
  }

  /** One optimizer step on the next batch; returns the batch's mean loss (before the step). */
  step(opt: Optimizer): number {
    const n = this.next();
    const loss = this.model.lossAndGradStaged(n);
    opt.step();
    return loss;
  }
}

/** Copies of params (and grads) to put back whatever happens. */
export function snapshot(model: Model): () => void {
  const p = model.buffer.params.slice();
  const g = model.buffer.grads.slice();
  return () => {
    model.buffer.params.set(p);
    model.buffer.grads.set(g);
  };
}

export { now, Random };
