// ReduceLROnPlateau: the one schedule driven by metrics instead of t. PyTorch's rules:
// a metric improves on the best one if it is < best·(1 − threshold) (min, rel), < best − threshold
// (min, abs), > best·(1 + threshold) (max, rel) or > best + threshold (max, abs). After more than
// `patience` non-improving observations the lr becomes max(lr·factor, lrMin) — kept only if that
// lowers it by more than eps — and the next `cooldown` observations count as neither.
// All of it is in `state`, plain data, so a checkpoint can carry it.
import { parseOptions, range, show, type Spec } from '../options.js';
import { BaseSchedule, relation } from './base.js';
import { lrRequired } from './decay.js';
import type { PlateauSchedule, PlateauState, ScheduleJSON } from './types.js';

const count = { type: 'integer', check: range.nonNegative } as const;

export class Plateau extends BaseSchedule implements PlateauSchedule {
  static spec = {
    lr: lrRequired,
    mode: { type: 'string', default: 'min', values: ['min', 'max'] as const },
    factor: { type: 'number', default: 0.1, check: range.unit },
    patience: { ...count, default: 10 },
    threshold: { type: 'number', default: 1e-4, check: range.nonNegative },
    thresholdMode: { type: 'string', default: 'rel', values: ['rel', 'abs'] as const },
    cooldown: { ...count, default: 0 },
    lrMin: { type: 'number', default: 0, check: range.nonNegative },
    eps: { type: 'number', default: 1e-8, check: range.nonNegative },
  } satisfies Spec;
  static stateSpec: Spec = {
    lr: lrRequired,
    best: { type: 'any', required: true },
    numBadEpochs: { ...count, required: true },
    cooldownCounter: { ...count, required: true },
    observations: { ...count, required: true },
  };

  readonly perEpochOnly = true as const;
  #lr: number;
  #best: number;
  #bad = 0;
  #cooldown = 0;
  #seen = 0;

  constructor(options?: object) {
    const o = parseOptions('plateau', Plateau.spec, options);
    relation('plateau', 'lrMin', o.lrMin, o.lrMin <= o.lr, `must be ≤ lr (${o.lr})`);
    super('plateau', o);
    this.#lr = o.lr;
    this.#best = this.worst;
  }

  private get worst(): number {
    return this.options.mode === 'min' ? Infinity : -Infinity;
  }

  /** The current lr, whatever t (the lr moves with observe, not with t). */
  protected at(): number {
    return this.#lr;
  }

  get lr(): number {
    return this.#lr;
  }

  get initialLr(): number {
    return this.options.lr;
  }

  private better(a: number, best: number): boolean {
    const { mode, thresholdMode: tm, threshold } = this.options;
    if (mode === 'min') return tm === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return tm === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  observe(metric: number): number {
    if (typeof metric !== 'number') throw new TypeError(`plateau.observe: metric must be a number, got ${show(metric)}`);
    if (Number.isNaN(metric)) throw new RangeError(`plateau.observe: metric must not be NaN, got ${metric}`);
    const o = this.options;
    this.#seen++;
    if (this.better(metric, this.#best)) {
      this.#best = metric;
      this.#bad = 0;
    } else {
      this.#bad++;
    }
    if (this.#cooldown > 0) {
      this.#cooldown--;
      this.#bad = 0;
    }
    if (this.#bad > o.patience) {
      const reduced = Math.max(this.#lr * o.factor, o.lrMin);
      if (this.#lr - reduced > o.eps) this.#lr = reduced;
      this.#cooldown = o.cooldown;
      this.#bad = 0;
    }
    return this.#lr;
  }

  get state(): PlateauState {
    const b = this.#best;
    return {
      lr: this.#lr,
      best: b === Infinity ? 'Infinity' : b === -Infinity ? '-Infinity' : b,
      numBadEpochs: this.#bad,
      cooldownCounter: this.#cooldown,
      observations: this.#seen,
    };
  }

  set state(s: PlateauState) {
    const v = parseOptions('plateau: state', Plateau.stateSpec, s);
    const best = v.best === 'Infinity' ? Infinity : v.best === '-Infinity' ? -Infinity : v.best;
    if (typeof best !== 'number' || Number.isNaN(best)) {
      throw new TypeError(`plateau: state: best must be a number, 'Infinity' or '-Infinity', got ${show(v.best)}`);
    }
    const o = this.options;
    relation('plateau: state', 'lr', v.lr, v.lr >= o.lrMin && v.lr <= o.lr, `must be in [lrMin, lr] = [${o.lrMin}, ${o.lr}]`);
    relation('plateau: state', 'cooldownCounter', v.cooldownCounter, v.cooldownCounter <= o.cooldown, `must be ≤ cooldown (${o.cooldown})`);
    this.#lr = v.lr;
    this.#best = best;
    this.#bad = v.numBadEpochs;
    this.#cooldown = v.cooldownCounter;
    this.#seen = v.observations;
  }

  /** Back to the state of a fresh schedule. */
  reset(): void {
    this.#lr = this.options.lr;
    this.#best = this.worst;
    this.#bad = this.#cooldown = this.#seen = 0;
  }

  toJSON(): ScheduleJSON {
    return { ...super.toJSON(), state: this.state };
  }
}
