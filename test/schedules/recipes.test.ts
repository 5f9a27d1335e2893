// Recipes as a Keras 3, an Optax and a PyTorch user writes them (schedule + weight decay),
// transcribed into simdescent as docs/schedules.md's table says: the same lr at every step and the
// same parameters. Keras and Optax: their update rules written here in float64 from their source's
// formulas (parameters rounded to float32 each step, as the buffer is); PyTorch: a fixture made by
// tools/torch-fixtures.py, replayed bit for bit.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine } from '../../src/index.js';
import { schedule, type Schedule } from '../../src/schedules/index.js';
import { bitsEqual, bothEngines, close, fixture } from '../_helpers.js';
import { data, gradAt } from '../optimizers/_cases.js';

const Recipes = suite('schedules/recipes');
const N = 67; // SIMD body and a tail
const STEPS = 80;

let engines: Engine[];
Recipes.before(async () => {
  engines = await bothEngines();
});

/** simdescent's run of a recipe: lr from the schedule before every step. */
function run(sd: Engine, name: string, options: object, s: Schedule): { params: Float32Array; lrs: number[] } {
  const opt = sd.optimizer(name, { size: N, ...options });
  opt.params.set(data(N, 3));
  const lrs: number[] = [];
  for (let t = 0; t < STEPS; t++) {
    opt.lr = s.lrAt(t);
    lrs.push(opt.lr);
    opt.grads.set(gradAt(N, t + 1));
    opt.step();
  }
  const params = Float32Array.from(opt.params);
  opt.dispose();
  return { params, lrs };
}

/** The peer's loop: `update(θ, g, lr, t)` in float64 on a float32 buffer, lr = schedule(t) with t counted from 0. */
function peer(lrAt: (t: number) => number, update: (p: Float64Array, g: Float32Array, lr: number, t: number) => void): { params: Float32Array; lrs: number[] } {
  const p32 = data(N, 3);
  const lrs: number[] = [];
  for (let t = 0; t < STEPS; t++) {
    const lr = lrAt(t);
    lrs.push(lr);
    const p = Float64Array.from(p32);
    update(p, gradAt(N, t + 1), lr, t);
    p32.set(p);
  }
  return { params: p32, lrs };
}

function same(what: string, ours: { params: Float32Array; lrs: number[] }, theirs: { params: Float32Array; lrs: number[] }): void {
  close(ours.lrs, theirs.lrs, { rtol: 1e-12, atol: 1e-15, what: `${what} lr` });
  close(ours.params, theirs.params, { rtol: 1e-5, atol: 1e-6, what: `${what} params` });
}

Recipes('Keras: Lamb(CosineDecay(0.001, 40, alpha=0.1, warmup_target=0.01, warmup_steps=10), weight_decay=0.01)', () => {
  // keras.optimizers.schedules.CosineDecay with warmup: linear from 0.001 to 0.01, then cosine to 0.1·0.01, held.
  const kerasLr = (step: number) => {
    if (step < 10) return (0.01 - 0.001) * (step / 10) + 0.001;
    const cf = Math.min(step - 10, 40) / 40;
    return ((1 - 0.1) * 0.5 * (1 + Math.cos(Math.PI * cf)) + 0.1) * 0.01;
  };
  const m = new Float64Array(N), v = new Float64Array(N);
  const theirs = peer(kerasLr, (p, g, lr, it) => {
    for (let i = 0; i < N; i++) p[i] = p[i] - p[i] * 0.01 * lr; // BaseOptimizer._apply_weight_decay, before update_step
    const t = it + 1;
    const u = new Float64Array(N);
    let ww = 0, uu = 0;
    for (let i = 0; i < N; i++) {
      m[i] += (g[i] - m[i]) * (1 - 0.9);
      v[i] += (g[i] * g[i] - v[i]) * (1 - 0.999);
      u[i] = m[i] / (1 - 0.9 ** t) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-6);
      ww += p[i] * p[i];
      uu += u[i] * u[i];
    }
    const ratio = ww > 0 && uu > 0 ? Math.sqrt(ww) / Math.sqrt(uu) : 1;
    for (let i = 0; i < N; i++) p[i] -= ratio * lr * u[i];
  });
  const s = schedule('warmup', {
    warmupSteps: 10, startFactor: 0.001 / 0.01,
    schedule: { schedule: 'cosine', options: { lr: 0.01, tMax: 40, lrMin: 0.1 * 0.01, hold: true } },
  });
  for (const sd of engines) same(`lamb ${sd.simd ? 'SIMD' : 'scalar'}`, run(sd, 'lamb', { eps: 1e-6, weightDecay: 0.01, decoupledWeightDecay: true }, s), theirs);
});

