// From flags to library objects: engine, model, optimizer options and schedule, each
// validated by the library with its errors turned into one-line usage errors.
import type { Command } from 'commander';
import { type InitOptions, init } from '../init.js';
import { stopWorkers, threadContext } from '../threads/index.js';
import type { Engine } from '../engine.js';
import type { Model } from '../models/model.js';
import { RULES } from '../optimizers/registry.js';
import * as schedules from '../schedules/index.js';
import { UsageError, asUsage, kebab } from './errors.js';
import { type Dataset, isClassification, outputsOf } from './data.js';
import { SCHEDULE_KEYS, given, optimizerKeys } from './flags.js';
import { optimizerName, scheduleName } from './names.js';
import { enableRelaxedSimd } from './fma.js';

/**
 * The engine for a command: the scalar build with --scalar; with --workers n>1 or 'auto', one
 * made by init({ workers }) on shared memory, whose worker count fit (and the tools that train
 * through it) use by default. --scalar --workers 2 gets init's notice and one thread.
 */
export async function engine(o: { scalar?: boolean; fma?: boolean; workers?: number | 'auto' }): Promise<Engine> {
  const options: InitOptions = o.scalar ? { simd: false } : {};
  if (o.fma) {
    enableRelaxedSimd();
    options.fma = true;
  }
  if (o.workers !== undefined && o.workers !== 1) options.workers = o.workers;
  return init(options);
}

/** Workers the engine trains with: init's count (resolved 'auto'), 1 without threads. */
export function engineWorkers(sd: Engine): number {
  return threadContext(sd)?.workers ?? 1;
}

/** Stop the engine's worker threads, if it started any (they are unref'd; this just tidies up). */
export async function closeEngine(sd: Engine): Promise<void> {
  await stopWorkers(sd);
}

export interface ModelConfig {
  layers: number[];
  activation: string;
  loss: string;
  seed: number;
}

export function modelConfig(o: Record<string, any>, ds: Dataset): ModelConfig {
  // Binary cross-entropy on class labels: one output, the probability of class 1 (what fit and evaluate both read).
  const bce = o.loss === 'sigmoidBinaryCrossEntropy' && isClassification(ds);
  if (bce && (ds.classes as number) > 2) {
    throw new UsageError(`--loss sigmoidBinaryCrossEntropy takes two classes (one output); this data has ${ds.classes} classes: use --loss softmaxCrossEntropy`);
  }
  const outputs = bce ? 1 : outputsOf(ds);
  const layers: number[] = o.layers ?? [ds.features, 128, outputs];
  if (layers.length < 2) throw new UsageError(`--layers needs at least two widths (inputs and outputs), got ${layers.join(',')}`);
  if (layers[0] !== ds.features) {
    throw new UsageError(`--layers ${layers.join(',')}: the first width must be ${ds.features}, the data's number of features`);
  }
  const last = layers[layers.length - 1];
  if (bce) {
    if (last !== 1) throw new UsageError(`--layers ${layers.join(',')}: the last width must be 1 for --loss sigmoidBinaryCrossEntropy (one output: the probability of class 1)`);
  } else if (isClassification(ds)) {
    const classes = ds.classes as number;
    if (last !== classes) {
      throw new UsageError(`--layers ${layers.join(',')}: the last width must be ${classes}, the data's number of classes`);
    }
  } else if (last !== outputs) {
    throw new UsageError(`--layers ${layers.join(',')}: the last width must be ${outputs}, the data's number of targets`);
  }
  const loss = o.loss ?? (isClassification(ds) ? 'softmaxCrossEntropy' : 'mse');
  if (loss === 'softmaxCrossEntropy' && !isClassification(ds)) throw new UsageError('--loss softmaxCrossEntropy needs class labels; this data has numeric targets (use --loss mse)');
  return { layers, activation: o.activation ?? 'relu', loss, seed: o.seed ?? 1 };
}

/**
 * The data as the model's loss reads it in fit and evaluate alike: class labels become one-hot
 * rows for mse (BCE with one output and softmax take the labels as they are).
 */
export function asTargets(ds: Dataset, c: ModelConfig): Dataset {
  if (!(ds.y instanceof Int32Array) || c.loss !== 'mse') return ds;
  const k = c.layers[c.layers.length - 1];
  const y = new Float32Array(ds.count * k);
  for (let i = 0; i < ds.count; i++) y[i * k + ds.y[i]] = 1;
  return { x: ds.x, y, count: ds.count, features: ds.features, outputs: k };
}

export function makeModel(sd: Engine, c: ModelConfig): Model {
  try {
    return sd.mlp(c as any);
  } catch (err) {
    throw asUsage(err, ['layers', 'activation', 'loss', 'seed']);
  }
}

