// The Keras 3 and Optax schedules, transcribed here from their documented formulas as plain
// float64 functions (independent of src/schedules), against the simdescent call that reproduces
// each (docs/schedules.md, "Coming from Keras, Optax or PyTorch"): step 0, exactly at and around
// every boundary, past the horizon, fractional steps and giant step counts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { schedule, type Schedule, type ScheduleOptions } from '../../src/schedules/index.js';
import { close, throwsWith } from '../_helpers.js';

const Peers = suite('schedules/peers');
const tol = { rtol: 1e-12, atol: 1e-15 };
const GIANT = [1e6, 2 ** 53, 1e15, 1e300];

/** Steps to compare: 0, each boundary and its neighbours (±1, ±0.5), past the horizon, giant counts. */
function points(boundaries: number[], horizon: number): number[] {
  const ts = new Set<number>([0, 0.25, 1, horizon, horizon + 1, 2 * horizon + 0.5, 10 * horizon]);
  for (const b of boundaries) for (const d of [-1, -0.5, 0, 0.5, 1]) if (b + d >= 0) ts.add(b + d);
  return [...ts].sort((a, b) => a - b);
}

function same(name: string, s: Schedule, peer: (t: number) => number, ts: number[]): void {
  close(ts.map((t) => s.lrAt(t)), ts.map(peer), { ...tol, what: name });
}

// --- Keras 3 (keras.optimizers.schedules) ---

const kerasExponential = (init: number, decaySteps: number, rate: number, staircase: boolean) => (step: number) => {
  let p = step / decaySteps;
  if (staircase) p = Math.floor(p);
  return init * rate ** p;
};

const kerasInverseTime = (init: number, decaySteps: number, rate: number, staircase: boolean) => (step: number) => {
  let p = step / decaySteps;
  if (staircase) p = Math.floor(p);
  return init / (1 + rate * p);
};

const kerasPolynomial = (init: number, decaySteps: number, end: number, power: number, cycle: boolean) => (step: number) => {
  let ds = decaySteps;
  let s = step;
  if (cycle) ds = ds * (step === 0 ? 1 : Math.ceil(step / decaySteps));
  else s = Math.min(step, decaySteps);
  return (init - end) * (1 - s / ds) ** power + end;
};

const kerasCosine = (init: number, decaySteps: number, alpha: number, warmupTarget?: number, warmupSteps = 0) => (step: number) => {
  const decay = (s: number, peak: number) => {
    const cf = Math.min(s, decaySteps) / decaySteps;
    return ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * cf)) + alpha) * peak;
  };
  if (warmupTarget === undefined) return decay(step, init);
  if (step < warmupSteps) return (warmupTarget - init) * (step / warmupSteps) + init;
  return decay(step - warmupSteps, warmupTarget);
};

/** CosineDecayRestarts; Keras finds the restart with a float log, exact here for the steps used. */
const kerasRestarts = (init: number, first: number, tMul: number, mMul: number, alpha: number) => (step: number) => {
  let cf = step / first;
  let i: number;
  if (tMul === 1) {
    i = Math.floor(cf);
    cf -= i;
  } else {
    i = Math.floor(Math.log(1 - cf * (1 - tMul)) / Math.log(tMul));
    const sum = (1 - tMul ** i) / (1 - tMul);
    cf = (cf - sum) / tMul ** i;
  }
  const cosine = 0.5 * mMul ** i * (1 + Math.cos(Math.PI * cf));
  return init * ((1 - alpha) * cosine + alpha);
};

const kerasPiecewise = (boundaries: number[], values: number[]) => (step: number) => {
  for (let i = 0; i < boundaries.length; i++) if (step <= boundaries[i]) return values[i];
  return values[values.length - 1];
};

// --- Optax (optax.schedules) ---

const optaxExponential = (init: number, steps: number, rate: number, begin = 0, staircase = false, end?: number) => (count: number) => {
  const dec = count - begin;
  let p = dec / steps;
  if (staircase) p = Math.floor(p);
  let v = dec <= 0 ? init : init * rate ** p;
  if (end !== undefined) v = rate < 1 ? Math.max(v, end) : Math.min(v, end);
  return v;
};

