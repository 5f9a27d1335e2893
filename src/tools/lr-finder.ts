// sd.lrFinder: the learning-rate range test (Smith, 2017, "Cyclical Learning Rates for
// Training Neural Networks", §3.3; fastai's lr_find). One mini-batch per lr while the lr rises
// from `start` to `end`; the loss is smoothed with an exponential moving average (debiased as
// fastai does) and the test stops once the smoothed loss passes divergeFactor × its minimum.
// The model's params (and a given optimizer's state) are restored afterwards, whatever happens.
// Batches of 128 rows or more are sharded as in fit (the same bits for any worker count; with
// workers, the shards share the threads).
import type { Core } from '../core/core.js';
import { createOptimizer } from '../optimizers/registry.js';
import type { Dataset } from '../data/index.js';
import type { Model } from '../models/model.js';
import { Optimizer } from '../optimizers/optimizer.js';
import { parseOptions, range, typed, type OptionsOf, type Spec } from '../options.js';
import type { OptimizerChoice } from '../optimizers/types.js';
import { Plan, runPlan, shardable, Sharder, teamFor } from '../threads/index.js';
import { checkWorkers, optimizerEntry, withContext } from './common.js';
import { Batches, checkModelData, Random, snapshot } from './loop.js';
import { held } from '../train/busy.js';

export interface Suggestion {
  lr: number;
  reason: string;
}

export interface LrFinderResult {
  lrs: number[];
  losses: number[];
  smoothed: number[];
  suggestions: { steepest: Suggestion | null; valley: Suggestion | null; minimum: Suggestion | null };
  /** Why a suggestion is null (the same sentence for each that is). */
  notes: string[];
  stoppedEarly: boolean;
  /** 'diverged' (smoothed loss > divergeFactor × min), 'nonFinite', or 'completed'. */
  stopReason: 'completed' | 'diverged' | 'nonFinite';
  optimizer: string;
  mode: 'exponential' | 'linear';
}

const MAX_STEPS = 10_000;

const SPEC = {
  start: { type: 'number', default: 1e-7, check: range.positive },
  end: { type: 'number', default: 10, check: range.positive },
  steps: { type: 'integer', default: 100, check: (v) => (v >= 5 && v <= MAX_STEPS ? undefined : `must be in [5, ${MAX_STEPS}]`) },
  mode: { type: 'string', default: 'exponential', values: ['exponential', 'linear'] as const },
  batchSize: { type: 'integer', default: 32, check: range.atLeast(1) },
  smoothing: { type: 'number', default: 0.05, check: (v) => (v > 0 && v <= 1 ? undefined : 'must be in (0, 1]') },
  divergeFactor: { type: 'number', default: 4, check: range.above(1) },
  seed: { type: 'integer', default: 0 },
  /** A name or { name, ...options } (lr is the finder's), or an optimizer made on model.buffer. */
  optimizer: typed<OptimizerChoice | Optimizer>()({ type: 'any' }),
  workers: typed<number | 'auto'>()({ type: 'any' }),
} satisfies Spec;

/** The lr of step i of n on the ramp. */
export function rampLr(mode: 'exponential' | 'linear', start: number, end: number, i: number, n: number): number {
  const t = n > 1 ? i / (n - 1) : 0;
  return mode === 'exponential' ? start * Math.pow(end / start, t) : start + (end - start) * t;
}

/** sd.lrFinder's options, from the spec above. */
export type LrFinderOptions = OptionsOf<typeof SPEC>;

export async function lrFinder(core: Core, model: Model, data: Dataset, options?: LrFinderOptions): Promise<LrFinderResult> {
  return held('lrFinder', model, () => run(core, model, data, options));
}

async function run(core: Core, model: Model, data: Dataset, options?: Record<string, any>): Promise<LrFinderResult> {
  const o = parseOptions('lrFinder', SPEC, options);
  checkWorkers('lrFinder', o.workers);
  if (o.start >= o.end) throw new RangeError(`lrFinder: start must be < end, got start ${o.start} and end ${o.end}`);
  checkModelData('lrFinder', model, data);

  // The optimizer: a name + options (made here on model.buffer) or one the caller made on it.
  let opt: Optimizer;
  let own = false;
  let savedState: Uint8Array | undefined;
  if (o.optimizer instanceof Optimizer) {
    opt = o.optimizer;
    if (opt.isDisposed) throw new Error('lrFinder: optimizer was disposed');
    if (opt.buffer !== model.buffer) throw new TypeError("lrFinder: optimizer must be made on the model's buffer (sd.optimizer(name, { buffer: model.buffer }))");
    savedState = opt.saveState();
  } else {
    const e = optimizerEntry('lrFinder: optimizer', o.optimizer ?? 'sgd', ['buffer', 'size', 'lr']);
    try {
      opt = createOptimizer(core, e.name, { buffer: model.buffer, ...e.options, lr: o.start });
    } catch (err) {
      withContext('lrFinder: optimizer', err);
    }
    own = true;
  }

  const restore = snapshot(model);
  const lrSaved = opt.lr;
  const batchSize = Math.min(o.batchSize, data.count);
  let sharder: Sharder | undefined;
  try {
    const team = shardable(model, batchSize) ? await teamFor(core, o.workers, 'lrFinder') : { agents: 1 };
    if (shardable(model, batchSize)) {
      model.stage(batchSize);
      sharder = new Sharder(core, model, batchSize, false); // batches arrive via model.stage()
    }
    const gradient = async (n: number): Promise<number> => {
      if (!sharder || !shardable(model, n)) return model.lossAndGradStaged(n);
      const plan = new Plan();
      const mean = sharder.plan(plan, n);
      await runPlan(core, plan, team.agents, team.pool);
      return mean();
    };
    const batches = new Batches(model, data, batchSize, new Random(o.seed));
    const beta = 1 - o.smoothing;
    const lrs: number[] = [];
    const losses: number[] = [];
    const smoothed: number[] = [];
    let avg = 0;
    let best = Infinity;
    let stopReason: LrFinderResult['stopReason'] = 'completed';
    for (let i = 0; i < o.steps; i++) {
      const lr = rampLr(o.mode, o.start, o.end, i, o.steps);
      opt.lr = lr;
      const loss = await gradient(batches.next());
      opt.step();
      if (!Number.isFinite(loss)) {
        stopReason = 'nonFinite';
        break;
      }
      avg = beta * avg + (1 - beta) * loss;
      const s = avg / (1 - Math.pow(beta, i + 1));
      lrs.push(lr);
      losses.push(loss);
      smoothed.push(s);
      if (s < best) best = s;
      // fastai's rule; the point that crossed the line is kept so the blow-up shows.
      if (i > 0 && s > o.divergeFactor * best) {
        stopReason = 'diverged';
        break;
      }
    }
    const { suggestions, notes } = suggest(lrs, smoothed);
    return {
      lrs,
      losses,
      smoothed,
      suggestions,
      notes,
      stoppedEarly: stopReason !== 'completed',
      stopReason,
      optimizer: opt.name,
      mode: o.mode,
    };
  } finally {
    sharder?.dispose();
    restore();
    if (own) opt.dispose();
    else {
      opt.lr = lrSaved;
      opt.loadState(savedState!);
    }
  }
}

