// Behaviour of each schedule beyond the fixtures: fractional t, SGDR's exact restarts (the epoch
// PyTorch's log gets wrong, epochs past 2^53, real tMult), cyclic and oneCycle modes and momentum
// against transliterated PyTorch, sequential/warmup composition, plateau's rules and state,
// toJSON/fromJSON, baseLr/initialLr, sample, isSchedule.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SCHEDULE_NAMES, isPlateau, isSchedule, sample, schedule, type PlateauSchedule, type PlateauState, type Schedule, type ScheduleName, type ScheduleOptions } from '../../src/schedules/index.js';

// A schedule named by data (a table below, as from a file): checked at run time only.
const byName = schedule as (name: ScheduleName, options: object) => Schedule;
import * as lib from '../../src/index.js';
import { close } from '../_helpers.js';
import { cyclicLR, oneCycleLR, plateauLR, recursive, sgdrSteps } from './_torch.js';

const tol = { rtol: 1e-12, atol: 1e-15 };
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const Decay = suite('schedules/decay');

Decay('closed forms match PyTorch’s recursive forms over long horizons and other options', () => {
  const cases: [ScheduleName, object, number][] = [
    ['step', { lr: 0.3, stepSize: 7, gamma: 0.7 }, 200],
    ['multiStep', { lr: 1, milestones: [0, 3, 50, 51, 120], gamma: 0.5 }, 200],
    ['exponential', { lr: 0.05, gamma: 0.99 }, 500],
    ['cosine', { lr: 0.1, tMax: 17, lrMin: 0.002 }, 120],
    ['cosine', { lr: 1, tMax: 1, lrMin: 0 }, 6],
    ['linear', { lr: 0.2, startFactor: 0.25, endFactor: 0.5, totalIters: 30 }, 60],
    ['linear', { lr: 0.2, startFactor: 1, endFactor: 0, totalIters: 10 }, 20],
    ['polynomial', { lr: 0.1, totalIters: 25, power: 0.5 }, 40],
  ];
  for (const [name, o, n] of cases) {
    const s = byName(name, o);
    close(range(n).map((t) => s.lrAt(t)), recursive(name, s.toJSON().options, n), { ...tol, what: `${name} ${JSON.stringify(o)}` });
  }
});

Decay('step, multiStep and constant read floor(t); the others take fractional t', () => {
  const st = schedule('step', { lr: 1, stepSize: 10, gamma: 0.5 });
  assert.is(st.lrAt(9.999), 1);
  assert.is(st.lrAt(10), 0.5);
  assert.is(st.lrAt(19.5), 0.5);
  const ms = schedule('multiStep', { lr: 1, milestones: [3], gamma: 0.1 });
  assert.is(ms.lrAt(2.9), 1);
  assert.is(ms.lrAt(3), 0.1);
  assert.is(schedule('constant', { lr: 0.25 }).lrAt(1e9 + 0.5), 0.25);
  close(schedule('exponential', { lr: 1, gamma: 0.81 }).lrAt(0.5), 0.9, tol);
  close(schedule('cosine', { lr: 1, tMax: 10 }).lrAt(5), 0.5, tol);
  close(schedule('cosine', { lr: 1, tMax: 10 }).lrAt(2.5), (1 + Math.cos(Math.PI / 4)) / 2, tol);
  close(schedule('inverseTime', { lr: 1, decayRate: 1, decaySteps: 2 }).lrAt(1), 1 / 1.5, tol);
  close(schedule('polynomial', { lr: 1, totalIters: 4, power: 2 }).lrAt(1), 0.5625, tol);
  close(schedule('linear', { lr: 1, startFactor: 0.5, totalIters: 4 }).lrAt(1), 0.625, tol);
  assert.is(schedule('linear', { lr: 1, startFactor: 0.5, totalIters: 4 }).lrAt(1000), 1);
  assert.is(schedule('polynomial', { lr: 1, totalIters: 4 }).lrAt(1000), 0);
});

Decay('cosine keeps following the cosine past tMax (period 2·tMax), as PyTorch does', () => {
  const s = schedule('cosine', { lr: 0.1, tMax: 10, lrMin: 0.01 });
  close(s.lrAt(15), s.lrAt(5), tol);
  close(s.lrAt(20), 0.1, tol);
  assert.is(s.lrAt(10), 0.01);
});

