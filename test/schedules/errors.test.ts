// Bad input to schedules: every case the issue lists, each message asserted (it names the option
// or argument and the value), and nothing changed by a call that throws.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sample, schedule, type Schedule } from '../../src/schedules/index.js';
import { throwsWith } from '../_helpers.js';

const Errors = suite('schedules/errors');
// A JavaScript caller (or JSON from a file): no types stand between it and the runtime checks
// tested here, most of which the types already make compile errors (test/types/consumer).
const loose = schedule as unknown as (name: unknown, options?: unknown) => Schedule;
const c = (lr?: number) => ({ schedule: 'constant', options: lr === undefined ? {} : { lr } });

Errors('names: unknown (with a suggestion) or not a string', () => {
  throwsWith(() => loose('cosin', {}), TypeError, "schedule: unknown schedule 'cosin'", "did you mean 'cosine'", 'known: constant, step');
  throwsWith(() => loose('sgdr', {}), TypeError, "unknown schedule 'sgdr'");
  throwsWith(() => loose(3 as any, {}), TypeError, 'schedule: name must be a string, got 3');
  throwsWith(() => loose('toString', {}), TypeError, "unknown schedule 'toString'");
});

Errors('options: unknown keys, wrong types, non-finite values, missing required ones', () => {
  throwsWith(() => loose('cosine', { lr: 0.1, tmax: 3 }), TypeError, "cosine: unknown option 'tmax'", "did you mean 'tMax'");
  throwsWith(() => loose('oneCycle', { lr: 0.1, lrMax: 0.1, totalSteps: 10 }), TypeError, "oneCycle: unknown option 'lr'");
  throwsWith(() => loose('cyclic', { lr: 0.1, lrMin: 0.01, lrMax: 0.1 }), TypeError, "cyclic: unknown option 'lr'");
  throwsWith(() => loose('cosine', 5 as any), TypeError, 'cosine: options must be an object, got 5');
  throwsWith(() => loose('cosine', { lr: '0.1', tMax: 3 }), TypeError, 'cosine: lr must be a number, got "0.1"');
  throwsWith(() => loose('oneCycle', { lrMax: 0.1, totalSteps: 10, threePhase: 1 }), TypeError, 'oneCycle: threePhase must be a boolean, got 1');
  throwsWith(() => loose('cyclic', { lrMin: 0.1, lrMax: 1, mode: 'triangle' }), RangeError, "cyclic: mode must be one of 'triangular', 'triangular2', 'expRange', got \"triangle\"");
  throwsWith(() => loose('oneCycle', { lrMax: 0.1, totalSteps: 10, annealStrategy: 'cosine' }), RangeError, "annealStrategy must be one of 'cos', 'linear'");
  throwsWith(() => loose('cosine', { lr: NaN, tMax: 3 }), RangeError, 'cosine: lr must be finite, got NaN');
  throwsWith(() => loose('exponential', { lr: 0.1, gamma: Infinity }), RangeError, 'exponential: gamma must be finite, got Infinity');
  throwsWith(() => loose('cosineWarmRestarts', { lr: 0.1, t0: 2, tMult: -Infinity }), RangeError, 'tMult must be finite, got -Infinity');
  throwsWith(() => loose('cosine', { lr: 0.1 }), TypeError, "cosine: missing option 'tMax'");
  throwsWith(() => loose('cosine', { tMax: 3 }), TypeError, "cosine: missing option 'lr'");
  throwsWith(() => loose('cosine'), TypeError, "cosine: missing option 'lr'");
  throwsWith(() => loose('oneCycle', { lrMax: 0.1 }), TypeError, "oneCycle: missing option 'totalSteps'");
  throwsWith(() => loose('cyclic', { lrMax: 0.1 }), TypeError, "cyclic: missing option 'lrMin'");
  throwsWith(() => loose('cosine', { lr: -0.1, tMax: 3 }), RangeError, 'cosine: lr must be ≥ 0, got -0.1');
});

