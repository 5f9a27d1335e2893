// sd.sharpness on a Model whose loss is known in closed form (a quadratic bowl, one filter):
// L(θ + r·d) − L(θ) is exact, 10× the curvature reads 10× the rise, probes are seeded, params
// are restored; and on a real MLP it returns finite numbers and validates its options.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { datasets, type Engine, type Model, type ParamGroup } from '../../src/index.js';
import { direction } from '../../src/tools/landscape.js';
import { Random } from '../../src/random.js';
import { bitsEqual, bothEngines, close, throwsWith } from '../_helpers.js';

const S = suite('averaging/sharpness');
let sd: Engine;
S.before(async () => {
  [sd] = await bothEngines();
});

/** loss(p) = ½ Σⱼ hⱼ (pⱼ − cⱼ)², independent of the rows. */
function bowl(engine: Engine, H: number[], C: number[]): Model {
  const buffer = engine.buffer(H.length);
  const lossOf = () => {
    let l = 0;
    for (let j = 0; j < H.length; j++) l += 0.5 * H[j] * (buffer.params[j] - C[j]) ** 2;
    return l;
  };
  let sx = new Float32Array(0);
  return {
    buffer, inputs: 1, outputs: 1, loss: 'mse',
    lossAndGrad: () => lossOf(),
    predict: (_x, n) => new Float32Array(n),
    evaluate: () => ({ loss: lossOf() }),
    stage(n) {
      if (sx.length < n) sx = new Float32Array(n);
      return { x: sx.subarray(0, n), y: sx.subarray(0, n) };
    },
    lossAndGradStaged: () => lossOf(),
    evaluateStaged: (n) => ({ lossSum: lossOf() * n, correct: 0 }),
    toJSON: () => ({ kind: 'bowl' }),
    groups: (): ParamGroup[] => [{ name: 'w.weight', offset: 0, length: H.length }],
    dispose: () => buffer.dispose(),
  };
}

const rows = { x: new Float32Array(4), y: new Float32Array(4), count: 4, features: 1 };

S('each probe is L(θ + r·d) with d the filter-normalised direction; max and mean rises', () => {
  const H = [1, 4, 9];
  const C = [0.5, -1, 2];
  const m = bowl(sd, H, C);
  m.buffer.params.set(C);
  const before = Float32Array.from(m.buffer.params);
  const r = sd.sharpness(m, rows, { radius: 0.1, samples: 5, seed: 7 });
  assert.ok(bitsEqual(m.buffer.params, before), 'params restored');
  const rng = new Random(7);
  const theta = Float64Array.from(C.map(Math.fround));
  const expected = Array.from({ length: 5 }, () => {
    const d = direction(theta, m.groups(), rng);
    return H.reduce((a, h, j) => a + 0.5 * h * (Math.fround(theta[j] + 0.1 * d[j]) - Math.fround(C[j])) ** 2, 0);
  });
  close(r.losses, expected, { rtol: 1e-12, what: 'probe losses' });
  close(r.center, 0, { atol: 0 });
  close(r.maxRise, Math.max(...expected), { rtol: 1e-12 });
  close(r.meanRise, expected.reduce((a, b) => a + b) / 5, { rtol: 1e-12 });
  close(r.sharpness, r.maxRise / (1 + r.center), { rtol: 1e-15 });
  // Same seed, same numbers.
  assert.equal(sd.sharpness(m, rows, { radius: 0.1, samples: 5, seed: 7 }).losses, r.losses);
  m.dispose();
});

S('10× the curvature reads 10× the rise at the same radius and seed', () => {
  const C = [1, -2, 0.5, 3];
  const at = (s: number) => {
    const m = bowl(sd, [1, 2, 3, 4].map((h) => h * s), C);
    m.buffer.params.set(C);
    const r = sd.sharpness(m, rows, { radius: 0.05, samples: 10, seed: 1 });
    m.dispose();
    return r.maxRise;
  };
  close(at(10) / at(1), 10, { rtol: 1e-9 });
});

S('MLP on blobs: finite, non-negative rise at a trained point; option errors', async () => {
  const data = datasets.blobs({ count: 200, features: 4, classes: 3, seed: 1 });
  const m = sd.mlp({ layers: [4, 16, 3], seed: 1 });
  await sd.fit(m, data, { epochs: 5, optimizer: { name: 'adam', lr: 0.01 }, seed: 1 });
  const r = sd.sharpness(m, data, { radius: 0.05, samples: 8, seed: 3 });
  assert.ok(Number.isFinite(r.maxRise) && r.maxRise >= r.meanRise, JSON.stringify(r));
  assert.is(r.losses.length, 8);
  assert.is(r.rows, 200);
  throwsWith(() => sd.sharpness(m, data, { radius: 0 }), RangeError, 'sharpness', 'radius');
  throwsWith(() => sd.sharpness(m, data, { samples: 0 }), RangeError, 'samples');
  throwsWith(() => sd.sharpness(m, data, { samples: 1e6 }), RangeError, 'samples must be at most 100000, got 1000000');
  throwsWith(() => sd.sharpness(m, data, { radus: 1 } as any), TypeError, "unknown option 'radus'", "did you mean 'radius'");
  throwsWith(() => sd.sharpness({} as any, data), TypeError, 'sharpness: model must be made by sd.mlp');
  m.dispose();
});

S.run();