Decay.run();

const Sgdr = suite('schedules/cosineWarmRestarts');

Sgdr('integer steps match PyTorch’s T_cur stepping, integer and real tMult', () => {
  for (const o of [
    { lr: 0.1, t0: 1, tMult: 1, lrMin: 0 },
    { lr: 0.1, t0: 3, tMult: 1, lrMin: 0.01 },
    { lr: 0.1, t0: 2, tMult: 3, lrMin: 0.001 },
    { lr: 0.5, t0: 5, tMult: 2, lrMin: 0 },
    { lr: 0.1, t0: 1, tMult: 1.5, lrMin: 0 },
    { lr: 0.1, t0: 4, tMult: 1.25, lrMin: 0.003 },
  ]) {
    const s = schedule('cosineWarmRestarts', o);
    close(range(300).map((t) => s.lrAt(t)), sgdrSteps(o, 300), { rtol: 1e-12, atol: 1e-15, what: JSON.stringify(o) });
  }
});

Sgdr('t0 = 2, tMult = 3: epoch 242 starts cycle 5 (PyTorch’s log puts it at the end of cycle 4)', () => {
  const s = schedule('cosineWarmRestarts', { lr: 0.1, t0: 2, tMult: 3, lrMin: 0.001 });
  // Restarts at 2·(3ⁿ − 1)/2 = 3ⁿ − 1: 2, 8, 26, 80, 242, 728, …
  assert.equal(s.cycleAt(242), { index: 5, start: 242, length: 486, position: 0 });
  assert.is(s.lrAt(242), 0.1);
  assert.ok(s.lrAt(241.999999) < 0.0010001, `just before: ${s.lrAt(241.999999)}`);
  close(s.lrAt(242 + 243), 0.0505, tol);
  for (let n = 1; n <= 33; n++) {
    const restart = 3 ** n - 1;
    assert.is(s.lrAt(restart), 0.1, `restart ${n} at ${restart}`);
    assert.is(s.cycleAt(restart).index, n);
    assert.is(s.cycleAt(restart - 1).index, n - 1);
  }
});

Sgdr('restarts where a floating log in JavaScript lands one cycle short (t0 = 1, tMult = 10)', () => {
  const naive = (e: number) => Math.floor(Math.log((e / 1) * 9 + 1) / Math.log(10));
  assert.is(naive(111), 2, 'the naive log really is wrong here, so this test bites');
  const s = schedule('cosineWarmRestarts', { lr: 0.1, t0: 1, tMult: 10 });
  for (const e of [1, 11, 111, 1111, 11111, 111111, 1111111111, 111111111111111]) {
    assert.is(s.lrAt(e), 0.1, `restart at ${e}`);
    assert.is(s.cycleAt(e).position, 0);
  }
});

Sgdr('large epochs: past 2^53 the search runs in BigInt and agrees with the double path', () => {
  const s = schedule('cosineWarmRestarts', { lr: 1, t0: 1, tMult: 2, lrMin: 0 });
  // S(n) = 2ⁿ − 1. 2^53 − 1 is a restart (double path); 2^53 is one step into that cycle (BigInt path).
  assert.equal(s.cycleAt(2 ** 53 - 1), { index: 53, start: 2 ** 53 - 1, length: 2 ** 53, position: 0 });
  assert.equal(s.cycleAt(2 ** 53), { index: 53, start: 2 ** 53 - 1, length: 2 ** 53, position: 1 });
  assert.is(s.lrAt(2 ** 53 - 1), 1);
  close(s.lrAt(2 ** 53), (1 + Math.cos(Math.PI / 2 ** 53)) / 2, tol);
  // Three quarters into cycle 60: it starts at 2^60 − 1 and lasts 2^60.
  const c = s.cycleAt(2 ** 60 + 2 ** 59 + 2 ** 58);
  assert.is(c.index, 60);
  assert.is(c.position, 2 ** 59 + 2 ** 58 + 1);
  close(s.lrAt(2 ** 60 + 2 ** 59 + 2 ** 58), (1 + Math.cos((3 * Math.PI) / 4)) / 2, tol);
  const big = schedule('cosineWarmRestarts', { lr: 0.1, t0: 2, tMult: 3, lrMin: 0.001 });
  for (const e of [1e15, 2 ** 53 + 2, 1e20, 1e300, Number.MAX_VALUE]) {
    const lr = big.lrAt(e);
    assert.ok(lr >= 0.001 && lr <= 0.1, `lr ${lr} at ${e}`);
  }
});

