// fit() with swa / ema / snapshots / lookahead: updates land where the schedule's cycles end,
// SWA's average is the mean of the cycle-end snapshots, history gains the averaged models'
// validation metrics, Lookahead with k = 1, α = 1 is the plain run bit for bit, and every
// misuse is refused before anything runs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { datasets, decodeCheckpoint, encodeCheckpoint, schedule, type Checkpoint, type Engine, type FitOptions } from '../../src/index.js';
import { bitsEqual, bothEngines, close, rejectsWith } from '../_helpers.js';

const F = suite('averaging/fit');
let sd: Engine;
F.before(async () => {
  [sd] = await bothEngines();
});

const data = datasets.blobs({ count: 160, features: 4, classes: 3, seed: 2 });
const layers = [4, 8, 3];
const sgdr = () => schedule('cosineWarmRestarts', { lr: 0.1, t0: 2 });
const base = { epochs: 6, batchSize: 32, seed: 1, validation: 0.25, optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 } } satisfies FitOptions;

F('SGDR t0 = 2 over 6 epochs: SWA and snapshots at the 3 cycle ends; SWA = mean of the snapshots', async () => {
  const m = sd.mlp({ layers, seed: 1 });
  const h = await sd.fit(m, data, { ...base, schedule: sgdr(), swa: true, snapshots: true });
  const av = h.averages!;
  assert.is(av.swa!.updates, 3);
  assert.is(av.snapshots!.length, 3);
  const mean = Array.from(av.swa!.params, (_, i) => av.snapshots!.reduce((a, s) => a + s[i], 0) / 3);
  close(av.swa!.params, mean, { atol: 1e-6, rtol: 1e-5, what: 'swa vs snapshot mean' });
  // The last snapshot is the final params (training ends at a cycle end).
  assert.ok(bitsEqual(av.snapshots![2], m.buffer.params));
  // History: from the first cycle end (epoch 2) on, the averaged models are evaluated.
  assert.is(h.epochs[0].swaValAccuracy, undefined);
  for (const e of h.epochs.slice(1)) {
    assert.ok(e.swaValAccuracy! >= 0 && e.swaValAccuracy! <= 1 && Number.isFinite(e.swaValLoss!));
    assert.ok(e.snapshotValAccuracy! >= 0 && e.snapshotValAccuracy! <= 1);
  }
  assert.equal(h.epochs.map((e) => e.snapshots), [undefined, 1, 1, 2, 2, 3]);
  // With one snapshot, the ensemble is that model: its accuracy is the epoch's own.
  assert.is(h.epochs[1].snapshotValAccuracy, h.epochs[1].valAccuracy);
  assert.is(h.epochs[1].swaValAccuracy, h.epochs[1].valAccuracy);
  m.dispose();
});

F('swa every k steps from a start epoch; every epoch; ema after every step', async () => {
  const m = sd.mlp({ layers, seed: 1 });
  // 120 training rows / 32 → 4 steps per epoch, 24 steps; epochs 3..6 hold steps 9..24.
  const h = await sd.fit(m, data, { ...base, swa: { start: 3, every: 5 }, ema: { decay: 0.9 } });
  assert.is(h.steps, 24);
  assert.is(h.averages!.swa!.updates, 3); // steps 10, 15, 20
  assert.is(h.averages!.ema!.updates, 24);
  assert.ok(h.epochs.every((e) => Number.isFinite(e.emaValLoss!)));
  const m2 = sd.mlp({ layers, seed: 1 });
  const h2 = await sd.fit(m2, data, { ...base, swa: { every: 'epoch' } });
  assert.is(h2.averages!.swa!.updates, 6);
  // The averaging options do not change the training itself.
  assert.ok(bitsEqual(m.buffer.params, m2.buffer.params));
  m.dispose();
  m2.dispose();
});

F('lookahead k = 1, α = 1 is the plain run; α = 0 keeps the start', async () => {
  const a = sd.mlp({ layers, seed: 4 });
  const b = sd.mlp({ layers, seed: 4 });
  const c = sd.mlp({ layers, seed: 4 });
  const start = Float32Array.from(c.buffer.params);
  await sd.fit(a, data, base);
  await sd.fit(b, data, { ...base, lookahead: { k: 1, alpha: 1 } });
  assert.ok(bitsEqual(a.buffer.params, b.buffer.params));
  const h = await sd.fit(c, data, { ...base, lookahead: { k: 1, alpha: 0 }, divergence: false });
  assert.ok(bitsEqual(c.buffer.params, start));
  assert.ok(bitsEqual(h.averages!.lookahead!.slow, start));
  const d = sd.mlp({ layers, seed: 4 });
  const hd = await sd.fit(d, data, { ...base, lookahead: true });
  assert.ok(hd.epochs.at(-1)!.loss < hd.epochs[0].loss, 'lookahead defaults train');
  for (const m of [a, b, c, d]) m.dispose();
});

