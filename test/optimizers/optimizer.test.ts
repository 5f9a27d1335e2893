// The Optimizer facade around every rule: clipNorm (torch.nn.utils.clip_grad_norm_),
// clipValue (clip_grad_value_), skipNonFinite, NaN propagation without it, reset, dispose.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine, Optimizer } from '../../src/index.js';
import { bitsEqual, bothEngines, close, throwsWith } from '../_helpers.js';
import { NAMES, VARIANTS, data, gradAt, label } from './_cases.js';

const Facade = suite('optimizers/optimizer');
const f = Math.fround;

let simd: Engine;
let scalar: Engine;
Facade.before(async () => {
  [simd, scalar] = await bothEngines();
});

/** torch.nn.utils.clip_grad_norm_ on one float32 tensor, in float64 where torch is exact. */
function torchClipNorm(g: Float32Array, max: number): Float32Array {
  let ss = 0;
  for (const v of g) ss += v * v;
  const total = f(Math.sqrt(ss));
  const coef = f(f(1 / f(total + f(1e-6))) * f(max)); // max / (total + 1e-6): reciprocal, then product
  const clamped = Math.min(coef, 1);
  return Float32Array.from(g, (v) => f(v * clamped));
}

Facade('clipNorm scales the gradient as clip_grad_norm_, in place, before the update', () => {
  for (const sd of [simd, scalar]) {
    for (const n of [1, 5, 1025]) {
      const g = data(n, 11, 3);
      g[0] = 1.25;
      let norm = 0;
      for (const v of g) norm += v * v;
      norm = Math.sqrt(norm);
      for (const max of [norm / 10, norm * 0.999999, norm, norm * 2]) {
        const opt = sd.optimizer('sgd', { size: n, lr: 1, clipNorm: max });
        opt.params.set(data(n, 12));
        opt.grads.set(g);
        opt.step();
        const want = torchClipNorm(g, max);
        // The norm is summed in f64 in another order than torch's: at most an ulp of coef.
        close(opt.grads, want, { rtol: 2e-7, what: `n=${n} max=${max}` });
        if (max > norm + 1e-5) assert.ok(bitsEqual(opt.grads, g), 'a norm below max leaves the gradient alone');
        let clipped = 0;
        for (const v of opt.grads) clipped += v * v;
        if (max < norm) close(Math.sqrt(clipped), max, { rtol: 2e-6 });
        // θ ← θ + (−1)·g is exact: the update used the clipped gradient.
        const p0 = data(n, 12);
        assert.ok(bitsEqual(opt.params, Float32Array.from(p0, (p, i) => p - opt.grads[i])));
        opt.dispose();
      }
    }
  }
});

Facade('clipNorm: SIMD and scalar builds agree within 1e-6 relative', () => {
  for (const [name, o] of VARIANTS) {
    const out = [simd, scalar].map((sd) => {
      const opt = sd.optimizer(name, { size: 1023, ...o, clipNorm: 0.5 });
      opt.params.set(data(1023, 2));
      for (let t = 1; t <= 4; t++) {
        opt.grads.set(gradAt(1023, t));
        opt.step();
      }
      const p = Float32Array.from(opt.params);
      opt.dispose();
      return p;
    });
    close(out[0], out[1], { rtol: 1e-6, atol: 1e-30, what: label(name, o) });
  }
});

Facade('clipNorm with a non-finite gradient spreads NaN as torch (error_if_nonfinite=False)', () => {
  const opt = simd.optimizer('sgd', { size: 6, lr: 1, clipNorm: 1 });
  opt.grads.set([1, 2, Infinity, 3, 4, 5]);
  opt.step();
  // ‖g‖ = ∞ → coef = 0: finite entries become 0, ∞·0 = NaN
  assert.equal(Array.from(opt.grads), [0, 0, NaN, 0, 0, 0]);
  assert.ok(Number.isNaN(opt.params[2]));
  opt.grads.set([1, NaN, 1, 1, 1, 1]);
  opt.step();
  assert.ok(Array.from(opt.grads).every(Number.isNaN), 'NaN norm → NaN everywhere');
  opt.dispose();
});

