// Property tests (fast-check): SGDR is continuous inside a cycle and exactly lr at every restart;
// cyclic stays within [lrMin, lrMax] (momentum within [base, max]); fromJSON(toJSON(s)) gives the
// same lrAt (and momentumAt) for 10,000 random t; plateau's state survives a JSON round trip at
// any point of a metric history.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Random } from '../../src/random.js';
import { schedule, type PlateauSchedule, type Schedule } from '../../src/schedules/index.js';

// Generated names and options (as from a file): checked at run time only.
const byName = schedule as (name: string, options: object) => Schedule;

const Props = suite('schedules/properties');

const lrPair = fc.tuple(fc.double({ min: 1e-6, max: 10, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })).map(([lr, f]) => ({ lr, lrMin: lr * f }));
const tMult = fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 10), fc.double({ min: 1, max: 4, noNaN: true }));
const sgdr = fc.record({ p: lrPair, t0: fc.integer({ min: 1, max: 50 }), tMult }).map(({ p, t0, tMult }) => ({ ...p, t0, tMult }));

Props('SGDR: exactly lr at each restart, lrMin-ward just before it, Lipschitz inside a cycle', () => {
  fc.assert(
    fc.property(sgdr, fc.integer({ min: 0, max: 25 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.double({ min: 0, max: 1, noNaN: true }), (o, n, u, v) => {
      const s = schedule('cosineWarmRestarts', o);
      // Cycle n: its start and length as the schedule sees them (from a point known to be in it).
      let approxStart = 0;
      let len = o.t0;
      for (let k = 0; k < n; k++) {
        approxStart += len;
        len *= o.tMult;
      }
      if (approxStart + len > 2 ** 52) return; // keep the arithmetic below exact enough to reason about
      const c = s.cycleAt(approxStart + len / 2);
      if (c.index !== n) return false;
      if (s.lrAt(c.start) !== o.lr) return false;
      if (c.start > 0) {
        const before = c.start - Math.max(1e-9 * c.start, 1e-9);
        const prev = s.cycleAt(before);
        if (prev.index !== n - 1) return false;
        // (lr − lrMin)·(1 + cos(π(1 − δ/T)))/2 ≈ (lr − lrMin)(πδ/T)²/4: essentially lrMin.
        if (!(s.lrAt(before) - o.lrMin <= (o.lr - o.lrMin) * 1e-6 + 1e-15)) return false;
      }
      // Inside the cycle: |lr(a) − lr(b)| ≤ (lr − lrMin)·π/(2·length)·|a − b| (plus rounding).
      const a = c.start + u * c.length;
      const end = c.start + c.length * (1 - 1e-12);
      const b = a < end ? a + v * (end - a) : a;
      if (s.cycleAt(a).index !== n || s.cycleAt(b).index !== n) return true; // b rounded onto the restart
      const bound = ((o.lr - o.lrMin) * Math.PI) / (2 * c.length) * (b - a) + 1e-12 * o.lr;
      return Math.abs(s.lrAt(b) - s.lrAt(a)) <= bound;
    }),
    { numRuns: 3000 },
  );
});

Props('SGDR: lr stays within [lrMin, lr] for any t, however large', () => {
  fc.assert(
    fc.property(sgdr, fc.oneof(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 1e300, noNaN: true }), fc.integer({ min: 0, max: 2 ** 53 })), (o, t) => {
      const lr = schedule('cosineWarmRestarts', o).lrAt(t);
      return lr >= o.lrMin && lr <= o.lr;
    }),
    { numRuns: 3000 },
  );
});

const cyclic = fc.record({
  lrMin: fc.double({ min: 0, max: 1, noNaN: true }),
  span: fc.double({ min: 0, max: 10, noNaN: true }),
  stepSizeUp: fc.double({ min: 1, max: 5000, noNaN: true }),
  stepSizeDown: fc.double({ min: 1, max: 5000, noNaN: true }),
  mode: fc.constantFrom('triangular', 'triangular2', 'expRange'),
  gamma: fc.double({ min: 1e-3, max: 1, noNaN: true }),
  baseMomentum: fc.double({ min: 0, max: 0.9, noNaN: true }),
  dm: fc.double({ min: 0, max: 0.09, noNaN: true }),
}).map(({ span, dm, ...o }) => ({ ...o, lrMax: o.lrMin + span, maxMomentum: o.baseMomentum + dm }));

Props('cyclic: lr within [lrMin, lrMax], momentum within [baseMomentum, maxMomentum]', () => {
  fc.assert(
    fc.property(cyclic, fc.oneof(fc.double({ min: 0, max: 1e5, noNaN: true }), fc.integer({ min: 0, max: 1e9 })), (o, t) => {
      const s = schedule('cyclic', o);
      const lr = s.lrAt(t);
      const m = s.momentumAt(t)!;
      return lr >= o.lrMin && lr <= o.lrMax && m >= o.baseMomentum && m <= o.maxMomentum;
    }),
    { numRuns: 5000 },
  );
});

