// Replays every PyTorch optimizer fixture on both builds (test/fixtures/README.md):
// open loops within 1e-5·max(1, Sᵢ), closed loops the same on params and 1e-5 relative on
// loss; and SIMD == scalar bit for bit on the open loops.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bitsEqual, bothEngines, fixture, objective } from '../_helpers.js';

const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));
const names = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5))
  .filter((n) => fixture(n).kind === 'optimizer');

const Fixtures = suite('optimizers/fixtures');

/** Sᵢ: the largest |value| coordinate i takes in params0 and params. */
function scales(fx: any): Float64Array {
  const s = Float64Array.from(fx.params0, (v: number) => Math.abs(v));
  for (const row of fx.params) row.forEach((v: number, i: number) => (s[i] = Math.max(s[i], Math.abs(v))));
  return s;
}

function replay(sd: any, fx: any): { worst: number; final: Float32Array } {
  const opt = sd.optimizer(fx.optimizer, { size: fx.n, ...fx.options });
  opt.params.set(fx.params0);
  const S = scales(fx);
  const f = fx.loop === 'closed' ? objective(fx) : undefined;
  let worst = 0;
  for (let t = 0; t < fx.steps; t++) {
    if (f) {
      const loss = f(opt.params, opt.grads);
      const e = fx.loss[t];
      const err = Math.abs(loss - e) / Math.max(1, Math.abs(e));
      if (err > 1e-5) throw new Error(`${fx.name}: loss at step ${t} ${loss} vs ${e}`);
    } else {
      opt.grads.set(fx.grads[t]);
    }
    opt.step();
    const p = opt.params;
    const e = fx.params[t];
    for (let i = 0; i < fx.n; i++) {
      const err = Math.abs(p[i] - e[i]) / Math.max(1, S[i]);
      worst = Math.max(worst, err);
      if (!(err <= 1e-5)) throw new Error(`${fx.name}: params[${t}][${i}] = ${p[i]}, expected ${e[i]} (scaled error ${err})`);
    }
  }
  const final = Float32Array.from(opt.params);
  opt.dispose();
  return { worst, final };
}

for (const name of names) {
  Fixtures(`${name} replays on SIMD and scalar builds`, async () => {
    const fx = fixture(name);
    const [simd, scalar] = await bothEngines();
    const a = replay(simd, fx);
    const b = replay(scalar, fx);
    if (fx.optimizer !== 'lamb') {
      assert.ok(bitsEqual(a.final, b.final), `${name}: SIMD and scalar differ`);
    } else {
      for (let i = 0; i < fx.n; i++) {
        assert.ok(Math.abs(a.final[i] - b.final[i]) <= 1e-6 * Math.abs(b.final[i]), `${name}: SIMD and scalar differ beyond 1e-6 at ${i}`);
      }
    }
  });
}

// The optimizers PyTorch made follow its operation order exactly (fixtures README, "Matching
// PyTorch bit for bit"): fed the recorded gradients (closed loops too), every value is exact.
for (const name of names.filter((n) => fixture(n).source.startsWith('torch.optim.'))) {
  Fixtures(`${name}: bit-exact from the recorded gradients on both builds`, async () => {
    const fx = fixture(name);
    for (const sd of await bothEngines()) {
      const opt = sd.optimizer(fx.optimizer, { size: fx.n, ...fx.options });
      opt.params.set(fx.params0);
      for (let t = 0; t < fx.steps; t++) {
        opt.grads.set(fx.grads[t]);
        opt.step();
        const want = Float32Array.from(fx.params[t]);
        if (!bitsEqual(opt.params, want)) {
          const i = opt.params.findIndex((v: number, j: number) => !Object.is(v, want[j]));
          throw new Error(`${name} (${sd.simd ? 'SIMD' : 'scalar'}): params[${t}][${i}] = ${opt.params[i]}, PyTorch ${want[i]}`);
        }
      }
      opt.dispose();
    }
  });
}

Fixtures.run();
