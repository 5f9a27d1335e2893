// fit(): epochs, mini-batches, schedules, validation, early stopping and the divergence
// guard, driven from TypeScript; every forward/backward pass and update runs in WASM.
import type { Engine } from '../engine.js';
import type { Model } from '../models/model.js';
import { Optimizer } from '../optimizers/optimizer.js';
import { F32Block } from '../memory.js';
import { Random } from '../random.js';
import { show } from '../options.js';
import { checkDataset, gatherRows, split, type Dataset } from '../data/index.js';
import { parseFitOptions, resolveSchedule, momentumKey } from './options.js';
import { divergenceCheck, freshTracker, improve, type TrackerState } from './tracker.js';
import type { Checkpoint, EpochEntry, FitOptions, History } from './types.js';
import { evaluateDataset } from './evaluate.js';
import { FitAveraging } from '../averaging/fit-hooks.js';
import { Plan, runPlan, shardable, Sharder, SUM_BLOCK, teamFor } from '../threads/index.js';

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
// A macrotask turn without setTimeout's clamp (1 ms in Node, up to 4 ms in pages): fit yields
// every 50 ms, and a clamped yield alone cost ~2% of a long run.
const yieldToLoop: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise<void>((r) => setImmediate(r))
    : typeof MessageChannel === 'function'
      ? () =>
          new Promise<void>((r) => {
            const ch = new MessageChannel();
            ch.port1.onmessage = () => {
              ch.port1.close();
              r();
            };
            ch.port2.postMessage(0);
          })
      : () => new Promise<void>((r) => setTimeout(r, 0));

