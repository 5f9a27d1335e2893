// Seeded synthetic datasets for examples and tests. Every value comes from one Random(seed)
// in a fixed order, so the same options give the same bits everywhere.
import { parseOptions, range, type Spec } from '../options.js';
import { Random } from '../random.js';
import type { Dataset } from './dataset.js';

// count·features is capped so a typo (count: 1e12) is a RangeError, not an allocation failure.
const MAX_VALUES = 2 ** 31;

const count = (d: number) => ({ type: 'integer' as const, default: d, check: range.atLeast(1) });
const seed = { type: 'integer' as const, default: 0 };

function checkSize(owner: string, rows: number, width: number): void {
  if (rows * width > MAX_VALUES) throw new RangeError(`${owner}: count·features = ${rows}·${width} exceeds ${MAX_VALUES} values`);
}

/** Labels 0..classes-1 as evenly as possible (the first count % classes classes get one more), in seeded random order. */
function balancedLabels(rng: Random, n: number, classes: number): Int32Array {
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = i % classes;
  return rng.shuffle(y);
}

const BLOBS: Spec = {
  count: count(300),
  features: { type: 'integer', default: 2, check: range.atLeast(1) },
  classes: { type: 'integer', default: 3, check: range.atLeast(2) },
  /** Standard deviation of each blob around its center. */
  spread: { type: 'number', default: 1, check: range.nonNegative },
  /** Centers are uniform in [-box, box]^features (scikit-learn's make_blobs: 10). */
  box: { type: 'number', default: 10, check: range.positive },
  seed,
};

/** Isotropic Gaussian blobs (as scikit-learn's make_blobs): one center per class. */
export function blobs(options: { count?: number; features?: number; classes?: number; spread?: number; box?: number; seed?: number } = {}): Dataset {
  const o = parseOptions('datasets.blobs', BLOBS, options);
  if (o.count < o.classes) throw new RangeError(`datasets.blobs: count must be ≥ classes (${o.classes}) so every class has a row, got ${o.count}`);
  checkSize('datasets.blobs', o.count, o.features);
  const rng = new Random(o.seed);
  const f = o.features;
  const centers = new Float64Array(o.classes * f);
  for (let i = 0; i < centers.length; i++) centers[i] = rng.uniform(-o.box, o.box);
  const y = balancedLabels(rng, o.count, o.classes);
  const x = new Float32Array(o.count * f);
  for (let r = 0; r < o.count; r++) {
    const c = y[r] * f;
    for (let j = 0; j < f; j++) x[r * f + j] = centers[c + j] + o.spread * rng.normal();
  }
  return { x, y, count: o.count, features: f, classes: o.classes };
}

const MOONS: Spec = {
  count: count(200),
  /** Standard deviation of the Gaussian noise added to each coordinate. */
  noise: { type: 'number', default: 0.1, check: range.nonNegative },
  seed,
};

/**
 * Two interleaving half circles (as scikit-learn's make_moons): class 0 on (cos t, sin t),
 * class 1 on (1 − cos t, 0.5 − sin t), t evenly spaced in [0, π], plus Gaussian noise; rows in seeded random order.
 */
export function moons(options: { count?: number; noise?: number; seed?: number } = {}): Dataset {
  const o = parseOptions('datasets.moons', MOONS, options);
  if (o.count < 2) throw new RangeError(`datasets.moons: count must be ≥ 2 so both classes have a row, got ${o.count}`);
  checkSize('datasets.moons', o.count, 2);
  const rng = new Random(o.seed);
  const outer = Math.floor(o.count / 2), inner = o.count - outer;
  const order = rng.permutation(o.count);
  const x = new Float32Array(o.count * 2);
  const y = new Int32Array(o.count);
  for (let i = 0; i < o.count; i++) {
    const cls = i < outer ? 0 : 1;
    const k = cls === 0 ? i : i - outer;
    const n = cls === 0 ? outer : inner;
    const t = n > 1 ? (Math.PI * k) / (n - 1) : 0;
    const px = cls === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const py = cls === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    const r = order[i];
    x[2 * r] = px + o.noise * rng.normal();
    x[2 * r + 1] = py + o.noise * rng.normal();
    y[r] = cls;
  }
  return { x, y, count: o.count, features: 2, classes: 2 };
}

