// fit(): training outcomes, determinism, batching modes, schedules, stopping rules,
// checkpoints and bad input — on both builds where it matters.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { datasets, schedule, split, type Checkpoint, type Engine } from '../../src/index.js';
import { bitsEqual, bothEngines, close, rejectsWith } from '../_helpers.js';

const Fit = suite('train/fit');

let sd: Engine;
let scalar: Engine;
let digits: any;
Fit.before(async () => {
  [sd, scalar] = await bothEngines();
  digits = await datasets.digits();
});

const small = () => {
  // 400 rows of digits keep these tests fast.
  const n = 400;
  return { x: digits.x.slice(0, n * 64), y: digits.y.slice(0, n), count: n, features: 64, classes: 10 };
};

Fit('trains a 64-32-10 MLP on digits to high validation accuracy', async () => {
  const model = sd.mlp({ layers: [64, 32, 10], activation: 'relu', loss: 'softmaxCrossEntropy', seed: 1 });
  const h = await sd.fit(model, digits, { optimizer: { name: 'adam', lr: 3e-3 }, epochs: 8, batchSize: 32, seed: 1, validation: 0.2 });
  assert.is(h.stopReason, 'completed');
  assert.is(h.epochs.length, 8);
  const last = h.epochs[7];
  assert.ok(last.valAccuracy! >= 0.93, `valAccuracy ${last.valAccuracy}`);
  assert.ok(last.loss < h.epochs[0].loss, 'loss decreases');
  assert.ok(last.valAccuracy! >= 0 && last.valAccuracy! <= 1);
  assert.is(h.steps, 8 * Math.ceil(Math.round(digits.count * 0.8) / 32));
  model.dispose();
});

Fit('the same seed gives the same params bit for bit; another seed differs', async () => {
  const run = async (seed: number, e: Engine = sd) => {
    const m = e.mlp({ layers: [64, 16, 10], seed: 3 });
    await e.fit(m, small(), { optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 }, epochs: 2, batchSize: 16, seed });
    const p = Float32Array.from(m.buffer.params);
    m.dispose();
    return p;
  };
  const a = await run(7);
  const b = await run(7);
  const c = await run(8);
  assert.ok(bitsEqual(a, b), 'same seed, same bits');
  assert.not.ok(bitsEqual(a, c), 'different seed, different shuffles');
  const s = await run(7, scalar);
  close(s, a, { atol: 1e-4, what: 'scalar vs SIMD' });
});

Fit("batchSize 'full' is one step per epoch; batchSize 1 is one step per row; dropLast drops the partial batch", async () => {
  const d = small();
  const m = sd.mlp({ layers: [64, 10], seed: 1 });
  let h = await sd.fit(m, d, { optimizer: { name: 'sgd', lr: 0.1 }, epochs: 3, batchSize: 'full' });
  assert.is(h.steps, 3);
  const tiny = { ...d, x: d.x.slice(0, 10 * 64), y: d.y.slice(0, 10), count: 10 };
  h = await sd.fit(m, tiny, { optimizer: { name: 'sgd', lr: 0.01 }, epochs: 2, batchSize: 1 });
  assert.is(h.steps, 20);
  h = await sd.fit(m, d, { optimizer: { name: 'sgd', lr: 0.01 }, epochs: 1, batchSize: 64, dropLast: true });
  assert.is(h.steps, Math.floor(400 / 64));
  h = await sd.fit(m, d, { optimizer: { name: 'sgd', lr: 0.01 }, epochs: 1, batchSize: 64 });
  assert.is(h.steps, Math.ceil(400 / 64));
  m.dispose();
});

Fit('accumulate: k batches of b equal one batch of k·b', async () => {
  const d = small();
  const run = async (batchSize: number, accumulate: number) => {
    const m = sd.mlp({ layers: [64, 16, 10], seed: 2 });
    const h = await sd.fit(m, d, { optimizer: { name: 'sgd', lr: 0.1 }, epochs: 2, batchSize, accumulate, shuffle: false });
    const p = Float32Array.from(m.buffer.params);
    m.dispose();
    return { p, h };
  };
  const a = await run(40, 1);
  const b = await run(20, 2);
  assert.is(b.h.steps, a.h.steps);
  close(b.p, a.p, { atol: 2e-6, what: 'params' });
});

