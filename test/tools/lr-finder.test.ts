// sd.lrFinder: suggestions inside a good range measured by a sweep on the same problem
// (logistic regression on overlapping blobs), restoration of params and optimizer state on
// every exit path, seeding, ramps, the can't-tell cases, and bad input.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { datasets, type Engine, type Model, type OptimizerConfig } from '../../src/index.js';
import { rampLr, suggest } from '../../src/tools/lr-finder.js';
import { bitsEqual, bothEngines, close, rejectsWith } from '../_helpers.js';

const L = suite('tools/lr-finder');
let sd: Engine;
let scalar: Engine;
// Overlapping blobs: the optimum is finite, so too large an lr really hurts.
const blobs = () => datasets.blobs({ count: 600, features: 2, classes: 3, box: 3, spread: 1.5, seed: 1 });
const logistic = { layers: [2, 3], loss: 'softmaxCrossEntropy' as const, seed: 1 };
L.before(async () => {
  [sd, scalar] = await bothEngines();
});

/** lrs whose validation loss after 5 epochs is within 15% of the best of a log sweep. */
async function goodRange(optimizer: OptimizerConfig): Promise<[number, number]> {
  const lrs = [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10];
  const r = await sd.race({ data: blobs(), model: logistic, optimizers: lrs.map((lr) => ({ ...optimizer, lr })), epochs: 5, validation: 0.2, seed: 1 });
  const final = r.runs.map((run: any) => run.epochs[run.epochs.length - 1].valLoss);
  const best = Math.min(...final);
  const good = lrs.filter((_, i) => final[i] <= 1.15 * best);
  // The good lrs form one interval of the sweep.
  const i0 = lrs.indexOf(good[0]);
  assert.equal(good, lrs.slice(i0, i0 + good.length), `good lrs ${good} are not contiguous`);
  return [good[0], good[good.length - 1]];
}

L('suggestions fall inside the good range of logistic regression on blobs (SGD, and SGD with momentum)', async () => {
  const model = sd.mlp(logistic);
  // Plain SGD: valley and minimum/10 inside [0.1, 1]-ish; steepest runs ahead here (the loss only
  // falls near the end of the ramp), so it is checked only to lie below the blow-up.
  const [lo, hi] = await goodRange({ name: 'sgd' });
  const f = await sd.lrFinder(model, blobs(), { seed: 1, optimizer: { name: 'sgd' } });
  for (const k of ['valley', 'minimum'] as const) {
    const s = f.suggestions[k]!;
    assert.ok(s.lr >= lo && s.lr <= hi, `sgd ${k} ${s.lr} outside [${lo}, ${hi}]`);
    assert.type(s.reason, 'string');
  }
  assert.ok(f.suggestions.steepest!.lr < 10);
  // SGD with momentum 0.9: the good range moves down ~10×, and all three suggestions follow it.
  const [lo2, hi2] = await goodRange({ name: 'sgd', momentum: 0.9 });
  assert.ok(hi2 < hi);
  const g = await sd.lrFinder(model, blobs(), { seed: 1, optimizer: { name: 'sgd', momentum: 0.9 } });
  for (const k of ['steepest', 'valley', 'minimum'] as const) {
    const s = g.suggestions[k]!;
    assert.ok(s.lr >= lo2 && s.lr <= hi2, `momentum ${k} ${s.lr} outside [${lo2}, ${hi2}]`);
  }
});

L('result shape: equal-length arrays, exponential ramp from start, defaults', async () => {
  const model = sd.mlp(logistic);
  const f = await sd.lrFinder(model, blobs(), { end: 1, seed: 3 });
  assert.is(f.lrs.length, 100);
  assert.is(f.losses.length, 100);
  assert.is(f.smoothed.length, 100);
  assert.is(f.stopReason, 'completed');
  assert.is(f.stoppedEarly, false);
  assert.is(f.mode, 'exponential');
  assert.is(f.optimizer, 'sgd');
  close(f.lrs[0], 1e-7, { rtol: 1e-12 });
  close(f.lrs[99], 1, { rtol: 1e-12 });
  close(f.lrs[50] / f.lrs[49], f.lrs[2] / f.lrs[1], { rtol: 1e-9 });
  // smoothed: debiased EMA with weight 0.05 on the newest loss.
  let avg = 0;
  f.losses.forEach((l: number, i: number) => {
    avg = 0.95 * avg + 0.05 * l;
    close(f.smoothed[i], avg / (1 - 0.95 ** (i + 1)), { rtol: 1e-12 });
  });
  const lin = await sd.lrFinder(model, blobs(), { mode: 'linear', start: 0.01, end: 0.5, steps: 50 });
  close(lin.lrs, Array.from({ length: 50 }, (_, i) => 0.01 + (0.49 * i) / 49), { rtol: 1e-12 });
  close(rampLr('linear', 1, 3, 1, 3), 2);
  close(rampLr('exponential', 1, 100, 1, 3), 10, { rtol: 1e-15 });
});

