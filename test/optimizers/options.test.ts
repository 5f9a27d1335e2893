// Option handling for every optimizer: names and defaults (fixtures README, API.md), strict
// types, ranges, cross-option checks, sizes, the lr setter — each message asserted, and
// nothing allocated or changed by a call that throws.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine } from '../../src/index.js';
import { RULES } from '../../src/optimizers/registry.js';
import { bothEngines, fixture, throwsWith } from '../_helpers.js';
import { NAMES } from './_cases.js';

const Options = suite('optimizers/options');

let sd: Engine;
let other: Engine;
Options.before(async () => {
  [sd, other] = await bothEngines();
});

const shared = { skipNonFinite: false };
const betas = { beta1: 0.9, beta2: 0.999 };
const DEFAULTS: Record<string, Record<string, unknown>> = {
  sgd: { lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, decoupledWeightDecay: false, maximize: false },
  momentum: { lr: 1e-2, beta: 0.9, biasCorrection: true, weightDecay: 0, decoupledWeightDecay: false },
  adagrad: { lr: 1e-2, lrDecay: 0, weightDecay: 0, decoupledWeightDecay: false, initialAccumulatorValue: 0, eps: 1e-10 },
  rmsprop: { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, momentum: 0, centered: false },
  adadelta: { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, decoupledWeightDecay: false },
  adam: { lr: 1e-3, ...betas, eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, amsgrad: false, maximize: false },
  adamw: { lr: 1e-3, ...betas, eps: 1e-8, weightDecay: 1e-2, amsgrad: false },
  adamax: { lr: 2e-3, ...betas, eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false },
  nadam: { lr: 2e-3, ...betas, eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, momentumDecay: 4e-3 },
  radam: { lr: 1e-3, ...betas, eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false },
  lion: { lr: 1e-4, beta1: 0.9, beta2: 0.99, weightDecay: 0 },
  lamb: { lr: 1e-3, ...betas, eps: 1e-6, weightDecay: 0, decoupledWeightDecay: false },
};

/** Options added after the fixtures were made (Keras 3 / PyTorch ≥ 2 decoupled weight decay): not in their option lists. */
const NEWER: Record<string, string[]> = Object.fromEntries(
  Object.keys(DEFAULTS).map((n) => [n, n === 'momentum' ? ['weightDecay', 'decoupledWeightDecay'] : ['decoupledWeightDecay']]),
);

const sorted = (o: object) => JSON.stringify(Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b))));

/** Asserts that fn throws as described and leaves WASM memory where it was. */
function rejects(fn: () => unknown, type: Function, ...fragments: string[]): void {
  const before = sd.memoryBytes;
  throwsWith(fn, type, ...fragments);
  assert.is(sd.memoryBytes, before, `memory changed by a throwing call (${fragments[0]})`);
}

Options('the registry holds exactly the 12 optimizers', () => {
  assert.equal(Object.keys(RULES).sort(), [...NAMES].sort());
});

Options('defaults: PyTorch 1.13 where it has the optimizer, API.md otherwise', () => {
  for (const name of NAMES) {
    const opt = sd.optimizer(name, { size: 1 });
    assert.is(sorted(opt.options), sorted({ ...DEFAULTS[name], ...shared }), name);
    assert.is(opt.lr, DEFAULTS[name].lr);
    opt.dispose();
  }
});