Errors('SGDR: t0 < 1 or fractional, tMult < 1', () => {
  throwsWith(() => loose('cosineWarmRestarts', { lr: 0.1, t0: 0 }), RangeError, 'cosineWarmRestarts: t0 must be ≥ 1, got 0');
  throwsWith(() => loose('cosineWarmRestarts', { lr: 0.1, t0: 1.5 }), RangeError, 'cosineWarmRestarts: t0 must be an integer, got 1.5');
  throwsWith(() => loose('cosineWarmRestarts', { lr: 0.1, t0: 1, tMult: 0.5 }), RangeError, 'cosineWarmRestarts: tMult must be ≥ 1, got 0.5');
});

Errors('step sizes < 1; milestones not strictly increasing, negative or not numbers', () => {
  throwsWith(() => loose('step', { lr: 0.1, stepSize: 0 }), RangeError, 'step: stepSize must be ≥ 1, got 0');
  throwsWith(() => loose('step', { lr: 0.1, stepSize: 2.5 }), RangeError, 'step: stepSize must be an integer, got 2.5');
  throwsWith(() => loose('cyclic', { lrMin: 0.1, lrMax: 1, stepSizeUp: 0.5 }), RangeError, 'cyclic: stepSizeUp must be ≥ 1, got 0.5');
  throwsWith(() => loose('cyclic', { lrMin: 0.1, lrMax: 1, stepSizeDown: 0 }), RangeError, 'cyclic: stepSizeDown must be ≥ 1, got 0');
  throwsWith(() => loose('multiStep', { lr: 0.1, milestones: [3, 3] }), RangeError, 'multiStep: milestones must be strictly increasing, got [3, 3]');
  throwsWith(() => loose('multiStep', { lr: 0.1, milestones: [5, 2] }), RangeError, 'multiStep: milestones must be strictly increasing, got [5, 2]');
  throwsWith(() => loose('multiStep', { lr: 0.1, milestones: [-1] }), RangeError, 'multiStep: milestones[0] must be an integer ≥ 0, got -1');
  throwsWith(() => loose('multiStep', { lr: 0.1, milestones: [1, 2.5] }), RangeError, 'multiStep: milestones[1] must be an integer ≥ 0, got 2.5');
  throwsWith(() => loose('multiStep', { lr: 0.1, milestones: [3, 'a'] }), TypeError, 'multiStep: milestones[1] must be a number, got "a"');
  throwsWith(() => loose('multiStep', { lr: 0.1, milestones: 3 }), TypeError, 'multiStep: milestones must be an array, got 3');
});

Errors('linear: startFactor ≤ 0 (PyTorch divides by zero) or > 1, endFactor outside [0, 1]', () => {
  throwsWith(() => loose('linear', { lr: 0.1, startFactor: 0 }), RangeError, 'linear: startFactor must be in (0, 1], got 0');
  throwsWith(() => loose('linear', { lr: 0.1, startFactor: -0.5 }), RangeError, 'linear: startFactor must be in (0, 1], got -0.5');
  throwsWith(() => loose('linear', { lr: 0.1, startFactor: 1.5 }), RangeError, 'linear: startFactor must be in (0, 1], got 1.5');
  throwsWith(() => loose('linear', { lr: 0.1, endFactor: 2 }), RangeError, 'linear: endFactor must be in [0, 1], got 2');
  throwsWith(() => loose('linear', { lr: 0.1, totalIters: 0 }), RangeError, 'linear: totalIters must be ≥ 1, got 0');
  throwsWith(() => loose('polynomial', { lr: 0.1, totalIters: 0.5 }), RangeError, 'polynomial: totalIters must be ≥ 1, got 0.5');
});

