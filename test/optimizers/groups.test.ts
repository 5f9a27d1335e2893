// Parameter groups: a grouped optimizer equals, bit for bit, separate optimizers run on each
// range with that range's lr and weight decay (PyTorch's param_groups); frozen ranges and their
// state stay put; NAdam's μ product advances once per step; groups survive save/load.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine, Optimizer } from '../../src/index.js';
import { decodeState } from '../../src/optimizers/state.js';
import { bitsEqual, bothEngines, throwsWith } from '../_helpers.js';
import { VARIANTS, gradAt, label } from './_cases.js';

const G = suite('optimizers/groups');
const SIZE = 37;
// [0, 13) lr × 0.5 and weight decay 0.05; [13, 20) frozen; [20, 37) no group (defaults).
const A = { offset: 0, length: 13 };
const F = { offset: 13, length: 7 };
const REST = { offset: 20, length: 17 };

let engines: Engine[];
G.before(async () => {
  engines = await bothEngines();
});

function init(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.fround(Math.sin(i * 1.3 + seed) * 0.8);
  return a;
}

G('grouped steps equal separate optimizers per range, every optimizer and variant, both builds', () => {
  for (const sd of engines) {
    for (const [name, o] of VARIANTS) {
      const hasWd = true; // every optimizer has weightDecay (momentum since the decoupled option)
      const lr = o.lr ?? sd.optimizer(name, { size: 1 }).lr;
      const opt = sd.optimizer(name, { ...o, size: SIZE });
      opt.params.set(init(SIZE, 1));
      opt.group(A.offset, A.length, { lrScale: 0.5, ...(hasWd ? { weightDecay: 0.05 } : {}) });
      opt.group(F.offset, F.length, { frozen: true });
      const a = sd.optimizer(name, { ...o, lr: lr * 0.5, ...(hasWd ? { weightDecay: 0.05 } : {}), size: A.length });
      a.params.set(init(SIZE, 1).subarray(0, A.length));
      const rest = sd.optimizer(name, { ...o, size: REST.length });
      rest.params.set(init(SIZE, 1).subarray(REST.offset));
      const frozen0 = Float32Array.from(opt.params.subarray(F.offset, F.offset + F.length));
      for (let t = 1; t <= 6; t++) {
        const g = gradAt(SIZE, t);
        opt.grads.set(g);
        a.grads.set(g.subarray(0, A.length));
        rest.grads.set(g.subarray(REST.offset));
        opt.step();
        a.step();
        rest.step();
      }
      const what = `${label(name, o)} simd=${sd.simd}`;
      assert.ok(bitsEqual(opt.params.subarray(0, A.length), a.params), `${what}: group params`);
      assert.ok(bitsEqual(opt.params.subarray(REST.offset), rest.params), `${what}: ungrouped params`);
      assert.ok(bitsEqual(opt.params.subarray(F.offset, F.offset + F.length), frozen0), `${what}: frozen params moved`);
      for (const key of opt.stateKeys) {
        const s = opt.stateView(key);
        assert.ok(bitsEqual(s.subarray(0, A.length), a.stateView(key)), `${what}: group state ${key}`);
        assert.ok(bitsEqual(s.subarray(REST.offset), rest.stateView(key)), `${what}: ungrouped state ${key}`);
        const init0 = sd.optimizer(name, { ...o, size: F.length }).stateView(key);
        assert.ok(bitsEqual(s.subarray(F.offset, F.offset + F.length), init0), `${what}: frozen state ${key} changed`);
      }
      opt.dispose();
      a.dispose();
      rest.dispose();
    }
  }
});