const SPIRALS: Spec = {
  count: count(300),
  classes: { type: 'integer', default: 3, check: range.atLeast(2) },
  /** Turns of each arm from the center to radius 1. */
  turns: { type: 'number', default: 1, check: range.positive },
  /** Standard deviation of the Gaussian noise added to each coordinate. */
  noise: { type: 'number', default: 0.05, check: range.nonNegative },
  seed,
};

/**
 * `classes` interleaved spiral arms in the plane (the CS231n toy problem): arm k at angle
 * 2πk/classes + 2π·turns·r for radius r in (0, 1], plus Gaussian noise; rows in seeded random order.
 */
export function spirals(options: { count?: number; classes?: number; turns?: number; noise?: number; seed?: number } = {}): Dataset {
  const o = parseOptions('datasets.spirals', SPIRALS, options);
  if (o.count < o.classes) throw new RangeError(`datasets.spirals: count must be ≥ classes (${o.classes}) so every arm has a row, got ${o.count}`);
  checkSize('datasets.spirals', o.count, 2);
  const rng = new Random(o.seed);
  const order = rng.permutation(o.count);
  const x = new Float32Array(o.count * 2);
  const y = new Int32Array(o.count);
  let i = 0;
  for (let k = 0; k < o.classes; k++) {
    // Arm k gets floor(count/classes) rows, the first count % classes arms one more.
    const n = Math.floor(o.count / o.classes) + (k < o.count % o.classes ? 1 : 0);
    for (let j = 0; j < n; j++, i++) {
      const r = (j + 1) / n;
      const a = (2 * Math.PI * k) / o.classes + 2 * Math.PI * o.turns * r;
      const row = order[i];
      x[2 * row] = r * Math.cos(a) + o.noise * rng.normal();
      x[2 * row + 1] = r * Math.sin(a) + o.noise * rng.normal();
      y[row] = k;
    }
  }
  return { x, y, count: o.count, features: 2, classes: o.classes };
}

const LINEAR: Spec = {
  count: count(200),
  features: { type: 'integer', default: 3, check: range.atLeast(1) },
  outputs: { type: 'integer', default: 1, check: range.atLeast(1) },
  /** Standard deviation of the Gaussian noise added to each target. */
  noise: { type: 'number', default: 0.1, check: range.nonNegative },
  seed,
};

export type LinearDataset = Dataset & {
  y: Float32Array;
  outputs: number;
  /** The true weights [outputs, features] row-major (as PyTorch's Linear.weight). */
  weights: Float32Array;
  /** The true bias [outputs]. */
  bias: Float32Array;
};

/**
 * Linear regression data: x ~ N(0, 1), y = x·Wᵀ + b + noise·N(0, 1) with W, b ~ N(0, 1) drawn
 * first (returned as weights and bias). Sums are computed in float64 from the float32 x, W and b.
 */
export function linear(options: { count?: number; features?: number; outputs?: number; noise?: number; seed?: number } = {}): LinearDataset {
  const o = parseOptions('datasets.linear', LINEAR, options);
  checkSize('datasets.linear', o.count, o.features + o.outputs);
  const rng = new Random(o.seed);
  const f = o.features, k = o.outputs;
  const weights = new Float32Array(k * f);
  for (let i = 0; i < weights.length; i++) weights[i] = rng.normal();
  const bias = new Float32Array(k);
  for (let i = 0; i < k; i++) bias[i] = rng.normal();
  const x = new Float32Array(o.count * f);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const y = new Float32Array(o.count * k);
  for (let r = 0; r < o.count; r++) {
    for (let c = 0; c < k; c++) {
      let s = bias[c];
      for (let j = 0; j < f; j++) s += x[r * f + j] * weights[c * f + j];
      y[r * k + c] = s + o.noise * rng.normal();
    }
  }
  return { x, y, count: o.count, features: f, outputs: k, weights, bias };
}
