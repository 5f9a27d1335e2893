// sd.batchStudy: the lr per batch size under each rule, same init per run, curves and
// summary consistent with each other, budgets, params restored, bad input.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { datasets, type Engine } from '../../src/index.js';
import { scaledLr } from '../../src/tools/batch-study.js';
import { bitsEqual, bothEngines, close, rejectsWith } from '../_helpers.js';

const B = suite('tools/batch-study');
let sd: Engine;
const blobs = () => datasets.blobs({ count: 400, features: 2, classes: 3, box: 3, spread: 1.5, seed: 1 });
const cfg = { layers: [2, 8, 3], loss: 'softmaxCrossEntropy' as const, seed: 1 };
B.before(async () => {
  [sd] = await bothEngines();
});

B('scaledLr: linear k× batch → k× lr, sqrt → √k×, none → same', () => {
  close(scaledLr('linear', 0.1, 32, 128), 0.4, { rtol: 1e-15 });
  close(scaledLr('linear', 0.1, 32, 8), 0.025, { rtol: 1e-15 });
  close(scaledLr('sqrt', 0.1, 32, 128), 0.2, { rtol: 1e-15 });
  close(scaledLr('sqrt', 0.1, 32, 8), 0.05, { rtol: 1e-15 });
  assert.is(scaledLr('none', 0.1, 32, 512), 0.1);
});

B('the linear rule gives the expected lr per batch size; curves and summary agree', async () => {
  const model = sd.mlp(cfg);
  const p0 = model.buffer.params.slice();
  const r = await sd.batchStudy(model, blobs(), { batchSizes: [8, 32, 128], lrScaling: 'linear', baseLr: 0.05, baseBatchSize: 32, epochs: 3, seed: 1, optimizer: { name: 'sgd', momentum: 0.9 } });
  assert.equal(r.runs.map((x: any) => x.batchSize), [8, 32, 128]);
  close(r.runs.map((x: any) => x.lr), [0.0125, 0.05, 0.2], { rtol: 1e-15 });
  assert.is(r.baseLr, 0.05);
  assert.equal(r.budget, { epochs: 3 });
  assert.is(r.errorKind, 'error');
  for (const run of r.runs) {
    assert.equal(run.curve.map((p: any) => p.epoch), [0, 1, 2, 3]);
    // Same init: the epoch-0 point is the same for every batch size.
    assert.equal(run.curve[0], r.runs[0].curve[0]);
    assert.is(run.steps, 3 * Math.ceil(320 / run.batchSize));
    for (let i = 1; i < run.curve.length; i++) assert.ok(run.curve[i].seconds >= run.curve[i - 1].seconds);
    assert.ok(run.curve[3].valError < run.curve[0].valError, `b${run.batchSize} learned nothing`);
  }
  r.summary.forEach((row: any, i: number) => {
    const c = r.runs[i].curve;
    assert.is(row.bestValError, Math.min(...c.map((p: any) => p.valError)));
    assert.ok(row.bestValError <= r.target || row.secondsToTarget === null);
  });
  // Default target: the worst of the best errors, so every run reaches it.
  assert.is(r.target, Math.max(...r.summary.map((s: any) => s.bestValError)));
  assert.ok(r.summary.every((s: any) => s.epochsToTarget !== null));
  assert.ok(bitsEqual(model.buffer.params, p0), 'params restored');
});

B('sqrt and none rules; the optimizer default lr is the base lr; seconds budget', async () => {
  const model = sd.mlp(cfg);
  const s = await sd.batchStudy(model, blobs(), { batchSizes: [16, 64], lrScaling: 'sqrt', epochs: 1, optimizer: { name: 'adam' } });
  close(s.runs.map((x: any) => x.lr), [1e-3 / Math.SQRT2, 1e-3 * Math.SQRT2], { rtol: 1e-15 });
  const n = await sd.batchStudy(model, blobs(), { batchSizes: [16, 64], lrScaling: 'none', epochs: 1, optimizer: { name: 'sgd', lr: 0.3 } });
  assert.equal(n.runs.map((x: any) => x.lr), [0.3, 0.3]);
  const t = await sd.batchStudy(model, blobs(), { batchSizes: [64], seconds: 0.05 });
  assert.equal(t.budget, { seconds: 0.05 });
  const last = t.runs[0].curve[t.runs[0].curve.length - 1];
  assert.ok(last.seconds >= 0.05 && last.epoch > 0);
  // Default batch sizes larger than the training rows are left out.
  const d = await sd.batchStudy(model, blobs(), { epochs: 1 });
  assert.equal(d.runs.map((x: any) => x.batchSize), [8, 16, 32, 64, 128, 256]);
});