Fit('per-iteration SGDR sees fractional epochs; per-epoch steps once per epoch', async () => {
  const d = small();
  const s = schedule('cosineWarmRestarts', { lr: 0.05, t0: 1, tMult: 2, lrMin: 0.001 });
  const m = sd.mlp({ layers: [64, 10], seed: 1 });
  let h = await sd.fit(m, d, { optimizer: { name: 'sgd', lr: 0.05 }, schedule: s, epochs: 3, batchSize: 100 });
  const iters = 4;
  for (const it of h.iterations) {
    const e = Math.floor(it.step / iters) + (it.step % iters) / iters;
    close(it.lr, s.lrAt(e), { rtol: 1e-15, what: `lr at step ${it.step}` });
  }
  assert.is(h.iterations.length, 12);
  h = await sd.fit(m, d, { optimizer: { name: 'sgd', lr: 0.05 }, schedule: s.toJSON(), scheduleUnit: 'epoch', epochs: 3, batchSize: 100 });
  for (const it of h.iterations) close(it.lr, s.lrAt(Math.floor(it.step / iters)), { rtol: 1e-15 });
  m.dispose();
});

Fit('oneCycle cycles beta1 of Adam (where PyTorch would crash)', async () => {
  const d = small();
  const s = schedule('oneCycle', { lrMax: 0.01, totalSteps: 3, pctStart: 0.3, cycleMomentum: true, baseMomentum: 0.85, maxMomentum: 0.95 });
  const m = sd.mlp({ layers: [64, 10], seed: 1 });
  const seen: number[] = [];
  const opt = sd.optimizer('adam', { buffer: m.buffer, lr: 0.01 });
  await sd.fit(m, d, { optimizer: opt, schedule: s, epochs: 2, batchSize: 100, onBatchEnd: () => void seen.push(opt.options.beta1 as number) });
  assert.is(seen.length, 8);
  assert.ok(seen.every((b) => b >= 0.85 - 1e-12 && b <= 0.95 + 1e-12));
  assert.ok(new Set(seen).size > 2, 'beta1 changes');
  opt.dispose();
  m.dispose();
});

Fit('plateau lowers the lr when validation loss stalls', async () => {
  const d = small();
  const m = sd.mlp({ layers: [64, 10], seed: 1 });
  const p = schedule('plateau', { lr: 1e-6, patience: 0, factor: 0.5, threshold: 0.5 });
  const h = await sd.fit(m, d, { optimizer: { name: 'sgd', lr: 1e-6 }, schedule: p, epochs: 4, validation: 0.25 });
  assert.ok(h.epochs[3].lr < h.epochs[0].lr, `lr ${h.epochs.map((e) => e.lr)}`);
  m.dispose();
});

Fit('early stopping stops and restores the best epoch', async () => {
  const d = small();
  const { train, validation } = split(d, { validation: 0.3, seed: 1 });
  const m = sd.mlp({ layers: [64, 64, 10], seed: 1 });
  let best: Float32Array | undefined;
  let bestLoss = Infinity;
  const h = await sd.fit(m, train, {
    optimizer: { name: 'adam', lr: 0.05 }, epochs: 40, batchSize: 8, validation,
    earlyStopping: { patience: 2 },
    onEpochEnd: (e) => {
      if (e.valLoss! < bestLoss) {
        bestLoss = e.valLoss!;
        best = Float32Array.from(m.buffer.params);
      }
    },
  });
  assert.is(h.stopReason, 'earlyStopping');
  assert.ok(h.epochs.length < 40);
  assert.ok(bitsEqual(Float32Array.from(m.buffer.params), best!), 'best params restored');
  m.dispose();
});

Fit('divergence guard stops, restores the best params and suggests a lower lr', async () => {
  const d = small();
  const m = sd.mlp({ layers: [64, 32, 10], seed: 1 });
  const p0 = Float32Array.from(m.buffer.params);
  const h = await sd.fit(m, d, { optimizer: { name: 'sgd', lr: 1e4 }, epochs: 5, batchSize: 32 });
  assert.is(h.stopReason, 'diverged');
  assert.match(h.message!, /lower learning rate/);
  assert.ok(bitsEqual(Float32Array.from(m.buffer.params), p0), 'initial params restored');
  m.dispose();
});

