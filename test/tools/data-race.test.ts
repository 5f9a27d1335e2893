// sd.race on a dataset: same init and batch order per optimizer, curves per epoch, lr given,
// default or found, a Model as the common init, bad input.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { datasets, split, type Engine } from '../../src/index.js';
import { bitsEqual, bothEngines, rejectsWith } from '../_helpers.js';

const D = suite('tools/data-race');
let sd: Engine;
const blobs = () => datasets.blobs({ count: 400, features: 2, classes: 3, box: 3, spread: 1.2, seed: 1 });
const cfg = { layers: [2, 8, 3], loss: 'softmaxCrossEntropy' as const, seed: 1 };
D.before(async () => {
  [sd] = await bothEngines();
});

D('curves per optimizer from the same init; same optimizer twice gives the same curve', async () => {
  const r = await sd.race({ data: blobs(), model: cfg, optimizers: [{ name: 'sgd', lr: 0.1 }, { name: 'adam', lr: 0.01 }, { name: 'sgd', lr: 0.1 }], epochs: 4, seed: 2 });
  assert.equal(r.runs.map((x: any) => x.name), ['sgd', 'adam', 'sgd']);
  assert.equal(r.model, { kind: 'mlp', ...cfg, activation: 'relu' });
  for (const run of r.runs) {
    assert.equal(run.epochs.map((e: any) => e.epoch), [0, 1, 2, 3, 4]);
    assert.equal(run.epochs[0], { ...r.runs[0].epochs[0] }); // same init
    assert.ok(run.epochs[4].valLoss! < run.epochs[0].valLoss!);
    assert.ok(run.epochs[4].valAccuracy! > 0.6);
    assert.is(run.lrFrom, 'given');
  }
  const strip = (run: any) => run.epochs.map((e: any) => [e.loss, e.valLoss, e.valAccuracy]);
  assert.equal(strip(r.runs[2]), strip(r.runs[0]));
  assert.not.equal(strip(r.runs[1]), strip(r.runs[0]));
});

D("lr: the optimizer's default, or 'find' (the LR finder's valley)", async () => {
  const r = await sd.race({ data: blobs(), model: cfg, optimizers: ['adam', { name: 'sgd', momentum: 0.9, lr: 'find' }], epochs: 1 });
  assert.is(r.runs[0].lr, 1e-3);
  assert.is(r.runs[0].lrFrom, 'default');
  assert.is(r.runs[1].lrFrom, 'lrFinder.valley');
  const found = await sd.lrFinder(sd.mlp(cfg), split(blobs(), { validation: 0.2, seed: 0 }).train, { optimizer: { name: 'sgd', momentum: 0.9 }, seed: 0 });
  assert.is(r.runs[1].lr, found.suggestions.valley!.lr);
});

D('a model as the starting point: its current params, left untouched', async () => {
  const model = sd.mlp(cfg);
  model.buffer.params.forEach((v, i, a) => (a[i] = v * 0.5));
  const p0 = model.buffer.params.slice();
  const d = blobs();
  const r = await sd.race({ data: d, model, optimizers: [{ name: 'sgd', lr: 0.1 }], epochs: 1, validation: 0 });
  assert.ok(bitsEqual(model.buffer.params, p0));
  const start = model.evaluate(d.x, d.y, d.count).loss;
  assert.is(r.runs[0].epochs[0].loss, start);
  assert.is(r.runs[0].epochs[0].valLoss, undefined); // validation: 0 → none
});

D('bad input', async () => {
  const d = blobs();
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  await rejectsWith(() => sd.race({ data: d, optimizers: ['sgd'] }), TypeError, 'race: model is required with data');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  await rejectsWith(() => sd.race({ data: d, model: { layers: [2, 'x'] }, optimizers: ['sgd'] }), TypeError, 'race: model: mlp: layers[1] must be a number');
  await rejectsWith(() => sd.race({ data: d, model: { layers: [3, 3] } }), RangeError, 'race: data has 2 features, the model takes 3 inputs');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  await rejectsWith(() => sd.race({ data: d, model: cfg, optimizers: [{ name: 'sgd', lr: 'big' }] }), TypeError, "race: optimizers[0].lr must be a number or 'find', got \"big\"");
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  await rejectsWith(() => sd.race({ data: d, model: cfg, optimizers: ['sgd', { name: 'adam', nesterov: true }] }), TypeError, "race: optimizers[1]: adam: unknown option 'nesterov'");
  await rejectsWith(() => sd.race({ data: d, model: cfg, epochs: 0 }), RangeError, 'race: epochs must be ≥ 1, got 0');
  await rejectsWith(() => sd.race({ data: d, model: cfg, batchSize: 0 }), RangeError, "race: batchSize must be a positive integer or 'full', got 0");
  await rejectsWith(() => sd.race({ data: d, model: cfg, validation: 2 }), RangeError, 'race: validation must be a fraction in [0, 1) or a dataset, got 2');
  await rejectsWith(() => sd.race({ data: d, model: cfg, validation: datasets.blobs({ features: 3 }) }), RangeError, 'race: validation has 3 features, the model takes 2 inputs');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  await rejectsWith(() => sd.race({ data: d, model: cfg, epoch: 2 }), TypeError, "race: unknown option 'epoch'", "did you mean 'epochs'");
});

D.run();
