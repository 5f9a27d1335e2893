// split and standardize: sizes, seeded determinism, disjointness, stratification, train-only statistics.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDataset, datasets, split, standardize, standardizeWith, type Dataset } from '../../src/data/index.js';
import { close, throwsWith } from '../_helpers.js';

const Transform = suite('data/transform');

/** A dataset whose row r has x = [r, 10r] and label r % 3, so rows can be traced. */
function traced(n: number): Dataset {
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    x[2 * r] = r;
    x[2 * r + 1] = 10 * r;
    y[r] = r % 3;
  }
  return { x, y, count: n, features: 2, classes: 3 };
}
const rowsOf = (d: Dataset) => Array.from({ length: d.count }, (_, i) => d.x[2 * i]);

Transform('split: round(count·validation) rows held out, disjoint, covering, labels follow their rows', () => {
  const d = traced(101);
  const { train, validation } = split(d, { validation: 0.2, seed: 5 });
  assert.is(validation.count, 20);
  assert.is(train.count, 81);
  const a = rowsOf(train), b = rowsOf(validation);
  assert.is(new Set([...a, ...b]).size, 101, 'every row exactly once');
  for (const part of [train, validation]) {
    checkDataset(part, 'part');
    assert.is(part.classes, 3);
    for (let i = 0; i < part.count; i++) {
      assert.is(part.x[2 * i + 1], 10 * part.x[2 * i]);
      assert.is(part.y[i], part.x[2 * i] % 3);
    }
  }
  // Shuffled: neither part is a block of consecutive rows.
  assert.not.equal(b, [...b].sort((p, q) => p - q));
  // Copies: the source is untouched by edits to a part.
  train.x.fill(-1);
  assert.is(d.x[2], 1);
});

Transform('split: the same seed gives the same parts, another seed other parts', () => {
  const d = traced(200);
  const s1 = split(d, { validation: 0.25, seed: 1 });
  const s1b = split(d, { validation: 0.25, seed: 1 });
  const s2 = split(d, { validation: 0.25, seed: 2 });
  assert.equal(rowsOf(s1.validation), rowsOf(s1b.validation));
  assert.equal(rowsOf(s1.train), rowsOf(s1b.train));
  assert.not.equal(rowsOf(s1.validation).sort(), rowsOf(s2.validation).sort());
  assert.equal(rowsOf(split(d, { validation: 0.25 }).validation), rowsOf(split(d, { validation: 0.25, seed: 0 }).validation));
});

Transform('split: stratify keeps each class share (largest remainders to hit the total)', () => {
  // Classes of 50, 30 and 20 rows; 15% → 7.5, 4.5, 3 → 15 in total.
  const n = 100;
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) y[r] = r < 50 ? 0 : r < 80 ? 1 : 2;
  const d: Dataset = { x: Float32Array.from({ length: n }, (_, i) => i), y, count: n, features: 1, classes: 3 };
  const { train, validation } = split(d, { validation: 0.15, seed: 3, stratify: true });
  assert.is(validation.count, 15);
  assert.is(train.count, 85);
  const counts = (p: Dataset) => [0, 1, 2].map((k) => p.y.filter((v) => v === k).length);
  const v = counts(validation);
  assert.is(v[2], 3);
  assert.ok((v[0] === 8 && v[1] === 4) || (v[0] === 7 && v[1] === 5), `validation counts ${v}`);
  assert.equal(counts(train).map((c, k) => c + v[k]), [50, 30, 20]);
  assert.is(new Set([...train.x, ...validation.x]).size, 100);
  // Deterministic, and the digits' classes stay balanced.
  assert.equal(Array.from(split(d, { validation: 0.15, seed: 3, stratify: true }).validation.x), Array.from(validation.x));
});

Transform('split: bad arguments', async () => {
  const d = traced(10);
  throwsWith(() => split(d, {} as any), TypeError, 'split: validation (the fraction held out, in (0, 1)) is required');
  throwsWith(() => split(d, { validation: 0 }), RangeError, 'split: validation must be in (0, 1), got 0');
  throwsWith(() => split(d, { validation: 1 }), RangeError, 'split: validation must be in (0, 1), got 1');
  throwsWith(() => split(d, { validation: '0.2' } as any), TypeError, 'split: validation must be a number, got "0.2"');
  throwsWith(() => split(d, { validation: 0.01 }), RangeError, 'split: validation 0.01 of 10 rows leaves no validation rows');
  throwsWith(() => split(d, { validation: 0.99 }), RangeError, 'split: validation 0.99 of 10 rows leaves no training rows');
  throwsWith(() => split(d, { validation: 0.2, seeds: 1 } as any), TypeError, "split: unknown option 'seeds' (did you mean 'seed'?)");
  throwsWith(() => split(datasets.linear({ count: 10 }), { validation: 0.2, stratify: true }), TypeError, 'split: stratify needs class labels');
  throwsWith(() => split({ x: new Float32Array(3), y: new Int32Array(2), count: 2, features: 2 }, { validation: 0.5 }), RangeError, 'split: inconsistent dataset');
  throwsWith(() => split(null as any, { validation: 0.5 }), TypeError, 'split: expected a dataset');
});

