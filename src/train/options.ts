// fit() option parsing: strict like every other options object, defaults in one place.
import { Optimizer } from '../optimizers/optimizer.js';
import { parseOptions, range, show, type Spec, type SpecFor } from '../options.js';
import { isSchedule, schedule as makeSchedule } from '../schedules/index.js';
import type { Checkpoint, EarlyStoppingOptions, FitOptions, ScheduleUnit } from './types.js';
import { EMA_SPEC } from '../averaging/ema.js';
import { LOOKAHEAD_SPEC } from '../optimizers/lookahead.js';

// Checked against FitOptions (src/train/types.ts) by the compiler: the same keys, compatible types.
const SPEC = {
  optimizer: { type: 'object', default: { name: 'adam', lr: 1e-3 } },
  schedule: { type: 'object' },
  scheduleUnit: { type: 'string', default: 'iteration', values: ['iteration', 'epoch', 'step'] as const },
  epochs: { type: 'integer', default: 10, check: range.atLeast(1) },
  batchSize: { type: 'any', default: 32 },
  dropLast: { type: 'boolean', default: false },
  accumulate: { type: 'integer', default: 1, check: range.atLeast(1) },
  shuffle: { type: 'boolean', default: true },
  seed: { type: 'integer', default: 0 },
  validation: { type: 'any' },
  earlyStopping: { type: 'any', default: false },
  divergence: { type: 'any', default: {} },
  onBatchEnd: { type: 'any' },
  onEpochEnd: { type: 'any' },
  onCheckpoint: { type: 'any' },
  signal: { type: 'any' },
  historyEvery: { type: 'integer', default: 1, check: range.nonNegative },
  resume: { type: 'object' },
  swa: { type: 'any' },
  ema: { type: 'any' },
  snapshots: { type: 'boolean', default: false },
  lookahead: { type: 'any' },
  workers: { type: 'any' },
} satisfies SpecFor<FitOptions>;
/** The spec fit validates with (test/types/specs.ts checks its keys against FitOptions). */
export type FitSpec = typeof SPEC;

export interface ParsedFit {
  optimizer: ({ name: string } & Record<string, unknown>) | Optimizer;
  schedule?: unknown;
  scheduleUnit: ScheduleUnit;
  epochs: number;
  batchSize: number | 'full';
  dropLast: boolean;
  accumulate: number;
  shuffle: boolean;
  seed: number;
  validation?: number | unknown;
  earlyStopping: EarlyStoppingOptions | false;
  divergence: { factor: number; smoothing: number } | false;
  onBatchEnd?: FitOptions['onBatchEnd'];
  onEpochEnd?: FitOptions['onEpochEnd'];
  onCheckpoint?: FitOptions['onCheckpoint'];
  signal?: AbortSignal;
  historyEvery: number;
  resume?: Checkpoint;
  swa?: { start: number; every?: 'cycle' | 'epoch' | number };
  ema?: { decay: number; warmup: boolean };
  snapshots: boolean;
  lookahead?: { k: number; alpha: number };
  /** undefined: the engine's (init({ workers })), else 1. */
  workers?: number | 'auto';
}

