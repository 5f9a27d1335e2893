// Piecewise schedules over boundaries in t. `piecewiseConstant` is Optax's
// piecewise_constant_schedule (η times the product of the scales of the boundaries passed) or, with
// `values`, Keras' PiecewiseConstantDecay; `piecewiseInterpolate` is Optax's
// piecewise_interpolate_schedule: from η at t = 0 to η·s1 at b1, to η·s1·s2 at b2, …, linearly or
// along a half cosine, then the last value for good.
import { parseOptions, show, typed, type Spec } from '../options.js';
import { BaseSchedule } from './base.js';
import { lrRequired, lrSpec } from './decay.js';

/** Boundaries: numbers (TypeError), finite, ≥ 0 (> 0 when `positive`), strictly increasing (RangeError). */
function checkBoundaries(owner: string, b: unknown[], positive: boolean): void {
  b.forEach((v, i) => {
    if (typeof v !== 'number') throw new TypeError(`${owner}: boundaries[${i}] must be a number, got ${show(v)}`);
    if (!Number.isFinite(v) || (positive ? v <= 0 : v < 0)) throw new RangeError(`${owner}: boundaries[${i}] must be finite and ${positive ? '> 0' : '≥ 0'}, got ${v}`);
    if (i > 0 && v <= (b[i - 1] as number)) throw new RangeError(`${owner}: boundaries must be strictly increasing, got ${show(b)}`);
  });
}

/** Numbers ≥ 0, one per boundary (or `count`). */
function checkList(owner: string, key: string, v: unknown[], count: number, what: string): void {
  if (v.length !== count) throw new RangeError(`${owner}: ${key} must have ${what} (${count}), got ${v.length}`);
  v.forEach((x, i) => {
    if (typeof x !== 'number') throw new TypeError(`${owner}: ${key}[${i}] must be a number, got ${show(x)}`);
    if (!Number.isFinite(x) || x < 0) throw new RangeError(`${owner}: ${key}[${i}] must be finite and ≥ 0, got ${x}`);
  });
}

/** The value after each boundary: η, η·s1, η·s1·s2, … (Optax's cumulative product). */
const cumulative = (lr: number, scales: number[]) => scales.reduce((acc, s) => (acc.push(acc[acc.length - 1] * s), acc), [lr]);

/**
 * Piecewise constant. With `scales` (Optax): η·Π scales of the boundaries ≤ t. With `values`
 * (Keras): values[k] on the k-th interval. `boundaryValue` says which side a boundary belongs to:
 * 'after' (Optax, PyTorch's MultiStepLR: the new value from t = b on) or 'before' (Keras: t ≤ b
 * keeps the old one, the new value applies from t > b).
 */
export class PiecewiseConstant extends BaseSchedule {
  static spec = {
    lr: lrSpec,
    boundaries: typed<readonly number[]>()({ type: 'array', required: true }),
    scales: typed<readonly number[]>()({ type: 'array' }),
    values: typed<readonly number[]>()({ type: 'array' }),
    boundaryValue: { type: 'string', default: 'after', values: ['after', 'before'] as const },
  } satisfies Spec;
  private readonly levels: number[];

  constructor(options?: object) {
    const owner = 'piecewiseConstant';
    const o = parseOptions(owner, PiecewiseConstant.spec, options);
    checkBoundaries(owner, o.boundaries, false);
    const n = o.boundaries.length;
    if ((o.scales === undefined) === (o.values === undefined)) {
      throw new TypeError(`${owner}: give either scales (with lr; Optax) or values (Keras), not ${o.scales === undefined ? 'neither' : 'both'}`);
    }
    let levels: number[];
    if (o.values !== undefined) {
      checkList(owner, 'values', o.values, n + 1, 'one entry more than boundaries');
      if (o.lr !== undefined && o.lr !== o.values[0]) throw new RangeError(`${owner}: lr must equal values[0] (${o.values[0]}), got ${o.lr}`);
      o.lr = o.values[0];
      levels = [...o.values];
    } else {
      if (o.lr === undefined) throw new TypeError(`${owner}: missing option 'lr' (scales multiply it)`);
      checkList(owner, 'scales', o.scales, n, 'one entry per boundary');
      levels = cumulative(o.lr, o.scales);
    }
    super('piecewiseConstant', o);
    this.levels = levels;
  }

  protected at(t: number): number {
    const b: number[] = this.options.boundaries;
    const after = this.options.boundaryValue === 'after';
    let k = 0;
    while (k < b.length && (after ? b[k] <= t : b[k] < t)) k++;
    return this.levels[k];
  }
}

/**
 * Optax piecewise_interpolate_schedule: on [b_{k−1}, b_k) (b_{−1} = 0) from v_{k−1} to v_k with
 * pct = (t − b_{k−1})/(b_k − b_{k−1}): linear (v_k − v_{k−1})·pct + v_{k−1}, or cosine
 * v_k + (v_{k−1} − v_k)·(1 + cos(π·pct))/2; from the last boundary on, the last value. Rising
 * (scales > 1) and falling pieces mix freely.
 */
export class PiecewiseInterpolate extends BaseSchedule {
  static spec = {
    lr: lrRequired,
    boundaries: typed<readonly number[]>()({ type: 'array', required: true }),
    scales: typed<readonly number[]>()({ type: 'array', required: true }),
    interpolation: { type: 'string', default: 'linear', values: ['linear', 'cosine'] as const },
  } satisfies Spec;
  private readonly levels: number[];

  constructor(options?: object) {
    const owner = 'piecewiseInterpolate';
    const o = parseOptions(owner, PiecewiseInterpolate.spec, options);
    // > 0: a first piece [0, 0) would have zero length (Optax divides 0 by 0 there).
    checkBoundaries(owner, o.boundaries, true);
    checkList(owner, 'scales', o.scales, o.boundaries.length, 'one entry per boundary');
    super('piecewiseInterpolate', o);
    this.levels = cumulative(o.lr, o.scales);
  }

  protected at(t: number): number {
    const b: number[] = this.options.boundaries;
    const v = this.levels;
    let k = 0;
    while (k < b.length && b[k] <= t) k++;
    if (k === b.length) return v[k];
    const start = k === 0 ? 0 : b[k - 1];
    const pct = (t - start) / (b[k] - start);
    const [a, z] = [v[k], v[k + 1]];
    if (this.options.interpolation === 'linear') return (z - a) * pct + a;
    return z + ((a - z) / 2) * (Math.cos(Math.PI * pct) + 1);
  }
}
