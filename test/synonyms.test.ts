// Names from PyTorch/Keras (src/synonyms.ts): the library suggests ours in every name error;
// it accepts none of them (the CLI does, test/cli/names.test.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { init, schedule } from '../src/index.js';
import { didYouMean } from '../src/options.js';
import { normalise, resolveName } from '../src/synonyms.js';
import { rejectsWith, throwsWith } from './_helpers.js';

const Syn = suite('synonyms');

Syn('resolveName: case and separators, then synonyms whose target is known', () => {
  assert.is(normalise('CosineAnnealing_LR'), 'cosineannealinglr');
  assert.is(resolveName('Adam', ['sgd', 'adam']), 'adam');
  assert.is(resolveName('cosine_annealing', ['step', 'cosine']), 'cosine');
  assert.is(resolveName('CosineAnnealingLR', ['step', 'cosine']), 'cosine');
  assert.is(resolveName('val_loss', ['valLoss', 'loss']), 'valLoss');
  assert.is(resolveName('learning-rate', ['lr', 'epochs']), 'lr');
  assert.is(resolveName('CosineAnnealingLR', ['step']), undefined, 'a synonym of a name the caller does not know');
  assert.is(resolveName('nope', ['step']), undefined);
  assert.is(didYouMean('CosineAnealingLR', ['step', 'cosine']), 'cosine', 'a typo of a synonym');
  assert.is(didYouMean('adma', ['sgd', 'adam']), 'adam');
  assert.is(didYouMean('zzzzzz', ['sgd', 'adam']), undefined);
});

Syn('library errors suggest our name for theirs, and still reject it', async () => {
  const sd = await init();
  throwsWith(() => schedule('CosineAnnealingLR' as any, { lr: 0.1, tMax: 2 }), TypeError, "schedule: unknown schedule 'CosineAnnealingLR' (did you mean 'cosine'?)");
  throwsWith(() => schedule('ReduceLROnPlateau' as any), TypeError, "(did you mean 'plateau'?)");
  throwsWith(() => schedule('sequential', { lr: 0.1, schedules: [{ schedule: 'StepLR' as any, options: {} }] }), RangeError, "got \"StepLR\" (did you mean 'step'?)");
  throwsWith(() => sd.optimizer('AdamW' as any, { size: 4 }), TypeError, "unknown optimizer 'AdamW' (did you mean 'adamw'?)");
  throwsWith(() => sd.optimizer('adam', { size: 4, learning_rate: 0.1 } as any), TypeError, "adam: unknown option 'learning_rate' (did you mean 'lr'?)");
  throwsWith(() => sd.optimizer('adam', { size: 4, weight_decay: 0.1 } as any), TypeError, "(did you mean 'weightDecay'?)");
  throwsWith(() => sd.mlp({ layers: [2, 2], loss: 'CrossEntropyLoss' as any }), RangeError, "got \"CrossEntropyLoss\" (did you mean 'softmaxCrossEntropy'?)");
  throwsWith(() => sd.mlp({ layers: [2, 2], activation: 'ReLU' as any }), RangeError, "got \"ReLU\" (did you mean 'relu'?)");
  throwsWith(() => schedule('sequential', { lr: 0.1, schedules: [{ schedule: 'constant', option: {} } as any] }), TypeError, "schedules[0] has unknown key 'option' (did you mean 'options'?)");
  throwsWith(() => schedule.fromJSON({ nam: 'step', options: {} }), TypeError, "schedule.fromJSON: unknown key 'nam' (did you mean 'name'?)");
  const opt = sd.optimizer('adam', { size: 4 });
  throwsWith(() => opt.set('weight_decay', 0.1), TypeError, "adam: unknown option 'weight_decay' (did you mean 'weightDecay'?)");
  opt.dispose();
  const model = sd.mlp({ layers: [2, 3] });
  const d = { x: new Float32Array(8), y: new Int32Array(4), count: 4, features: 2, classes: 3 };
  await rejectsWith(() => sd.fit(model, d, { epochs: 1, validation: d, earlyStopping: { patience: 1, monitor: 'val_loss' as any } }), RangeError, "monitor must be one of 'valLoss', 'loss', 'valAccuracy', got \"val_loss\" (did you mean 'valLoss'?)");
  model.dispose();
});

Syn.run();