export function parseFitOptions(options: FitOptions): ParsedFit {
  const o = parseOptions('fit', SPEC, options) as any;
  const opt = o.optimizer;
  if (!(opt instanceof Optimizer) && typeof opt.name !== 'string') {
    throw new TypeError(`fit: optimizer must be { name, ...options } or an optimizer from sd.optimizer, got ${show(opt)}`);
  }
  const bs = o.batchSize;
  if (bs !== 'full') {
    if (typeof bs !== 'number') throw new TypeError(`fit: batchSize must be a number or 'full', got ${show(bs)}`);
    if (!Number.isInteger(bs) || bs < 1) throw new RangeError(`fit: batchSize must be a positive integer or 'full', got ${bs}`);
  }
  const v = o.validation;
  if (typeof v === 'number' && !(v >= 0 && v < 1)) throw new RangeError(`fit: validation must be a fraction in [0, 1) or a dataset, got ${v}`);
  if (v !== undefined && typeof v !== 'number' && (v === null || typeof v !== 'object')) {
    throw new TypeError(`fit: validation must be a fraction or a dataset, got ${show(v)}`);
  }
  if (o.earlyStopping !== false) {
    o.earlyStopping = parseOptions('fit: earlyStopping', {
      patience: { type: 'integer', check: range.atLeast(1) },
      minDelta: { type: 'number', default: 0, check: range.nonNegative },
      monitor: { type: 'string', values: ['valLoss', 'loss', 'valAccuracy'] as const },
      restoreBest: { type: 'boolean', default: true },
    }, o.earlyStopping);
    if (o.earlyStopping.patience === undefined) throw new TypeError('fit: earlyStopping needs a patience');
  }
  if (o.divergence !== false) {
    o.divergence = parseOptions('fit: divergence', {
      factor: { type: 'number', default: 4, check: range.above(1) },
      smoothing: { type: 'number', default: 0.05, check: (x: number) => (x > 0 && x <= 1 ? undefined : 'must be in (0, 1]') },
    }, o.divergence);
  }
  for (const cb of ['onBatchEnd', 'onEpochEnd', 'onCheckpoint'] as const) {
    if (o[cb] !== undefined && typeof o[cb] !== 'function') throw new TypeError(`fit: ${cb} must be a function, got ${show(o[cb])}`);
  }
  if (o.signal !== undefined && (typeof o.signal !== 'object' || typeof o.signal.aborted !== 'boolean')) {
    throw new TypeError(`fit: signal must be an AbortSignal, got ${show(o.signal)}`);
  }
  const w = o.workers;
  if (w !== undefined && w !== 'auto' && (typeof w !== 'number' || !Number.isInteger(w) || w < 1)) {
    throw new RangeError(`fit: workers must be a positive integer or 'auto', got ${show(w)}`);
  }
  parseAveraging(o);
  if (o.schedule !== undefined) resolveSchedule(o.schedule); // validate early
  return o as ParsedFit;
}

/** swa, ema, lookahead: `true` takes the defaults; objects are parsed strictly. */
function parseAveraging(o: any): void {
  const sub = (name: string, spec: Spec) => {
    if (o[name] === undefined || o[name] === false) return undefined;
    if (o[name] === true) return parseOptions(`fit: ${name}`, spec, {});
    if (typeof o[name] !== 'object' || o[name] === null) throw new TypeError(`fit: ${name} must be an options object or true, got ${show(o[name])}`);
    return parseOptions(`fit: ${name}`, spec, o[name]);
  };
  o.swa = sub('swa', {
    start: { type: 'integer', default: 1, check: range.atLeast(1) },
    every: { type: 'any' },
  });
  const every = o.swa?.every;
  if (every !== undefined && every !== 'cycle' && every !== 'epoch' && !(Number.isInteger(every) && every >= 1)) {
    throw new RangeError(`fit: swa every must be 'cycle', 'epoch' or a whole number of steps ≥ 1, got ${show(every)}`);
  }
  o.ema = sub('ema', EMA_SPEC);
  o.lookahead = sub('lookahead', LOOKAHEAD_SPEC);
  if (o.resume?.averaging !== undefined && !(o.swa || o.ema || o.snapshots || o.lookahead)) {
    throw new TypeError('fit: the checkpoint carries swa/ema/snapshots/lookahead state; resume with the same options');
  }
}

export interface TrainerSchedule {
  lrAt(t: number): number;
  momentumAt?(t: number): number | undefined;
  observe?(metric: number): number;
  toJSON(): unknown;
  state?: unknown;
}

/** A schedule instance or its JSON → a schedule; undefined stays undefined. */
export function resolveSchedule(s: unknown): TrainerSchedule | undefined {
  if (s === undefined) return undefined;
  return (isSchedule(s) ? s : (makeSchedule as any).fromJSON(s)) as TrainerSchedule;
}

/** Which option a cycling momentum drives: `beta1` (Adam family, Lion, LAMB) or SGD/RMSprop's `momentum`. */
export function momentumKey(opt: Optimizer): 'momentum' | 'beta1' | undefined {
  const o = opt.options;
  if ('beta1' in o) return 'beta1';
  if ('momentum' in o && (o.momentum as number) > 0) return 'momentum';
  return undefined;
}