Errors('oneCycle: pctStart outside (0, 1), totalSteps < 1, momenta, three phases that overlap', () => {
  for (const p of [0, 1, 1.5, -0.1]) {
    throwsWith(() => loose('oneCycle', { lrMax: 0.1, totalSteps: 10, pctStart: p }), RangeError, `oneCycle: pctStart must be in (0, 1), got ${p}`);
  }
  throwsWith(() => loose('oneCycle', { lrMax: 0.1, totalSteps: 0.5 }), RangeError, 'oneCycle: totalSteps must be ≥ 1, got 0.5');
  throwsWith(() => loose('oneCycle', { lrMax: 0.1, totalSteps: 0 }), RangeError, 'oneCycle: totalSteps must be ≥ 1, got 0');
  throwsWith(() => loose('oneCycle', { lrMax: 0.1, totalSteps: 10, baseMomentum: 0.96 }), RangeError, 'oneCycle: baseMomentum must be ≤ maxMomentum (0.95), got 0.96');
  throwsWith(() => loose('oneCycle', { lrMax: 0.1, totalSteps: 10, maxMomentum: 1 }), RangeError, 'oneCycle: maxMomentum must be in [0, 1), got 1');
  throwsWith(() => loose('oneCycle', { lrMax: 0.1, totalSteps: 10, divFactor: 0 }), RangeError, 'oneCycle: divFactor must be > 0, got 0');
  throwsWith(() => loose('oneCycle', { lrMax: 0.1, totalSteps: 10, pctStart: 0.6, threePhase: true }), RangeError, 'oneCycle: pctStart must be ≤ (totalSteps + 1)/(2·totalSteps) with threePhase, got 0.6');
  throwsWith(() => loose('cyclic', { lrMin: 0.1, lrMax: 1, baseMomentum: 0.95 }), RangeError, 'cyclic: baseMomentum must be ≤ maxMomentum (0.9), got 0.95');
  throwsWith(() => loose('cyclic', { lrMin: 0.1, lrMax: 1, mode: 'expRange', gamma: 1.01 }), RangeError, 'cyclic: gamma must be in (0, 1], got 1.01');
});

Errors('lrMin above lr (cosine, SGDR, plateau) or above lrMax (cyclic)', () => {
  throwsWith(() => loose('cosine', { lr: 0.1, tMax: 3, lrMin: 0.2 }), RangeError, 'cosine: lrMin must be ≤ lr (0.1), got 0.2');
  throwsWith(() => loose('cosineWarmRestarts', { lr: 0.1, t0: 3, lrMin: 0.2 }), RangeError, 'cosineWarmRestarts: lrMin must be ≤ lr (0.1), got 0.2');
  throwsWith(() => loose('plateau', { lr: 0.1, lrMin: 0.2 }), RangeError, 'plateau: lrMin must be ≤ lr (0.1), got 0.2');
  throwsWith(() => loose('cyclic', { lrMin: 0.2, lrMax: 0.1 }), RangeError, 'cyclic: lrMin must be ≤ lrMax (0.1), got 0.2');
});

Errors('plateau options: factor ≥ 1, fractional patience, bad modes', () => {
  throwsWith(() => loose('plateau', { lr: 0.1, factor: 1 }), RangeError, 'plateau: factor must be in [0, 1), got 1');
  throwsWith(() => loose('plateau', { lr: 0.1, patience: 1.5 }), RangeError, 'plateau: patience must be an integer, got 1.5');
  throwsWith(() => loose('plateau', { lr: 0.1, cooldown: -1 }), RangeError, 'plateau: cooldown must be ≥ 0, got -1');
  throwsWith(() => loose('plateau', { lr: 0.1, mode: 'minimum' }), RangeError, "plateau: mode must be one of 'min', 'max', got \"minimum\"");
  throwsWith(() => loose('plateau', { lr: 0.1, thresholdMode: 'relative' }), RangeError, "plateau: thresholdMode must be one of 'rel', 'abs'");
});