// Random options for every t-driven schedule.
const pos = (max: number) => fc.double({ min: 1e-6, max, noNaN: true });
const unitOpen = fc.double({ min: 0.01, max: 0.99, noNaN: true });
const simple: fc.Arbitrary<[string, object]>[] = [
  fc.record({ lr: pos(1) }).map((o) => ['constant', o]),
  // gamma ≤ 1: a growing schedule overflows to Infinity somewhere below t = 1e12.
  fc.record({ lr: pos(1), stepSize: fc.integer({ min: 1, max: 100 }), gamma: pos(1) }).map((o) => ['step', o]),
  fc.record({ lr: pos(1), milestones: fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 6 }).map((a) => a.sort((x, y) => x - y)), gamma: pos(1) }).map((o) => ['multiStep', o]),
  fc.record({ lr: pos(1), gamma: fc.double({ min: 0.5, max: 1, noNaN: true }) }).map((o) => ['exponential', o]),
  fc.record({ lr: pos(1), decayRate: fc.double({ min: 0, max: 5, noNaN: true }), decaySteps: pos(100) }).map((o) => ['inverseTime', o]),
  fc.record({ lr: pos(1), totalIters: fc.double({ min: 1, max: 1000, noNaN: true }), power: fc.double({ min: 0, max: 4, noNaN: true }) }).map((o) => ['polynomial', o]),
  fc.record({ lr: pos(1), startFactor: fc.double({ min: 1e-3, max: 1, noNaN: true }), endFactor: fc.double({ min: 0, max: 1, noNaN: true }), totalIters: fc.double({ min: 1, max: 1000, noNaN: true }) }).map((o) => ['linear', o]),
  fc.record({ lr: pos(1), tMax: pos(1000), f: fc.double({ min: 0, max: 1, noNaN: true }) }).map(({ f, ...o }) => ['cosine', { ...o, lrMin: o.lr * f }]),
  sgdr.map((o) => ['cosineWarmRestarts', o]),
  cyclic.map((o) => ['cyclic', o]),
  fc.record({
    lrMax: pos(1),
    totalSteps: fc.double({ min: 1, max: 1e4, noNaN: true }),
    pctStart: fc.double({ min: 0.01, max: 0.45, noNaN: true }),
    annealStrategy: fc.constantFrom('cos', 'linear'),
    divFactor: pos(100),
    finalDivFactor: pos(1e5),
    threePhase: fc.boolean(),
    cycleMomentum: fc.boolean(),
  }).map((o) => ['oneCycle', o]),
];
const composite: fc.Arbitrary<[string, object]>[] = [
  fc.tuple(fc.array(fc.oneof(...simple), { minLength: 1, maxLength: 4 }), fc.uniqueArray(pos(500), { minLength: 3, maxLength: 3 })).map(([children, ms]) => [
    'sequential',
    { schedules: children.map(([schedule, options]) => ({ schedule, options })), milestones: ms.sort((a, b) => a - b).slice(0, children.length - 1) },
  ]),
  fc.tuple(fc.oneof(...simple), pos(100), fc.double({ min: 0, max: 1, noNaN: true })).map(([[schedule, options], warmupSteps, startFactor]) => ['warmup', { warmupSteps, startFactor, schedule: { schedule, options } }]),
];

Props('fromJSON(toJSON(s)) gives the same lrAt and momentumAt for 10,000 random t', () => {
  let checked = 0;
  fc.assert(
    fc.property(fc.oneof(...simple, ...composite), fc.integer(), ([name, options], seed) => {
      const s: Schedule = byName(name, options);
      const back = schedule.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
      assert.equal(back.toJSON(), s.toJSON());
      const rng = new Random(seed);
      for (let i = 0; i < 10_000; i++) {
        const kind = rng.int(4);
        const t = kind === 0 ? rng.int(1000) : kind === 1 ? rng.float() * 1000 : kind === 2 ? rng.float() * 10 : rng.float() * 1e12;
        const a = s.lrAt(t), b = back.lrAt(t);
        if (!Object.is(a, b)) throw new Error(`${name} lrAt(${t}): ${a} vs ${b}`);
        if (!Number.isFinite(a) || a < 0) throw new Error(`${name} lrAt(${t}) = ${a}`);
        if (!Object.is(s.momentumAt?.(t), back.momentumAt?.(t))) throw new Error(`${name} momentumAt(${t})`);
      }
      checked++;
    }),
    { numRuns: 150 },
  );
  assert.is(checked, 150);
});

Props('plateau: state through JSON at any point continues identically', () => {
  const opts = fc.record({
    lr: pos(1),
    mode: fc.constantFrom('min', 'max'),
    factor: fc.double({ min: 0, max: 0.99, noNaN: true }),
    patience: fc.integer({ min: 0, max: 5 }),
    threshold: fc.double({ min: 0, max: 0.1, noNaN: true }),
    thresholdMode: fc.constantFrom('rel', 'abs'),
    cooldown: fc.integer({ min: 0, max: 3 }),
    eps: fc.constantFrom(0, 1e-8, 1e-3),
  });
  const metric = fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.constantFrom(Infinity, -Infinity, 1, 1, 1));
  fc.assert(
    fc.property(opts, fc.array(metric, { maxLength: 60 }), fc.nat(), (o, metrics, at) => {
      const cut = metrics.length ? at % (metrics.length + 1) : 0;
      const a = schedule('plateau', o);
      for (const m of metrics.slice(0, cut)) a.observe(m);
      const b = schedule.fromJSON(JSON.parse(JSON.stringify(a))) as PlateauSchedule;
      const c = schedule('plateau', o);
      c.state = JSON.parse(JSON.stringify(a.state));
      assert.equal(b.state, a.state);
      for (const m of metrics.slice(cut)) {
        const x = a.observe(m);
        if (b.observe(m) !== x || c.observe(m) !== x) return false;
      }
      assert.equal(b.state, a.state);
      return a.lr <= o.lr;
    }),
    { numRuns: 2000 },
  );
});

Props.run();
