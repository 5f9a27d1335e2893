// fit({ resume }) takes a checkpoint that may come from a file: every field is checked here —
// type, range, length, and consistency with the model, the data and the options — before fit
// makes or writes anything, and a bad field is an Error that names it (resume.<field>): a
// TypeError for a wrong type, a RangeError for a value out of range or inconsistent. What
// passes can be applied without a later throw: the RNG and schedule states are tried on copies.
import type { Model } from '../models/model.js';
import { Optimizer } from '../optimizers/optimizer.js';
import { ruleFor } from '../optimizers/registry.js';
import { decodeState } from '../optimizers/state.js';
import { Random } from '../random.js';
import { show } from '../options.js';
import { resolveSchedule, type ParsedFit, type TrainerSchedule } from './options.js';
import type { Checkpoint, History } from './types.js';

const KEYS = new Set(['format', 'model', 'optimizerName', 'optimizerState', 'schedule', 'rngState', 'epoch', 'batch',
  'epochLossSum', 'epochRows', 'history', 'tracker', 'bestParams', 'averaging']);
const TRACKER_KEYS = ['ema', 'emaCount', 'bestSmoothed', 'firstSmoothed', 'best', 'bestEpoch', 'wait'];
const STOP_REASONS = ['completed', 'earlyStopping', 'diverged', 'aborted', 'callback'];
const HISTORY_KEYS = new Set(['epochs', 'iterations', 'stopReason', 'message', 'restoredEpoch', 'steps', 'workers']);