Errors('sequential: milestones that do not match its schedules, children that are wrong', () => {
  throwsWith(() => loose('sequential', { lr: 0.1, schedules: [c()], milestones: [3] }), RangeError, 'sequential: milestones must have one entry per schedule after the first (0), got [3]');
  throwsWith(() => loose('sequential', { lr: 0.1, schedules: [c(), c()] }), RangeError, 'sequential: milestones must have one entry per schedule after the first (1), got []');
  throwsWith(() => loose('sequential', { lr: 0.1, schedules: [c(), c(), c()], milestones: [3, 2] }), RangeError, 'sequential: milestones must be strictly increasing, got [3, 2]');
  throwsWith(() => loose('sequential', { lr: 0.1, schedules: [c(), c()], milestones: [0] }), RangeError, 'sequential: milestones[0] must be finite and > 0, got 0');
  throwsWith(() => loose('sequential', { lr: 0.1, schedules: [] }), RangeError, 'sequential: schedules must hold at least one schedule, got []');
  throwsWith(() => loose('sequential', { lr: 0.1 }), TypeError, "sequential: missing option 'schedules'");
  throwsWith(() => loose('sequential', { lr: 0.1, schedules: [c(), { schedule: 'cosine', options: {} }], milestones: [3] }), TypeError, "sequential: schedules[1]: cosine: missing option 'tMax'");
  throwsWith(() => loose('sequential', { lr: 0.1, schedules: [c(), { schedule: 'cosine', options: { tMax: -1 } }], milestones: [3] }), RangeError, 'sequential: schedules[1]: cosine: tMax must be > 0, got -1');
  throwsWith(() => loose('sequential', { lr: 0.1, schedules: [c(), { schedule: 'plateau', options: {} }], milestones: [3] }), RangeError, "sequential: schedules[1] cannot be 'plateau'");
  throwsWith(() => loose('sequential', { lr: 0.1, schedules: [c(), { schedule: 'cosin', options: {} }], milestones: [3] }), RangeError, 'sequential: schedules[1].schedule must be one of', 'got "cosin"');
  throwsWith(() => loose('sequential', { lr: 0.1, schedules: [c(0.2)] }), RangeError, 'sequential: schedules[0].options.lr must equal lr (0.1), got 0.2');
  throwsWith(() => loose('sequential', { lr: 0.1, schedules: ['constant'] }), TypeError, 'sequential: schedules[0] must be { schedule, options } or a schedule, got "constant"');
  throwsWith(() => loose('sequential', { lr: 0.1, schedules: [{ schedule: 'constant', opts: {} }] }), TypeError, "sequential: schedules[0] has unknown key 'opts'");
  throwsWith(() => loose('sequential', { lr: 0.1, schedules: [schedule('plateau', { lr: 0.1 })] }), RangeError, "sequential: schedules[0] cannot be 'plateau'");
});

Errors('warmup: warmupSteps ≤ 0, startFactor outside [0, 1], a missing or plateau child', () => {
  throwsWith(() => loose('warmup', { warmupSteps: 0, schedule: c(1) }), RangeError, 'warmup: warmupSteps must be > 0, got 0');
  throwsWith(() => loose('warmup', { warmupSteps: 2, startFactor: 1.5, schedule: c(1) }), RangeError, 'warmup: startFactor must be in [0, 1], got 1.5');
  throwsWith(() => loose('warmup', { warmupSteps: 2 }), TypeError, "warmup: missing option 'schedule'");
  throwsWith(() => loose('warmup', { warmupSteps: 2, schedule: { schedule: 'plateau', options: { lr: 1 } } }), RangeError, "warmup: schedule cannot be 'plateau'");
  throwsWith(() => loose('warmup', { lr: 1, warmupSteps: 2, schedule: c(2) }), RangeError, 'warmup: schedule.options.lr must equal lr (1), got 2');
});

Errors('lrAt and momentumAt: t < 0, non-finite or not a number', () => {
  const s = schedule('oneCycle', { lrMax: 0.1, totalSteps: 10 });
  for (const t of [-1, -1e-300, NaN, Infinity, -Infinity]) {
    throwsWith(() => s.lrAt(t), RangeError, `oneCycle.lrAt: t must be finite and ≥ 0, got ${t}`);
    throwsWith(() => s.momentumAt(t), RangeError, `oneCycle.momentumAt: t must be finite and ≥ 0, got ${t}`);
  }
  throwsWith(() => s.lrAt('1' as any), TypeError, 'oneCycle.lrAt: t must be a number, got "1"');
  throwsWith(() => schedule('cosineWarmRestarts', { lr: 1, t0: 1 }).cycleAt(-2), RangeError, 'cosineWarmRestarts.lrAt: t must be finite and ≥ 0, got -2');
  throwsWith(() => schedule('plateau', { lr: 1 }).lrAt(NaN), RangeError, 'plateau.lrAt: t must be finite and ≥ 0, got NaN');
  throwsWith(() => schedule('cyclic', { lrMin: 0, lrMax: 1 }).momentumAt(-1), RangeError, 'cyclic.momentumAt: t must be finite and ≥ 0, got -1');
});

Errors('observe: NaN or a non-number, and the plateau is unchanged', () => {
  const p = schedule('plateau', { lr: 1, patience: 0 });
  p.observe(1);
  const before = p.state;
  throwsWith(() => p.observe(NaN), RangeError, 'plateau.observe: metric must not be NaN, got NaN');
  throwsWith(() => p.observe('2' as any), TypeError, 'plateau.observe: metric must be a number, got "2"');
  assert.equal(p.state, before);
});

