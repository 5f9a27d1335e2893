// The shapes a trainer, a checkpoint and a plot need from a schedule. A schedule is plain data
// (its name and options, plus metric-driven state for plateau) and pure functions of t.

/** Every schedule `schedule(name, options)` knows, in the order of docs/schedules.md. */
export const SCHEDULE_NAMES = [
  'constant',
  'step',
  'multiStep',
  'exponential',
  'inverseTime',
  'polynomial',
  'linear',
  'cosine',
  'cosineWarmRestarts',
  'cyclic',
  'oneCycle',
  'sequential',
  'warmup',
  'plateau',
  'product',
  'piecewiseConstant',
  'piecewiseInterpolate',
  'swalr',
] as const;

export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** What `toJSON()` gives and `schedule.fromJSON()` takes: no functions, JSON.stringify-safe. */
export interface ScheduleJSON {
  name: ScheduleName;
  /** Every option, defaults filled in; children of sequential/warmup as `{ schedule, options }`. */
  options: Record<string, unknown>;
  /** plateau only: where it is in its metric history. */
  state?: PlateauState;
}

/** A child of `sequential` or `warmup`, as the fixtures write it (`name` is accepted for `schedule`). */
export interface ScheduleSpec {
  schedule: ScheduleName;
  options: Record<string, unknown>;
}

/** A child of `sequential` or `warmup`: a schedule, or its name (as `schedule` or `name`) and options. */
export type ScheduleChild =
  | Schedule
  | { schedule: Exclude<ScheduleName, 'plateau'>; options?: object }
  | { name: Exclude<ScheduleName, 'plateau'>; options?: object };

export interface Schedule {
  readonly name: string;
  /** The lr in effect for step (or fractional epoch) t ≥ 0; pure: no call changes another's result. */
  lrAt(t: number): number;
  /**
   * cyclic and oneCycle with `cycleMomentum`: the momentum (SGD) or beta1 (Adam family) for step t;
   * undefined when the schedule does not cycle momentum.
   */
  momentumAt?(t: number): number | undefined;
  toJSON(): ScheduleJSON;
  /** true for plateau: its lr moves with observed metrics, once per epoch, not with t. */
  readonly perEpochOnly?: boolean;
  /** The schedule's nominal lr: `lr`, or `lrMax` for cyclic and oneCycle (their peak). */
  readonly baseLr?: number;
  /** lrAt(0): the lr to start an optimizer with (plateau: its `lr` option). */
  readonly initialLr?: number;
}

/** Where ReduceLROnPlateau is: everything `observe` reads besides the options. */
export interface PlateauState {
  /** The current lr. */
  lr: number;
  /** Best metric so far (the worst possible value before the first observation); ±Infinity as strings in JSON. */
  best: number | 'Infinity' | '-Infinity';
  /** Observations since the last improvement (PyTorch's num_bad_epochs). */
  numBadEpochs: number;
  /** Observations still to ignore after a reduction. */
  cooldownCounter: number;
  /** Metrics observed so far. */
  observations: number;
}

export interface PlateauSchedule extends Schedule {
  readonly perEpochOnly: true;
  /** Feed one metric (after an epoch); returns the lr that applies from now on. */
  observe(metric: number): number;
  /** The current lr. */
  readonly lr: number;
  /** A copy of the state; assigning validates it first and changes nothing when it throws. */
  state: PlateauState;
  /** Back to the state of a fresh schedule. */
  reset(): void;
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