export interface ResumeContext {
  o: ParsedFit;
  model: Model;
  /** Batches per epoch and rows per batch of this run. */
  iters: number;
  batchSize: number;
  /** The schedule fit resolved from the options (not written to). */
  sched: TrainerSchedule | undefined;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const whole = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Throws naming the first bad field of `c`; returns normally when fit can apply all of it. */
export function checkResumeFields(c: unknown, ctx: ResumeContext): asserts c is Checkpoint {
  const { o, model, iters, batchSize } = ctx;
  const type: (field: string, want: string, v: unknown) => never = (field, want, v) => {
    throw new TypeError(`fit: resume.${field} must be ${want}, got ${show(v)}`);
  };
  const range: (field: string, why: string) => never = (field, why) => {
    throw new RangeError(`fit: resume.${field} ${why}`);
  };
  if (!isObj(c) || c.format !== 'simdescent-checkpoint/1') throw new TypeError('fit: resume must be a checkpoint from onCheckpoint');
  for (const k of Object.keys(c)) {
    if (!KEYS.has(k)) throw new TypeError(`fit: resume has an unknown field '${k.slice(0, 40)}' (not a checkpoint from onCheckpoint?)`);
  }

  // The model: same architecture (the init seed may differ: the params travel in the state).
  if (!isObj(c.model)) type('model', "a model's toJSON()", c.model);
  const arch = (m: Record<string, unknown>) => JSON.stringify({ ...m, seed: undefined });
  if (arch(c.model) !== arch(model.toJSON())) {
    throw new RangeError(`fit: resume.model ${arch(c.model).slice(0, 200)} differs from this model ${arch(model.toJSON())}`);
  }

  // The optimizer state: decodable, the optimizer of the options, sized for this model.
  const name = o.optimizer instanceof Optimizer ? o.optimizer.name : ruleFor(o.optimizer.name).name;
  if (typeof c.optimizerName !== 'string') type('optimizerName', 'a string', c.optimizerName);
  if (c.optimizerName !== name) throw new RangeError(`fit: the checkpoint was made with optimizer '${c.optimizerName.slice(0, 40)}', not '${name}'`);
  if (!(c.optimizerState instanceof Uint8Array)) type('optimizerState', 'a Uint8Array (saveState() bytes)', c.optimizerState);
  let state;
  try {
    state = decodeState(c.optimizerState);
  } catch (e) {
    throw new RangeError(`fit: resume.optimizerState: ${(e as Error).message}`);
  }
  if (state.optimizer !== name) throw new RangeError(`fit: resume.optimizerState was saved by '${state.optimizer.slice(0, 40)}', not '${name}'`);
  const n = model.buffer.size;
  if (state.size !== n) range('optimizerState', `holds ${state.size} parameters, the model has ${n}`);

  // Where the run stands: epochs done, batches done in the current epoch, that epoch's sums.
  if (!whole(c.epoch)) type('epoch', 'a whole number ≥ 0', c.epoch);
  if (c.epoch > o.epochs) range('epoch', `is ${c.epoch}, past the ${o.epochs} epochs of this run`);
  if (!whole(c.batch)) type('batch', 'a whole number ≥ 0', c.batch);
  if (c.batch >= iters) range('batch', `is ${c.batch}, but an epoch has ${iters} batches (same data, batchSize and dropLast?)`);
  if (c.batch % o.accumulate !== 0) range('batch', `is ${c.batch}, not a multiple of accumulate ${o.accumulate} (same accumulate?)`);
  if (!whole(c.epochRows)) type('epochRows', 'a whole number ≥ 0', c.epochRows);
  if (c.epochRows !== c.batch * batchSize) range('epochRows', `is ${c.epochRows}, but ${c.batch} batches of ${batchSize} rows hold ${c.batch * batchSize}`);
  if (typeof c.epochLossSum !== 'number') type('epochLossSum', 'a number', c.epochLossSum);
  if (c.batch === 0 && !Object.is(c.epochLossSum, 0)) range('epochLossSum', `is ${c.epochLossSum} at the start of an epoch (expected 0)`);
  if (o.divergence !== false && !Number.isFinite(c.epochLossSum)) range('epochLossSum', `is ${c.epochLossSum}; the divergence guard stops a run before that`);
  // Index by index: a sparse array's holes would pass an every() and load as 0.
  const rs = c.rngState;
  if (!Array.isArray(rs) || rs.length !== 4 || ![0, 1, 2, 3].every((i) => Number.isInteger(rs[i]) && rs[i] >= 0 && rs[i] <= 0xffffffff)) {
    type('rngState', 'four u32 integers', rs);
  }
  if (rs.every((v) => v === 0)) range('rngState', 'is all zeros (xoshiro128** never reaches it)');
  new Random(0).state = rs as number[];

  checkHistory(c.history, c.epoch, c.batch, ctx);
  const history = c.history as History;
  // fit's own optimizer starts fresh, so its step count is the run's; one handed in may have stepped before.
  const taken = state.stepCount + state.skippedSteps;
  if (o.optimizer instanceof Optimizer ? taken < history.steps : taken !== history.steps) {
    range('optimizerState', `has taken ${taken} steps, but resume.history.steps is ${history.steps}`);
  }
  // Best params exist exactly when the options keep them (early stopping restoreBest or the guard).
  const es = o.earlyStopping;
  const keepBest = (es && es.restoreBest !== false) || o.divergence !== false;
  checkTracker(c.tracker, c.epoch, c.batch, ctx, keepBest || !!es);
  if (c.bestParams !== undefined) {
    if (!(c.bestParams instanceof Float32Array)) type('bestParams', 'a Float32Array', c.bestParams);
    if (c.bestParams.length !== n) range('bestParams', `holds ${c.bestParams.length} values, the model has ${n} parameters`);
    if (!keepBest) throw new RangeError('fit: resume.bestParams is set but these options keep no best params (resume with the earlyStopping and divergence options of the checkpointed run)');
  } else if (keepBest) {
    throw new RangeError('fit: resume.bestParams is missing but these options keep best params (resume with the earlyStopping and divergence options of the checkpointed run)');
  }

  // The schedule: the one of the options (its plateau state travels in the checkpoint).
  const sched = ctx.sched;
  if ((c.schedule === undefined) !== (sched === undefined)) {
    throw new RangeError(`fit: resume.schedule is ${c.schedule === undefined ? 'missing but the options have' : 'set but the options have no'} a schedule (resume with the same schedule)`);
  }
  if (sched) {
    const strip = (j: unknown) => JSON.stringify(isObj(j) ? { ...j, state: undefined } : j);
    const mine = sched.toJSON();
    if (strip(c.schedule) !== strip(mine)) {
      throw new RangeError(`fit: resume.schedule ${strip(c.schedule).slice(0, 200)} differs from the schedule option ${strip(mine)}`);
    }
    if ('state' in sched) {
      // Tried on a fresh copy of the schedule: the caller's instance is written only by the run.
      const copy = resolveSchedule(mine)!;
      try {
        copy.state = (c.schedule as { state?: unknown }).state;
      } catch (e) {
        throw new RangeError(`fit: resume.schedule.state: ${(e as Error).message}`);
      }
    }
  }
  checkAveraging(c.averaging, state.stepCount, history.steps, c.epoch, o);
  if (sched && typeof sched.observe === 'function') {
    // A metric-driven schedule (plateau) observes once per epoch end.
    const seen = (c.schedule as { state?: { observations?: unknown } }).state?.observations;
    if (seen !== c.epoch) range('schedule.state.observations', `is ${show(seen)}, but ${c.epoch} epochs ended`);
  }
}

/** Bounds the averages' counters; presence and lengths are checked where they load (src/train/averaging.ts). */
function checkAveraging(a: unknown, optSteps: number, steps: number, epoch: number, o: ParsedFit): void {
  if (a === undefined) return;
  if (!isObj(a)) throw new TypeError(`fit: resume.averaging must be an object, got ${show(a)}`);
  const upTo = (field: string, v: unknown, max: number) => {
    if (v !== undefined && (!whole(v) || v > max)) throw new RangeError(`fit: resume.averaging.${field} must be a whole number ≤ ${max}, got ${show(v)}`);
  };
  // One EMA update per step, one SWA update per epoch, cycle or step; Lookahead counts the inner optimizer's steps.
  if (isObj(a.ema)) upTo('ema.updates', a.ema.updates, steps);
  if (isObj(a.swa)) upTo('swa.updates', a.swa.updates, steps + epoch);
  if (isObj(a.lookahead)) upTo('lookahead.fastSteps', a.lookahead.fastSteps, optSteps);
  if (Array.isArray(a.snapshots) && a.snapshots.length > steps + 1) {
    throw new RangeError(`fit: resume.averaging.snapshots holds ${a.snapshots.length} snapshots, more than the run's ${steps} steps allow`);
  }
  upTo('lastCycle', a.lastCycle, Number.MAX_SAFE_INTEGER);
  void o;
}

function checkHistory(h: unknown, epoch: number, batch: number, ctx: ResumeContext): void {
  const { o, iters } = ctx;
  const bad: (field: string, why: string) => never = (field, why) => {
    throw new RangeError(`fit: resume.history.${field} ${why}`);
  };
  if (!isObj(h)) throw new TypeError(`fit: resume.history must be an object, got ${show(h)}`);
  for (const [k, v] of Object.entries(h)) {
    // Fields this version does not know are kept only when they are plain values.
    if (!HISTORY_KEYS.has(k) && v !== undefined && typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') {
      bad(k.slice(0, 40), `is not a field of a fit() history (got ${show(v)})`);
    }
  }
  if (!Array.isArray(h.epochs)) bad('epochs', 'must be an array');
  const epochs = h.epochs as unknown[];
  if (epochs.length !== epoch) bad('epochs', `holds ${epochs.length} entries but resume.epoch is ${epoch}`);
  epochs.forEach((e, i) => {
    if (!isObj(e)) bad(`epochs[${i}]`, 'must be an object');
    if (e.epoch !== i + 1) bad(`epochs[${i}].epoch`, `must be ${i + 1}, got ${show(e.epoch)}`);
    for (const [k, v] of Object.entries(e)) {
      if (typeof v !== 'number') bad(`epochs[${i}].${k.slice(0, 40)}`, `must be a number, got ${show(v)}`);
    }
    // Wall times may be absent (an epoch trained elsewhere, e.g. by PyTorch); loss and lr may not.
    for (const k of ['loss', 'lr']) if (typeof e[k] !== 'number') bad(`epochs[${i}].${k}`, 'is missing');
  });
  if (!whole(h.steps)) bad('steps', `must be a whole number ≥ 0, got ${show(h.steps)}`);
  const steps = h.steps as number;
  // One optimizer step per `accumulate` batches, and one for an epoch's trailing partial group.
  const perEpoch = Math.ceil(iters / o.accumulate);
  const expected = epoch * perEpoch + batch / o.accumulate;
  if (steps !== expected) {
    bad('steps', `is ${steps}, but ${epoch} epochs of ${perEpoch} steps and ${batch} batches make ${expected} (same data, batchSize, dropLast and accumulate?)`);
  }
  if (!Array.isArray(h.iterations)) bad('iterations', 'must be an array');
  const its = h.iterations as unknown[];
  if (its.length > steps) bad('iterations', `holds ${its.length} entries, more than the ${steps} steps`);
  its.forEach((it, i) => {
    if (!isObj(it)) bad(`iterations[${i}]`, 'must be an object');
    for (const k of ['step', 'epoch', 'loss', 'lr']) if (typeof it[k] !== 'number') bad(`iterations[${i}].${k}`, `must be a number, got ${show(it[k])}`);
    if (Object.keys(it).length !== 4) bad(`iterations[${i}]`, 'must hold step, epoch, loss and lr only');
    if (!whole(it.step) || (it.step as number) >= steps) bad(`iterations[${i}].step`, `must be a whole number below ${steps}, got ${show(it.step)}`);
  });
  if (typeof h.stopReason !== 'string' || !STOP_REASONS.includes(h.stopReason)) bad('stopReason', `must be one of ${STOP_REASONS.join(', ')}, got ${show(h.stopReason)}`);
  if (h.message !== undefined && typeof h.message !== 'string') bad('message', `must be a string, got ${show(h.message)}`);
  if (h.restoredEpoch !== undefined && (!whole(h.restoredEpoch) || h.restoredEpoch > epoch)) bad('restoredEpoch', `must be an epoch ≤ ${epoch}, got ${show(h.restoredEpoch)}`);
  if (h.workers !== undefined && (!whole(h.workers) || h.workers < 1)) bad('workers', `must be a whole number ≥ 1, got ${show(h.workers)}`);
}

function checkTracker(t: unknown, epoch: number, batch: number, ctx: ResumeContext, keepBest: boolean): void {
  const bad: (field: string, why: string) => never = (field, why) => {
    throw new RangeError(`fit: resume.tracker.${field} ${why}`);
  };
  if (!isObj(t)) throw new TypeError(`fit: resume.tracker must be an object, got ${show(t)}`);
  for (const k of Object.keys(t)) if (!TRACKER_KEYS.includes(k)) bad(k.slice(0, 40), 'is not a tracker field');
  for (const k of TRACKER_KEYS) if (typeof t[k] !== 'number') bad(k, `must be a number, got ${show(t[k])}`);
  const v = t as Record<string, number>;
  // The guard sees every batch; without it the tracker's loss fields stay as made.
  const batches = ctx.o.divergence !== false ? epoch * ctx.iters + batch : 0;
  if (v.emaCount !== batches) bad('emaCount', `is ${v.emaCount}, but ${batches} batches passed the divergence guard (same divergence option?)`);
  // Losses are ≥ 0, so are their running means; the best smoothed loss is at most the first.
  if (!(Number.isFinite(v.ema) && v.ema >= 0)) bad('ema', `must be finite and ≥ 0, got ${v.ema}`);
  if (batches === 0 && !(v.ema === 0 && v.bestSmoothed === Infinity && Number.isNaN(v.firstSmoothed))) {
    bad('ema', 'bestSmoothed and firstSmoothed must be 0, Infinity and NaN before the first batch');
  }
  if (batches > 0 && !(v.firstSmoothed >= 0 && v.bestSmoothed >= 0 && v.bestSmoothed <= v.firstSmoothed && Number.isFinite(v.firstSmoothed))) {
    bad('bestSmoothed', `must be in [0, firstSmoothed] after ${batches} batches, got ${v.bestSmoothed} and firstSmoothed ${v.firstSmoothed}`);
  }
  // Best-epoch bookkeeping runs at each epoch end when best params are kept.
  const epochs = keepBest ? epoch : 0;
  if (!whole(v.bestEpoch) || v.bestEpoch > epochs || (epochs > 0 && v.bestEpoch < 1)) bad('bestEpoch', `must be an epoch in [${Math.min(epochs, 1)}, ${epochs}], got ${v.bestEpoch}`);
  if (v.wait !== epochs - v.bestEpoch) bad('wait', `is ${v.wait}, but the best epoch ${v.bestEpoch} was ${epochs - v.bestEpoch} epochs ago`);
  if (epochs === 0 && !Number.isNaN(v.best)) bad('best', `must be NaN before the first epoch end, got ${v.best}`);
}

/**
 * A checkpoint written as early stopping fired (the last one of that run) resumes to the same
 * end: the run stops before another epoch, as the uninterrupted one did. Fills `history` and
 * returns true then.
 */
export function stoppedEarly(c: Checkpoint, o: ParsedFit, history: History, monitor: string): boolean {
  const es = o.earlyStopping;
  const t = c.tracker as { wait: number; best: number; bestEpoch: number };
  if (!es || t.wait < es.patience) return false;
  history.stopReason = 'earlyStopping';
  if (es.restoreBest !== false) history.restoredEpoch = t.bestEpoch; // the params were restored before the checkpoint
  history.message = `no improvement in ${monitor} for ${es.patience} epochs (best ${t.best} at epoch ${t.bestEpoch})`;
  return true;
}
