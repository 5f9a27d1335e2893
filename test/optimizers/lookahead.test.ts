// Lookahead: k inner steps, then slow ← slow + α(fast − slow), fast ← slow, checked bit for
// bit against the inner optimizer run alone plus a float32 reference of the sync, both builds.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine } from '../../src/index.js';
import { bitsEqual, bothEngines, throwsWith } from '../_helpers.js';
import { gradAt } from './_cases.js';

const L = suite('optimizers/lookahead');
const N = 37;
const f = Math.fround;
let engines: Engine[];
L.before(async () => {
  engines = await bothEngines();
});

L('k fast steps then a sync, equal to the inner optimizer plus the reference sync', () => {
  for (const sd of engines) {
    for (const name of ['sgd', 'adam']) {
      const opt = sd.optimizer(name, { size: N, lr: 0.05, ...(name === 'sgd' ? { momentum: 0.9 } : {}) });
      const ref = sd.optimizer(name, { size: N, lr: 0.05, ...(name === 'sgd' ? { momentum: 0.9 } : {}) });
      const p0 = Float32Array.from({ length: N }, (_, i) => Math.cos(i));
      opt.params.set(p0);
      ref.params.set(p0);
      const la = sd.lookahead(opt, { k: 3, alpha: 0.4 });
      const slow = Float32Array.from(p0);
      for (let t = 1; t <= 10; t++) {
        opt.grads.set(gradAt(N, t));
        ref.grads.set(gradAt(N, t));
        la.step();
        ref.step();
        if (t % 3 === 0) {
          for (let i = 0; i < N; i++) {
            slow[i] = f(slow[i] + f(f(0.4) * f(ref.params[i] - slow[i])));
            ref.params[i] = slow[i];
          }
        }
        assert.ok(bitsEqual(opt.params, ref.params), `${name} simd=${sd.simd} step ${t}`);
      }
      assert.ok(bitsEqual(la.slowParams, slow));
      assert.is(la.fastSteps, 10);
      la.dispose();
      opt.dispose();
      ref.dispose();
    }
  }
});

L('skipped non-finite steps do not count toward k; errors', () => {
  const sd = engines[0];
  const opt = sd.optimizer('sgd', { size: 4, lr: 0.1, skipNonFinite: true });
  const la = sd.lookahead(opt, { k: 2 });
  opt.grads.fill(NaN);
  assert.is(la.step(), false);
  assert.is(la.fastSteps, 0);
  throwsWith(() => sd.lookahead(opt, { k: 0 }), RangeError, 'k');
  throwsWith(() => sd.lookahead(opt, { alpha: 2 }), RangeError, 'alpha', '[0, 1]');
  throwsWith(() => sd.lookahead(opt, { kk: 2 } as any), TypeError, "unknown option 'kk'", "did you mean 'k'");
  throwsWith(() => sd.lookahead({} as any), TypeError, 'lookahead: inner must be an optimizer');
  la.dispose();
  throwsWith(() => la.step(), Error, 'lookahead: used after dispose()');
  opt.dispose();
});

L.run();