const optaxPolynomial = (init: number, end: number, power: number, steps: number) => (count: number) => {
  const c = Math.min(Math.max(count, 0), steps);
  return (init - end) * (1 - c / steps) ** power + end;
};

const optaxCosine = (init: number, decaySteps: number, alpha = 0, exponent = 1) => (count: number) => {
  const c = Math.min(count, decaySteps);
  const cosine = 0.5 * (1 + Math.cos((Math.PI * c) / decaySteps));
  return init * ((1 - alpha) * cosine ** exponent + alpha);
};

const optaxWarmupCosine = (init: number, peak: number, warmup: number, decaySteps: number, end = 0, exponent = 1) => (count: number) => {
  if (count < warmup) return (init - peak) * (1 - count / warmup) + peak; // linear_schedule
  return optaxCosine(peak, decaySteps - warmup, end / peak, exponent)(count - warmup);
};

const optaxPiecewiseConstant = (init: number, bs: Array<[number, number]>) => (count: number) => {
  let v = init;
  for (const [b, s] of bs) if (count >= b) v *= s;
  return v;
};

const optaxInterpolate = (type: 'linear' | 'cosine', init: number, bs: Array<[number, number]>) => (count: number) => {
  const bounds = [0, ...bs.map(([b]) => b)];
  const values = [init];
  for (const [, s] of bs) values.push(values[values.length - 1] * s);
  for (let k = 0; k + 1 < bounds.length; k++) {
    if (bounds[k] <= count && count < bounds[k + 1]) {
      const pct = (count - bounds[k]) / (bounds[k + 1] - bounds[k]);
      const [a, z] = [values[k], values[k + 1]];
      return type === 'linear' ? (z - a) * pct + a : z + ((a - z) / 2) * (Math.cos(Math.PI * pct) + 1);
    }
  }
  return values[values.length - 1];
};

Peers('Keras ExponentialDecay, with and without staircase', () => {
  for (const staircase of [false, true]) {
    const s = schedule('exponential', { lr: 0.1, gamma: 0.5, decaySteps: 7, staircase });
    same(`staircase ${staircase}`, s, kerasExponential(0.1, 7, 0.5, staircase), [...points([7, 14, 21], 28), ...GIANT]);
  }
  assert.is(schedule('exponential', { lr: 0.1, gamma: 0.5 }).lrAt(1e300), 0); // underflow, no NaN
});

Peers('Optax exponential_decay: transition_begin, staircase, end_value as a floor and as a ceiling', () => {
  const cases: Array<[ScheduleOptions['exponential'], (t: number) => number]> = [
    [{ lr: 1, gamma: 0.9, decaySteps: 5, begin: 10, lrEnd: 0.2 }, optaxExponential(1, 5, 0.9, 10, false, 0.2)],
    [{ lr: 1, gamma: 0.9, decaySteps: 5, begin: 10, staircase: true, lrEnd: 0.2 }, optaxExponential(1, 5, 0.9, 10, true, 0.2)],
    [{ lr: 0.01, gamma: 1.5, decaySteps: 2, lrEnd: 1 }, optaxExponential(0.01, 2, 1.5, 0, false, 1)],
    [{ lr: 0.01, gamma: 1.5, decaySteps: 2, staircase: true, lrEnd: 1 }, optaxExponential(0.01, 2, 1.5, 0, true, 1)],
  ];
  for (const [o, peer] of cases) same(JSON.stringify(o), schedule('exponential', o), peer, [...points([10, 15, 20, 25], 60), ...GIANT]);
  assert.is(schedule('exponential', { lr: 1, gamma: 0.9, lrEnd: 0.2 }).lrAt(1e300), 0.2);
  assert.is(schedule('exponential', { lr: 0.01, gamma: 1.5, lrEnd: 1 }).lrAt(1e300), 1); // ∞ clipped to the ceiling
  throwsWith(() => schedule('exponential', { lr: 1, gamma: 0.9, lrEnd: 2 }), RangeError, 'exponential: lrEnd must be ≤ lr (1) when gamma < 1 (a floor), got 2');
  throwsWith(() => schedule('exponential', { lr: 1, gamma: 1.1, lrEnd: 0.5 }), RangeError, 'exponential: lrEnd must be ≥ lr (1) when gamma ≥ 1 (a ceiling), got 0.5');
});