Options('option names are those of the fixtures (every fixture lists them all)', () => {
  const seen = new Set<string>();
  for (const name of ['adadelta-open', 'adagrad-open', 'adam-open', 'adamax-open', 'adamw-open', 'lamb-open', 'lion-open',
    'momentum-open', 'nadam-open', 'radam-open', 'rmsprop-open', 'sgd-plain-open']) {
    const fx = fixture(name);
    assert.equal(Object.keys(fx.options).sort(), Object.keys(DEFAULTS[fx.optimizer]).filter((k) => !NEWER[fx.optimizer]?.includes(k)).sort(), name);
    seen.add(fx.optimizer);
  }
  assert.is(seen.size, 12);
  // Fixtures made with PyTorch defaults carry exactly those defaults.
  for (const name of ['adadelta-open', 'adagrad-open', 'adam-open', 'adamax-open', 'adamw-open', 'nadam-open', 'radam-open']) {
    const fx = fixture(name);
    // decoupledWeightDecay is PyTorch ≥ 2 (NAdam, RAdam) and Keras 3: 1.13's fixtures predate it.
    const { decoupledWeightDecay, ...torch113 } = DEFAULTS[fx.optimizer];
    assert.is(decoupledWeightDecay, fx.optimizer === 'adamw' ? undefined : false, name);
    assert.is(sorted(fx.options), sorted(torch113), name);
  }
});

Options('unknown keys, and options that belong to another optimizer, are TypeErrors', () => {
  for (const name of NAMES) {
    rejects(() => sd.optimizer(name, { size: 1, learningRate: 0.1 }), TypeError, `${name}: unknown option 'learningRate'`, 'known options: lr');
    const foreign = new Set(NAMES.flatMap((n) => Object.keys(DEFAULTS[n])).filter((k) => !(k in DEFAULTS[name])));
    for (const key of foreign) rejects(() => sd.optimizer(name, { size: 1, [key]: 0.5 }), TypeError, `${name}: unknown option '${key}'`);
  }
  rejects(() => sd.optimizer('adam', { size: 1, momentum: 0.9 }), TypeError, "adam: unknown option 'momentum'");
  rejects(() => sd.optimizer('adam', { size: 1, betas: [0.9, 0.99] }), TypeError, "adam: unknown option 'betas' (did you mean 'beta1'?)");
});

Options('wrong types are TypeErrors, never coerced', () => {
  for (const name of NAMES) {
    for (const [key, def] of Object.entries(DEFAULTS[name])) {
      if (typeof def === 'number') {
        rejects(() => sd.optimizer(name, { size: 1, [key]: String(def) }), TypeError, `${name}: ${key} must be a number, got "${def}"`);
        rejects(() => sd.optimizer(name, { size: 1, [key]: null }), TypeError, `${name}: ${key} must be a number, got null`);
      } else {
        rejects(() => sd.optimizer(name, { size: 1, [key]: 1 }), TypeError, `${name}: ${key} must be a boolean, got 1`);
      }
    }
    rejects(() => sd.optimizer(name, { size: 1, skipNonFinite: 'yes' }), TypeError, `${name}: skipNonFinite must be a boolean, got "yes"`);
    rejects(() => sd.optimizer(name, { size: 1, clipNorm: '1' }), TypeError, `${name}: clipNorm must be a number, got "1"`);
  }
  rejects(() => sd.optimizer('adam', 5 as any), TypeError, 'adam: options must be an object, got 5');
  rejects(() => sd.optimizer('adam', [] as any), TypeError, 'adam: options must be an object, got []');
});