Fit('callbacks and AbortSignal stop the run', async () => {
  const d = small();
  const m = sd.mlp({ layers: [64, 10], seed: 1 });
  let h = await sd.fit(m, d, { epochs: 5, onEpochEnd: (e) => e.epoch < 2 });
  assert.is(h.stopReason, 'callback');
  assert.is(h.epochs.length, 2);
  const ac = new AbortController();
  h = await sd.fit(m, d, { epochs: 5, signal: ac.signal, onBatchEnd: (b) => void (b.batch === 3 && ac.abort()) });
  assert.is(h.stopReason, 'aborted');
  assert.is(h.epochs.length, 0);
  m.dispose();
});

Fit('a run resumed from a mid-epoch checkpoint ends bit-identical to an uninterrupted one', async () => {
  const d = small();
  const opts = { optimizer: { name: 'adam', lr: 3e-3 }, epochs: 3, batchSize: 32, seed: 5, validation: 0.2,
    schedule: schedule('cosineWarmRestarts', { lr: 3e-3, t0: 1, tMult: 2 }) } as const;
  const a = sd.mlp({ layers: [64, 16, 10], seed: 9 });
  const ha = await sd.fit(a, d, opts);

  const b = sd.mlp({ layers: [64, 16, 10], seed: 9 });
  const ac = new AbortController();
  let ckpt: Checkpoint | undefined;
  let batches = 0;
  await sd.fit(b, d, { ...opts, signal: ac.signal, onBatchEnd: () => void (++batches === 15 && ac.abort()), onCheckpoint: (c) => void (ckpt = c) });
  assert.is(ckpt!.epoch, 1);
  assert.is(ckpt!.batch, 5);
  const c = sd.mlp({ layers: [64, 16, 10], seed: 1 }); // different init: the checkpoint carries the params
  const hc = await sd.fit(c, d, { ...opts, resume: ckpt });
  assert.ok(bitsEqual(Float32Array.from(c.buffer.params), Float32Array.from(a.buffer.params)), 'same final params');
  assert.equal(hc.epochs.map((e) => e.loss), ha.epochs.map((e) => e.loss));
  assert.is(hc.steps, ha.steps);
  a.dispose(); b.dispose(); c.dispose();
});

Fit('bad input is rejected with nothing changed', async () => {
  const d = small();
  const m = sd.mlp({ layers: [64, 10], seed: 1 });
  const p0 = Float32Array.from(m.buffer.params);
  await rejectsWith(() => sd.fit(m, d, { epochz: 3 } as any), TypeError, "unknown option 'epochz'", "did you mean 'epochs'");
  await rejectsWith(() => sd.fit(m, d, { batchSize: 0 }), RangeError, 'batchSize', '0');
  await rejectsWith(() => sd.fit(m, d, { batchSize: 401 }), RangeError, 'batchSize 401', '400');
  await rejectsWith(() => sd.fit(m, d, { batchSize: '32' as any }), TypeError, 'batchSize');
  await rejectsWith(() => sd.fit(m, d, { epochs: 0 }), RangeError, 'epochs');
  await rejectsWith(() => sd.fit(m, d, { validation: 1.5 }), RangeError, 'validation');
  // @ts-expect-error momentum is SGD's: a compile error in TypeScript, a TypeError for a JavaScript caller
  await rejectsWith(() => sd.fit(m, d, { optimizer: { name: 'adam', momentum: 0.9 } }), TypeError, "unknown option 'momentum'");
  await rejectsWith(() => sd.fit(m, { ...d, features: 32, x: d.x.slice(0, 400 * 32) }), RangeError, '32 features', 'takes 64');
  const bad = { ...d, y: d.y.slice() };
  bad.y[7] = 12;
  await rejectsWith(() => sd.fit(m, bad), RangeError, 'y[7]', '12');
  await rejectsWith(() => sd.fit(m, d, { earlyStopping: { patience: 2, monitor: 'valLoss' } }), RangeError, 'no validation data');
  assert.ok(bitsEqual(Float32Array.from(m.buffer.params), p0), 'params unchanged');
  m.dispose();
});

Fit.run();
