// Schedules made of schedules. `sequential` is SequentialLR: child k runs from milestone k−1
// (0 for the first) on its own clock, lr = child_k.lrAt(t − milestone_{k−1}). `warmup` is the
// common special case "linear warmup from startFactor·L to L = child.lrAt(0), then the child".
// Children are kept as `{ schedule, options }` plain data in `options`, so toJSON needs nothing else.
import { didYouMean, parseOptions, range, show, typed, type Spec } from '../options.js';
import { BaseSchedule, checkT, plainCopy } from './base.js';
import { checkMilestones, lrRequired, lrSpec } from './decay.js';
import { SCHEDULE_NAMES, isSchedule, type Schedule, type ScheduleChild, type ScheduleName } from './types.js';

/**
 * How composites make their children by name. The registry (registry.ts) knows every schedule,
 * these among them, so it hands itself in at load (useParts) rather than this file importing it
 * back: no import cycle.
 */
export interface ScheduleParts {
  build(name: ScheduleName, options?: object): BaseSchedule;
  takesLr(name: ScheduleName): boolean;
}

let parts: ScheduleParts | undefined;

export function useParts(p: ScheduleParts): void {
  parts = p;
}

const build = (name: ScheduleName, options?: object): BaseSchedule => parts!.build(name, options);
const takesLr = (name: ScheduleName): boolean => parts!.takesLr(name);

/** Resolves a child given as `{ schedule | name, options }` or a schedule object; the outer lr fills a missing child lr. */
function child(owner: string, where: string, given: unknown, lr: number | undefined): Schedule {
  let name: unknown;
  let options: unknown;
  if (isSchedule(given)) {
    ({ name, options } = given.toJSON());
  } else {
    if (given === null || typeof given !== 'object' || Array.isArray(given)) {
      throw new TypeError(`${owner}: ${where} must be { schedule, options } or a schedule, got ${show(given)}`);
    }
    const g = given as Record<string, unknown>;
    for (const k of Object.keys(g)) {
      if (k !== 'schedule' && k !== 'name' && k !== 'options') {
        const hint = didYouMean(k, ['schedule', 'options']);
        throw new TypeError(`${owner}: ${where} has unknown key '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}; expected { schedule, options }`);
      }
    }
    name = g.schedule ?? g.name;
    options = g.options ?? {};
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new TypeError(`${owner}: ${where}.options must be an object, got ${show(options)}`);
    }
  }
  if (typeof name !== 'string') throw new TypeError(`${owner}: ${where}.schedule must be a string, got ${show(name)}`);
  if (name === 'plateau') throw new RangeError(`${owner}: ${where} cannot be 'plateau' (its lr follows metrics, not t)`);
  if (!(SCHEDULE_NAMES as readonly string[]).includes(name)) {
    const names = SCHEDULE_NAMES.filter((n) => n !== 'plateau');
    const hint = didYouMean(name, names);
    throw new RangeError(`${owner}: ${where}.schedule must be one of ${names.join(', ')}, got ${show(name)}${hint ? ` (did you mean '${hint}'?)` : ''}`);
  }
  const opts = plainCopy(options) as Record<string, unknown>;
  if (lr !== undefined && takesLr(name as ScheduleName)) {
    if (opts.lr === undefined) opts.lr = lr;
    else if (opts.lr !== lr) throw new RangeError(`${owner}: ${where}.options.lr must equal lr (${lr}), got ${show(opts.lr)}`);
  }
  try {
    return build(name as ScheduleName, opts);
  } catch (err) {
    if (err instanceof TypeError) throw new TypeError(`${owner}: ${where}: ${err.message}`);
    if (err instanceof RangeError) throw new RangeError(`${owner}: ${where}: ${err.message}`);
    throw err;
  }
}

const asSpec = (s: Schedule) => ({ schedule: s.name, options: s.toJSON().options });

export class Sequential extends BaseSchedule {
  static spec = { lr: lrSpec, schedules: typed<readonly ScheduleChild[]>()({ type: 'array', required: true }), milestones: { type: 'array', default: [] } } satisfies Spec;
  private readonly children: Schedule[];
  private readonly milestones: number[];

  constructor(options?: object) {
    const o = parseOptions('sequential', Sequential.spec, options);
    const given: unknown[] = o.schedules;
    if (given.length < 1) throw new RangeError(`sequential: schedules must hold at least one schedule, got []`);
    const children = given.map((c, i) => child('sequential', `schedules[${i}]`, c, o.lr));
    const m: unknown[] = o.milestones;
    if (m.length !== children.length - 1) {
      throw new RangeError(`sequential: milestones must have one entry per schedule after the first (${children.length - 1}), got ${show(m)}`);
    }
    checkMilestones('sequential', m, false);
    super('sequential', { ...o, schedules: children.map(asSpec), milestones: m });
    this.children = children;
    this.milestones = m as number[];
  }

  /** The child in charge at t and t on its own clock. */
  private locate(t: number): [Schedule, number] {
    let k = 0;
    while (k < this.milestones.length && this.milestones[k] <= t) k++;
    return [this.children[k], k === 0 ? t : t - this.milestones[k - 1]];
  }

  protected at(t: number): number {
    const [c, local] = this.locate(t);
    return c.lrAt(local);
  }

  /** The momentum of the child in charge; undefined where that child does not cycle momentum. */
  momentumAt(t: number): number | undefined {
    checkT('sequential.momentumAt', t);
    const [c, local] = this.locate(t);
    return c.momentumAt?.(local);
  }