Peers('Keras InverseTimeDecay, with and without staircase', () => {
  for (const staircase of [false, true]) {
    const s = schedule('inverseTime', { lr: 0.1, decayRate: 0.5, decaySteps: 10, staircase });
    same(`staircase ${staircase}`, s, kerasInverseTime(0.1, 10, 0.5, staircase), [...points([10, 20], 30), ...GIANT]);
  }
});

Peers('Keras PolynomialDecay (end value, any power, cycle) and Optax polynomial_schedule', () => {
  for (const [power, cycle] of [[1, false], [0.5, false], [2, true], [3.7, true]] as const) {
    const s = schedule('polynomial', { lr: 0.1, totalIters: 10, power, lrEnd: 0.001, cycle });
    same(`power ${power} cycle ${cycle}`, s, kerasPolynomial(0.1, 10, 0.001, power, cycle), [...points([10, 20, 30], 10), ...GIANT]);
  }
  same('optax', schedule('polynomial', { lr: 0.1, totalIters: 10, power: 2, lrEnd: 0.01 }), optaxPolynomial(0.1, 0.01, 2, 10), [...points([10], 10), ...GIANT]);
  // cycle: just past each horizon the lr jumps back up, exactly at it the lr is the end value.
  const c = schedule('polynomial', { lr: 0.1, totalIters: 10, lrEnd: 0.001, cycle: true });
  assert.is(c.lrAt(10), 0.001);
  assert.is(c.lrAt(20), 0.001);
  assert.ok(c.lrAt(10.5) > 0.04);
});

Peers('Keras CosineDecay (holds past decay_steps; warmup_target) and Optax cosine_decay_schedule with exponent', () => {
  const keras = schedule('cosine', { lr: 0.1, tMax: 20, lrMin: 0.1 * 0.05, hold: true });
  same('keras', keras, kerasCosine(0.1, 20, 0.05), [...points([20], 20), ...GIANT]);
  assert.is(keras.lrAt(1e300), 0.1 * 0.05); // lrMin exactly, held
  // PyTorch's form rises again past tMax; the held form does not.
  assert.ok(schedule('cosine', { lr: 0.1, tMax: 20 }).lrAt(30) > 0.04);
  const warm = schedule('warmup', { warmupSteps: 5, startFactor: 0.01 / 0.1, schedule: { schedule: 'cosine', options: { lr: 0.1, tMax: 20, lrMin: 0.1 * 0.05, hold: true } } });
  same('keras warmup_target', warm, kerasCosine(0.01, 20, 0.05, 0.1, 5), [...points([5, 25], 25), ...GIANT]);
  for (const exponent of [0.5, 2, 3]) {
    const s = schedule('cosine', { lr: 0.1, tMax: 20, lrMin: 0.1 * 0.1, exponent, hold: true });
    same(`optax exponent ${exponent}`, s, optaxCosine(0.1, 20, 0.1, exponent), [...points([20], 20), ...GIANT]);
  }
});

Peers('Optax warmup_cosine_decay_schedule with exponent and end value', () => {
  for (const [init, exponent] of [[0, 1], [1e-4, 2]] as const) {
    const s = schedule('warmup', {
      warmupSteps: 10, startFactor: init / 1e-2,
      schedule: { schedule: 'cosine', options: { lr: 1e-2, tMax: 90, lrMin: 1e-5, exponent, hold: true } },
    });
    same(`init ${init} exponent ${exponent}`, s, optaxWarmupCosine(init, 1e-2, 10, 100, 1e-5, exponent), [...points([10, 100], 100), ...GIANT]);
  }
});