Facade('clipValue clamps each element to [−c, c] (NaN stays NaN), before clipNorm', () => {
  for (const sd of [simd, scalar]) {
    const n = 1025;
    const g = data(n, 13, 3);
    g[1] = NaN;
    g[1024] = -Infinity;
    const opt = sd.optimizer('sgd', { size: n, lr: 0, clipValue: 2 });
    opt.grads.set(g);
    opt.step();
    const want = Float32Array.from(g, (v) => (Number.isNaN(v) ? v : Math.min(Math.max(v, -2), 2)));
    // equal values (NaN's sign bit may differ: x86's maxps returns its own quiet NaN)
    assert.equal(Array.from(opt.grads), Array.from(want), sd.simd ? 'SIMD' : 'scalar');
    opt.dispose();
    // Both: value first, then the norm of the clamped gradient.
    const both = sd.optimizer('sgd', { size: n, lr: 0, clipValue: 2, clipNorm: 1 });
    const h = data(n, 13, 3);
    both.grads.set(h);
    both.step();
    close(both.grads, torchClipNorm(Float32Array.from(h, (v) => Math.min(Math.max(v, -2), 2)), 1), { rtol: 2e-7 });
    both.dispose();
  }
});

/** Params and state of an optimizer, copied. */
const snap = (opt: Optimizer) => [Float32Array.from(opt.params), ...opt.stateKeys.map((k) => Float32Array.from(opt.stateView(k)))];

Facade('skipNonFinite: a NaN/±∞ gradient skips the step, counted; later steps as if it never came', () => {
  const n = 1025; // index 5 is in the SIMD body, 1024 in the scalar tail
  for (const sd of [simd, scalar]) {
    for (const [name, o] of VARIANTS) {
      const a = sd.optimizer(name, { size: n, ...o, skipNonFinite: true });
      const b = sd.optimizer(name, { size: n, ...o });
      a.params.set(data(n, 4));
      b.params.set(data(n, 4));
      let t = 0;
      for (const [where, bad] of [[5, NaN], [1024, Infinity], [1024, -Infinity], [0, NaN]] as const) {
        t++;
        a.grads.set(gradAt(n, t));
        b.grads.set(gradAt(n, t));
        assert.is(a.step(), true);
        b.step();
        const before = snap(a);
        a.grads.set(gradAt(n, 99));
        a.grads[where] = bad;
        assert.is(a.step(), false, `${label(name, o)}: step with ${bad} at ${where} not skipped`);
        snap(a).forEach((s, i) => assert.ok(bitsEqual(s, before[i]), `${label(name, o)}: array ${i} changed by a skipped step`));
      }
      assert.is(a.skippedSteps, 4);
      assert.is(a.stepCount, 4);
      a.grads.set(gradAt(n, 5));
      b.grads.set(gradAt(n, 5));
      a.step();
      b.step();
      const [sa, sb] = [snap(a), snap(b)];
      sa.forEach((s, i) => assert.ok(bitsEqual(s, sb[i]), `${label(name, o)}: diverged from the run without bad steps`));
      a.dispose();
      b.dispose();
    }
  }
});

Facade('without skipNonFinite, NaN propagates as in PyTorch', () => {
  for (const name of NAMES) {
    const opt = simd.optimizer(name, { size: 9 });
    opt.params.set(data(9, 5));
    opt.grads.set(gradAt(9, 1));
    opt.grads[6] = NaN; // SIMD body
    opt.grads[8] = NaN; // scalar tail
    assert.is(opt.step(), true);
    assert.is(opt.stepCount, 1);
    assert.is(opt.skippedSteps, 0);
    const p = Array.from(opt.params);
    if (name === 'lamb') {
      // the trust ratio ‖θ‖/‖r‖ is NaN: the whole buffer
      assert.ok(p.every(Number.isNaN), 'lamb: NaN everywhere');
    } else {
      assert.ok(Number.isNaN(p[6]) && Number.isNaN(p[8]), `${name}: NaN coordinates`);
      assert.ok(p.filter((_, i) => i !== 6 && i !== 8).every(Number.isFinite), `${name}: other coordinates stay finite`);
    }
    opt.dispose();
  }
});

