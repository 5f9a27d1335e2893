// PyTorch's SWA recipe through fit(): cosine annealing, then SWALR anneals to swaLr from the
// epoch averaging starts, and SWA averages the epochs it covers (torch.optim.swa_utils' example:
// `if epoch > swa_start: swa_model.update_parameters(model); swa_scheduler.step()`).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { datasets, schedule, type Engine } from '../../src/index.js';
import { bothEngines, close } from '../_helpers.js';

const S = suite('averaging/swalr');
let sd: Engine;
S.before(async () => {
  [sd] = await bothEngines();
});

S('fit({ schedule: swalr after cosine, scheduleUnit: epoch, swa }) uses swalr\'s lr every epoch and averages from the start', async () => {
  const data = datasets.blobs({ count: 160, features: 4, classes: 3, seed: 2 });
  const m = sd.mlp({ layers: [4, 8, 3], seed: 1 });
  const start = 5;
  const s = schedule('swalr', { swaLr: 0.02, annealEpochs: 2, annealStrategy: 'cos', start, schedule: { schedule: 'cosine', options: { lr: 0.1, tMax: 10 } } });
  const h = await sd.fit(m, data, {
    epochs: 9, batchSize: 32, seed: 1, validation: 0.25, optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 },
    schedule: s, scheduleUnit: 'epoch', swa: { start: start + 1, every: 'epoch' },
  });
  const cos = schedule('cosine', { lr: 0.1, tMax: 10 });
  const expected = [0, 1, 2, 3, 4, 5].map((e) => cos.lrAt(e)).concat([0.02 * 0.5 + cos.lrAt(5) * 0.5, 0.02, 0.02]);
  close(h.epochs.map((e) => e.lr), expected, { rtol: 1e-12, atol: 0, what: 'lr per epoch' });
  assert.is(h.averages!.swa!.updates, 9 - start);
  assert.ok(h.epochs.slice(start).every((e) => Number.isFinite(e.swaValLoss!)));
  m.dispose();
});

S.run();