  get baseLr(): number {
    return this.options.lr ?? this.children[0].baseLr ?? this.children[0].lrAt(0);
  }
}

export class Warmup extends BaseSchedule {
  static spec = {
    lr: lrSpec,
    warmupSteps: { type: 'number', required: true, check: range.positive },
    startFactor: { type: 'number', default: 0, check: range.unitClosed },
    schedule: typed<ScheduleChild>()({ type: 'any', required: true }),
  } satisfies Spec;
  private readonly after: Schedule;
  private readonly target: number;

  constructor(options?: object) {
    const o = parseOptions('warmup', Warmup.spec, options);
    const after = child('warmup', 'schedule', o.schedule, o.lr);
    super('warmup', { ...o, schedule: asSpec(after) });
    this.after = after;
    this.target = after.lrAt(0);
  }

  protected at(t: number): number {
    const { warmupSteps: w, startFactor: f } = this.options;
    if (t < w) return this.target * (f + ((1 - f) * t) / w);
    return this.after.lrAt(t - w);
  }

  /** The child's momentum; during warmup the one it starts with. */
  momentumAt(t: number): number | undefined {
    checkT('warmup.momentumAt', t);
    const w = this.options.warmupSteps;
    return this.after.momentumAt?.(t < w ? 0 : t - w);
  }

  get baseLr(): number {
    return this.options.lr ?? this.after.baseLr ?? this.target;
  }
}


/**
 * Several multiplicative schedules in force at once: PyTorch's ChainedScheduler, or two schedulers
 * stepping one optimizer (cosine annealing × multi-step). Each child is a factor: it is built with
 * lr 1 (its lrMin and the like are then fractions), and lr(t) = η · Π child.lrAt(t). PyTorch's
 * chain agrees with this wherever each scheduler's recursive step is a pure factor (cosine with
 * lrMin 0, step, multiStep, exponential, linear, polynomial; test/fixtures/chained-*.json).
 */
export class Product extends BaseSchedule {
  static spec = { lr: lrRequired, schedules: typed<readonly ScheduleChild[]>()({ type: 'array', required: true }) } satisfies Spec;
  private readonly children: Schedule[];

  constructor(options?: object) {
    const o = parseOptions('product', Product.spec, options);
    const given: unknown[] = o.schedules;
    if (given.length < 1) throw new RangeError(`product: schedules must hold at least one schedule, got []`);
    const children = given.map((c, i) => {
      const s = child('product', `schedules[${i}]`, c, 1);
      if (!takesLr(s.name as ScheduleName)) {
        throw new RangeError(`product: schedules[${i}] must be a factor with an lr option (built with lr 1), got '${s.name}', whose lrMin/lrMax are absolute`);
      }
      return s;
    });
    super('product', { ...o, schedules: children.map(asSpec) });
    this.children = children;
  }

  protected at(t: number): number {
    let f = this.options.lr;
    for (const c of this.children) f *= c.lrAt(t);
    return f;
  }
}

/**
 * PyTorch's SWALR: from `start` on, anneal from the lr in force there (lr0) to swaLr over
 * annealEpochs, α = (1 − cos(π·a))/2 ('cos') or a ('linear'), a = min(1, (t − start)/annealEpochs):
 *   lr = swaLr·α + lr0·(1 − α)
 * Before `start` the optional child `schedule` (else the constant lr) is in charge and sets lr0 =
 * schedule.lrAt(start): the SWA recipe "cosine for 75 epochs, then anneal to swaLr and average".
 * annealEpochs 0 is swaLr from `start` on. t counts what the child counts (epochs in PyTorch's recipe;
 * fit({ scheduleUnit: 'epoch' })).
 */
export class Swalr extends BaseSchedule {
  static spec = {
    lr: lrSpec,
    swaLr: { type: 'number', required: true, check: range.nonNegative },
    annealEpochs: { type: 'integer', default: 10, check: range.nonNegative },
    annealStrategy: { type: 'string', default: 'cos', values: ['cos', 'linear'] as const },
    start: { type: 'number', default: 0, check: range.nonNegative },
    schedule: typed<ScheduleChild>()({ type: 'any' }),
  } satisfies Spec;
  private readonly before?: Schedule;
  private readonly lr0: number;

  constructor(options?: object) {
    const o = parseOptions('swalr', Swalr.spec, options);
    if (o.lr === undefined && o.schedule === undefined) throw new TypeError(`swalr: missing option 'lr' (or a 'schedule' whose lr at start it anneals from)`);
    const before = o.schedule === undefined ? undefined : child('swalr', 'schedule', o.schedule, o.lr);
    super('swalr', before ? { ...o, schedule: asSpec(before) } : o);
    this.before = before;
    this.lr0 = before ? before.lrAt(o.start) : o.lr;
  }

  protected at(t: number): number {
    const o = this.options;
    if (t < o.start) return this.before ? this.before.lrAt(t) : o.lr;
    const a = o.annealEpochs === 0 ? 1 : Math.min(1, (t - o.start) / o.annealEpochs);
    const alpha = o.annealStrategy === 'cos' ? (1 - Math.cos(Math.PI * a)) / 2 : a;
    return o.swaLr * alpha + this.lr0 * (1 - alpha);
  }

  get baseLr(): number {
    return this.options.lr ?? this.before?.baseLr ?? this.lr0;
  }
}
