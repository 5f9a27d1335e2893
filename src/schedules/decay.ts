// Monotone decays, each the closed form of a PyTorch scheduler that PyTorch itself computes
// recursively (each lr from the previous one): evaluating at t directly is what makes lrAt pure,
// and it reproduces PyTorch's recorded values within 1e-13 relative (fixtures README).
// step, multiStep and constant are piecewise constant and read floor(t); the rest take t as is.
import { parseOptions, range, show, type Spec } from '../options.js';
import { BaseSchedule, relation } from './base.js';

export const lrSpec = { type: 'number', check: range.nonNegative } as const;
/** lr where the schedule has nothing else to take it from. */
export const lrRequired = { ...lrSpec, required: true } as const;
const integerAtLeast1 = { type: 'integer', check: range.atLeast(1) } as const;

/** lr(t) = η. */
export class Constant extends BaseSchedule {
  static spec = { lr: lrRequired } satisfies Spec;
  constructor(options?: object) {
    super('constant', parseOptions('constant', Constant.spec, options));
  }
  protected at(): number {
    return this.options.lr;
  }
}

/** StepLR: η · gamma^⌊⌊t⌋/stepSize⌋. */
export class Step extends BaseSchedule {
  static spec = { lr: lrRequired, stepSize: { ...integerAtLeast1, required: true }, gamma: { type: 'number', default: 0.1, check: range.positive } } satisfies Spec;
  constructor(options?: object) {
    super('step', parseOptions('step', Step.spec, options));
  }
  protected at(t: number): number {
    const o = this.options;
    return o.lr * o.gamma ** Math.floor(Math.floor(t) / o.stepSize);
  }
}

/** MultiStepLR: η · gamma^(number of milestones ≤ ⌊t⌋). */
export class MultiStep extends BaseSchedule {
  static spec = {
    lr: lrRequired,
    milestones: { type: 'array', required: true },
    gamma: { type: 'number', default: 0.1, check: range.positive },
  } satisfies Spec;
  constructor(options?: object) {
    const o = parseOptions('multiStep', MultiStep.spec, options);
    checkMilestones('multiStep', o.milestones, true);
    super('multiStep', o);
  }
  protected at(t: number): number {
    const o = this.options;
    const step = Math.floor(t);
    let passed = 0;
    while (passed < o.milestones.length && o.milestones[passed] <= step) passed++;
    return o.lr * o.gamma ** passed;
  }
}

/** Milestones: numbers (TypeError), integers ≥ 0 or reals > 0 (RangeError), strictly increasing. */
export function checkMilestones(owner: string, m: unknown[], integers: boolean): void {
  m.forEach((v, i) => {
    if (typeof v !== 'number') throw new TypeError(`${owner}: milestones[${i}] must be a number, got ${show(v)}`);
    if (integers ? !Number.isInteger(v) || v < 0 : !Number.isFinite(v) || v <= 0) {
      throw new RangeError(`${owner}: milestones[${i}] must be ${integers ? 'an integer ≥ 0' : 'finite and > 0'}, got ${v}`);
    }
    if (i > 0 && v <= (m[i - 1] as number)) throw new RangeError(`${owner}: milestones must be strictly increasing, got ${show(m)}`);
  });
}

/**
 * ExponentialLR: η · gammaᵗ; with Keras's and Optax's options, u = (t − begin)/decaySteps
 * (⌊u⌋ with staircase), η · gamma^u from `begin` on (η before it), then clipped at lrEnd: a floor
 * when gamma < 1, a ceiling when gamma > 1 (Optax's end_value). Giant t: gamma^u underflows to 0
 * (or overflows to ∞) and the clip holds it at lrEnd; without lrEnd the lr reaches 0 (or ∞).
 */