Options('out-of-range and non-finite values are RangeErrors naming option and value', () => {
  for (const name of NAMES) {
    for (const [key, def] of Object.entries(DEFAULTS[name])) {
      if (typeof def !== 'number') continue;
      rejects(() => sd.optimizer(name, { size: 1, [key]: NaN }), RangeError, `${name}: ${key} must be finite, got NaN`);
      rejects(() => sd.optimizer(name, { size: 1, [key]: Infinity }), RangeError, `${name}: ${key} must be finite, got Infinity`);
      const lower = key === 'eps' ? 'must be > 0' : /^(beta|beta1|beta2|alpha|rho)$/.test(key) ? 'must be in [0, 1)' : key === 'dampening' ? 'must be in [0, 1]' : 'must be ≥ 0';
      rejects(() => sd.optimizer(name, { size: 1, [key]: -0.5 }), RangeError, `${name}: ${key} ${lower}, got -0.5`);
    }
    rejects(() => sd.optimizer(name, { size: 1, lr: -1e-3 }), RangeError, `${name}: lr must be ≥ 0, got -0.001`);
    rejects(() => sd.optimizer(name, { size: 1, clipNorm: 0 }), RangeError, `${name}: clipNorm must be > 0, got 0`);
    rejects(() => sd.optimizer(name, { size: 1, clipValue: -1 }), RangeError, `${name}: clipValue must be > 0, got -1`);
  }
  for (const [name, keys] of [['adam', ['beta1', 'beta2']], ['adamw', ['beta1', 'beta2']], ['adamax', ['beta1', 'beta2']], ['nadam', ['beta1', 'beta2']],
    ['radam', ['beta1', 'beta2']], ['lion', ['beta1', 'beta2']], ['lamb', ['beta1', 'beta2']], ['momentum', ['beta']], ['rmsprop', ['alpha']], ['adadelta', ['rho']]] as const) {
    for (const key of keys) {
      rejects(() => sd.optimizer(name, { size: 1, [key]: 1 }), RangeError, `${name}: ${key} must be in [0, 1), got 1`);
      rejects(() => sd.optimizer(name, { size: 1, [key]: 1.2 }), RangeError, `${name}: ${key} must be in [0, 1), got 1.2`);
    }
  }
  for (const name of ['adagrad', 'rmsprop', 'adadelta', 'adam', 'adamw', 'adamax', 'nadam', 'radam', 'lamb']) {
    rejects(() => sd.optimizer(name, { size: 1, eps: 0 }), RangeError, `${name}: eps must be > 0, got 0`);
  }
  rejects(() => sd.optimizer('sgd', { size: 1, momentum: -0.9 }), RangeError, 'sgd: momentum must be ≥ 0, got -0.9');
  rejects(() => sd.optimizer('rmsprop', { size: 1, momentum: -0.9 }), RangeError, 'rmsprop: momentum must be ≥ 0, got -0.9');
  rejects(() => sd.optimizer('sgd', { size: 1, dampening: 1.5 }), RangeError, 'sgd: dampening must be in [0, 1], got 1.5');
});

Options('nesterov needs momentum > 0 (and no dampening), as torch.optim.SGD', () => {
  rejects(() => sd.optimizer('sgd', { size: 1, nesterov: true }), RangeError, 'sgd: nesterov requires momentum > 0, got momentum 0');
  rejects(() => sd.optimizer('sgd', { size: 1, nesterov: true, momentum: 0.9, dampening: 0.1 }), RangeError, 'sgd: nesterov requires dampening 0, got dampening 0.1');
  sd.optimizer('sgd', { size: 1, nesterov: true, momentum: 0.9 }).dispose();
});

Options('size: a positive integer that fits in WebAssembly memory with the state', () => {
  for (const name of NAMES) {
    for (const bad of [0, -1, 1.5, NaN]) rejects(() => sd.optimizer(name, { size: bad }), RangeError, `${name}: size must be a positive integer, got ${bad}`);
    rejects(() => sd.optimizer(name, { size: '3' }), TypeError, `${name}: size must be a number, got "3"`);
    rejects(() => sd.optimizer(name, { size: 2 ** 30 }), RangeError, `${name}: size 1073741824 does not fit in WebAssembly memory`, 'left of 4 GiB');
  }
  // 2²⁸ floats: params + grads fit (2 GiB), Adam's two moments on top do not.
  rejects(() => sd.optimizer('adam', { size: 2 ** 28 }), RangeError, 'adam: size 268435456 does not fit in WebAssembly memory: 4 arrays of 268435456 floats (params, grads, 2 state) need 4294967296 bytes, more than the');
  rejects(() => sd.optimizer('adam', {}), TypeError, 'adam: options need a buffer (from sd.buffer) or a size');
  rejects(() => sd.optimizer('adam', undefined as any), TypeError, 'adam: options need a buffer (from sd.buffer) or a size');
});

