// Name → schedule, JSON in and out, and sampling for plots.
import { didYouMean, parseOptions, range, show, type Spec } from '../options.js';
import { BaseSchedule } from './base.js';
import { Sequential, Warmup } from './composite.js';
import { CosineWarmRestarts, Cosine, type SgdrCycle } from './cosine.js';
import { Cyclic, OneCycle } from './cyclic.js';
import { Constant, Exponential, InverseTime, Linear, MultiStep, Polynomial, Step } from './decay.js';
import { Plateau } from './plateau.js';
import { SCHEDULE_NAMES, type PlateauSchedule, type Schedule, type ScheduleName } from './types.js';

type Ctor = { new (options?: object): BaseSchedule; spec: Spec };

// A function, not a table built at load time: composite.ts imports this module back.
function ctor(name: ScheduleName): Ctor {
  switch (name) {
    case 'constant': return Constant;
    case 'step': return Step;
    case 'multiStep': return MultiStep;
    case 'exponential': return Exponential;
    case 'inverseTime': return InverseTime;
    case 'polynomial': return Polynomial;
    case 'linear': return Linear;
    case 'cosine': return Cosine;
    case 'cosineWarmRestarts': return CosineWarmRestarts;
    case 'cyclic': return Cyclic;
    case 'oneCycle': return OneCycle;
    case 'sequential': return Sequential;
    case 'warmup': return Warmup;
    case 'plateau': return Plateau;
  }
}

function checkName(name: unknown): ScheduleName {
  if (typeof name !== 'string') throw new TypeError(`schedule: name must be a string, got ${show(name)}`);
  if (!(SCHEDULE_NAMES as readonly string[]).includes(name)) {
    const hint = didYouMean(name, SCHEDULE_NAMES);
    throw new TypeError(`schedule: unknown schedule '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; known: ${SCHEDULE_NAMES.join(', ')}`);
  }
  return name as ScheduleName;
}

/** Builds a schedule by name (no name checks beyond the type). */
export function build(name: ScheduleName, options?: object): BaseSchedule {
  return new (ctor(name))(options);
}

/** The option spec of a named schedule (the CLI offers a schedule when its flags cover the required options). */
export function scheduleSpec(name: ScheduleName): Spec {
  return ctor(name).spec;
}

/** Whether the named schedule has an `lr` option (cyclic and oneCycle have lrMin/lrMax instead). */
export function takesLr(name: ScheduleName): boolean {
  return 'lr' in ctor(name).spec;
}

/** Anything with the Schedule shape: a name, lrAt and toJSON. */
export function isSchedule(x: unknown): x is Schedule {
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof (x as Schedule).name === 'string' &&
    typeof (x as Schedule).lrAt === 'function' &&
    typeof (x as Schedule).toJSON === 'function'
  );
}

/** A schedule driven by metrics (plateau): it has observe(). */
export function isPlateau(x: unknown): x is PlateauSchedule {
  return isSchedule(x) && typeof (x as PlateauSchedule).observe === 'function';
}

/** What every built-in schedule has beyond the Schedule interface. */
export type BuiltSchedule = Schedule & { readonly baseLr: number; readonly initialLr: number; readonly options: Readonly<Record<string, unknown>> };

export function schedule(name: 'plateau', options?: object): PlateauSchedule & BuiltSchedule;
export function schedule(name: 'cosineWarmRestarts', options?: object): BuiltSchedule & { cycleAt(t: number): SgdrCycle };
export function schedule(name: 'cyclic' | 'oneCycle', options?: object): BuiltSchedule & { momentumAt(t: number): number | undefined };
export function schedule(name: ScheduleName, options?: object): BuiltSchedule;
export function schedule(name: string, options?: object): Schedule;
/** A schedule by name with its options (names and options of docs/schedules.md). */
export function schedule(name: string, options?: object): Schedule {
  return build(checkName(name), options);
}

/** Rebuilds a schedule from `toJSON()` data (also `{ schedule, options }`, the fixtures' form). */
schedule.fromJSON = function fromJSON(data: unknown): Schedule {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new TypeError(`schedule.fromJSON: data must be an object, got ${show(data)}`);
  }
  const d = data as Record<string, unknown>;
  for (const k of Object.keys(d)) {
    if (!['name', 'schedule', 'options', 'state'].includes(k)) {
      const hint = didYouMean(k, ['name', 'schedule', 'options', 'state']);
      throw new TypeError(`schedule.fromJSON: unknown key '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}; expected name, options and (plateau) state`);
    }
  }
  const name = checkName(d.name ?? d.schedule);
  if (d.options !== undefined && (d.options === null || typeof d.options !== 'object' || Array.isArray(d.options))) {
    throw new TypeError(`schedule.fromJSON: options must be an object, got ${show(d.options)}`);
  }
  if (d.state !== undefined && name !== 'plateau') throw new TypeError(`schedule.fromJSON: state belongs to plateau, not '${name}'`);
  const s = build(name, d.options as object | undefined);
  if (d.state !== undefined) (s as Plateau).state = d.state as PlateauSchedule['state'];
  return s;
};

export interface SampleOptions {
  /** t of the first sample (default 0). */
  start?: number;
  /** Distance in t between samples (default 1; 1/iters for per-iteration fractional epochs). */
  stride?: number;
}

const SAMPLE_SPEC: Spec = { start: { type: 'number', default: 0, check: range.nonNegative }, stride: { type: 'number', default: 1, check: range.positive } };

/** lrAt(start + i·stride) for i = 0 … steps − 1, for plots. */
export function sample(s: Schedule, steps: number, options?: SampleOptions): Float64Array {
  if (!isSchedule(s)) throw new TypeError(`sample: s must be a schedule, got ${show(s)}`);
  if (typeof steps !== 'number') throw new TypeError(`sample: steps must be a number, got ${show(steps)}`);
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`sample: steps must be an integer ≥ 0, got ${steps}`);
  const o = parseOptions('sample', SAMPLE_SPEC, options) as Required<SampleOptions>;
  const out = new Float64Array(steps);
  for (let i = 0; i < steps; i++) out[i] = s.lrAt(o.start + i * o.stride);
  return out;
}