B('same seed, same study (losses and errors; times aside)', async () => {
  const strip = (r: any) => r.runs.map((x: any) => x.curve.map((p: any) => [p.loss, p.valLoss, p.valError]));
  const a = await sd.batchStudy(sd.mlp(cfg), blobs(), { batchSizes: [16, 32], epochs: 2, seed: 4 });
  const b = await sd.batchStudy(sd.mlp(cfg), blobs(), { batchSizes: [16, 32], epochs: 2, seed: 4 });
  assert.equal(strip(a), strip(b));
});

B('bad input: messages name the option; nothing changes', async () => {
  const model = sd.mlp(cfg);
  const p0 = model.buffer.params.slice();
  const data = blobs();
  await rejectsWith(() => sd.batchStudy(model, data, { batchSizes: [] }), RangeError, 'batchStudy: batchSizes must hold at least one batch size, got []');
  await rejectsWith(() => sd.batchStudy(model, data, { batchSizes: [8, 0] }), RangeError, 'batchStudy: batchSizes[1] must be a positive integer, got 0');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  await rejectsWith(() => sd.batchStudy(model, data, { batchSizes: ['8'] }), TypeError, 'batchStudy: batchSizes[0] must be a number, got "8"');
  await rejectsWith(() => sd.batchStudy(model, data, { batchSizes: [512] }), RangeError, 'batchStudy: batchSizes[0] = 512 exceeds the 320 training rows');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  await rejectsWith(() => sd.batchStudy(model, data, { lrScaling: 'cubic' }), RangeError, "batchStudy: lrScaling must be one of 'linear', 'sqrt', 'none', got \"cubic\"");
  await rejectsWith(() => sd.batchStudy(model, data, { epochs: 2, seconds: 1 }), TypeError, 'batchStudy: give either epochs or seconds');
  await rejectsWith(() => sd.batchStudy(model, data, { epochs: 0 }), RangeError, 'batchStudy: epochs must be > 0, got 0');
  await rejectsWith(() => sd.batchStudy(model, data, { validation: 0 }), RangeError, 'batchStudy: validation must hold out some rows');
  await rejectsWith(() => sd.batchStudy(model, data, { validation: datasets.blobs({ features: 3 }) }), RangeError, 'batchStudy: validation has 3 features, the model takes 2 inputs');
  await rejectsWith(() => sd.batchStudy(model, data, { validation: 1.5 }), RangeError, 'batchStudy: validation must be a fraction in [0, 1) or a dataset, got 1.5');
  await rejectsWith(() => sd.batchStudy(model, data, { baseLr: 0.1, optimizer: { name: 'sgd', lr: 0.1 } }), TypeError, 'batchStudy: give the lr as baseLr or as optimizer.lr, not both');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  await rejectsWith(() => sd.batchStudy(model, data, { optimizer: 'adamm' }), TypeError, "batchStudy: optimizer: unknown optimizer 'adamm'", "did you mean 'adam'");
  await rejectsWith(() => sd.batchStudy(model, data, { optimizer: { name: 'adam', beta1: 2 } }), RangeError, 'batchStudy: optimizer: adam: beta1');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  await rejectsWith(() => sd.batchStudy(model, data, { batchSize: 3 }), TypeError, "batchStudy: unknown option 'batchSize'", "did you mean 'batchSizes'");
  assert.ok(bitsEqual(model.buffer.params, p0));
});

B.run();