Sgdr('real tMult: restarts at t0·(tMultⁿ − 1)/(tMult − 1), exactly lr there, lrMin just before', () => {
  const s = schedule('cosineWarmRestarts', { lr: 0.2, t0: 3, tMult: 1.7, lrMin: 0.01 });
  let start = 0, len = 3;
  for (let n = 0; n < 40; n++) {
    const c = s.cycleAt(start + len / 2);
    assert.is(c.index, n);
    close(c.start, start, { rtol: 1e-12, what: `start of cycle ${n}` });
    close(c.length, len, { rtol: 1e-12, what: `length of cycle ${n}` });
    assert.is(s.lrAt(c.start), 0.2);
    assert.is(s.cycleAt(c.start).index, n);
    close(s.lrAt(c.start + c.length / 2), 0.105, tol);
    if (n > 0) {
      const before = c.start - c.start * Number.EPSILON; // the double just below (or one more below)
      assert.is(s.cycleAt(before).index, n - 1);
      close(s.lrAt(before), 0.01, { rtol: 1e-9 });
    }
    start += len;
    len *= 1.7;
  }
});

Sgdr('fractional epochs inside a cycle follow the cosine (epoch + i/iters)', () => {
  const s = schedule('cosineWarmRestarts', { lr: 1, t0: 4, tMult: 2, lrMin: 0 });
  close(s.lrAt(4 + 2), 0.5 * (1 + Math.cos(Math.PI / 4)), tol);
  close(s.lrAt(1.25), 0.5 * (1 + Math.cos((Math.PI * 1.25) / 4)), tol);
});

Sgdr.run();

const Cyc = suite('schedules/cyclic');

Cyc('triangular, triangular2 and expRange, lr and momentum, against CyclicLR', () => {
  for (const o of [
    { lrMin: 0.001, lrMax: 0.01, stepSizeUp: 10, mode: 'triangular' as const },
    { lrMin: 0.001, lrMax: 0.01, stepSizeUp: 4, stepSizeDown: 9, mode: 'triangular2' as const },
    { lrMin: 0.01, lrMax: 0.1, stepSizeUp: 5, stepSizeDown: 3, mode: 'expRange' as const, gamma: 0.99, baseMomentum: 0.85, maxMomentum: 0.95 },
    { lrMin: 0, lrMax: 1, stepSizeUp: 2.5, mode: 'triangular' as const },
  ]) {
    const s = schedule('cyclic', o);
    for (let i = 0; i < 400; i++) {
      const t = i * 0.37;
      const [lr, m] = cyclicLR(o, t);
      close(s.lrAt(t), lr, { ...tol, what: `${o.mode} lr at ${t}` });
      close(s.momentumAt(t)!, m, { ...tol, what: `${o.mode} momentum at ${t}` });
    }
  }
});

Cyc('momentum runs opposite to the lr; cycleMomentum false gives undefined', () => {
  const s = schedule('cyclic', { lrMin: 0.1, lrMax: 1, stepSizeUp: 10 });
  assert.is(s.lrAt(0), 0.1);
  assert.is(s.momentumAt(0), 0.9);
  assert.is(s.lrAt(10), 1);
  assert.is(s.momentumAt(10), 0.8);
  const off = schedule('cyclic', { lrMin: 0.1, lrMax: 1, stepSizeUp: 10, cycleMomentum: false });
  assert.is(off.momentumAt(10), undefined);
  assert.is(off.lrAt(10), 1);
});

Cyc('triangular2 halves the height every cycle; expRange shrinks it by gammaᵗ', () => {
  const s = schedule('cyclic', { lrMin: 0, lrMax: 1, stepSizeUp: 5, mode: 'triangular2' as const });
  assert.equal([5, 15, 25, 35].map((t) => s.lrAt(t)), [1, 0.5, 0.25, 0.125]);
  const e = schedule('cyclic', { lrMin: 0, lrMax: 1, stepSizeUp: 5, mode: 'expRange' as const, gamma: 0.9 });
  close(e.lrAt(15), 0.9 ** 15, tol);
});

