// Cosine annealing (CosineAnnealingLR) and SGDR, cosine annealing with warm restarts
// (Loshchilov & Hutter 2017; CosineAnnealingWarmRestarts). Both evaluate
//   lr = lrMin + (η − lrMin)·(1 + cos(π·Tcur/Ti))/2
// in PyTorch's operation order, except that Tcur = 0 gives η itself (PyTorch's formula can be an
// ulp off there), so every restart lands exactly on lr.
import { parseOptions, range, type Spec } from '../options.js';
import { BaseSchedule, relation } from './base.js';
import { lrRequired } from './decay.js';

function annealed(lrMin: number, lr: number, tCur: number, tI: number): number {
  if (tCur === 0) return lr;
  let x = (Math.PI * tCur) / tI;
  if (!Number.isFinite(x)) x = Math.PI * (tCur / tI); // π·Tcur overflows only for t near 1e308
  // Clamped: near Tcur = 0, lrMin + fl(lr − lrMin) can round an ulp above lr.
  return Math.min(lr, lrMin + ((lr - lrMin) * (1 + Math.cos(x))) / 2);
}

function checkLrMin(owner: string, o: Record<string, number>): void {
  relation(owner, 'lrMin', o.lrMin, o.lrMin <= o.lr, `must be ≤ lr (${o.lr})`);
}

/**
 * CosineAnnealingLR: one half cosine from η at t = 0 to lrMin at t = tMax; past tMax it keeps
 * following the cosine and rises again, as PyTorch does. `hold` stops at lrMin past tMax instead
 * (Keras CosineDecay, Optax cosine_decay_schedule), and `exponent` raises the cosine factor
 * c = (1 + cos(π·t/tMax))/2 to a power (Optax's exponent): lrMin + (η − lrMin)·c^exponent.
 */
export class Cosine extends BaseSchedule {
  static spec = {
    lr: lrRequired,
    tMax: { type: 'number', required: true, check: range.positive },
    lrMin: { type: 'number', default: 0, check: range.nonNegative },
    exponent: { type: 'number', default: 1, check: range.positive },
    hold: { type: 'boolean', default: false },
  } satisfies Spec;
  constructor(options?: object) {
    const o = parseOptions('cosine', Cosine.spec, options);
    checkLrMin('cosine', o);
    super('cosine', o);
  }
  protected at(t: number): number {
    const o = this.options;
    const tc = o.hold ? Math.min(t, o.tMax) : t;
    if (o.exponent === 1) return annealed(o.lrMin, o.lr, tc, o.tMax);
    return powered(o.lrMin, o.lr, tc, o.tMax, o.exponent, 1);
  }
}

/** lrMin + (η − lrMin)·amp·c^p with c = (1 + cos(π·Tcur/Ti))/2 (Optax's order: the power of the factor, then the scale). */
function powered(lrMin: number, lr: number, tCur: number, tI: number, p: number, amp: number): number {
  if (tCur === 0) return amp === 1 ? lr : lrMin + (lr - lrMin) * amp;
  let x = (Math.PI * tCur) / tI;
  if (!Number.isFinite(x)) x = Math.PI * (tCur / tI);
  const c = 0.5 * (1 + Math.cos(x));
  return Math.min(lrMin + (lr - lrMin) * amp, lrMin + (lr - lrMin) * amp * c ** p);
}

/** Where t falls in SGDR's cycles: cycle `index` starts at `start` and lasts `length`; `position` = t − start. */
export interface SgdrCycle {
  index: number;
  start: number;
  length: number;
  position: number;
}

const EXACT = 2 ** 53;

/**
 * SGDR: period t0, then t0·tMult, t0·tMult², …, cycle i peaking at lrMin + (η − lrMin)·mMul^i
 * (Keras CosineDecayRestarts' m_mul; 1 is PyTorch's SGDR); restart n happens at
 *   S(n) = t0·(tMultⁿ − 1)/(tMult − 1)   (S(n) = n·t0 for tMult = 1).
 * The cycle of t is the largest n with S(n) ≤ t, found by search rather than PyTorch's
 * floating-point log, which lands below an integer at some restarts (t0 = 2, tMult = 3, t = 242).
 * For an integer tMult the S(n) are integers, summed exactly (BigInt past 2^53); for a real tMult
 * they come from one formula and the search is exact with respect to that formula.
 */