F('misuse is refused before anything runs', async () => {
  const m = sd.mlp({ layers, seed: 1 });
  const before = Float32Array.from(m.buffer.params);
  await rejectsWith(() => sd.fit(m, data, { ...base, snapshots: true }), TypeError, 'fit: snapshots need a schedule with restarts');
  await rejectsWith(() => sd.fit(m, data, { ...base, swa: { every: 'cycle' } }), TypeError, "fit: swa every 'cycle' needs a schedule with restarts");
  await rejectsWith(() => sd.fit(m, data, { ...base, swa: { every: 0 } }), RangeError, "fit: swa every must be 'cycle', 'epoch' or a whole number of steps ≥ 1, got 0");
  await rejectsWith(() => sd.fit(m, data, { ...base, swa: { strat: 2 } as any }), TypeError, "fit: swa: unknown option 'strat'", "did you mean 'start'");
  await rejectsWith(() => sd.fit(m, data, { ...base, ema: { decay: 2 } }), RangeError, 'fit: ema', 'decay');
  await rejectsWith(() => sd.fit(m, data, { ...base, lookahead: { k: 0 } }), RangeError, 'fit: lookahead', 'k');
  await rejectsWith(() => sd.fit(m, data, { ...base, ema: 3 as any }), TypeError, 'fit: ema must be an options object or true, got 3');
  await rejectsWith(() => sd.fit(m, data, { ...base, resume: { averaging: {} } as any }), TypeError, 'fit: the checkpoint carries swa/ema/snapshots/lookahead state; resume with the same options');
  assert.ok(bitsEqual(m.buffer.params, before));
  m.dispose();
});

F('a run resumed mid-epoch (checkpoint through the byte codec) ends bit-identical, averages included', async () => {
  const opts = { ...base, schedule: sgdr(), swa: true, ema: { decay: 0.9, warmup: true }, snapshots: true, lookahead: { k: 3, alpha: 0.5 } } as const;
  const a = sd.mlp({ layers, seed: 6 });
  const ha = await sd.fit(a, data, opts);
  const b = sd.mlp({ layers, seed: 6 });
  const ac = new AbortController();
  let ckpt: Checkpoint | undefined;
  let batches = 0;
  // 4 batches per epoch: abort after 11 → epoch 3 (two cycle ends behind), batch 3 (a Lookahead sync pending).
  await sd.fit(b, data, { ...opts, signal: ac.signal, onBatchEnd: () => void (++batches === 11 && ac.abort()), onCheckpoint: (c) => void (ckpt = c) });
  assert.is(ckpt!.epoch, 2);
  assert.is(ckpt!.batch, 3);
  const bytes = encodeCheckpoint(ckpt!);
  const c = sd.mlp({ layers, seed: 1 });
  const hc = await sd.fit(c, data, { ...opts, resume: decodeCheckpoint(bytes) });
  assert.ok(bitsEqual(c.buffer.params, a.buffer.params), 'params');
  const x = ha.averages!;
  const y = hc.averages!;
  assert.ok(bitsEqual(y.swa!.params, x.swa!.params) && y.swa!.updates === x.swa!.updates, 'swa');
  assert.ok(bitsEqual(y.ema!.params, x.ema!.params) && y.ema!.updates === x.ema!.updates, 'ema');
  assert.ok(bitsEqual(y.lookahead!.slow, x.lookahead!.slow), 'lookahead');
  assert.is(y.snapshots!.length, 3);
  y.snapshots!.forEach((s, i) => assert.ok(bitsEqual(s, x.snapshots![i]), `snapshot ${i}`));
  assert.equal(hc.epochs.map((e) => [e.swaValAccuracy, e.emaValLoss, e.snapshotValAccuracy]), ha.epochs.map((e) => [e.swaValAccuracy, e.emaValLoss, e.snapshotValAccuracy]));
  // A checkpoint without the averaging state, or a corrupt one, is refused before anything changes.
  const d = sd.mlp({ layers, seed: 1 });
  const p0 = Float32Array.from(d.buffer.params);
  await rejectsWith(() => sd.fit(d, data, { ...opts, resume: { ...ckpt!, averaging: undefined } }), Error, 'fit: the checkpoint has no averaging state');
  await rejectsWith(() => sd.fit(d, data, { ...opts, resume: { ...ckpt!, averaging: { ...ckpt!.averaging, ema: undefined } } }), Error, 'fit: the checkpoint has no ema state (made without ema?)');
  await rejectsWith(() => sd.fit(d, data, { ...opts, resume: { ...ckpt!, averaging: { ...ckpt!.averaging!, swa: { updates: 1, params: 'AAAA' } } } }), Error, "fit: the checkpoint's swa average does not hold 67 parameters");
  assert.ok(bitsEqual(d.buffer.params, p0));
  for (const m of [a, b, c, d]) m.dispose();
});

F.run();