Cyc.run();

const One = suite('schedules/oneCycle');

One('two and three phases, cos and linear, lr and momentum, against OneCycleLR', () => {
  for (const o of [
    { lrMax: 0.1, totalSteps: 100 },
    { lrMax: 0.1, totalSteps: 100, annealStrategy: 'linear' as const },
    { lrMax: 1, totalSteps: 57, pctStart: 0.25, threePhase: true, divFactor: 10, finalDivFactor: 100 },
    { lrMax: 1, totalSteps: 40, pctStart: 0.4, threePhase: true, annealStrategy: 'linear' as const, baseMomentum: 0.8, maxMomentum: 0.99 },
    { lrMax: 0.01, totalSteps: 3, pctStart: 0.3 },
  ]) {
    const s = schedule('oneCycle', o);
    for (let i = 0; i <= 4 * (o.totalSteps - 1); i++) {
      const t = i / 4;
      const [lr, m] = oneCycleLR(o, t);
      close(s.lrAt(t), lr, { ...tol, what: `${JSON.stringify(o)} lr at ${t}` });
      close(s.momentumAt(t)!, m, { ...tol, what: `${JSON.stringify(o)} momentum at ${t}` });
    }
  }
});

One('shape: lrMax/divFactor → lrMax → min, momentum max → base → max; flat at min past totalSteps − 1', () => {
  const s = schedule('oneCycle', { lrMax: 1, totalSteps: 11, pctStart: 0.5, divFactor: 4, finalDivFactor: 5 });
  assert.is(s.lrAt(0), 0.25);
  assert.is(s.lrAt(4.5), 1);
  assert.is(s.momentumAt(4.5), 0.85);
  assert.is(s.lrAt(10), 0.05);
  assert.is(s.momentumAt(10), 0.95);
  assert.is(s.lrAt(10.5), 0.05);
  assert.is(s.lrAt(1e6), 0.05);
  assert.is(s.momentumAt(1e6), 0.95);
  assert.is(s.baseLr, 1);
  assert.is(s.initialLr, 0.25);
});

One('a zero-length first phase (pctStart·totalSteps = 1) is its end value, not 0/0', () => {
  const s = schedule('oneCycle', { lrMax: 0.5, totalSteps: 10, pctStart: 0.1 });
  assert.is(s.lrAt(0), 0.5);
  assert.ok(Number.isNaN(oneCycleLR({ lrMax: 0.5, totalSteps: 10, pctStart: 0.1 }, 0)[0]), 'PyTorch gives NaN here');
  assert.ok(s.lrAt(1) < 0.5);
});

One('cycleMomentum false: momentumAt is undefined', () => {
  assert.is(schedule('oneCycle', { lrMax: 0.1, totalSteps: 10, cycleMomentum: false }).momentumAt(3), undefined);
});

One.run();

const Comp = suite('schedules/sequential+warmup');

Comp('sequential: each child on its own clock from its milestone; outer lr fills children', () => {
  const s = schedule('sequential', {
    lr: 0.1,
    schedules: [{ schedule: 'constant', options: {} }, { schedule: 'exponential', options: { gamma: 0.5 } }, { name: 'step', options: { stepSize: 2, gamma: 0.1 } }],
    milestones: [3, 5],
  });
  assert.equal([0, 2.9, 3, 4, 4.5, 5, 6, 7].map((t) => s.lrAt(t)), [0.1, 0.1, 0.1, 0.05, 0.1 * 0.5 ** 1.5, 0.1, 0.1, 0.1 * 0.1]);
  assert.equal(s.toJSON().options, {
    lr: 0.1,
    schedules: [
      { schedule: 'constant', options: { lr: 0.1 } },
      { schedule: 'exponential', options: { lr: 0.1, gamma: 0.5, decaySteps: 1, staircase: false, begin: 0 } },
      { schedule: 'step', options: { lr: 0.1, stepSize: 2, gamma: 0.1 } },
    ],
    milestones: [3, 5],
  });
});