L('seeded: the same seed gives the same curve (both builds agree), another seed another', async () => {
  const a = await sd.lrFinder(sd.mlp(logistic), blobs(), { seed: 5, steps: 40, end: 1 });
  const b = await sd.lrFinder(sd.mlp(logistic), blobs(), { seed: 5, steps: 40, end: 1 });
  const c = await sd.lrFinder(sd.mlp(logistic), blobs(), { seed: 6, steps: 40, end: 1 });
  const s = await scalar.lrFinder(scalar.mlp(logistic), blobs(), { seed: 5, steps: 40, end: 1 });
  assert.equal(a.losses, b.losses);
  assert.not.equal(a.losses, c.losses);
  close(s.losses, a.losses, { rtol: 1e-5, what: 'scalar vs simd' });
});

L('stops early when the smoothed loss passes divergeFactor × its minimum', async () => {
  const f = await sd.lrFinder(sd.mlp(logistic), blobs(), { start: 1e-3, end: 1e4, seed: 1 });
  assert.ok(f.stoppedEarly);
  assert.is(f.stopReason, 'diverged');
  const last = f.smoothed[f.smoothed.length - 1];
  assert.ok(last > 4 * Math.min(...f.smoothed.slice(0, -1)));
  assert.ok(f.smoothed.slice(0, -1).every((s: number, i: number) => s <= 4 * Math.min(...f.smoothed.slice(0, i + 1))));
  const g = await sd.lrFinder(sd.mlp(logistic), blobs(), { start: 1e-3, end: 1e4, seed: 1, divergeFactor: 50 });
  assert.ok(g.lrs.length > f.lrs.length);
});

function params(m: Model): Float32Array {
  return m.buffer.params.slice();
}

L('params identical before and after: completed, diverged, non-finite, and a model that throws', async () => {
  const model = sd.mlp(logistic);
  // Move away from the init first so "restored" cannot mean "re-initialised".
  await sd.lrFinder(model, blobs(), {}); // no-op on params
  model.buffer.params.forEach((v, i, a) => (a[i] = v + 0.01 * i));
  const grads = model.buffer.grads.slice();
  const p0 = params(model);
  await sd.lrFinder(model, blobs(), { seed: 1 });
  assert.ok(bitsEqual(params(model), p0), 'completed');
  const d = await sd.lrFinder(model, blobs(), { start: 1e36, end: 3e38, steps: 10, seed: 1, divergeFactor: 1e300 });
  assert.is(d.stopReason, 'nonFinite');
  assert.ok(bitsEqual(params(model), p0), 'non-finite');
  assert.ok(bitsEqual(model.buffer.grads, grads), 'grads too');
  await sd.lrFinder(model, blobs(), { start: 1e-3, end: 1e4 });
  assert.ok(bitsEqual(params(model), p0), 'diverged');
  // A model whose 7th training step throws: the error comes through, params come back.
  let calls = 0;
  const failing: Model = Object.create(model, {
    lossAndGradStaged: {
      value(n: number) {
        if (++calls === 7) throw new Error('boom at step 7');
        return model.lossAndGradStaged(n);
      },
    },
  });
  await rejectsWith(() => sd.lrFinder(failing, blobs(), { seed: 1 }), Error, 'boom at step 7');
  assert.ok(bitsEqual(params(model), p0), 'threw');
});

L('a given optimizer: its state and lr come back byte for byte', async () => {
  const model = sd.mlp(logistic);
  const opt = sd.optimizer('adam', { buffer: model.buffer, lr: 0.02 });
  const data = blobs();
  for (let i = 0; i < 5; i++) {
    model.lossAndGrad(data.x.subarray(0, 64), data.y.subarray(0, 32) as Int32Array, 32);
    opt.step();
  }
  const state = opt.saveState();
  await sd.lrFinder(model, data, { optimizer: opt, seed: 2 });
  assert.equal(opt.saveState(), state);
  assert.is(opt.lr, 0.02);
  assert.is(opt.stepCount, 5);
  const other = sd.optimizer('adam', { size: model.buffer.size });
  await rejectsWith(() => sd.lrFinder(model, data, { optimizer: other }), TypeError, "lrFinder: optimizer must be made on the model's buffer");
  other.dispose();
});