Errors('plateau state: bad values are rejected and change nothing', () => {
  const p = schedule('plateau', { lr: 1, patience: 0, cooldown: 2, lrMin: 0.01 });
  p.observe(1);
  p.observe(2);
  const before = p.state;
  const bad: [object, Function, string][] = [
    [{ ...before, numBadEpochs: -1 }, RangeError, 'plateau: state: numBadEpochs must be ≥ 0, got -1'],
    [{ ...before, observations: 1.5 }, RangeError, 'plateau: state: observations must be an integer, got 1.5'],
    [{ ...before, best: 'x' }, TypeError, "plateau: state: best must be a number, 'Infinity' or '-Infinity', got \"x\""],
    [{ ...before, best: NaN }, TypeError, "best must be a number, 'Infinity' or '-Infinity', got NaN"],
    [{ ...before, lr: 2 }, RangeError, 'plateau: state: lr must be in [lrMin, lr] = [0.01, 1], got 2'],
    [{ ...before, lr: 0.001 }, RangeError, 'plateau: state: lr must be in [lrMin, lr] = [0.01, 1], got 0.001'],
    [{ ...before, cooldownCounter: 3 }, RangeError, 'plateau: state: cooldownCounter must be ≤ cooldown (2), got 3'],
    [{ ...before, extra: 1 }, TypeError, "plateau: state: unknown option 'extra'"],
    [{ lr: 1 }, TypeError, "plateau: state: missing option 'best'"],
  ];
  for (const [s, type, msg] of bad) {
    throwsWith(() => (p.state = s as any), type, msg);
    assert.equal(p.state, before);
  }
});

Errors('fromJSON: not an object, unknown keys, unknown names, state on a schedule without one', () => {
  throwsWith(() => schedule.fromJSON('cosine'), TypeError, 'schedule.fromJSON: data must be an object, got "cosine"');
  throwsWith(() => schedule.fromJSON(null), TypeError, 'schedule.fromJSON: data must be an object, got null');
  throwsWith(() => schedule.fromJSON({ name: 'step', options: {}, extra: 1 }), TypeError, "schedule.fromJSON: unknown key 'extra'");
  throwsWith(() => schedule.fromJSON({ name: 'stp', options: {} }), TypeError, "schedule: unknown schedule 'stp'", "did you mean 'step'");
  throwsWith(() => schedule.fromJSON({ options: {} }), TypeError, 'schedule: name must be a string, got undefined');
  throwsWith(() => schedule.fromJSON({ name: 'step', options: [1] }), TypeError, 'schedule.fromJSON: options must be an object, got [1]');
  throwsWith(() => schedule.fromJSON({ name: 'step', options: { lr: 1, stepSize: 2 }, state: {} }), TypeError, "schedule.fromJSON: state belongs to plateau, not 'step'");
  const p = schedule('plateau', { lr: 1 }).toJSON();
  throwsWith(() => schedule.fromJSON({ ...p, state: { ...p.state, numBadEpochs: -2 } }), RangeError, 'plateau: state: numBadEpochs must be ≥ 0, got -2');
});

Errors('sample: not a schedule, bad step counts, bad start/stride', () => {
  const s = schedule('constant', { lr: 1 });
  throwsWith(() => sample({} as any, 3), TypeError, 'sample: s must be a schedule, got [object Object]');
  throwsWith(() => sample(s, 1.5), RangeError, 'sample: steps must be an integer ≥ 0, got 1.5');
  throwsWith(() => sample(s, -1), RangeError, 'sample: steps must be an integer ≥ 0, got -1');
  throwsWith(() => sample(s, '3' as any), TypeError, 'sample: steps must be a number, got "3"');
  throwsWith(() => sample(s, 3, { stride: 0 }), RangeError, 'sample: stride must be > 0, got 0');
  throwsWith(() => sample(s, 3, { start: -1 }), RangeError, 'sample: start must be ≥ 0, got -1');
  throwsWith(() => sample(s, 3, { step: 1 } as any), TypeError, "sample: unknown option 'step'");
});

Errors.run();