Comp('sequential takes schedule objects, nests, and passes momentum through', () => {
  const one = schedule('oneCycle', { lrMax: 1, totalSteps: 10 });
  const inner = schedule('sequential', { schedules: [schedule('constant', { lr: 0.5 }), one], milestones: [2] });
  const s = schedule('sequential', { schedules: [inner, { schedule: 'constant', options: { lr: 0.01 } }], milestones: [12] });
  assert.is(s.lrAt(1), 0.5);
  assert.is(s.momentumAt!(1), undefined);
  assert.is(s.lrAt(2 + 4), one.lrAt(4));
  assert.is(s.momentumAt!(2 + 4), one.momentumAt(4));
  assert.is(s.lrAt(12), 0.01);
  assert.is(s.baseLr, 0.5);
  const back = schedule.fromJSON(JSON.parse(JSON.stringify(s)));
  for (const t of [0, 1.5, 3, 6.25, 11.9, 12, 40]) assert.is(back.lrAt(t), s.lrAt(t));
});

Comp('warmup: linear from startFactor·L to L = child.lrAt(0), then the child from 0', () => {
  const w = schedule('warmup', { lr: 0.1, warmupSteps: 5, schedule: { schedule: 'cosine', options: { tMax: 10 } } });
  const cos = schedule('cosine', { lr: 0.1, tMax: 10 });
  assert.is(w.lrAt(0), 0);
  close(w.lrAt(2), 0.04, tol);
  close(w.lrAt(4.5), 0.09, tol);
  assert.is(w.lrAt(5), 0.1);
  for (const t of [5, 6, 7.5, 15, 30]) assert.is(w.lrAt(t), cos.lrAt(t - 5));
  assert.is(w.baseLr, 0.1);
  assert.is(w.initialLr, 0);
  // With startFactor > 0 it is sequential(linear, child) — the fixture's warmup-then-cosine.
  const w2 = schedule('warmup', { lr: 0.1, warmupSteps: 5, startFactor: 0.1, schedule: { schedule: 'cosine', options: { tMax: 45 } } });
  const seq = schedule('sequential', {
    lr: 0.1,
    schedules: [{ schedule: 'linear', options: { startFactor: 0.1, endFactor: 1, totalIters: 5 } }, { schedule: 'cosine', options: { tMax: 45 } }],
    milestones: [5],
  });
  close(range(50).map((t) => w2.lrAt(t)), range(50).map((t) => seq.lrAt(t)), tol);
});

Comp('warmup in front of oneCycle (no lr option): ramps to its first lr, momentum from the child', () => {
  const one = schedule('oneCycle', { lrMax: 1, totalSteps: 20 });
  const w = schedule('warmup', { warmupSteps: 2, startFactor: 0.5, schedule: one });
  assert.is(w.lrAt(0), 0.5 * one.lrAt(0));
  close(w.lrAt(1), 0.75 * one.lrAt(0), tol);
  assert.is(w.lrAt(2), one.lrAt(0));
  close(one.lrAt(0), 0.04, tol);
  assert.is(w.lrAt(7), one.lrAt(5));
  assert.is(w.momentumAt!(1), one.momentumAt(0));
  assert.is(w.momentumAt!(7), one.momentumAt(5));
  assert.is(w.baseLr, 1);
});

Comp.run();

const Plat = suite('schedules/plateau');

const feed = (p: PlateauSchedule, ms: number[]) => ms.map((m) => p.observe(m));

Plat('defaults are PyTorch’s; lr moves only after more than patience bad observations', () => {
  const p = schedule('plateau', { lr: 1 });
  assert.equal(p.toJSON().options, { lr: 1, mode: 'min', factor: 0.1, patience: 10, threshold: 1e-4, thresholdMode: 'rel', cooldown: 0, lrMin: 0, eps: 1e-8 });
  const q = schedule('plateau', { lr: 1, patience: 2, factor: 0.5 });
  assert.equal(feed(q, [5, 5, 5, 5, 4, 4, 4, 4]), [1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25]);
  assert.is(q.lr, 0.25);
  assert.is(q.lrAt(0), 0.25, 'lrAt reads the current lr, whatever t');
  assert.is(q.perEpochOnly, true);
});