Transform('standardize: train statistics only, applied to the others; std 0 → 1; copies', () => {
  const train: Dataset = { x: Float32Array.from([1, 5, 2, 5, 3, 5, 6, 5]), y: Int32Array.from([0, 1, 0, 1]), count: 4, features: 2, classes: 2 };
  const test: Dataset = { x: Float32Array.from([100, 0, 3, 5]), y: Int32Array.from([1, 0]), count: 2, features: 2, classes: 2 };
  const { datasets: [tr, te], mean, std } = standardize(train, test);
  // Feature 0: mean 3, population std sqrt((4+1+0+9)/4) = sqrt(3.5). Feature 1: constant 5 → std 1.
  close(mean, [3, 5], { what: 'mean' });
  close(std, [Math.sqrt(3.5), 1], { rtol: 1e-7, what: 'std' });
  const s = Math.sqrt(3.5);
  close(tr.x, [-2 / s, 0, -1 / s, 0, 0, 0, 3 / s, 0], { rtol: 1e-6, atol: 1e-7, what: 'train' });
  close(te.x, [97 / s, -5, 0, 0], { rtol: 1e-6, atol: 1e-7, what: 'test with train statistics' });
  // The train set ends at mean 0, std 1 in every non-constant feature; the test set does not.
  assert.equal(Array.from(tr.y), [0, 1, 0, 1]);
  assert.is(tr.classes, 2);
  assert.is.not(tr.y, train.y);
  assert.is(train.x[0], 1, 'inputs untouched');
  // Just a train set.
  assert.is(standardize(train).datasets.length, 1);
});

Transform('standardize: large offsets (two-pass statistics) and regression targets kept', () => {
  const d = datasets.linear({ count: 500, features: 3, seed: 4 });
  for (let i = 0; i < d.x.length; i++) d.x[i] = 1e4 + d.x[i];
  const { datasets: [s] } = standardize(d);
  for (let j = 0; j < 3; j++) {
    let m = 0, v = 0;
    for (let r = 0; r < s.count; r++) m += s.x[r * 3 + j];
    m /= s.count;
    for (let r = 0; r < s.count; r++) v += (s.x[r * 3 + j] - m) ** 2;
    close(m, 0, { atol: 1e-3, what: 'mean' });
    close(Math.sqrt(v / s.count), 1, { rtol: 1e-3, what: 'std' });
  }
  assert.equal(Array.from(s.y), Array.from(d.y));
  assert.is(s.outputs, 1);
});

Transform('standardize: mismatched features', () => {
  const a = traced(4);
  const b: Dataset = { x: new Float32Array(3), y: new Int32Array(1), count: 1, features: 3, classes: 3 };
  throwsWith(() => standardize(a, b), RangeError, 'standardize: others[0] has 3 features, train has 2');
  throwsWith(() => standardize({} as any), TypeError, 'standardize: train: expected a dataset');
});

Transform('standardizeWith: saved statistics give the same bits as standardize did', () => {
  const d = datasets.blobs({ count: 40, features: 3, seed: 8 });
  const { train, validation } = split(d, { validation: 0.25, seed: 1 });
  const { datasets: [, v], mean, std } = standardize(train, validation);
  const again = standardizeWith(validation, { mean: Array.from(mean), std: Array.from(std) });
  assert.equal(Array.from(again.x), Array.from(v.x));
  assert.equal(Array.from(again.y), Array.from(validation.y));
  throwsWith(() => standardizeWith(validation, { mean: [0, 0], std: [1, 1, 1] }), RangeError, 'standardizeWith: mean has 2 values, the data has 3 features');
  throwsWith(() => standardizeWith(validation, { mean: [0, 0, 0], std: [1, 0, 1] }), RangeError, 'standardizeWith: std[1] must be a finite number > 0, got 0');
  throwsWith(() => standardizeWith(validation, { mean: [0, NaN, 0], std: [1, 1, 1] }), RangeError, 'standardizeWith: mean[1] must be a finite number, got NaN');
  throwsWith(() => standardizeWith(validation, { mean: 0 } as any), TypeError, 'standardizeWith: mean must be an array of numbers, got 0');
  throwsWith(() => standardizeWith(validation, null as any), TypeError, 'standardizeWith: stats must be { mean, std }, got null');
});

Transform('split with the seed of a generator does not hold out one class (streams are independent)', () => {
  for (const seed of [1, 2, 3]) {
    const moons = datasets.moons({ count: 400, seed });
    const { validation } = split(moons, { validation: 0.2, seed });
    const ones = Array.from(validation.y as Int32Array).filter((v) => v === 1).length;
    assert.ok(ones > 20 && ones < 60, `seed ${seed}: ${ones} of ${validation.count} held-out rows are class 1`);
  }
});

Transform.run();
