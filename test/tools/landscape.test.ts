// sd.landscape: span 0 is the current loss everywhere, grid shapes and axes, filter
// normalisation (a rescaled layer gives the same picture), flat vs sharp, params restored,
// bad input.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { datasets, type Engine } from '../../src/index.js';
import { bitsEqual, bothEngines, close, throwsWith } from '../_helpers.js';

const S = suite('tools/landscape');
let sd: Engine;
const blobs = () => datasets.blobs({ count: 300, features: 2, classes: 3, box: 3, spread: 1, seed: 2 });
const cfg = { layers: [2, 16, 3], activation: 'relu' as const, loss: 'softmaxCrossEntropy' as const, seed: 3 };
S.before(async () => {
  [sd] = await bothEngines();
});

async function trained() {
  const model = sd.mlp(cfg);
  const opt = sd.optimizer('adam', { buffer: model.buffer, lr: 0.02 });
  const d = blobs();
  for (let i = 0; i < 200; i++) {
    model.lossAndGrad(d.x, d.y, d.count);
    opt.step();
  }
  opt.dispose();
  return model;
}

S('span 0: every grid point equals the current loss, exactly', async () => {
  const model = await trained();
  const d = blobs();
  const current = model.evaluate(d.x, d.y, d.count).loss;
  for (const dims of [1, 2] as const) {
    const r = sd.landscape(model, d, { dims, span: 0, steps: 5 });
    assert.is(r.center, current);
    const flat = (r.losses as any[]).flat();
    assert.is(flat.length, dims === 1 ? 5 : 25);
    for (const l of flat) assert.is(l, current);
    assert.is(r.sharpness, 0);
  }
});

S('grid: axes from −span to span, 2-D rows along beta, the centre point is the current loss', async () => {
  const model = await trained();
  const d = blobs();
  const p0 = model.buffer.params.slice();
  const r = sd.landscape(model, d, { dims: 2, steps: 11, span: 0.5, seed: 1 });
  close(r.alphas, Array.from({ length: 11 }, (_, i) => -0.5 + 0.1 * i), { atol: 1e-15 });
  assert.equal(r.betas, r.alphas);
  assert.is((r.losses as number[][]).length, 11);
  assert.is((r.losses as number[][])[0].length, 11);
  assert.is((r.losses as number[][])[5][5], r.center);
  assert.is(r.rows, 300);
  // A trained model sits in a basin: the centre is (near) the lowest point of the slice.
  const flat = (r.losses as number[][]).flat();
  assert.ok(Math.min(...flat) >= r.center - 0.05 * r.center, `min ${Math.min(...flat)} centre ${r.center}`);
  assert.ok(Math.max(...flat) > 1.5 * r.center);
  assert.ok(bitsEqual(model.buffer.params, p0), 'params restored');
  // 1-D: the row through the centre of the 2-D grid uses the same first direction.
  const one = sd.landscape(model, d, { dims: 1, steps: 11, span: 0.5, seed: 1 });
  assert.equal(one.losses, (r.losses as number[][])[5]);
});

S('filter normalisation: scaling a ReLU layer up and the next down changes the function not, nor the slice', async () => {
  const model = await trained();
  const d = blobs();
  const a = sd.landscape(model, d, { dims: 1, steps: 9, span: 1, seed: 5 });
  // ReLU is positively homogeneous: (W1·c, b1·c) then W2/c computes the same logits.
  const [w1, b1, w2] = model.groups();
  const p = model.buffer.params;
  const c = 4;
  for (let i = 0; i < w1.length; i++) p[w1.offset + i] *= c;
  for (let i = 0; i < b1.length; i++) p[b1.offset + i] *= c;
  for (let i = 0; i < w2.length; i++) p[w2.offset + i] /= c;
  const b = sd.landscape(model, d, { dims: 1, steps: 9, span: 1, seed: 5 });
  close(b.center, a.center, { rtol: 1e-5 });
  // Bias directions are zero and weight rows follow their own norms, so the same offsets land on
  // equivalent functions: equal up to the float32 rounding of the rescaling.
  close(b.losses as number[], a.losses as number[], { rtol: 1e-4 });
});

S('sharpness: a wider slice of the same basin reaches further up its walls', async () => {
  const model = await trained();
  const d = blobs();
  const flat = sd.landscape(model, d, { dims: 1, steps: 9, span: 0.2, seed: 1 });
  const sharp = sd.landscape(model, d, { dims: 1, steps: 9, span: 0.8, seed: 1 });
  assert.ok(sharp.sharpness > flat.sharpness);
});

S('bad input: messages name the option; nothing changes', async () => {
  const model = sd.mlp(cfg);
  const p0 = model.buffer.params.slice();
  const d = blobs();
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  throwsWith(() => sd.landscape(model, d, { dims: 3 }), RangeError, 'landscape: dims must be 1 or 2, got 3');
  throwsWith(() => sd.landscape(model, d, { steps: 1 }), RangeError, 'landscape: steps must be ≥ 2, got 1');
  throwsWith(() => sd.landscape(model, d, { span: -1 }), RangeError, 'landscape: span must be ≥ 0, got -1');
  throwsWith(() => sd.landscape(model, d, { dims: 2, steps: 1001 }), RangeError, 'landscape: a 2-D grid of steps 1001 has 1002001 points, more than 1000000');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  throwsWith(() => sd.landscape(model, d, { spam: 1 }), TypeError, "landscape: unknown option 'spam'", "did you mean 'span'");
  throwsWith(() => sd.landscape(model, datasets.blobs({ features: 5 }), {}), RangeError, 'landscape: data has 5 features, the model takes 2 inputs');
  assert.ok(bitsEqual(model.buffer.params, p0));
});

S.run();