/**
 * The three suggestions from a smoothed curve. Like fastai, the first and last few points are
 * left out (the average is still warming up at the start, and blowing up at the end).
 */
export function suggest(lrs: number[], smoothed: number[]): { suggestions: LrFinderResult['suggestions']; notes: string[] } {
  const none = { steepest: null, valley: null, minimum: null };
  const n = smoothed.length;
  const skipStart = Math.min(10, Math.floor(n / 10));
  const skipEnd = Math.min(5, Math.floor(n / 20));
  const lo = skipStart, hi = n - skipEnd; // usable [lo, hi)
  if (hi - lo < 5) {
    return { suggestions: none, notes: [`too short to suggest an lr: ${n} points before the test stopped (need at least ${5 + skipStart + skipEnd}); lower start or raise steps`] };
  }
  const ls = lrs.slice(lo, hi);
  const ys = smoothed.slice(lo, hi);
  const max = Math.max(...ys), min = Math.min(...ys);
  const scale = Math.max(Math.abs(max), Math.abs(min), 1e-12);
  if ((max - min) / scale < 0.01) {
    return { suggestions: none, notes: [`too flat to suggest an lr: the smoothed loss moves by less than 1% between ${fmt(ls[0])} and ${fmt(ls[ls.length - 1])}; widen the range`] };
  }
  const notes: string[] = [];

  // steepest: most negative d(smoothed)/d(log10 lr). fastai takes numpy.gradient (neighbours
  // only), which follows the batch noise the smoothing leaves; differences over ±w points
  // (w = n/20, 5 of 100) measure the trend instead.
  const u = ls.map((v) => Math.log10(v));
  const w = Math.max(1, Math.round(n / 20));
  let steepest: Suggestion | null = null;
  let bestSlope = 0, at = -1;
  for (let i = 0; i < ys.length; i++) {
    const a = Math.max(0, i - w), b = Math.min(ys.length - 1, i + w);
    const slope = (ys[b] - ys[a]) / (u[b] - u[a]);
    if (slope < bestSlope) {
      bestSlope = slope;
      at = i;
    }
  }
  if (at >= 0) steepest = { lr: ls[at], reason: `steepest descent of the smoothed loss (${fmt(bestSlope)} per decade of lr) at ${fmt(ls[at])}` };
  else notes.push('steepest: the smoothed loss never falls as the lr rises');

  // valley (fastai): the longest decreasing subsequence of the curve marks the valley; the lr
  // halfway between its first and second third (fastai's idx = start + ⌊s⌋ + ⌊s/2⌋, s = len/3).
  const lds = new Array(ys.length).fill(1);
  let maxStart = 0, maxEnd = 0;
  for (let i = 1; i < ys.length; i++) {
    for (let j = 0; j < i; j++) if (ys[i] < ys[j] && lds[i] < lds[j] + 1) lds[i] = lds[j] + 1;
    if (lds[maxEnd] < lds[i]) {
      maxEnd = i;
      maxStart = maxEnd - lds[maxEnd];
    }
  }
  let valley: Suggestion | null = null;
  if (lds[maxEnd] >= 3) {
    const sections = (maxEnd - maxStart) / 3;
    const idx = Math.max(0, maxStart + Math.floor(sections) + Math.floor(sections / 2));
    valley = { lr: ls[idx], reason: `inside the longest descent of the smoothed loss (${fmt(ls[Math.max(0, maxStart)])} to ${fmt(ls[maxEnd])})` };
  } else notes.push('valley: no descending stretch of at least 3 points');

  // minimum/10: a tenth of the lr at the lowest smoothed loss (a safe margin below the blow-up).
  let iMin = 0;
  for (let i = 1; i < ys.length; i++) if (ys[i] < ys[iMin]) iMin = i;
  let minimum: Suggestion | null = null;
  if (iMin > 0) minimum = { lr: ls[iMin] / 10, reason: `a tenth of ${fmt(ls[iMin])}, where the smoothed loss is lowest (${fmt(ys[iMin])})` };
  else notes.push('minimum: the smoothed loss is lowest at the first usable lr; lower start');
  return { suggestions: { steepest, valley, minimum }, notes };
}

function fmt(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