Recipes('Keras: SGD(PolynomialDecay(0.1, 15, 0.001, power=0.5, cycle=True), weight_decay=0.004)', () => {
  const kerasLr = (step: number) => {
    const ds = 15 * (step === 0 ? 1 : Math.ceil(step / 15));
    return (0.1 - 0.001) * (1 - step / ds) ** 0.5 + 0.001;
  };
  const theirs = peer(kerasLr, (p, g, lr) => {
    for (let i = 0; i < N; i++) p[i] = p[i] - p[i] * 0.004 * lr - lr * g[i];
  });
  const s = schedule('polynomial', { lr: 0.1, totalIters: 15, lrEnd: 0.001, power: 0.5, cycle: true });
  for (const sd of engines) same(`sgd ${sd.simd ? 'SIMD' : 'scalar'}`, run(sd, 'sgd', { weightDecay: 0.004, decoupledWeightDecay: true }, s), theirs);
});

Recipes('Optax: adamw(warmup_cosine_decay_schedule(0, 1e-2, 10, 100, end_value=1e-4, exponent=2), weight_decay=1e-4)', () => {
  const optaxLr = (count: number) => {
    if (count < 10) return (0 - 1e-2) * (1 - count / 10) + 1e-2;
    const c = Math.min(count - 10, 90);
    const cosine = 0.5 * (1 + Math.cos((Math.PI * c) / 90));
    return 1e-2 * ((1 - 1e-4 / 1e-2) * cosine ** 2 + 1e-4 / 1e-2);
  };
  const m = new Float64Array(N), v = new Float64Array(N);
  const theirs = peer(optaxLr, (p, g, lr, it) => {
    const t = it + 1;
    for (let i = 0; i < N; i++) {
      m[i] = (1 - 0.9) * g[i] + 0.9 * m[i]; // scale_by_adam
      v[i] = (1 - 0.999) * g[i] * g[i] + 0.999 * v[i];
      const u = m[i] / (1 - 0.9 ** t) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8) + 1e-4 * p[i]; // add_decayed_weights
      p[i] = p[i] - lr * u; // scale_by_learning_rate
    }
  });
  const s = schedule('warmup', { warmupSteps: 10, startFactor: 0, schedule: { schedule: 'cosine', options: { lr: 1e-2, tMax: 90, lrMin: 1e-4, exponent: 2, hold: true } } });
  for (const sd of engines) same(`adamw ${sd.simd ? 'SIMD' : 'scalar'}`, run(sd, 'adamw', { weightDecay: 1e-4 }, s), theirs);
});

Recipes('PyTorch: SGD(nesterov, weight_decay) + ChainedScheduler([CosineAnnealingLR, MultiStepLR]) — bit for bit', () => {
  const fx = fixture('recipe-torch-sgd-chained');
  const s = schedule.fromJSON(fx.schedule);
  close(fx.lrs.map((_: number, t: number) => s.lrAt(t)), fx.lrs, { rtol: 1e-12, atol: 1e-15, what: 'lr' });
  for (const sd of engines) {
    const opt = sd.optimizer(fx.optimizer, { size: fx.n, ...fx.options });
    opt.params.set(fx.params0);
    for (let t = 0; t < fx.steps; t++) {
      opt.lr = s.lrAt(t);
      opt.grads.set(fx.grads[t]);
      opt.step();
      assert.ok(bitsEqual(opt.params, Float32Array.from(fx.params[t])), `${sd.simd ? 'SIMD' : 'scalar'}: params after step ${t} differ from PyTorch`);
    }
    opt.dispose();
  }
});

Recipes.run();