/** { name, lr?, …options given as flags }, checked by building a throwaway optimizer. */
export function optimizerConfig(o: Record<string, any>, cmd: Command, sd?: Engine): Record<string, any> & { name: string } {
  const name = optimizerName(o.optimizer);
  const keys = [...optimizerKeys().keys(), 'clipNorm', 'clipValue'];
  const out: Record<string, any> & { name: string } = { name };
  if (o.lr !== undefined) out.lr = o.lr;
  for (const k of given(cmd, keys)) out[k] = o[k];
  if (sd) checkOptimizer(sd, out);
  return out;
}

export function checkOptimizer(sd: Engine, config: Record<string, any> & { name: string }): void {
  const { name, ...rest } = config;
  let opt: { dispose(): void } | undefined;
  try {
    opt = sd.optimizer(name, { ...rest, size: 4 });
  } catch (err) {
    const m = /unknown option '(\w+)'/.exec((err as Error).message);
    if (m && err instanceof TypeError) {
      const takes = [...Object.keys(RULES[name].spec), 'clipNorm', 'clipValue'].map((k) => `--${kebab(k)}`);
      throw new UsageError(`--${kebab(m[1])} does not apply to --optimizer ${name}; ${name} takes ${takes.join(', ')}`);
    }
    throw asUsage(err, ['lr', ...Object.keys(rest)]);
  } finally {
    opt?.dispose();
  }
}

export function defaultLr(name: string): number {
  return (RULES[name]?.spec.lr?.default as number) ?? 1e-3;
}

export interface ScheduleConfig {
  name: string;
  options: Record<string, unknown>;
  /** Linear warmup over this many epochs before the schedule (its clock starts after). */
  warmup?: number;
}

/** The schedule's name and options; epoch-length defaults filled from --epochs. */
export function scheduleConfig(o: Record<string, any>, cmd: Command, lr: number, epochs: number): ScheduleConfig | undefined {
  const keys = Object.keys(SCHEDULE_KEYS);
  const set = given(cmd, keys);
  if (o.schedule === undefined && o.warmup === undefined) {
    if (set.length) throw new UsageError(`--${kebab(set[0])} is a schedule option; choose a schedule with --schedule`);
    return undefined;
  }
  const name = o.schedule === undefined ? 'constant' : scheduleName(o.schedule);
  const options: Record<string, unknown> = {};
  for (const k of set) options[k] = o[k];
  const span = Math.max(1, epochs - (o.warmup ?? 0));
  switch (name) {
    case 'cosineWarmRestarts':
      options.t0 ??= 1;
      options.tMult ??= 2;
      break;
    case 'cosine':
      options.tMax ??= span;
      break;
    case 'oneCycle':
      options.totalSteps ??= span;
      options.lrMax ??= lr;
      break;
    case 'cyclic':
      options.lrMax ??= lr;
      options.lrMin ??= lr / 10;
      break;
    case 'polynomial':
      options.totalIters ??= span;
      break;
  }
  if (name !== 'oneCycle' && name !== 'cyclic') options.lr = lr;
  return { name, options, ...(o.warmup !== undefined ? { warmup: o.warmup } : {}) };
}

export function makeSchedule(c: ScheduleConfig): any {
  const lib = schedules as any;
  try {
    const inner = lib.schedule(c.name, c.options);
    if (c.warmup === undefined) return inner;
    return lib.schedule('warmup', { warmupSteps: c.warmup, schedule: inner.toJSON() });
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError) throw scheduleError(err, c.name);
    throw err;
  }
}

/** Library schedule errors in flag names: "--t0 does not apply to --schedule step; step takes …". */
function scheduleError(err: Error, name: string): UsageError {
  const msg = err.message;
  const unknown = /unknown option '(\w+)'.*known options: ([\w, ]+)/.exec(msg);
  if (unknown) {
    const takes = unknown[2]
      .split(/,\s*/)
      .filter((k) => k && !['lr', 'eps', 'schedule', 'schedules'].includes(k))
      .map((k) => `--${kebab(k)}`);
    return new UsageError(`--${kebab(unknown[1])} does not apply to --schedule ${name}; ${name} takes ${takes.join(', ') || 'only --lr'}`);
  }
  const missing = /^\w+: missing option '(\w+)'$/.exec(msg);
  if (missing && missing[1] in SCHEDULE_KEYS) return new UsageError(`--schedule ${name} needs --${kebab(missing[1])}`);
  const u = asUsage(msg.replace(/^schedule: unknown schedule/, '--schedule: unknown schedule'), [...Object.keys(SCHEDULE_KEYS), 'warmupSteps']);
  return new UsageError(u.message.replace(/^warmup: --warmup-steps/, '--warmup'));
}
