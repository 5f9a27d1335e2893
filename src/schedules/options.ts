// Each schedule's public option type, derived from the static spec its constructor validates with,
// so the type and the runtime check cannot drift.
import type { OptionsOf } from '../options.js';
import type { Product, Sequential, Swalr, Warmup } from './composite.js';
import type { Cosine, CosineWarmRestarts } from './cosine.js';
import type { Cyclic, OneCycle } from './cyclic.js';
import type { Constant, Exponential, InverseTime, Linear, MultiStep, Polynomial, Step } from './decay.js';
import type { PiecewiseConstant, PiecewiseInterpolate } from './piecewise.js';
import type { Plateau } from './plateau.js';

/** Name → that schedule's options (`ScheduleOptions['cosineWarmRestarts']`); names as docs/schedules.md. */
export interface ScheduleOptions {
  constant: OptionsOf<typeof Constant.spec>;
  step: OptionsOf<typeof Step.spec>;
  multiStep: OptionsOf<typeof MultiStep.spec>;
  exponential: OptionsOf<typeof Exponential.spec>;
  inverseTime: OptionsOf<typeof InverseTime.spec>;
  polynomial: OptionsOf<typeof Polynomial.spec>;
  linear: OptionsOf<typeof Linear.spec>;
  cosine: OptionsOf<typeof Cosine.spec>;
  cosineWarmRestarts: OptionsOf<typeof CosineWarmRestarts.spec>;
  cyclic: OptionsOf<typeof Cyclic.spec>;
  oneCycle: OptionsOf<typeof OneCycle.spec>;
  sequential: OptionsOf<typeof Sequential.spec>;
  warmup: OptionsOf<typeof Warmup.spec>;
  plateau: OptionsOf<typeof Plateau.spec>;
  product: OptionsOf<typeof Product.spec>;
  piecewiseConstant: OptionsOf<typeof PiecewiseConstant.spec>;
  piecewiseInterpolate: OptionsOf<typeof PiecewiseInterpolate.spec>;
  swalr: OptionsOf<typeof Swalr.spec>;
}
