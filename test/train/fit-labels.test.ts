// fit reads class labels (Int32Array) the way evaluate does, or refuses them: a BCE model with
// one output takes labels in {0, 1}; mse and multi-output BCE need count × outputs targets.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { init } from '../../src/index.js';
import { rejectsWith } from '../_helpers.js';

const Labels = suite('train/fit-labels');

const x = new Float32Array([-2, -1, -1, -2, 1, 2, 2, 1, -1.5, -1.5, 1.5, 1.5]);
const data = (y: Int32Array | Float32Array, extra = {}) => ({ x, y, count: 6, features: 2, ...extra });

Labels('labels a loss would misread are an error naming the shape it needs; params untouched', async () => {
  const sd = await init();
  const two = sd.mlp({ layers: [2, 2], loss: 'sigmoidBinaryCrossEntropy', seed: 1 });
  const before = Float32Array.from(two.buffer.params);
  await rejectsWith(
    () => sd.fit(two, data(new Int32Array([0, 0, 1, 1, 0, 1]), { classes: 2 }), { epochs: 1, batchSize: 'full' }),
    TypeError,
    'fit: data.y holds class labels (Int32Array), but sigmoidBinaryCrossEntropy with 2 outputs needs a Float32Array of count × 2 targets (one-hot rows), or a model with one output for labels in {0, 1}',
  );
  assert.equal(Array.from(two.buffer.params), Array.from(before));
  const mse = sd.mlp({ layers: [2, 2], loss: 'mse' });
  await rejectsWith(() => sd.fit(mse, data(new Int32Array([0, 0, 1, 1, 0, 1]), { classes: 2 }), { epochs: 1 }), TypeError, 'but mse with 2 outputs needs a Float32Array of count × 2 targets');
  const one = sd.mlp({ layers: [2, 1], loss: 'sigmoidBinaryCrossEntropy' });
  await rejectsWith(() => sd.fit(one, data(new Int32Array([0, 0, 2, 1, 0, 1]), { classes: 3 }), { epochs: 1 }), RangeError, 'fit: data.y[2] = 2: sigmoidBinaryCrossEntropy with one output takes labels in {0, 1}');
  for (const m of [two, mse, one]) m.dispose();
});

Labels('a one-output BCE model learns from labels; fit and evaluate report the same loss', async () => {
  const sd = await init();
  const model = sd.mlp({ layers: [2, 1], loss: 'sigmoidBinaryCrossEntropy', seed: 3 });
  const d = data(new Int32Array([0, 0, 1, 1, 0, 1]), { classes: 2 });
  const h = await sd.fit(model, d, { epochs: 50, batchSize: 'full', validation: d, optimizer: { name: 'adam', lr: 0.05 } });
  const r = model.evaluate(d.x, d.y, d.count);
  assert.is(r.accuracy, 1);
  assert.ok(Math.abs(h.epochs[h.epochs.length - 1].valLoss! - r.loss) < 1e-6, `${h.epochs[h.epochs.length - 1].valLoss} vs ${r.loss}`);
  model.dispose();
});

Labels.run();
