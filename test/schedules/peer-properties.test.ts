// Property tests (fast-check) for the Keras / Optax / SWALR schedules and options: every lr stays
// between the values the formula moves between, for any t up to 1e300; cosine with hold never
// rises; polynomial with cycle is at lrEnd on every multiple of the horizon; fromJSON(toJSON(s))
// gives the same lrAt; and random option objects give a value or a TypeError/RangeError, never
// another error or a non-finite lr.
import fc from 'fast-check';
import { suite } from 'uvu';
import { schedule } from '../../src/schedules/index.js';
import type { Schedule } from '../../src/schedules/types.js';

// Options drawn per name (and, below, at random): the per-name option types cannot follow a
// name chosen at run time, so these calls go through the untyped door.
const loose = schedule as unknown as (name: string, options: object) => Schedule;

const P = suite('schedules/peer-properties');
const T = fc.oneof(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 1e300, noNaN: true }), fc.integer({ min: 0, max: 2 ** 53 }));
const lr = fc.double({ min: 1e-6, max: 10, noNaN: true });
const frac = fc.double({ min: 0, max: 1, noNaN: true });
const steps = fc.integer({ min: 1, max: 1000 });
const within = (v: number, a: number, b: number) => Number.isFinite(v) && v >= Math.min(a, b) * (1 - 1e-12) && v <= Math.max(a, b) * (1 + 1e-12);

const increasing = (n: number) => fc.array(fc.integer({ min: 1, max: 500 }), { minLength: n, maxLength: n }).map((d) => d.map(((s) => (x: number) => (s += x))(0)));
const scales = (n: number) => fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: n, maxLength: n });

const arbitraries = {
  exponential: fc.record({ lr, f: frac, gamma: fc.double({ min: 0.01, max: 0.999, noNaN: true }), decaySteps: steps, staircase: fc.boolean(), begin: fc.integer({ min: 0, max: 100 }) })
    .map(({ lr, f, ...o }) => ({ o: { lr, lrEnd: lr * f, ...o }, lo: lr * f, hi: lr })),
  polynomial: fc.record({ lr, f: fc.double({ min: 0, max: 3, noNaN: true }), totalIters: steps, power: fc.double({ min: 0, max: 5, noNaN: true }), cycle: fc.boolean() })
    .map(({ lr, f, ...o }) => ({ o: { lr, lrEnd: lr * f, ...o }, lo: lr * f, hi: lr })),
  cosine: fc.record({ lr, f: frac, tMax: steps, exponent: fc.double({ min: 0.1, max: 5, noNaN: true }), hold: fc.boolean() })
    .map(({ lr, f, ...o }) => ({ o: { lr, lrMin: lr * f, ...o }, lo: lr * f, hi: lr })),
  cosineWarmRestarts: fc.record({ lr, f: frac, t0: fc.integer({ min: 1, max: 50 }), tMult: fc.constantFrom(1, 2, 3), mMul: fc.double({ min: 0.01, max: 1, noNaN: true }) })
    .map(({ lr, f, ...o }) => ({ o: { lr, lrMin: lr * f, ...o }, lo: lr * f, hi: lr })),
  piecewiseInterpolate: fc.integer({ min: 0, max: 5 }).chain((n) => fc.record({ lr, boundaries: increasing(n), scales: scales(n), interpolation: fc.constantFrom('linear', 'cosine') }))
    .map((o) => {
      const v = o.scales.reduce((a: number[], s: number) => [...a, a[a.length - 1] * s], [o.lr]);
      return { o, lo: Math.min(...v), hi: Math.max(...v) };
    }),
  swalr: fc.record({ lr, swaLr: lr, annealEpochs: fc.integer({ min: 0, max: 50 }), annealStrategy: fc.constantFrom('cos', 'linear'), start: fc.integer({ min: 0, max: 100 }) })
    .map((o) => ({ o, lo: o.lr, hi: o.swaLr })),
};

for (const [name, arb] of Object.entries(arbitraries)) {
  P(`${name}: lr between its end values for any t; fromJSON(toJSON()) agrees`, () => {
    fc.assert(
      fc.property(arb as fc.Arbitrary<{ o: object; lo: number; hi: number }>, T, ({ o, lo, hi }, t) => {
        const s = loose(name, o);
        const v = s.lrAt(t);
        return within(v, lo, hi) && schedule.fromJSON(JSON.parse(JSON.stringify(s))).lrAt(t) === v;
      }),
      { numRuns: 1500 },
    );
  });
}

P('cosine with hold never rises; polynomial with cycle is lrEnd on every multiple of totalIters', () => {
  fc.assert(
    fc.property(arbitraries.cosine, T, T, ({ o }, a, b) => {
      const s = schedule('cosine', { ...o, hold: true });
      return s.lrAt(Math.max(a, b)) <= s.lrAt(Math.min(a, b));
    }),
    { numRuns: 1500 },
  );
  fc.assert(
    fc.property(arbitraries.polynomial, fc.integer({ min: 1, max: 1e6 }), ({ o }, k) => {
      const p = o as { totalIters: number; lrEnd: number; power: number };
      if (p.power === 0) return true; // (1 − p)^0 = 1 everywhere
      return schedule('polynomial', { ...o, cycle: true }).lrAt(k * p.totalIters) === p.lrEnd;
    }),
    { numRuns: 1500 },
  );
});

P('product: η times its factors for any t', () => {
  fc.assert(
    fc.property(lr, fc.integer({ min: 1, max: 100 }), fc.double({ min: 0.01, max: 1, noNaN: true }), T, (eta, tMax, gamma, t) => {
      const s = schedule('product', { lr: eta, schedules: [{ schedule: 'cosine', options: { tMax, hold: true } }, { schedule: 'exponential', options: { gamma } }] });
      const want = eta * schedule('cosine', { lr: 1, tMax, hold: true }).lrAt(t) * schedule('exponential', { lr: 1, gamma }).lrAt(t);
      return s.lrAt(t) === want;
    }),
    { numRuns: 1500 },
  );
});

P('random options: a schedule with a finite lr, or a TypeError/RangeError', () => {
  const value = fc.oneof(fc.double(), fc.integer({ min: -5, max: 50 }), fc.boolean(), fc.string({ maxLength: 3 }), fc.constant(undefined), fc.constant(null),
    fc.array(fc.oneof(fc.integer({ min: -2, max: 40 }), fc.double()), { maxLength: 4 }));
  const keys = ['lr', 'gamma', 'decaySteps', 'staircase', 'begin', 'lrEnd', 'cycle', 'totalIters', 'power', 'tMax', 'lrMin', 'exponent', 'hold', 't0', 'tMult', 'mMul',
    'boundaries', 'scales', 'values', 'boundaryValue', 'interpolation', 'swaLr', 'annealEpochs', 'annealStrategy', 'start', 'decayRate'];
  const names = ['exponential', 'inverseTime', 'polynomial', 'cosine', 'cosineWarmRestarts', 'piecewiseConstant', 'piecewiseInterpolate', 'swalr'] as const;
  fc.assert(
    fc.property(fc.constantFrom(...names), fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 }), T, (name, o, t) => {
      let s;
      try {
        s = loose(name, o);
      } catch (e) {
        return e instanceof TypeError || e instanceof RangeError;
      }
      const v = s.lrAt(t);
      return !Number.isNaN(v) && v >= 0;
    }),
    { numRuns: 4000 },
  );
});

P.run();
