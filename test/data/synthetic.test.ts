// Seeded generators: same seed → same bits, other seed → other data; shapes, classes, geometry.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDataset, datasets, type Dataset } from '../../src/data/index.js';
import { bitsEqual, close, throwsWith } from '../_helpers.js';

const Synthetic = suite('data/synthetic');

const sameData = (a: Dataset, b: Dataset) =>
  bitsEqual(a.x, b.x) && a.y.length === b.y.length && a.y.every((v, i) => Object.is(v, b.y[i]));

const classCounts = (d: Dataset) => {
  const c = new Array(d.classes).fill(0);
  for (const v of d.y) c[v]++;
  return c;
};

const generators = {
  blobs: (seed: number) => datasets.blobs({ count: 101, features: 5, classes: 4, seed }),
  moons: (seed: number) => datasets.moons({ count: 101, seed }),
  spirals: (seed: number) => datasets.spirals({ count: 101, classes: 4, seed }),
  linear: (seed: number) => datasets.linear({ count: 101, features: 5, outputs: 2, seed }),
};

Synthetic('deterministic per seed, different across seeds, valid datasets', () => {
  for (const [name, make] of Object.entries(generators)) {
    const a = make(1), b = make(1), c = make(2);
    assert.ok(sameData(a, b), `${name}: seed 1 twice`);
    assert.not.ok(bitsEqual(a.x, c.x), `${name}: seeds 1 and 2 give the same x`);
    checkDataset(a, name);
  }
  // The default seed is 0, and seeds are options, not global state.
  assert.ok(sameData(datasets.moons(), datasets.moons({ seed: 0 })));
});

Synthetic('blobs: shapes, balanced classes, rows near their class center', () => {
  const d = datasets.blobs({ count: 1001, features: 3, classes: 5, spread: 0.5, seed: 7 });
  assert.is(d.count, 1001);
  assert.is(d.features, 3);
  assert.is(d.classes, 5);
  assert.is(d.x.length, 3003);
  assert.ok(d.y instanceof Int32Array);
  assert.equal(classCounts(d), [201, 200, 200, 200, 200]);
  // Per-class sample std ≈ spread (0.5) along each axis.
  for (let k = 0; k < 5; k++) {
    for (let j = 0; j < 3; j++) {
      const v: number[] = [];
      for (let r = 0; r < d.count; r++) if (d.y[r] === k) v.push(d.x[r * 3 + j]);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
      close(sd, 0.5, { rtol: 0.2, what: `class ${k} axis ${j} std` });
      assert.ok(Math.abs(m) <= 10.5, 'centers lie in the box [-10, 10]');
    }
  }
  // Rows are in shuffled order, not class after class.
  assert.not.equal(Array.from(d.y.subarray(0, 5)), [0, 1, 2, 3, 4]);
  // spread 0: every row is its center.
  const z = datasets.blobs({ count: 6, classes: 2, spread: 0, seed: 3 });
  for (let r = 0; r < 6; r++) for (let s = 0; s < 6; s++) if (z.y[r] === z.y[s]) assert.equal([z.x[2 * r], z.x[2 * r + 1]], [z.x[2 * s], z.x[2 * s + 1]]);
});

Synthetic('moons: two half circles without noise', () => {
  const d = datasets.moons({ count: 11, noise: 0, seed: 4 });
  assert.is(d.features, 2);
  assert.is(d.classes, 2);
  assert.equal(classCounts(d), [5, 6]);
  for (let r = 0; r < d.count; r++) {
    const x = d.x[2 * r], y = d.x[2 * r + 1];
    if (d.y[r] === 0) {
      close(x * x + y * y, 1, { atol: 1e-6, what: 'outer moon radius' });
      assert.ok(y >= -1e-7);
    } else {
      close((x - 1) ** 2 + (y - 0.5) ** 2, 1, { atol: 1e-6, what: 'inner moon radius' });
      assert.ok(y <= 0.5 + 1e-7);
    }
  }
  const noisy = datasets.moons({ count: 11, noise: 0.3, seed: 4 });
  assert.not.ok(bitsEqual(noisy.x, d.x));
});