Facade('reset() zeroes state (Adagrad: back to its initial accumulator) and the step count', () => {
  const opt = simd.optimizer('adagrad', { size: 5, initialAccumulatorValue: 0.5 });
  assert.equal(Array.from(opt.stateView('sum')), [0.5, 0.5, 0.5, 0.5, 0.5]);
  opt.grads.set([1, 2, 3, 4, 5]);
  opt.step();
  opt.reset();
  assert.is(opt.stepCount, 0);
  assert.equal(Array.from(opt.stateView('sum')), [0.5, 0.5, 0.5, 0.5, 0.5]);
  opt.dispose();
  const nadam = simd.optimizer('nadam', { size: 3 });
  const fresh = simd.optimizer('nadam', { size: 3 });
  nadam.grads.set([1, 2, 3]);
  nadam.step();
  nadam.reset();
  nadam.params.set(fresh.params);
  nadam.grads.set([1, 2, 3]);
  fresh.grads.set([1, 2, 3]);
  nadam.step();
  fresh.step();
  assert.ok(bitsEqual(nadam.params, fresh.params), 'nadam: μ product reset too');
  nadam.dispose();
  fresh.dispose();
});

Facade('dispose(): idempotent; everything else throws afterwards', () => {
  for (const name of NAMES) {
    const opt = simd.optimizer(name, { size: 4 });
    const buffer = opt.buffer;
    const bytes = opt.saveState();
    opt.dispose();
    opt.dispose();
    assert.ok(opt.isDisposed);
    assert.ok(buffer.isDisposed, 'a buffer the optimizer made is freed with it');
    const msg = `${name}: optimizer used after dispose()`;
    throwsWith(() => opt.step(), Error, msg);
    throwsWith(() => opt.params, Error, msg);
    throwsWith(() => opt.grads, Error, msg);
    throwsWith(() => opt.saveState(), Error, msg);
    throwsWith(() => opt.loadState(bytes), Error, msg);
    throwsWith(() => (opt.lr = 0.1), Error, msg);
    throwsWith(() => opt.set('lr', 0.1), Error, msg);
    throwsWith(() => opt.reset(), Error, msg);
    if (opt.stateKeys.length) throwsWith(() => opt.stateView(opt.stateKeys[0]), Error, msg);
  }
});

Facade('an optimizer on a caller buffer leaves it alive; a disposed buffer stops the optimizer', () => {
  const buf = simd.buffer(8);
  const opt = simd.optimizer('adam', { buffer: buf });
  assert.ok(opt.params === buf.params || bitsEqual(opt.params, buf.params));
  buf.grads.fill(1);
  opt.step();
  assert.ok(buf.params.every((v) => v < 0), 'the step landed in the caller buffer');
  opt.dispose();
  assert.not.ok(buf.isDisposed);
  buf.params.fill(3);
  const opt2 = simd.optimizer('sgd', { buffer: buf });
  buf.dispose();
  throwsWith(() => opt2.step(), Error, 'buffer: used after dispose()');
  opt2.dispose();
});

Facade('stateView names PyTorch-style state buffers and rejects others', () => {
  const opt = simd.optimizer('rmsprop', { size: 2, centered: true, momentum: 0.9 });
  assert.equal(opt.stateKeys, ['square_avg', 'grad_avg', 'momentum_buffer']);
  throwsWith(() => opt.stateView('exp_avg'), RangeError, "rmsprop: no state buffer 'exp_avg' (has square_avg, grad_avg, momentum_buffer)");
  opt.dispose();
});

Facade.run();