export async function fit(engine: Engine, model: Model, data: unknown, options: FitOptions = {}): Promise<History> {
  // ---- everything that can throw on bad input happens before anything is changed ----
  const o = parseFitOptions(options);
  checkModel(model);
  checkDataset(data, 'fit: data');
  const all = data as Dataset;
  checkCompatible(model, all, 'data');
  const rng = new Random(o.seed, 'shuffle');
  let train = all;
  let val: Dataset | undefined;
  if (typeof o.validation === 'number') {
    if (o.validation > 0) {
      const parts = split(all, { validation: o.validation, seed: o.seed });
      train = parts.train;
      val = parts.validation;
      if (val.count < 1 || train.count < 1) throw new RangeError(`fit: validation ${o.validation} leaves an empty split of ${all.count} rows`);
    }
  } else if (o.validation !== undefined) {
    checkDataset(o.validation, 'fit: validation');
    val = o.validation as Dataset;
    checkCompatible(model, val, 'validation');
  }
  const es = o.earlyStopping;
  const monitor = es ? es.monitor ?? (val ? 'valLoss' : 'loss') : val ? 'valLoss' : 'loss';
  if (es && monitor.startsWith('val') && !val) {
    throw new RangeError(`fit: earlyStopping monitors '${monitor}' but there is no validation data`);
  }
  const batchSize = o.batchSize === 'full' ? train.count : o.batchSize;
  if (batchSize > train.count) {
    throw new RangeError(`fit: batchSize ${batchSize} is larger than the ${train.count} training rows (use 'full' for batch gradient descent)`);
  }
  const iters = o.dropLast ? Math.floor(train.count / batchSize) : Math.ceil(train.count / batchSize);
  const sched = resolveSchedule(o.schedule);
  const metricDriven = typeof sched?.observe === 'function';
  const ownOptimizer = !(o.optimizer instanceof Optimizer);
  let opt: Optimizer;
  if (o.optimizer instanceof Optimizer) {
    opt = o.optimizer;
    if (opt.isDisposed) throw new Error('fit: optimizer was disposed');
    if (opt.buffer !== model.buffer) throw new TypeError("fit: optimizer must be made on the model's buffer (sd.optimizer(name, { buffer: model.buffer }))");
  } else {
    const { name, ...rest } = o.optimizer;
    opt = engine.optimizer(name, { ...rest, buffer: model.buffer });
  }
  const cycleKey = sched?.momentumAt && sched.momentumAt(0) !== undefined ? momentumKey(opt) : undefined;
  if (sched?.momentumAt && sched.momentumAt(0) !== undefined && !cycleKey) {
    if (ownOptimizer) opt.dispose();
    throw new TypeError(`fit: the schedule cycles momentum but '${opt.name}' has neither momentum nor beta1; set cycleMomentum: false`);
  }
  // Batches of SHARD_MIN_BATCH rows or more are sharded for every worker count (the same
  // bits for 1, 2, 4… workers); with more than one, the engine's workers share the shards.
  let team: Awaited<ReturnType<typeof teamFor>> = { agents: 1 };
  try {
    if (shardable(model, batchSize)) team = await teamFor(engine, o.workers, 'fit');
  } catch (e) {
    if (ownOptimizer) opt.dispose();
    throw e;
  }
  // swa / ema / snapshots / lookahead: hooks at the step and epoch boundaries (src/averaging/fit-hooks.ts).
  let avg: FitAveraging | undefined;
  if (o.swa || o.ema || o.snapshots || o.lookahead) {
    try {
      avg = new FitAveraging(engine, model, opt, sched as any, o);
      if (o.resume) avg.load(o.resume.averaging); // checks first; writes only the new averages
    } catch (e) {
      avg?.dispose();
      if (ownOptimizer) opt.dispose();
      throw e;
    }
  }
  const resume = o.resume;
  if (resume) {
    try {
      checkResume(resume, model, opt);
      opt.loadState(resume.optimizerState);
    } catch (e) {
      avg?.dispose();
      if (ownOptimizer) opt.dispose();
      throw e;
    }
  }

  // ---- the run ----
  const history: History = resume
    ? structuredClone(resume.history)
    : { epochs: [], iterations: [], stopReason: 'completed', steps: 0 };
  history.stopReason = 'completed';
  history.workers = team.agents;
  delete history.message;
  const tracker: TrackerState = resume ? { ...(resume.tracker as unknown as TrackerState) } : freshTracker();
  if (resume) {
    rng.state = resume.rngState;
    if (resume.schedule !== undefined && sched && 'state' in sched) sched.state = (resume.schedule as any).state;
  }
  let bestParams: Float32Array | undefined = resume?.bestParams ? Float32Array.from(resume.bestParams) : undefined;
  const guard = o.divergence;
  const keepBest = (es && es.restoreBest !== false) || guard !== false;
  if (keepBest && !bestParams) bestParams = Float32Array.from(model.buffer.params);

  const n = model.buffer.size;
  let acc: F32Block | undefined;
  if (o.accumulate > 1) acc = new F32Block(engine.mem, n);
  const k = engine.kernels;
  const { x: _x } = model.stage(batchSize); // size the scratch once
  void _x;
  let sharder: Sharder | undefined;
  try {
    if (shardable(model, batchSize)) sharder = new Sharder(engine, model, batchSize);
  } catch (e) {
    acc?.free();
    if (ownOptimizer) opt.dispose();
    throw e;
  }

  let epoch = resume ? resume.epoch : 0;
  let startBatch = resume ? resume.batch : 0;
  let lossSum = resume ? resume.epochLossSum : 0;
  let rows = resume ? resume.epochRows : 0;
  let lastYield = now();
  let lastLr = opt.lr;
  let stop = false;

  const makeCheckpoint = (batch: number, epochRng: number[]): Checkpoint => ({
    format: 'simdescent-checkpoint/1',
    model: model.toJSON(),
    optimizerName: opt.name,
    optimizerState: opt.saveState(),
    schedule: sched?.toJSON(),
    rngState: epochRng,
    epoch,
    batch,
    epochLossSum: lossSum,
    epochRows: rows,
    history: structuredClone(history),
    tracker: { ...tracker } as unknown as Record<string, unknown>,
    bestParams: bestParams ? Float32Array.from(bestParams) : undefined,
    ...(avg ? { averaging: avg.save() } : {}),
  });

  const restore = (why: History['stopReason']) => {
    if (bestParams) {
      model.buffer.params.set(bestParams);
      history.restoredEpoch = tracker.bestEpoch;
    }
    history.stopReason = why;
  };

  const setLr = (t: number) => {
    if (sched && !metricDriven) opt.lr = sched.lrAt(t);
    if (cycleKey) opt.set(cycleKey, sched!.momentumAt!(t)!);
  };

  try {
    while (epoch < o.epochs && !stop) {
      const t0 = now();
      const epochRng = rng.state;
      const order = o.shuffle ? rng.permutation(train.count) : identity(train.count);
      let prefetched = -1; // the batch (of this epoch) already gathered into its staging area
      let accCount = 0;
      let batch = startBatch;
      startBatch = 0;
      for (; batch < iters; batch++) {
        if (o.signal?.aborted && accCount === 0) {
          history.stopReason = 'aborted';
          history.message = 'aborted by the signal';
          await o.onCheckpoint?.(makeCheckpoint(batch, epochRng));
          stop = true;
          break;
        }
        const start = batch * batchSize;
        const end = Math.min(start + batchSize, train.count);
        const size = end - start;
        const tSched = o.scheduleUnit === 'epoch' ? epoch : o.scheduleUnit === 'step' ? history.steps : epoch + batch / iters;
        let loss: number;
        let fusedStep = false;
        if (sharder && shardable(model, size)) {
          // Sharded batches alternate between two staging areas: while the agents work on
          // this one, the calling thread gathers the next batch's rows into the other.
          const sh = sharder;
          const area = sh.doubleBuffered ? batch & 1 : 0;
          if (prefetched !== batch) {
            const st = sh.stage(area, size);
            gatherRows(train, order, start, end, st.x, st.y);
          }
          const plan = new Plan();
          const mean = sh.plan(plan, size, area);
          // Without accumulation or averaging hooks the optimizer step joins the job: each
          // 16384-parameter block is stepped by the task that sums it (element-wise rules;
          // the same bits as step()).
          const stepped = !acc && !avg ? (setLr(tSched), opt.planStep(plan, plan.nextPhase - 1, SUM_BLOCK)) : undefined;
          const next = batch + 1;
          const nStart = next * batchSize, nEnd = Math.min(nStart + batchSize, train.count);
          const prefetch =
            sh.doubleBuffered && next < iters && shardable(model, nEnd - nStart)
              ? () => {
                  const st = sh.stage(next & 1, nEnd - nStart);
                  gatherRows(train, order, nStart, nEnd, st.x, st.y);
                  prefetched = next;
                }
              : undefined;
          try {
            await runPlan(engine, plan, team.agents, team.pool, prefetch);
          } catch (e) {
            stepped?.(plan.stepState === 'done'); // completed by the calling thread, or not begun
            throw e;
          }
          stepped?.(true);
          fusedStep = !!stepped;
          loss = mean();
        } else {
          const staged = model.stage(size);
          gatherRows(train, order, start, end, staged.x, staged.y);
          loss = model.lossAndGradStaged(size);
        }
        lossSum += loss * size;
        rows += size;
        if (acc) {
          k.axpy_f32(acc.ptr, model.buffer.gradsPtr, n, 1);
          accCount++;
        }
        const stepNow = !acc || accCount === o.accumulate || batch === iters - 1;
        if (stepNow) {
          if (acc) {
            // grads ← (Σ batch grads) / k: the mean of the accumulated batch means.
            k.lerp_f32(model.buffer.gradsPtr, acc.ptr, n, 0, 1 / accCount);
            k.fill_f32(acc.ptr, n, 0);
            accCount = 0;
          }
          if (!fusedStep) {
            setLr(tSched);
            if (avg) avg.step(tSched, epoch, history.steps);
            else opt.step();
          }
          lastLr = opt.lr;
          if (o.historyEvery > 0 && history.steps % o.historyEvery === 0) {
            history.iterations.push({ step: history.steps, epoch: epoch + batch / iters, loss, lr: lastLr });
          }
          history.steps++;
        }
        if (guard !== false) {
          const why = divergenceCheck(tracker, loss, guard.factor, guard.smoothing);
          if (why) {
            restore('diverged');
            history.message = `diverged at epoch ${epoch + 1}, batch ${batch + 1}: ${why}. Try a lower learning rate (now ${lastLr}).`;
            stop = true;
            break;
          }
        }
        if (o.onBatchEnd) {
          const r = await o.onBatchEnd({ epoch: epoch + 1, batch, batches: iters, step: history.steps, loss, lr: lastLr, size });
          if (r === false) {
            history.stopReason = 'callback';
            stop = true;
            break;
          }
        }
        if (now() - lastYield > 50) {
          await yieldToLoop(); // keeps pages responsive and lets SIGINT handlers run
          lastYield = now();
        }
      }
      if (stop) break; // a partial epoch is not recorded; its checkpoint (abort) resumes it
      // ---- end of epoch ----
      const entry: EpochEntry = { epoch: epoch + 1, loss: lossSum / rows, lr: lastLr, ms: 0, samplesPerSec: 0 };
      if (val) {
        const r = evaluateDataset(model, val, Math.max(batchSize, 256));
        entry.valLoss = r.loss;
        if (r.accuracy !== undefined) entry.valAccuracy = r.accuracy;
      }
      avg?.epochEnd(entry, epoch, o.scheduleUnit === 'step' ? history.steps : epoch + 1, val, Math.max(batchSize, 256));
      entry.ms = now() - t0;
      entry.samplesPerSec = rows / (entry.ms / 1000);
      history.epochs.push(entry);
      epoch++;
      lossSum = 0;
      rows = 0;
      const metric = monitor === 'valLoss' ? entry.valLoss! : monitor === 'valAccuracy' ? entry.valAccuracy! : entry.loss;
      if (metricDriven) opt.lr = sched.observe!(metric);
      if (keepBest) {
        const improved = improve(tracker, metric, epoch, monitor === 'valAccuracy' ? 'max' : 'min', es ? es.minDelta ?? 0 : 0);
        if (improved) bestParams!.set(model.buffer.params);
        if (es && tracker.wait >= es.patience) {
          if (es.restoreBest !== false) restore('earlyStopping');
          else history.stopReason = 'earlyStopping';
          history.message = `no improvement in ${monitor} for ${es.patience} epochs (best ${tracker.best} at epoch ${tracker.bestEpoch})`;
          stop = true;
        }
      }
      if (!stop && o.onEpochEnd) {
        const r = await o.onEpochEnd(entry, history);
        if (r === false) {
          history.stopReason = 'callback';
          stop = true;
        }
      }
      if (o.onCheckpoint) await o.onCheckpoint(makeCheckpoint(0, rng.state));
      await yieldToLoop();
      lastYield = now();
    }
  } finally {
    sharder?.dispose();
    avg?.finish(history);
    avg?.dispose();
    acc?.free();
    if (ownOptimizer) opt.dispose();
  }
  return history;
}

