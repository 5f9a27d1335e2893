// Every optimizer and variant on the tail lengths: the SIMD build equals the scalar build
// bit for bit (LAMB, whose norms sum in another order: within 1e-6 relative), and both
// follow the plain-TS float64 reference (src/reference) within float32 rounding.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine } from '../../src/index.js';
import { REFERENCES } from '../../src/reference/index.js';
import { bitsEqual, bothEngines, close, throwsWith } from '../_helpers.js';
import { VARIANTS, data, gradAt, label } from './_cases.js';

const Kernels = suite('optimizers/kernels');
const LENGTHS = [1, 3, 4, 5, 7, 8, 31, 1023, 1025];
const STEPS = 8; // RAdam rectifies from step 6: both branches run

let simd: Engine;
let scalar: Engine;
Kernels.before(async () => {
  [simd, scalar] = await bothEngines();
});

function run(sd: Engine, name: string, o: Record<string, any>, n: number) {
  const opt = sd.optimizer(name, { size: n, ...o });
  opt.params.set(data(n, 7));
  const lrs: number[] = [];
  for (let t = 1; t <= STEPS; t++) {
    opt.grads.set(gradAt(n, t));
    opt.lr = o.lr === undefined ? opt.lr : o.lr; // the setter path, same value
    if (t === 5) opt.lr = opt.lr * 0.5; // an lr change mid-run (a schedule)
    lrs.push(opt.lr);
    opt.step();
  }
  const out = { params: Float32Array.from(opt.params), states: opt.stateKeys.map((k) => Float32Array.from(opt.stateView(k))), lrs, options: opt.options };
  opt.dispose();
  return out;
}

Kernels('size 0 is a RangeError for every optimizer', () => {
  for (const [name] of VARIANTS) {
    throwsWith(() => simd.optimizer(name, { size: 0 }), RangeError, `${name}: size must be a positive integer, got 0`);
  }
});

for (const [name, o] of VARIANTS) {
  Kernels(`${label(name, o)}: SIMD == scalar and ≈ reference at lengths ${LENGTHS.join(', ')}`, () => {
    for (const n of LENGTHS) {
      const a = run(simd, name, o, n);
      const b = run(scalar, name, o, n);
      if (name === 'lamb') {
        close(a.params, b.params, { rtol: 1e-6, atol: 1e-30, what: `${name} n=${n} params` });
        a.states.forEach((s, i) => assert.ok(bitsEqual(s, b.states[i]), `${name} n=${n}: state ${i} differs`));
      } else {
        assert.ok(bitsEqual(a.params, b.params), `${label(name, o)} n=${n}: SIMD and scalar params differ`);
        a.states.forEach((s, i) => assert.ok(bitsEqual(s, b.states[i]), `${label(name, o)} n=${n}: state ${i} differs`));
      }
      const p = data(n, 7);
      const ref = REFERENCES[name](n, a.options);
      for (let t = 1; t <= STEPS; t++) ref.step(p, gradAt(n, t), a.lrs[t - 1]);
      close(a.params, p, { rtol: 2e-6, atol: 2e-6, what: `${label(name, o)} n=${n} vs reference` });
    }
  });
}

Kernels.run();