Peers('Keras CosineDecayRestarts: t_mul and m_mul', () => {
  for (const [tMult, mMul] of [[1, 0.5], [2, 0.8], [2, 1], [3, 1.2]] as const) {
    const s = schedule('cosineWarmRestarts', { lr: 0.1, t0: 4, tMult, mMul, lrMin: 0.1 * 0.01 });
    const restarts = tMult === 1 ? [4, 8, 12] : [4, 4 + 4 * tMult, 4 + 4 * tMult + 4 * tMult * tMult];
    // Away from the restarts Keras' float log is exact; at them, simdescent lands on the new cycle's peak.
    const ts = points(restarts, 60).filter((t) => !restarts.includes(t));
    same(`tMult ${tMult} mMul ${mMul}`, s, kerasRestarts(0.1, 4, tMult, mMul, 0.01), ts);
    restarts.forEach((r, i) => close(s.lrAt(r), 0.001 + (0.1 - 0.001) * mMul ** (i + 1), { ...tol, what: `restart ${i + 1}` }));
  }
  assert.ok(Number.isFinite(schedule('cosineWarmRestarts', { lr: 0.1, t0: 4, tMult: 2, mMul: 0.5 }).lrAt(1e300)));
});

Peers('Optax piecewise_constant_schedule (scales) and Keras PiecewiseConstantDecay (values, boundary kept by the interval before it)', () => {
  const optax = schedule('piecewiseConstant', { lr: 0.1, boundaries: [5, 10, 20], scales: [0.5, 0.1, 2] });
  same('optax', optax, optaxPiecewiseConstant(0.1, [[5, 0.5], [10, 0.1], [20, 2]]), [...points([5, 10, 20], 20), ...GIANT]);
  const keras = schedule('piecewiseConstant', { boundaries: [5, 10], values: [1, 0.5, 0.1], boundaryValue: 'before' });
  same('keras', keras, kerasPiecewise([5, 10], [1, 0.5, 0.1]), [...points([5, 10], 10), ...GIANT]);
  assert.is(keras.lrAt(5), 1);
  assert.is(optax.lrAt(5), 0.05);
  throwsWith(() => schedule('piecewiseConstant', { lr: 1, boundaries: [5], scales: [0.5], values: [1, 2] }), TypeError, 'piecewiseConstant: give either scales (with lr; Optax) or values (Keras), not both');
  throwsWith(() => schedule('piecewiseConstant', { boundaries: [5], values: [1] }), RangeError, 'piecewiseConstant: values must have one entry more than boundaries (2), got 1');
  throwsWith(() => schedule('piecewiseConstant', { lr: 1, boundaries: [5, 5], scales: [1, 1] }), RangeError, 'piecewiseConstant: boundaries must be strictly increasing, got [5, 5]');
  throwsWith(() => schedule('piecewiseConstant', { boundaries: [5], scales: [0.5] }), TypeError, "piecewiseConstant: missing option 'lr' (scales multiply it)");
  throwsWith(() => schedule('piecewiseConstant', { lr: 1, boundaries: [5], scales: [-1] }), RangeError, 'piecewiseConstant: scales[0] must be finite and ≥ 0, got -1');
});

Peers('Optax piecewise_interpolate_schedule: linear and cosine, rising and falling', () => {
  const bs: Array<[number, number]> = [[10, 5], [30, 0.1], [40, 0.5]];
  for (const type of ['linear', 'cosine'] as const) {
    const s = schedule('piecewiseInterpolate', { lr: 0.02, boundaries: bs.map(([b]) => b), scales: bs.map(([, v]) => v), interpolation: type });
    same(type, s, optaxInterpolate(type, 0.02, bs), [...points([10, 30, 40], 40), 3.3, 17.77, ...GIANT]);
    close([s.lrAt(10), s.lrAt(30), s.lrAt(40)], [0.1, 0.01, 0.005], { ...tol, what: `${type} at the boundaries` });
  }
  throwsWith(() => schedule('piecewiseInterpolate', { lr: 1, boundaries: [0], scales: [2] }), RangeError, 'piecewiseInterpolate: boundaries[0] must be finite and > 0, got 0');
  throwsWith(() => schedule('piecewiseInterpolate', { lr: 1, boundaries: [3], scales: [] }), RangeError, 'piecewiseInterpolate: scales must have one entry per boundary (1), got 0');
});