Plat('threshold rel/abs, mode max, cooldown, lrMin and the eps guard, against ReduceLROnPlateau', () => {
  const metrics = [10, 9.9995, 9.99, 9.98, 9.98, 9.98, 9.9, 9.9, 9.9, 9.9, 9.9, 9.9, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0];
  for (const o of [
    { lr: 1, patience: 1 },
    { lr: 1, patience: 1, threshold: 0.05, thresholdMode: 'abs' as const },
    { lr: 1, patience: 0, cooldown: 2, factor: 0.5 },
    { lr: 1, patience: 0, lrMin: 0.3, factor: 0.5 },
    { lr: 1e-8, patience: 0, factor: 0.5, eps: 1e-8 },
    { lr: 1, mode: 'max' as const, patience: 1 },
    { lr: 1, mode: 'max' as const, patience: 1, thresholdMode: 'abs' as const, threshold: 0.5 },
  ]) {
    const p = schedule('plateau', o);
    const got = metrics.map((m) => p.observe(m));
    assert.equal(got, plateauLR(o, metrics), JSON.stringify(o));
    assert.is(p.state.observations, metrics.length);
  }
});

Plat('hand-checked: cooldown ignores bad epochs; eps keeps an lr that would barely move', () => {
  const p = schedule('plateau', { lr: 1, patience: 0, cooldown: 2, factor: 0.5 });
  // 3 bad → reduce, then 2 cooldown observations count as nothing, the third bad reduces again.
  assert.equal(feed(p, [1, 2, 2, 2, 2]), [1, 0.5, 0.5, 0.5, 0.25]);
  const q = schedule('plateau', { lr: 1e-8, patience: 0, factor: 0.5, eps: 1e-8 });
  assert.equal(feed(q, [1, 1, 1]), [1e-8, 1e-8, 1e-8]);
  const r = schedule('plateau', { lr: 1, patience: 0, factor: 0.1, lrMin: 0.05 });
  assert.equal(feed(r, [1, 1, 1, 1]), [1, 0.1, 0.05, 0.05]);
});

Plat('state round trip: a restored plateau continues exactly as the original', () => {
  const o = { lr: 1, patience: 2, cooldown: 1, factor: 0.5 };
  const metrics = [3, 2, 2.5, 2.5, 2.4, 2.6, 2.7, 1, 1, 1, 1, 1, 0.5, 0.6, 0.7, 0.8];
  for (let cut = 0; cut <= metrics.length; cut++) {
    const a = schedule('plateau', o);
    feed(a, metrics.slice(0, cut));
    const b = schedule.fromJSON(JSON.parse(JSON.stringify(a.toJSON()))) as typeof a;
    const c = schedule('plateau', o);
    c.state = a.state;
    assert.equal(b.state, a.state);
    const rest = metrics.slice(cut);
    const ra = feed(a, rest);
    assert.equal(feed(b, rest), ra);
    assert.equal(feed(c, rest), ra);
  }
});

Plat('infinite metrics: allowed, and the best survives JSON as a string', () => {
  const p = schedule('plateau', { lr: 1, mode: 'max' as const, patience: 0 });
  assert.is(p.state.best, '-Infinity');
  p.observe(Infinity);
  assert.is(p.state.best, 'Infinity');
  const q = schedule.fromJSON(JSON.parse(JSON.stringify(p))) as typeof p;
  assert.is(q.observe(1e300), 0.1);
  assert.is(p.observe(1e300), 0.1);
});

Plat('reset returns to a fresh state; state getters hand out copies', () => {
  const p = schedule('plateau', { lr: 1, patience: 0 });
  feed(p, [1, 2]);
  const s = p.state as PlateauState;
  s.lr = 123;
  assert.is(p.lr, 0.1);
  p.reset();
  assert.equal(p.state, { lr: 1, best: 'Infinity', numBadEpochs: 0, cooldownCounter: 0, observations: 0 });
});

Plat.run();

const Common = suite('schedules/common');