Synthetic('spirals: classes arms, radius in (0, 1] without noise, arm k starts at angle 2πk/classes', () => {
  const d = datasets.spirals({ count: 30, classes: 3, noise: 0, turns: 1.5, seed: 2 });
  assert.is(d.features, 2);
  assert.is(d.classes, 3);
  assert.equal(classCounts(d), [10, 10, 10]);
  let ends = 0;
  for (let r = 0; r < d.count; r++) {
    const rad = Math.hypot(d.x[2 * r], d.x[2 * r + 1]);
    assert.ok(rad > 0 && rad <= 1 + 1e-6, `radius ${rad}`);
    if (Math.abs(rad - 1) < 1e-6) {
      // The outer end of arm k: angle 2πk/3 + 2π·1.5.
      const a = (2 * Math.PI * d.y[r]) / 3 + 3 * Math.PI;
      close([d.x[2 * r], d.x[2 * r + 1]], [Math.cos(a), Math.sin(a)], { atol: 1e-6, what: 'arm end' });
      ends++;
    }
  }
  assert.is(ends, 3);
  assert.equal(classCounts(datasets.spirals({ count: 11, classes: 4 })), [3, 3, 3, 2]);
});

Synthetic('linear: y = x·Wᵀ + b exactly without noise, returned weights and bias', () => {
  const d = datasets.linear({ count: 50, features: 4, outputs: 3, noise: 0, seed: 9 });
  assert.is(d.outputs, 3);
  assert.ok(d.y instanceof Float32Array);
  assert.is(d.y.length, 150);
  assert.is(d.weights.length, 12);
  assert.is(d.bias.length, 3);
  assert.is(d.classes, undefined);
  assert.equal(checkDataset(d, 'linear'), { classification: false, targetWidth: 3, outputs: 3 });
  for (let r = 0; r < 50; r++) {
    for (let c = 0; c < 3; c++) {
      let s = d.bias[c];
      for (let j = 0; j < 4; j++) s += d.x[r * 4 + j] * d.weights[c * 4 + j];
      assert.is(d.y[r * 3 + c], Math.fround(s));
    }
  }
  // With noise the residual std ≈ noise; same weights for the same seed.
  const n = datasets.linear({ count: 4000, features: 4, outputs: 3, noise: 0.25, seed: 9 });
  assert.ok(bitsEqual(n.weights, d.weights) && bitsEqual(n.bias, d.bias));
  let ss = 0;
  for (let r = 0; r < n.count; r++) {
    for (let c = 0; c < 3; c++) {
      let s = n.bias[c];
      for (let j = 0; j < 4; j++) s += n.x[r * 4 + j] * n.weights[c * 4 + j];
      ss += (n.y[r * 3 + c] - s) ** 2;
    }
  }
  close(Math.sqrt(ss / (n.count * 3)), 0.25, { rtol: 0.05, what: 'noise std' });
});

Synthetic('strict options: unknown keys, wrong types, out-of-range values', () => {
  throwsWith(() => datasets.blobs({ counts: 10 } as any), TypeError, "datasets.blobs: unknown option 'counts' (did you mean 'count'?)");
  throwsWith(() => datasets.blobs({ count: '10' } as any), TypeError, 'datasets.blobs: count must be a number, got "10"');
  throwsWith(() => datasets.blobs({ count: 0 }), RangeError, 'datasets.blobs: count must be ≥ 1, got 0');
  throwsWith(() => datasets.blobs({ count: 2.5 }), RangeError, 'datasets.blobs: count must be an integer, got 2.5');
  throwsWith(() => datasets.blobs({ classes: 1 }), RangeError, 'datasets.blobs: classes must be ≥ 2, got 1');
  throwsWith(() => datasets.blobs({ count: 3, classes: 4 }), RangeError, 'datasets.blobs: count must be ≥ classes (4)');
  throwsWith(() => datasets.blobs({ spread: -1 }), RangeError, 'datasets.blobs: spread must be ≥ 0, got -1');
  throwsWith(() => datasets.blobs({ count: 1e6, features: 1e6 }), RangeError, 'datasets.blobs: count·features = 1000000·1000000 exceeds');
  throwsWith(() => datasets.moons({ noise: NaN }), RangeError, 'datasets.moons: noise must be finite, got NaN');
  throwsWith(() => datasets.moons({ count: 1 }), RangeError, 'datasets.moons: count must be ≥ 2');
  throwsWith(() => datasets.moons({ classes: 3 } as any), TypeError, "datasets.moons: unknown option 'classes'");
  throwsWith(() => datasets.spirals({ turns: 0 }), RangeError, 'datasets.spirals: turns must be > 0, got 0');
  throwsWith(() => datasets.spirals({ count: 2, classes: 3 }), RangeError, 'datasets.spirals: count must be ≥ classes (3)');
  throwsWith(() => datasets.linear({ outputs: 0 }), RangeError, 'datasets.linear: outputs must be ≥ 1, got 0');
  throwsWith(() => datasets.linear({ seed: 1.5 }), RangeError, 'datasets.linear: seed must be an integer, got 1.5');
  throwsWith(() => datasets.linear(null as any), TypeError, 'datasets.linear: options must be an object, got null');
});

Synthetic.run();
