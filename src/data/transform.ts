// Seeded train/validation splits and standardisation with statistics from the training rows only.
import { parseOptions, show } from '../options.js';
import { Random } from '../random.js';
import { checkShape, subset, withRows, type Dataset } from './dataset.js';

const SPLIT = {
  /** Fraction of the rows held out, in (0, 1). */
  validation: { type: 'number' as const, check: (v: number) => (v > 0 && v < 1 ? undefined : 'must be in (0, 1)') },
  seed: { type: 'integer' as const, default: 0 },
  /** Keep each class's share in both parts (classification data only). */
  stratify: { type: 'boolean' as const, default: false },
};

/**
 * Splits `data` into { train, validation } by a seeded shuffle: round(count·validation) rows
 * (per class when stratify is on, rounded so the total still is round(count·validation)) go to
 * validation. Both parts are copies, their rows in shuffled order.
 */
export function split(data: Dataset, options: { validation: number; seed?: number; stratify?: boolean }): { train: Dataset; validation: Dataset } {
  checkShape(data, 'split');
  const o = parseOptions('split', SPLIT, options);
  if (o.validation === undefined) throw new TypeError('split: validation (the fraction held out, in (0, 1)) is required');
  const n = data.count;
  const nVal = Math.round(n * o.validation);
  if (nVal < 1 || nVal > n - 1) {
    throw new RangeError(`split: validation ${o.validation} of ${n} rows leaves ${nVal < 1 ? 'no validation rows' : 'no training rows'}`);
  }
  let val: Uint32Array, train: Uint32Array;
  if (!o.stratify) ({ train, validation: val } = splitIndices(n, o.validation, o.seed));
  else {
    const rng = new Random(o.seed, 'split');
    if (!(data.y instanceof Int32Array)) throw new TypeError('split: stratify needs class labels (Int32Array y), got regression targets');
    [train, val] = stratified(data.y, nVal, o.validation, rng);
  }
  return { train: subset(data, train), validation: subset(data, val) };
}

/**
 * The row numbers split() puts on each side for `count` rows (unstratified): round(count·fraction)
 * of a seeded permutation go to validation. For data that is not a Dataset yet (a table of strings).
 */
export function splitIndices(count: number, fraction: number, seed: number): { train: Uint32Array; validation: Uint32Array } {
  const nVal = Math.round(count * fraction);
  const p = new Random(seed, 'split').permutation(count);
  return { train: p.subarray(nVal), validation: p.subarray(0, nVal) };
}

function stratified(y: Int32Array, nVal: number, fraction: number, rng: Random): [Uint32Array, Uint32Array] {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    let list = byClass.get(y[i]);
    if (!list) byClass.set(y[i], (list = []));
    list.push(i);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  // Largest remainders: floor of each class's share, then one more for the largest fractions.
  const take = classes.map((c) => Math.floor(byClass.get(c)!.length * fraction));
  let left = nVal - take.reduce((a, b) => a + b, 0);
  const byRemainder = classes
    .map((c, k) => ({ k, rem: byClass.get(c)!.length * fraction - take[k] }))
    .sort((a, b) => b.rem - a.rem || a.k - b.k);
  for (const { k } of byRemainder) {
    if (left <= 0) break;
    if (take[k] < byClass.get(classes[k])!.length) {
      take[k]++;
      left--;
    }
  }
  const val = new Uint32Array(nVal);
  const train = new Uint32Array(y.length - nVal);
  let v = 0, t = 0;
  classes.forEach((c, k) => {
    const rows = rng.shuffle(byClass.get(c)!);
    for (let i = 0; i < rows.length; i++) {
      if (i < take[k]) val[v++] = rows[i];
      else train[t++] = rows[i];
    }
  });
  return [rng.shuffle(train), rng.shuffle(val)];
}

/**
 * Scales every feature to zero mean and unit variance with the mean and (population) standard
 * deviation of `train`, applied to train and to each of `others`. A constant feature (std 0) is
 * only centred (its std is reported as 1). Returns copies: { datasets: [train, ...others], mean, std }.
 */
export function standardize(train: Dataset, ...others: Dataset[]): { datasets: Dataset[]; mean: Float32Array; std: Float32Array } {
  checkShape(train, 'standardize: train');
  others.forEach((d, i) => {
    checkShape(d, `standardize: others[${i}]`);
    if (d.features !== train.features) {
      throw new RangeError(`standardize: others[${i}] has ${d.features} features, train has ${train.features}`);
    }
  });
  const f = train.features, n = train.count, x = train.x;
  // Two passes in float64: the mean, then the mean squared deviation (stable for large offsets).
  const mean = new Float64Array(f);
  for (let r = 0; r < n; r++) for (let j = 0; j < f; j++) mean[j] += x[r * f + j];
  for (let j = 0; j < f; j++) mean[j] /= n;
  const vari = new Float64Array(f);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < f; j++) {
      const d = x[r * f + j] - mean[j];
      vari[j] += d * d;
    }
  }
  const std = new Float64Array(f);
  for (let j = 0; j < f; j++) {
    const s = Math.sqrt(vari[j] / n);
    if (!Number.isFinite(s) || !Number.isFinite(mean[j])) {
      throw new RangeError(`standardize: feature ${j} of train is not finite (mean ${mean[j]}, std ${s})`);
    }
    std[j] = Math.fround(s) > 0 ? s : 1;
  }
  // Scale with the float32 statistics that are returned, so standardizeWith(data, { mean, std })
  // reproduces these bits from saved values.
  const mean32 = Float32Array.from(mean), std32 = Float32Array.from(std);
  const datasets = [train, ...others].map((d) => scale(d, mean32, std32));
  return { datasets, mean: mean32, std: std32 };
}

function scale(d: Dataset, mean: ArrayLike<number>, std: ArrayLike<number>): Dataset {
  const f = d.features;
  const out = new Float32Array(d.x.length);
  for (let r = 0; r < d.count; r++) for (let j = 0; j < f; j++) out[r * f + j] = (d.x[r * f + j] - mean[j]) / std[j];
  return withRows(d, out, d.y.slice(), d.count);
}

/**
 * Applies saved statistics (standardize's mean and std, e.g. kept with a trained model) to new
 * data: a copy with x = (x − mean) / std.
 */
export function standardizeWith(data: Dataset, stats: { mean: ArrayLike<number>; std: ArrayLike<number> }): Dataset {
  checkShape(data, 'standardizeWith');
  if (stats === null || typeof stats !== 'object') throw new TypeError(`standardizeWith: stats must be { mean, std }, got ${show(stats)}`);
  for (const key of ['mean', 'std'] as const) {
    const v = stats[key];
    if (v === null || typeof v !== 'object' || typeof v.length !== 'number') throw new TypeError(`standardizeWith: ${key} must be an array of numbers, got ${show(v)}`);
    if (v.length !== data.features) throw new RangeError(`standardizeWith: ${key} has ${v.length} values, the data has ${data.features} features`);
    for (let j = 0; j < v.length; j++) {
      const x = v[j];
      if (typeof x !== 'number' || !Number.isFinite(x) || (key === 'std' && !(x > 0))) {
        throw new RangeError(`standardizeWith: ${key}[${j}] must be a finite number${key === 'std' ? ' > 0' : ''}, got ${show(x)}`);
      }
    }
  }
  return scale(data, stats.mean, stats.std);
}