const EXAMPLES: { [N in ScheduleName]: ScheduleOptions[N] } = {
  constant: { lr: 0.1 },
  step: { lr: 0.1, stepSize: 3 },
  multiStep: { lr: 0.1, milestones: [2, 5] },
  exponential: { lr: 0.1, gamma: 0.9 },
  inverseTime: { lr: 0.1, decayRate: 0.5 },
  polynomial: { lr: 0.1 },
  linear: { lr: 0.1 },
  cosine: { lr: 0.1, tMax: 10 },
  cosineWarmRestarts: { lr: 0.1, t0: 2, tMult: 2 },
  cyclic: { lrMin: 0.01, lrMax: 0.1, stepSizeUp: 3 },
  oneCycle: { lrMax: 0.1, totalSteps: 20 },
  sequential: { lr: 0.1, schedules: [{ schedule: 'linear', options: {} }, { schedule: 'cosine', options: { tMax: 5 } }], milestones: [5] },
  warmup: { lr: 0.1, warmupSteps: 2, schedule: { schedule: 'exponential', options: { gamma: 0.5 } } },
  plateau: { lr: 0.1 },
  product: { lr: 0.1, schedules: [{ schedule: 'cosine', options: { tMax: 10 } }, { schedule: 'multiStep', options: { milestones: [3] } }] },
  piecewiseConstant: { lr: 0.1, boundaries: [3, 6], scales: [0.5, 0.1] },
  piecewiseInterpolate: { lr: 0.1, boundaries: [3, 6], scales: [2, 0.1], interpolation: 'cosine' },
  swalr: { lr: 0.1, swaLr: 0.05, annealEpochs: 3, start: 2 },
};

Common('SCHEDULE_NAMES lists every schedule; each has baseLr, initialLr, a plain-data toJSON', () => {
  assert.equal([...SCHEDULE_NAMES].sort(), Object.keys(EXAMPLES).sort());
  for (const name of SCHEDULE_NAMES) {
    const s = schedule(name, EXAMPLES[name]);
    assert.is(s.name, name);
    assert.ok(isSchedule(s));
    assert.is(isPlateau(s), name === 'plateau');
    assert.is(s.baseLr, 0.1, `${name} baseLr`);
    assert.is(s.initialLr, name === 'plateau' ? 0.1 : s.lrAt(0), `${name} initialLr`);
    const json = s.toJSON();
    assert.equal(JSON.parse(JSON.stringify(json)), json, `${name} JSON-safe`);
    assert.is(json.name, name);
    assert.is('state' in json, name === 'plateau');
    assert.is(s.perEpochOnly === true, name === 'plateau');
  }
});

Common('options are copied: changing the given object or the JSON changes nothing', () => {
  const o = { lr: 0.1, milestones: [2, 5] };
  const s = schedule('multiStep', o);
  o.milestones[0] = 100;
  assert.is(s.lrAt(3), 0.1 * 0.1);
  const json = s.toJSON();
  (json.options.milestones as number[])[1] = 3;
  assert.is(s.lrAt(4), 0.1 * 0.1);
  assert.ok(Object.isFrozen((s as any).options));
});

Common('fromJSON accepts the fixtures’ { schedule, options } form too', () => {
  const s = schedule.fromJSON({ schedule: 'step', options: { lr: 1, stepSize: 2 } });
  assert.is(s.lrAt(2), 0.1);
});

Common('sample: lrAt at start + i·stride into a Float64Array', () => {
  const s = schedule('exponential', { lr: 1, gamma: 0.5 });
  const a = sample(s, 4);
  assert.ok(a instanceof Float64Array);
  assert.equal([...a], [1, 0.5, 0.25, 0.125]);
  assert.equal([...sample(s, 3, { start: 1, stride: 0.5 })], [0.5, 0.5 ** 1.5, 0.25]);
  assert.is(sample(s, 0).length, 0);
});

Common('isSchedule is a shape check', () => {
  assert.ok(isSchedule({ name: 'mine', lrAt: () => 1, toJSON: () => ({}) }));
  for (const x of [null, undefined, 1, 'cosine', {}, { lrAt: () => 1 }, { name: 'x', lrAt: 1, toJSON() {} }]) assert.not.ok(isSchedule(x));
});

Common('the public entry re-exports the schedule surface', () => {
  assert.is(lib.schedule, schedule);
  assert.is(lib.schedule.fromJSON, schedule.fromJSON);
  assert.is(lib.sample, sample);
  assert.is(lib.isSchedule, isSchedule);
  assert.is(lib.isPlateau, isPlateau);
  assert.is(lib.SCHEDULE_NAMES, SCHEDULE_NAMES);
});

Common.run();
