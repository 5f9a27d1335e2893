// fit(): epochs, mini-batches, schedules, validation, early stopping and the divergence
// guard, driven from TypeScript; every forward/backward pass and update runs in WASM. In
// parts: prepare (prepare.ts: validate, resolve, allocate) → the batches, each through the
// step strategy prepare chose (step.ts: plain, accumulated, sharded) → the end of each
// epoch (epoch.ts) → finish (below: one dispose path).
import type { Core } from '../core/core.js';
import type { Model } from '../models/model.js';
import { held } from './busy.js';
import { stoppedEarly } from './checkpoint-validate.js';
import { checkpoint, endEpoch, restore } from './epoch.js';
import { prepare, type Run } from './prepare.js';
import type { Batch, FusableStep, ParallelSteps } from './step.js';
import { divergenceCheck } from './tracker.js';
import type { FitOptions, History } from './types.js';

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

/**
 * Trains `model` on `data`. `parallel`: the sharded step strategy (the facade passes the one
 * in src/threads/fit-step.ts); without it every batch takes the plain step.
 */
export async function fit(core: Core, model: Model, data: unknown, options: FitOptions = {}, parallel?: ParallelSteps): Promise<History> {
  // Held from the first synchronous line, so a second fit() or tool on this model is refused
  // (src/train/busy.ts); released on every exit, errors and aborts included. An optimizer
  // given to fit must be on the model's buffer, so holding the buffer holds it too.
  return held('fit', model, () => fitHeld(core, model, data, options, parallel));
}

async function fitHeld(core: Core, model: Model, data: unknown, options: FitOptions, parallel?: ParallelSteps): Promise<History> {
  const run = await prepare(core, model, data, options, parallel);
  try {
    // A checkpoint written as early stopping fired resumes to that stop, not another epoch.
    const resume = run.o.resume;
    if (!(resume && stoppedEarly(resume, run.o, run.history, run.monitor))) await epochs(run);
  } finally {
    finish(run);
  }
  return run.history;
}

async function epochs(run: Run): Promise<void> {
  const { o, opt, sched, train, iters, batchSize, history, tracker, step, acc, stepper } = run;
  const guard = o.divergence;
  const batchHooks = run.hooks.filter((h) => h.batchEnd);
  const unit = o.scheduleUnit;
  const setLr = (t: number) => {
    if (sched && !run.metricDriven) opt.lr = sched.lrAt(t);
    if (run.cycleKey) opt.set(run.cycleKey, sched!.momentumAt!(t)!);
  };
  // The step a strategy may take inside its job: not with accumulation or a hook that steps.
  let tSched = 0;
  const fuse: FusableStep | undefined = !acc && !stepper ? { opt, before: () => setLr(tSched) } : undefined;
  let lastYield = now();
  let lastLr = opt.lr;
  // Two batch records, reused: this batch and the next (a strategy may gather it early).
  const cur: Batch = { train, order: new Uint32Array(0), batch: 0, start: 0, end: 0 };
  const nxt: Batch = { train, order: cur.order, batch: 0, start: 0, end: 0 };
  while (run.epoch < o.epochs) {
    const t0 = now();
    const epochRng = run.rng.state;
    const epoch = run.epoch;
    const order = o.shuffle ? run.rng.permutation(train.count) : identity(train.count);
    cur.order = nxt.order = order;
    acc?.reset();
    let batch = run.startBatch;
    run.startBatch = 0;
    for (; batch < iters; batch++) {
      if (o.signal?.aborted && !acc?.pending) {
        history.stopReason = 'aborted';
        history.message = 'aborted by the signal';
        await o.onCheckpoint?.(checkpoint(run, batch, epochRng));
        return;
      }
      const start = batch * batchSize;
      const end = Math.min(start + batchSize, train.count);
      const size = end - start;
      tSched = unit === 'epoch' ? epoch : unit === 'step' ? history.steps : epoch + batch / iters;
      cur.batch = batch;
      cur.start = start;
      cur.end = end;
      let next: Batch | undefined;
      if (batch + 1 < iters) {
        nxt.batch = batch + 1;
        nxt.start = end;
        nxt.end = Math.min(end + batchSize, train.count);
        next = nxt;
      }
      const r = step.gradient(cur, next, fuse);
      const loss = typeof r === 'number' ? r : await r;
      run.lossSum += loss * size;
      run.rows += size;
      if (!acc || acc.add(batch === iters - 1)) {
        if (!step.fused) {
          setLr(tSched);
          if (stepper) stepper.step!(tSched, epoch, history.steps);
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
          restore(run, 'diverged');
          history.message = `diverged at epoch ${epoch + 1}, batch ${batch + 1}: ${why}. Try a lower learning rate (now ${lastLr}).`;
          return;
        }
      }
      for (let i = 0; i < batchHooks.length; i++) {
        const r = await batchHooks[i].batchEnd!({ epoch: epoch + 1, batch, batches: iters, step: history.steps, loss, lr: lastLr, size });
        if (r === false) {
          history.stopReason = 'callback';
          return;
        }
      }
      if (now() - lastYield > 50) {
        await yieldToLoop(); // keeps pages responsive and lets SIGINT handlers run
        lastYield = now();
      }
    }
    // A partial epoch is not recorded (returned above); its checkpoint (abort) resumes it.
    const stop = await endEpoch(run, t0, lastLr, now);
    await yieldToLoop();
    lastYield = now();
    if (stop) return;
  }
}

/** fit, part 4: the hooks see the final history, then everything prepare made is freed. */
function finish(run: Run): void {
  try {
    for (const h of run.hooks) h.finish?.(run.history);
  } finally {
    for (const d of run.disposers.splice(0).reverse()) d();
  }
}

function identity(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