Options('buffer: one made by this engine, alive, and not together with size', () => {
  const buf = sd.buffer(4);
  rejects(() => sd.optimizer('adam', { buffer: buf, size: 4 }), TypeError, 'adam: pass either buffer or size, not both');
  rejects(() => sd.optimizer('adam', { buffer: new Float32Array(4) }), TypeError, 'adam: buffer must be made by sd.buffer(), got [object Float32Array]');
  const foreign = other.buffer(4);
  rejects(() => sd.optimizer('adam', { buffer: foreign }), TypeError, 'adam: buffer belongs to another engine');
  foreign.dispose();
  buf.dispose();
  rejects(() => sd.optimizer('adam', { buffer: buf }), Error, 'adam: buffer was disposed');
});

Options('unknown optimizer names', () => {
  rejects(() => sd.optimizer('adma', { size: 1 }), TypeError, "optimizer: unknown optimizer 'adma' (did you mean 'adam'?)", 'known: sgd, momentum, adagrad');
  rejects(() => sd.optimizer('Adam', { size: 1 }), TypeError, "optimizer: unknown optimizer 'Adam' (did you mean 'adam'?)");
  rejects(() => sd.optimizer('toString', { size: 1 }), TypeError, "optimizer: unknown optimizer 'toString'");
  rejects(() => sd.optimizer(3 as any, { size: 1 }), TypeError, 'optimizer: name must be a string, got 3');
});

Options('opt.lr: a double used by the next step, validated like the option', () => {
  for (const name of NAMES) {
    const opt = sd.optimizer(name, { size: 3, lr: 0.25 });
    throwsWith(() => (opt.lr = -1), RangeError, `${name}: lr must be ≥ 0, got -1`);
    throwsWith(() => (opt.lr = NaN), RangeError, `${name}: lr must be finite, got NaN`);
    throwsWith(() => (opt.lr = Infinity), RangeError, `${name}: lr must be finite, got Infinity`);
    throwsWith(() => ((opt as any).lr = '0.1'), TypeError, `${name}: lr must be a number, got "0.1"`);
    assert.is(opt.lr, 0.25, `${name}: lr unchanged by rejected sets`);
    opt.lr = 0.1; // not a float32 value: kept as a double
    assert.is(opt.lr, 0.1);
    assert.is(opt.options.lr, 0.1);
    opt.dispose();
  }
  const opt = sd.optimizer('sgd', { size: 4, lr: 1 });
  opt.params.set([1, 2, 3, 4]);
  opt.grads.set([1, 1, 1, 1]);
  opt.lr = 0.5;
  opt.step();
  assert.equal(Array.from(opt.params), [0.5, 1.5, 2.5, 3.5]);
  opt.lr = 0;
  opt.step();
  assert.equal(Array.from(opt.params), [0.5, 1.5, 2.5, 3.5]);
  opt.dispose();
});

Options('set(): validated, and refuses a change of state layout', () => {
  const opt = sd.optimizer('sgd', { size: 2, momentum: 0.9, dampening: 0.1 });
  opt.set('momentum', 0.5);
  assert.is(opt.options.momentum, 0.5);
  throwsWith(() => opt.set('momentum', 0), RangeError, 'sgd: changing momentum to 0 would change the optimizer\'s state layout');
  throwsWith(() => opt.set('momentum', -1), RangeError, 'sgd: momentum must be ≥ 0, got -1');
  throwsWith(() => opt.set('beta1', 0.9), TypeError, "sgd: unknown option 'beta1'");
  throwsWith(() => opt.set('nesterov', true), RangeError, 'sgd: nesterov requires dampening 0');
  assert.is(opt.options.momentum, 0.5);
  opt.dispose();
});

Options.run();