export class Exponential extends BaseSchedule {
  static spec = {
    lr: lrRequired,
    gamma: { type: 'number', required: true, check: range.positive },
    decaySteps: { type: 'number', default: 1, check: range.positive },
    staircase: { type: 'boolean', default: false },
    begin: { type: 'number', default: 0, check: range.nonNegative },
    lrEnd: { type: 'number', check: range.nonNegative },
  } satisfies Spec;
  constructor(options?: object) {
    const o = parseOptions('exponential', Exponential.spec, options);
    if (o.lrEnd !== undefined) {
      relation('exponential', 'lrEnd', o.lrEnd, o.gamma < 1 ? o.lrEnd <= o.lr : o.lrEnd >= o.lr,
        o.gamma < 1 ? `must be ≤ lr (${o.lr}) when gamma < 1 (a floor)` : `must be ≥ lr (${o.lr}) when gamma ≥ 1 (a ceiling)`);
    }
    super('exponential', o);
  }
  protected at(t: number): number {
    const o = this.options;
    if (t <= o.begin) return o.lr; // Optax: decreased count ≤ 0 gives init_value
    let u = (t - o.begin) / o.decaySteps;
    if (o.staircase) u = Math.floor(u);
    const lr = o.lr * o.gamma ** u;
    if (o.lrEnd === undefined) return lr;
    return o.gamma < 1 ? Math.max(lr, o.lrEnd) : Math.min(lr, o.lrEnd);
  }
}

/** Inverse-time decay, Keras' InverseTimeDecay: η / (1 + decayRate·u), u = t/decaySteps (⌊t/decaySteps⌋ with staircase). */
export class InverseTime extends BaseSchedule {
  static spec = {
    lr: lrRequired,
    decayRate: { type: 'number', required: true, check: range.nonNegative },
    decaySteps: { type: 'number', default: 1, check: range.positive },
    staircase: { type: 'boolean', default: false },
  } satisfies Spec;
  constructor(options?: object) {
    super('inverseTime', parseOptions('inverseTime', InverseTime.spec, options));
  }
  protected at(t: number): number {
    const o = this.options;
    // The fixture is LambdaLR(lambda t: 1/(1 + decayRate*t/decaySteps)): η times that factor.
    if (o.staircase) return o.lr * (1 / (1 + o.decayRate * Math.floor(t / o.decaySteps)));
    return o.lr * (1 / (1 + (o.decayRate * t) / o.decaySteps));
  }
}

/**
 * PolynomialLR: η · (1 − min(t, totalIters)/totalIters)^power; with lrEnd (Keras PolynomialDecay's
 * end_learning_rate, Optax polynomial_schedule's end_value) lrEnd + (η − lrEnd)·(1 − p)^power.
 * cycle (Keras): past the horizon it stretches to the next multiple, T·⌈t/T⌉ (T at t = 0), so the lr
 * jumps back up and decays again to lrEnd; without cycle it holds lrEnd.
 */
export class Polynomial extends BaseSchedule {
  static spec = {
    lr: lrRequired,
    totalIters: { type: 'number', default: 5, check: range.atLeast(1) },
    power: { type: 'number', default: 1, check: range.nonNegative },
    lrEnd: { type: 'number', default: 0, check: range.nonNegative },
    cycle: { type: 'boolean', default: false },
  } satisfies Spec;
  constructor(options?: object) {
    super('polynomial', parseOptions('polynomial', Polynomial.spec, options));
  }
  protected at(t: number): number {
    const o = this.options;
    let T: number = o.totalIters;
    // max(1, …): Keras' multiplier is 1 at t = 0, and t/T can underflow to 0 for a tiny t > 0.
    if (o.cycle) T *= Math.max(1, Math.ceil(t / T));
    const f = (1 - Math.min(T, t) / T) ** o.power;
    return o.lrEnd === 0 ? o.lr * f : o.lrEnd + (o.lr - o.lrEnd) * f;
  }
}

/** LinearLR: η · (startFactor + (endFactor − startFactor)·min(t, totalIters)/totalIters). */
export class Linear extends BaseSchedule {
  static spec = {
    lr: lrRequired,
    // PyTorch 1.13.1 accepts startFactor 0 and then divides by zero on its second step.
    startFactor: { type: 'number', default: 1 / 3, check: (v: number) => (v > 0 && v <= 1 ? undefined : 'must be in (0, 1]') },
    endFactor: { type: 'number', default: 1, check: range.unitClosed },
    totalIters: { type: 'number', default: 5, check: range.atLeast(1) },
  } satisfies Spec;
  constructor(options?: object) {
    super('linear', parseOptions('linear', Linear.spec, options));
  }
  protected at(t: number): number {
    const o = this.options;
    if (t >= o.totalIters) return o.lr * o.endFactor;
    // max: with endFactor 0 the difference can round just below zero near the end.
    return o.lr * Math.max(0, o.startFactor + ((o.endFactor - o.startFactor) * t) / o.totalIters);
  }
}