G('groups are saved and restored with the state; a resumed run continues bit for bit', () => {
  const sd = engines[0];
  const run = (opt: Optimizer, from: number, to: number) => {
    for (let t = from; t <= to; t++) {
      opt.grads.set(gradAt(SIZE, t));
      opt.step();
    }
  };
  const a = sd.optimizer('nadam', { size: SIZE, weightDecay: 0.01 });
  a.params.set(init(SIZE, 2));
  a.group(0, 10, { lrScale: 2, weightDecay: 0 }).group(30, 7, { frozen: true });
  run(a, 1, 3);
  const bytes = a.saveState();
  run(a, 4, 8);
  const b = sd.optimizer('nadam', { size: SIZE, weightDecay: 0.01 });
  b.loadState(bytes);
  assert.equal(b.groups, [
    { offset: 0, length: 10, lrScale: 2, weightDecay: 0, frozen: false },
    { offset: 30, length: 7, lrScale: 1, frozen: true },
  ]);
  run(b, 4, 8);
  assert.ok(bitsEqual(a.params, b.params));
  assert.ok(bitsEqual(a.stateView('exp_avg'), b.stateView('exp_avg')));
  // State saved without groups clears groups on load.
  const c = sd.optimizer('nadam', { size: SIZE, weightDecay: 0.01 });
  const plain = c.saveState();
  b.loadState(plain);
  assert.equal(b.groups, []);
});

G('NAdam: the μ product advances once per step whatever the number of groups', () => {
  const sd = engines[0];
  const one = sd.optimizer('nadam', { size: SIZE });
  const many = sd.optimizer('nadam', { size: SIZE });
  for (let i = 0; i < 5; i++) many.group(i * 7, 7);
  for (let t = 1; t <= 5; t++) {
    one.grads.set(gradAt(SIZE, t));
    many.grads.set(gradAt(SIZE, t));
    one.step();
    many.step();
  }
  assert.ok(bitsEqual(one.params, many.params));
  assert.equal(decodeState(many.saveState()).scalars, decodeState(one.saveState()).scalars);
});

G('model.groups(): no weight decay on biases is one line per bias', async () => {
  const sd = engines[0];
  const model = sd.mlp({ layers: [4, 3, 2], seed: 1 });
  const opt = sd.optimizer('adamw', { buffer: model.buffer, weightDecay: 0.1 });
  for (const g of model.groups()) if (g.name.endsWith('.bias')) opt.group(g.offset, g.length, { weightDecay: 0 });
    const before = model.groups().map((g) => Float32Array.from(model.buffer.params.subarray(g.offset, g.offset + g.length)));
  model.buffer.grads.fill(0);
  opt.step();
  // Zero gradient: only decoupled decay moves params, so biases stay and weights shrink.
  model.groups().forEach((g, i) => {
    const now = model.buffer.params.subarray(g.offset, g.offset + g.length);
    if (g.name.endsWith('.bias')) assert.ok(bitsEqual(now, before[i]), `${g.name} decayed`);
    else assert.not.ok(bitsEqual(now, before[i]), `${g.name} did not decay`);
  });
  opt.dispose();
  model.dispose();
});

G('errors name the argument and change nothing', () => {
  const sd = engines[0];
  const opt = sd.optimizer('adam', { size: 10 });
  opt.group(2, 3);
  throwsWith(() => opt.group(-1, 2), RangeError, 'offset must be an integer ≥ 0, got -1');
  throwsWith(() => opt.group(1.5, 2), RangeError, 'offset must be an integer ≥ 0, got 1.5');
  throwsWith(() => opt.group('0' as any, 2), TypeError, 'offset must be a number');
  throwsWith(() => opt.group(0, 0), RangeError, 'length must be an integer ≥ 1, got 0');
  throwsWith(() => opt.group(0, 'x' as any), TypeError, 'length must be a number');
  throwsWith(() => opt.group(8, 3), RangeError, 'group [8, 11) runs past the 10 parameters');
  throwsWith(() => opt.group(4, 2), RangeError, 'group [4, 6) overlaps group [2, 5)');
  throwsWith(() => opt.group(0, 2, { lrScale: -1 }), RangeError, 'lrScale');
  throwsWith(() => opt.group(0, 2, { frozen: 1 } as any), TypeError, 'frozen');
  throwsWith(() => opt.group(0, 2, { lrscale: 2 } as any), TypeError, "unknown option 'lrscale'", "did you mean 'lrScale'");
  assert.equal(opt.groups.length, 1);
  opt.clearGroups();
  assert.equal(opt.groups, []);
});

G.run();
