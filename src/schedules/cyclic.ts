// Cyclical learning rates (Smith 2017; CyclicLR) and the 1cycle policy (Smith & Topin 2018;
// OneCycleLR), both with optional momentum cycling opposite to the lr. momentumAt(t) is a plain
// number: the trainer writes it to SGD's `momentum` or to the Adam family's `beta1` (PyTorch
// only knows `momentum`/`betas` and raises for optimizers without them).
import { parseOptions, range, type Spec } from '../options.js';
import { BaseSchedule, checkT, relation } from './base.js';

const momentumSpec = (dflt: number) => ({ type: 'number', default: dflt, check: range.unit }) as const;

function checkMomenta(owner: string, o: Record<string, any>): void {
  relation(owner, 'baseMomentum', o.baseMomentum, o.baseMomentum <= o.maxMomentum, `must be ≤ maxMomentum (${o.maxMomentum})`);
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

/**
 * CyclicLR: a triangle between lrMin and lrMax, stepSizeUp steps up and stepSizeDown down:
 *   cycle = ⌊1 + t/(up+down)⌋, x = 1 + t/(up+down) − cycle, r = up/(up+down),
 *   s = x/r (x ≤ r) or (x − 1)/(r − 1), lr = lrMin + (lrMax − lrMin)·s·scale,
 *   scale = 1 (triangular), 1/2^(cycle−1) (triangular2), gammaᵗ (expRange).
 * Momentum runs the other way: maxMomentum − (maxMomentum − baseMomentum)·s·scale.
 */
export class Cyclic extends BaseSchedule {
  static spec = {
    lrMin: { type: 'number', required: true, check: range.nonNegative },
    lrMax: { type: 'number', required: true, check: range.nonNegative },
    stepSizeUp: { type: 'number', default: 2000, check: range.atLeast(1) },
    stepSizeDown: { type: 'number', check: range.atLeast(1) },
    mode: { type: 'string', default: 'triangular', values: ['triangular', 'triangular2', 'expRange'] as const },
    gamma: { type: 'number', default: 1, check: (v: number) => (v > 0 && v <= 1 ? undefined : 'must be in (0, 1]') },
    cycleMomentum: { type: 'boolean', default: true },
    baseMomentum: momentumSpec(0.8),
    maxMomentum: momentumSpec(0.9),
  } satisfies Spec;
  constructor(options?: object) {
    const o = parseOptions('cyclic', Cyclic.spec, options);
    o.stepSizeDown ??= o.stepSizeUp;
    relation('cyclic', 'lrMin', o.lrMin, o.lrMin <= o.lrMax, `must be ≤ lrMax (${o.lrMax})`);
    checkMomenta('cyclic', o);
    super('cyclic', o);
  }

  get baseLr(): number {
    return this.options.lrMax;
  }

  /** Triangle height s ∈ [0, 1] times the mode's scale, in CyclicLR's operation order. */
  private wave(t: number): [s: number, scale: number] {
    const o = this.options;
    const total = o.stepSizeUp + o.stepSizeDown;
    const ratio = o.stepSizeUp / total;
    const cycle = Math.floor(1 + t / total);
    const x = 1 + t / total - cycle;
    const s = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
    const scale = o.mode === 'triangular' ? 1 : o.mode === 'triangular2' ? 1 / 2 ** (cycle - 1) : o.gamma ** t;
    return [s, scale];
  }

  protected at(t: number): number {
    const o = this.options;
    const [s, scale] = this.wave(t);
    // Clamped: lrMin + fl(lrMax − lrMin) can round an ulp past lrMax.
    return clamp(o.lrMin + (o.lrMax - o.lrMin) * s * scale, o.lrMin, o.lrMax);
  }

  momentumAt(t: number): number | undefined {
    checkT('cyclic.momentumAt', t);
    const o = this.options;
    if (!o.cycleMomentum) return undefined;
    const [s, scale] = this.wave(t);
    return clamp(o.maxMomentum - (o.maxMomentum - o.baseMomentum) * s * scale, o.baseMomentum, o.maxMomentum);
  }
}

interface Phase {
  end: number;
  lr: [number, number];
  momentum: [number, number];
}

/**
 * OneCycleLR: initial = lrMax/divFactor, min = initial/finalDivFactor. Two phases
 * initial → lrMax (ends at pctStart·totalSteps − 1) → min (ends at totalSteps − 1), or three
 * initial → lrMax → initial (ends at 2·pctStart·totalSteps − 2) → min. Inside a phase
 * pct = (t − start)/(end − start), annealed by cosine or linearly; momentum runs
 * maxMomentum → baseMomentum → maxMomentum (→ maxMomentum). Past totalSteps − 1 the lr stays at
 * min (PyTorch raises after totalSteps steps and extrapolates the last phase before that).
 */
export class OneCycle extends BaseSchedule {
  static spec = {
    lrMax: { type: 'number', required: true, check: range.nonNegative },
    totalSteps: { type: 'number', required: true, check: range.atLeast(1) },
    pctStart: { type: 'number', default: 0.3, check: (v: number) => (v > 0 && v < 1 ? undefined : 'must be in (0, 1)') },
    annealStrategy: { type: 'string', default: 'cos', values: ['cos', 'linear'] as const },
    cycleMomentum: { type: 'boolean', default: true },
    baseMomentum: momentumSpec(0.85),
    maxMomentum: momentumSpec(0.95),
    divFactor: { type: 'number', default: 25, check: range.positive },
    finalDivFactor: { type: 'number', default: 1e4, check: range.positive },
    threePhase: { type: 'boolean', default: false },
  } satisfies Spec;
  private readonly phases: Phase[];

  constructor(options?: object) {
    const o = parseOptions('oneCycle', OneCycle.spec, options);
    checkMomenta('oneCycle', o);
    const T: number = o.totalSteps;
    const up = o.pctStart * T - 1;
    if (o.threePhase) {
      // The second phase must end before the last one does.
      relation('oneCycle', 'pctStart', o.pctStart, 2 * o.pctStart * T - 2 <= T - 1, `must be ≤ (totalSteps + 1)/(2·totalSteps) with threePhase`);
    }
    super('oneCycle', o);
    const initial = o.lrMax / o.divFactor;
    const min = initial / o.finalDivFactor;
    const [lo, hi] = [o.baseMomentum, o.maxMomentum];
    this.phases = o.threePhase
      ? [
          { end: up, lr: [initial, o.lrMax], momentum: [hi, lo] },
          { end: 2 * o.pctStart * T - 2, lr: [o.lrMax, initial], momentum: [lo, hi] },
          { end: T - 1, lr: [initial, min], momentum: [hi, hi] },
        ]
      : [
          { end: up, lr: [initial, o.lrMax], momentum: [hi, lo] },
          { end: T - 1, lr: [o.lrMax, min], momentum: [lo, hi] },
        ];
  }

  get baseLr(): number {
    return this.options.lrMax;
  }

  private anneal([from, to]: [number, number], pct: number): number {
    if (this.options.annealStrategy === 'cos') return to + ((from - to) / 2) * (Math.cos(Math.PI * pct) + 1);
    return (to - from) * pct + from;
  }

  /** The phase t is in and how far through it (0 … 1). */
  private locate(t: number): [Phase, number] {
    let start = 0;
    const last = this.phases.length - 1;
    for (let i = 0; i <= last; i++) {
      const p = this.phases[i];
      if (t <= p.end || i === last) {
        // A phase of zero length (pctStart·totalSteps = 1) is all end: PyTorch divides 0 by 0 there.
        const pct = p.end === start ? 1 : (t - start) / (p.end - start);
        return [p, Math.min(pct, 1)];
      }
      start = p.end;
    }
    throw new Error('unreachable');
  }

  protected at(t: number): number {
    const [p, pct] = this.locate(t);
    return this.anneal(p.lr, pct);
  }

  momentumAt(t: number): number | undefined {
    checkT('oneCycle.momentumAt', t);
    if (!this.options.cycleMomentum) return undefined;
    const [p, pct] = this.locate(t);
    return this.anneal(p.momentum, pct);
  }
}
