// The tools against the Model interface alone: a TypeScript quadratic whose good learning
// rates are known in closed form. loss(p) = mean over rows of ½ Σⱼ hⱼ (pⱼ − xᵣⱼ)², so the
// Hessian is diag(h) and gradient descent converges exactly for lr < 2 / max(h).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Random, type Engine, type Model, type ParamGroup } from '../../src/index.js';
import { bitsEqual, bothEngines, close } from '../_helpers.js';

const F = suite('tools/fake-model');
let sd: Engine;
F.before(async () => {
  [sd] = await bothEngines();
});

const CENTER = [1, -2];

function quadratic(engine: Engine, H = [1, 10]): Model {
  const buffer = engine.buffer(2);
  let sx = new Float32Array(0);
  let sy = new Float32Array(0);
  const lossOf = (x: Float32Array, n: number, grad?: Float32Array): number => {
    const p = buffer.params;
    let loss = 0;
    const g = [0, 0];
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < 2; j++) {
        const d = p[j] - x[r * 2 + j];
        loss += 0.5 * H[j] * d * d;
        g[j] += H[j] * d;
      }
    }
    if (grad) for (let j = 0; j < 2; j++) grad[j] = g[j] / n;
    return loss / n;
  };
  const model: Model = {
    buffer,
    inputs: 2,
    outputs: 1,
    loss: 'mse',
    lossAndGrad: (x, _y, n) => lossOf(x, n, buffer.grads),
    predict: (_x, n) => new Float32Array(n),
    evaluate: (x, _y, n) => ({ loss: lossOf(x, n) }),
    stage(n) {
      if (sx.length < n * 2) [sx, sy] = [new Float32Array(n * 2), new Float32Array(n)];
      return { x: sx.subarray(0, n * 2), y: sy.subarray(0, n) };
    },
    lossAndGradStaged: (n) => lossOf(sx, n, buffer.grads),
    evaluateStaged: (n) => ({ lossSum: lossOf(sx, n) * n, correct: 0 }),
    toJSON: () => ({ kind: 'quadratic' }),
    groups: (): ParamGroup[] => [{ name: 'p', offset: 0, length: 2 }],
    dispose: () => buffer.dispose(),
  };
  return model;
}

function points(count: number, seed: number, spread = 0.1) {
  const rng = new Random(seed);
  const x = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) for (let j = 0; j < 2; j++) x[i * 2 + j] = CENTER[j] + spread * rng.normal();
  return { x, y: new Float32Array(count), count, features: 2 };
}

F('lrFinder on the quadratic: every suggestion is below the stability limit 2 / max(h) = 0.2', async () => {
  const model = quadratic(sd);
  const p0 = model.buffer.params.slice();
  const f = await sd.lrFinder(model, points(512, 1), { start: 1e-4, end: 10, steps: 100, seed: 1 });
  assert.is(f.stopReason, 'diverged');
  for (const k of ['steepest', 'valley', 'minimum'] as const) {
    const s = f.suggestions[k];
    assert.ok(s, `${k}: ${f.notes.join('; ')}`);
    // And not from the bottom decade of the ramp, where the loss hardly moves (measured: steepest
    // 0.012, valley 0.0083, minimum/10 0.039; the moving average lags about a decade of lr).
    assert.ok(s!.lr > 1e-3 && s!.lr < 0.2, `${k} ${s!.lr}`);
  }
  // The blow-up starts past the limit: the loss only rises once lr > 2/10.
  const stop = f.lrs[f.lrs.length - 1];
  assert.ok(stop > 0.2, `stopped at ${stop}`);
  assert.ok(bitsEqual(model.buffer.params, p0));
});

F('landscape on the quadratic: one filter (no bias group), a parabola along the direction', () => {
  const model = quadratic(sd);
  model.buffer.params.set([2, 1]);
  const data = points(256, 2);
  const r = sd.landscape(model, data, { dims: 1, steps: 5, span: 1, seed: 3 });
  // L(θ + a·d) is quadratic in a: second differences are constant.
  const l = r.losses as number[];
  const d2 = [l[0] - 2 * l[1] + l[2], l[1] - 2 * l[2] + l[3], l[2] - 2 * l[3] + l[4]];
  close(d2, [d2[0], d2[0], d2[0]], { rtol: 1e-4 });
  // Filter normalisation over the single group: the direction has the norm of θ = √5, so
  // L(θ ± d) spans the ring of radius √5 around θ: the curvature is between min h and max h times 5.
  const curvature = d2[0] / (0.5 * 0.5); // offsets are 0.5 apart
  assert.ok(curvature >= 1 * 5 * 0.999 && curvature <= 10 * 5 * 1.001, `${curvature}`);
  assert.ok(bitsEqual(model.buffer.params, new Float32Array([2, 1])));
});

F('sharpness tells a sharp minimum from a flat one: 10× the curvature, ~10× the sharpness', () => {
  const data = points(256, 4, 0.01);
  const at = (H: number[]) => {
    const m = quadratic(sd, H);
    m.buffer.params.set(CENTER); // the minimum (up to the data's tiny spread)
    return sd.landscape(m, data, { dims: 2, steps: 9, span: 0.5, seed: 1 }).sharpness;
  };
  const flat = at([1, 1]);
  const sharp = at([10, 10]);
  // Rise ∝ h while 1 + center ≈ 1: the ratio is 10 up to the centre losses (½·h·0.01²).
  close(sharp / flat, 10, { rtol: 0.01 });
});

F('batchStudy on the quadratic: the linear rule past the limit diverges, sqrt stays stable', async () => {
  const model = quadratic(sd);
  const data = points(512, 3);
  const opt = { name: 'sgd' } as const;
  // Full-batch-like noise is tiny here: lr = 0.05·k with k up to 8 passes 0.2 at k = 8.
  const lin = await sd.batchStudy(model, data, { batchSizes: [32, 256], baseLr: 0.05, baseBatchSize: 32, lrScaling: 'linear', epochs: 3, optimizer: opt });
  const sq = await sd.batchStudy(model, data, { batchSizes: [32, 256], baseLr: 0.05, baseBatchSize: 32, lrScaling: 'sqrt', epochs: 3, optimizer: opt });
  close(lin.runs[1].lr, 0.4, { rtol: 1e-15 });
  close(sq.runs[1].lr, 0.05 * Math.sqrt(8), { rtol: 1e-15 });
  const last = (r: any) => r.curve[r.curve.length - 1].valLoss;
  assert.ok(last(lin.runs[1]) > lin.runs[1].curve[0].valLoss, 'lr 0.4 > 0.2 diverges');
  assert.ok(last(sq.runs[1]) < 0.1 * sq.runs[1].curve[0].valLoss, 'lr 0.14 < 0.2 converges');
});

F.run();