function identity(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

function checkModel(model: unknown): asserts model is Model {
  const m = model as Model;
  if (!m || typeof m !== 'object' || typeof m.lossAndGradStaged !== 'function' || !m.buffer) {
    throw new TypeError(`fit: model must be made by sd.mlp(), got ${show(model)}`);
  }
  if (m.buffer.isDisposed) throw new Error('fit: model was disposed');
}

function checkCompatible(model: Model, d: Dataset, what: string): void {
  if (d.features !== model.inputs) {
    throw new RangeError(`fit: ${what} has ${d.features} features but the model's first layer takes ${model.inputs}`);
  }
  if (model.loss === 'softmaxCrossEntropy') {
    if (!(d.y instanceof Int32Array)) throw new TypeError(`fit: ${what}.y must be an Int32Array of labels for softmaxCrossEntropy`);
    const classes = d.classes ?? 0;
    if (classes > model.outputs) {
      throw new RangeError(`fit: ${what} has ${classes} classes but the model's last layer has ${model.outputs} outputs`);
    }
    for (let i = 0; i < d.y.length; i++) {
      if (d.y[i] < 0 || d.y[i] >= model.outputs) throw new RangeError(`fit: ${what}.y[${i}] = ${d.y[i]} is outside [0, ${model.outputs})`);
    }
  } else if (d.y instanceof Int32Array) {
    // Labels stage as one float per row: only a one-output BCE model reads them that way (as evaluate does).
    if (model.loss !== 'sigmoidBinaryCrossEntropy' || model.outputs !== 1) {
      const also = model.loss === 'sigmoidBinaryCrossEntropy' ? ', or a model with one output for labels in {0, 1}' : '';
      throw new TypeError(`fit: ${what}.y holds class labels (Int32Array), but ${model.loss} with ${model.outputs} outputs needs a Float32Array of count × ${model.outputs} targets (one-hot rows)${also}`);
    }
    for (let i = 0; i < d.y.length; i++) {
      if (d.y[i] !== 0 && d.y[i] !== 1) throw new RangeError(`fit: ${what}.y[${i}] = ${d.y[i]}: sigmoidBinaryCrossEntropy with one output takes labels in {0, 1}`);
    }
  } else if (d.y.length !== d.count * model.outputs) {
    throw new RangeError(`fit: ${what}.y has ${d.y.length} values, expected count × outputs = ${d.count * model.outputs}`);
  }
}

function checkResume(c: Checkpoint, model: Model, opt: Optimizer): void {
  if (!c || c.format !== 'simdescent-checkpoint/1') throw new TypeError('fit: resume must be a checkpoint from onCheckpoint');
  if (c.optimizerName !== opt.name) throw new Error(`fit: the checkpoint was made with optimizer '${c.optimizerName}', not '${opt.name}'`);
  // The architecture must match; the init seed need not (the checkpoint carries the params).
  const arch = (m: Record<string, unknown>) => JSON.stringify({ ...m, seed: undefined });
  if (arch(c.model) !== arch(model.toJSON())) {
    throw new Error(`fit: the checkpoint's model ${arch(c.model)} differs from this model ${arch(model.toJSON())}`);
  }
}