L('says plainly when it cannot tell: too flat, too short, never descending', async () => {
  const model = sd.mlp(logistic);
  const flat = await sd.lrFinder(model, blobs(), { start: 1e-9, end: 1e-8, batchSize: 600 });
  assert.equal(flat.suggestions, { steepest: null, valley: null, minimum: null });
  assert.match(flat.notes[0], /too flat to suggest an lr: the smoothed loss moves by less than 1%/);
  const short = await sd.lrFinder(model, blobs(), { start: 100, end: 1e9, seed: 1 });
  assert.ok(short.lrs.length < 15, `${short.lrs.length}`);
  assert.equal(short.suggestions, { steepest: null, valley: null, minimum: null });
  assert.match(short.notes[0], /^too short to suggest an lr: \d+ points before the test stopped/);
  // A rising curve: no steepest descent, no valley, minimum at the first point.
  const lrs = Array.from({ length: 50 }, (_, i) => 10 ** (-3 + i / 10));
  const up = suggest(lrs, lrs.map((_, i) => 1 + i / 10));
  assert.equal(up.suggestions, { steepest: null, valley: null, minimum: null });
  assert.equal(up.notes, [
    'steepest: the smoothed loss never falls as the lr rises',
    'valley: no descending stretch of at least 3 points',
    'minimum: the smoothed loss is lowest at the first usable lr; lower start',
  ]);
});

L('bad input: messages name the option; nothing changes', async () => {
  const model = sd.mlp(logistic);
  const p0 = params(model);
  const data = blobs();
  await rejectsWith(() => sd.lrFinder(model, data, { start: 1, end: 1 }), RangeError, 'lrFinder: start must be < end, got start 1 and end 1');
  await rejectsWith(() => sd.lrFinder(model, data, { start: 0 }), RangeError, 'lrFinder: start must be > 0, got 0');
  await rejectsWith(() => sd.lrFinder(model, data, { steps: 4 }), RangeError, 'lrFinder: steps must be in [5, 10000], got 4');
  await rejectsWith(() => sd.lrFinder(model, data, { smoothing: 0 }), RangeError, 'lrFinder: smoothing must be in (0, 1], got 0');
  await rejectsWith(() => sd.lrFinder(model, data, { divergeFactor: 1 }), RangeError, 'lrFinder: divergeFactor must be > 1, got 1');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  await rejectsWith(() => sd.lrFinder(model, data, { mode: 'cubic' }), RangeError, "lrFinder: mode must be one of 'exponential', 'linear', got \"cubic\"");
  await rejectsWith(() => sd.lrFinder(model, data, { batchSize: 0 }), RangeError, 'lrFinder: batchSize must be ≥ 1, got 0');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  await rejectsWith(() => sd.lrFinder(model, data, { strat: 1 }), TypeError, "lrFinder: unknown option 'strat'", "did you mean 'start'");
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  await rejectsWith(() => sd.lrFinder(model, data, { optimizer: { name: 'sdg' } }), TypeError, "lrFinder: optimizer: unknown optimizer 'sdg'", "did you mean 'sgd'");
  await rejectsWith(() => sd.lrFinder(model, data, { optimizer: { name: 'sgd', lr: 0.1 } }), TypeError, 'lrFinder: optimizer: lr is set by the tool');
  await rejectsWith(() => sd.lrFinder(model, data, { optimizer: { name: 'sgd', momentum: -1 } }), RangeError, 'lrFinder: optimizer: sgd: momentum');
  await rejectsWith(() => sd.lrFinder(model, datasets.blobs({ features: 3 }), {}), RangeError, 'lrFinder: data has 3 features, the model takes 2 inputs');
  await rejectsWith(() => sd.lrFinder(model, { ...data, y: new Int32Array(600).fill(5) }, {}), RangeError, 'lrFinder: data: labels must be in [0, 3), got y[0] = 5');
  const { classes: _c, ...unlabelled } = data;
  await rejectsWith(() => sd.lrFinder(model, { ...unlabelled, y: new Int32Array(600).fill(5) }, {}), RangeError, 'lrFinder: data does not fit the model');
  await rejectsWith(() => sd.lrFinder(model, 'digits' as any, {}), TypeError, 'lrFinder: data: a dataset must be an object');
  await rejectsWith(() => sd.lrFinder({} as any, data, {}), TypeError, 'lrFinder: model must be made by sd.mlp');
  assert.ok(bitsEqual(params(model), p0));
});

L.run();