Peers('product: factors built with lr 1, validated like any child', () => {
  const s = schedule('product', { lr: 0.1, schedules: [{ schedule: 'cosine', options: { tMax: 10 } }, { schedule: 'step', options: { stepSize: 3, gamma: 0.5 } }] });
  for (const t of [0, 2.5, 3, 7, 10, 1e15]) {
    close(s.lrAt(t), 0.1 * schedule('cosine', { lr: 1, tMax: 10 }).lrAt(t) * 0.5 ** Math.floor(Math.floor(t) / 3), { ...tol, what: `t=${t}` });
  }
  const again = schedule.fromJSON(JSON.parse(JSON.stringify(s)));
  assert.is(again.lrAt(7.5), s.lrAt(7.5));
  throwsWith(() => schedule('product', { lr: 0.1, schedules: [] }), RangeError, 'product: schedules must hold at least one schedule, got []');
  throwsWith(() => schedule('product', { lr: 0.1, schedules: [{ schedule: 'oneCycle', options: { lrMax: 1, totalSteps: 10 } }] }), RangeError, "product: schedules[0] must be a factor with an lr option (built with lr 1), got 'oneCycle'");
  throwsWith(() => schedule('product', { lr: 0.1, schedules: [{ schedule: 'cosine', options: { lr: 0.1, tMax: 5 } }] }), RangeError, 'product: schedules[0].options.lr must equal lr (1), got 0.1');
});

Peers('swalr: constant or child before start, cos/linear anneal, annealEpochs 0, fractional t', () => {
  const s = schedule('swalr', { lr: 0.1, swaLr: 0.02, annealEpochs: 4, annealStrategy: 'linear', start: 10 });
  close([0, 9.5, 10, 11, 12.5, 14, 100, 1e300].map((t) => s.lrAt(t)), [0.1, 0.1, 0.1, 0.08, 0.05, 0.02, 0.02, 0.02], { ...tol, what: 'linear' });
  const c = schedule('swalr', { swaLr: 0.05, annealEpochs: 5, start: 20, schedule: { schedule: 'cosine', options: { lr: 0.1, tMax: 40 } } });
  const lr0 = schedule('cosine', { lr: 0.1, tMax: 40 }).lrAt(20);
  for (const k of [0, 1, 2.5, 5, 6]) {
    const a = (1 - Math.cos(Math.PI * Math.min(1, k / 5))) / 2;
    close(c.lrAt(20 + k), 0.05 * a + lr0 * (1 - a), { ...tol, what: `k=${k}` });
  }
  assert.is(c.lrAt(19), schedule('cosine', { lr: 0.1, tMax: 40 }).lrAt(19));
  assert.is(c.baseLr, 0.1);
  assert.is(schedule('swalr', { lr: 0.1, swaLr: 0.02, annealEpochs: 0, start: 3 }).lrAt(3), 0.02);
  throwsWith(() => schedule('swalr', { swaLr: 0.1 }), TypeError, "swalr: missing option 'lr' (or a 'schedule' whose lr at start it anneals from)");
  // @ts-expect-error swaLr is required (the compiler says so too)
  throwsWith(() => schedule('swalr', { lr: 0.1 }), TypeError, "swalr: missing option 'swaLr'");
  throwsWith(() => schedule('swalr', { lr: 0.1, swaLr: 0.01, annealEpochs: 1.5 }), RangeError, 'swalr: annealEpochs must be an integer, got 1.5');
});

Peers.run();