export class CosineWarmRestarts extends BaseSchedule {
  static spec = {
    lr: lrRequired,
    t0: { type: 'integer', required: true, check: range.atLeast(1) },
    tMult: { type: 'number', default: 1, check: range.atLeast(1) },
    lrMin: { type: 'number', default: 0, check: range.nonNegative },
    mMul: { type: 'number', default: 1, check: range.positive },
  } satisfies Spec;
  constructor(options?: object) {
    const o = parseOptions('cosineWarmRestarts', CosineWarmRestarts.spec, options);
    checkLrMin('cosineWarmRestarts', o);
    super('cosineWarmRestarts', o);
  }

  protected at(t: number): number {
    const c = this.cycle(t);
    const o = this.options;
    if (o.mMul === 1) return annealed(o.lrMin, o.lr, c.position, c.length);
    // Keras CosineDecayRestarts' m_mul: cycle i swings mMul^i times as far above lrMin.
    return powered(o.lrMin, o.lr, c.position, c.length, 1, o.mMul ** c.index);
  }

  /** The cycle t falls in (t finite and ≥ 0). */
  cycleAt(t: number): SgdrCycle {
    this.lrAt(t); // validates t
    return this.cycle(t);
  }

  private cycle(e: number): SgdrCycle {
    const t0: number = this.options.t0;
    const m: number = this.options.tMult;
    if (m === 1) {
      const index = Math.floor(e / t0);
      const position = e % t0; // fmod is exact
      return { index, start: e - position, length: t0, position };
    }
    if (Number.isInteger(m)) return e < EXACT ? integerCycle(e, t0, m) : bigCycle(e, t0, m);
    return realCycle(e, t0, m);
  }
}

/** Integer t0 and tMult, e < 2^53: every S(n) ≤ e is an exact double. */
function integerCycle(e: number, t0: number, m: number): SgdrCycle {
  let index = 0;
  let start = 0;
  let length = t0;
  while (start + length <= e) {
    start += length;
    length *= m;
    index++;
  }
  return { index, start, length, position: e - start };
}

/** e ≥ 2^53 is an integer: the same sums in BigInt. */
function bigCycle(e: number, t0: number, m: number): SgdrCycle {
  const E = BigInt(e);
  const M = BigInt(m);
  let index = 0;
  let start = 0n;
  let length = BigInt(t0);
  while (start + length <= E) {
    start += length;
    length *= M;
    index++;
  }
  return { index, start: Number(start), length: Number(length), position: Number(E - start) };
}

/**
 * Real tMult > 1: S(n) = t0·expm1(n·log1p(tMult − 1))/(tMult − 1), accurate to a few ulps even for
 * tMult just above 1 (where (tMultⁿ − 1) would cancel), and strictly increasing in n. The largest
 * n with S(n) ≤ e: a log estimate, widened until it brackets n, then bisection.
 */
function realCycle(e: number, t0: number, m: number): SgdrCycle {
  const d = m - 1;
  const L = Math.log1p(d);
  const S = (n: number) => (n === 0 ? 0 : n === 1 ? t0 : (t0 * Math.expm1(n * L)) / d);
  const est = Math.floor(Math.log1p(Math.min((e * d) / t0, Number.MAX_VALUE)) / L);
  let lo = Math.max(0, est - 1);
  for (let step = 2; lo > 0 && S(lo) > e; step *= 2) lo = Math.max(0, lo - step);
  let hi = est + 2;
  for (let step = 2; S(hi) <= e; step *= 2) hi += step;
  // S(lo) ≤ e < S(hi)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid === lo || mid === hi) break; // past 2^53 cycles: n itself is no longer exact
    if (S(mid) <= e) lo = mid;
    else hi = mid;
  }
  const start = S(lo);
  // hi = lo + 1 (unless n is past 2^53). The cycle's length is the distance to the next restart, so lr reaches lrMin right there.
  return { index: lo, start, length: S(hi) - start, position: e - start };
}
