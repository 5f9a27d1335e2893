// The dataset shape every part of the library shares, its validation, and the row gathering
// the trainer uses to fill a WASM batch buffer. Datasets live in ordinary JS memory (so they may
// be larger than WebAssembly's 4 GiB); only one batch at a time is copied into WASM.
import { show } from '../options.js';

/**
 * x: count·features floats, row-major. y: Int32Array class ids (classification, with `classes`)
 * or Float32Array count·outputs targets (regression). `names` maps class ids to the original labels.
 */
export type Dataset = {
  x: Float32Array;
  y: Int32Array | Float32Array;
  count: number;
  features: number;
  classes?: number;
  outputs?: number;
  names?: string[];
};

export interface DatasetShape {
  /** True for Int32Array labels. */
  classification: boolean;
  /** Values of y per row: 1 for labels, `outputs` for regression targets. */
  targetWidth: number;
  /** Width of a model's output for this data: classes (or the largest label + 1), else outputs. */
  outputs: number;
}

const WASM_BYTES = 2 ** 32;

/**
 * Index of the first NaN or ±Infinity in a, or −1. Four branch-free sums of v·0 (±0 for every
 * finite v, NaN otherwise) run at memory speed — twice the per-element test — and the slow
 * search only starts once they say there is something to find.
 */
export function firstNonFinite(a: Float32Array): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n = a.length, m = n & ~3;
  let i = 0;
  for (; i < m; i += 4) {
    s0 += a[i] * 0;
    s1 += a[i + 1] * 0;
    s2 += a[i + 2] * 0;
    s3 += a[i + 3] * 0;
  }
  for (; i < n; i++) s0 += a[i] * 0;
  if (s0 + s1 + s2 + s3 === 0) return -1;
  for (i = 0; i < n; i++) if (a[i] - a[i] !== 0) return i;
  return -1;
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/**
 * Validates a dataset's shape, lengths, label range and finiteness, throwing a TypeError or
 * RangeError prefixed by `where` ("fit: validation") that names the problem. O(size of the data).
 */
export function checkDataset(data: unknown, where = 'dataset'): DatasetShape {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new TypeError(`${where}: a dataset must be an object { x, y, count, features }, got ${show(data)}`);
  }
  const d = data as Record<string, unknown>;
  if (!(d.x instanceof Float32Array)) throw new TypeError(`${where}: x must be a Float32Array, got ${show(d.x)}`);
  if (!(d.y instanceof Int32Array) && !(d.y instanceof Float32Array)) {
    throw new TypeError(`${where}: y must be an Int32Array (class ids) or a Float32Array (targets), got ${show(d.y)}`);
  }
  for (const key of ['count', 'features'] as const) {
    if (typeof d[key] !== 'number') throw new TypeError(`${where}: ${key} must be a number, got ${show(d[key])}`);
    if (!isInt(d[key]) || (d[key] as number) < 1) throw new RangeError(`${where}: ${key} must be a positive integer, got ${d[key]}`);
  }
  const x = d.x, y = d.y, count = d.count as number, features = d.features as number;
  if (x.length !== count * features) {
    throw new RangeError(`${where}: x has length ${x.length}, expected count·features = ${count}·${features} = ${count * features}`);
  }
  const bad = firstNonFinite(x);
  if (bad >= 0) {
    throw new RangeError(`${where}: x must be finite, got x[${bad}] = ${x[bad]} (row ${Math.floor(bad / features)}, feature ${bad % features})`);
  }
  if (y instanceof Int32Array) {
    if (d.outputs !== undefined) throw new TypeError(`${where}: outputs belongs to regression targets (Float32Array y), not to class labels`);
    if (y.length !== count) throw new RangeError(`${where}: y has length ${y.length}, expected count = ${count} labels`);
    let classes: number | undefined;
    if (d.classes !== undefined) {
      if (typeof d.classes !== 'number') throw new TypeError(`${where}: classes must be a number, got ${show(d.classes)}`);
      if (!isInt(d.classes) || d.classes < 1) throw new RangeError(`${where}: classes must be a positive integer, got ${d.classes}`);
      classes = d.classes;
    }
    let max = -1;
    for (let i = 0; i < count; i++) {
      const v = y[i];
      if (v < 0 || (classes !== undefined && v >= classes)) {
        throw new RangeError(`${where}: labels must be in [0, ${classes ?? '∞'}), got y[${i}] = ${v}`);
      }
      if (v > max) max = v;
    }
    if (d.names !== undefined) {
      const names = d.names;
      if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
        throw new TypeError(`${where}: names must be an array of strings, got ${show(names)}`);
      }
      const want = classes ?? max + 1;
      if (names.length !== want) throw new RangeError(`${where}: names has ${names.length} entries, expected one per class (${want})`);
    }
    return { classification: true, targetWidth: 1, outputs: classes ?? max + 1 };
  }
  if (d.classes !== undefined) throw new TypeError(`${where}: classes needs Int32Array labels; y is a Float32Array of targets`);
  let outputs: number;
  if (d.outputs !== undefined) {
    if (typeof d.outputs !== 'number') throw new TypeError(`${where}: outputs must be a number, got ${show(d.outputs)}`);
    if (!isInt(d.outputs) || d.outputs < 1) throw new RangeError(`${where}: outputs must be a positive integer, got ${d.outputs}`);
    outputs = d.outputs;
  } else {
    outputs = y.length / count;
    if (!Number.isInteger(outputs) || outputs < 1) {
      throw new RangeError(`${where}: y has length ${y.length}, not a positive multiple of count = ${count}`);
    }
  }
  if (y.length !== count * outputs) {
    throw new RangeError(`${where}: y has length ${y.length}, expected count·outputs = ${count}·${outputs} = ${count * outputs}`);
  }
  const badY = firstNonFinite(y);
  if (badY >= 0) throw new RangeError(`${where}: y must be finite, got y[${badY}] = ${y[badY]} (row ${Math.floor(badY / outputs)})`);
  return { classification: false, targetWidth: outputs, outputs };
}

/** Values of y per row. */
export function targetWidth(data: Dataset): number {
  return data.y instanceof Int32Array ? 1 : data.outputs ?? data.y.length / data.count;
}

/** The metadata of `data` (classes, outputs, names) with new arrays. */
export function withRows(data: Dataset, x: Float32Array, y: Int32Array | Float32Array, count: number): Dataset {
  const out: Dataset = { x, y, count, features: data.features };
  if (data.classes !== undefined) out.classes = data.classes;
  if (data.outputs !== undefined) out.outputs = data.outputs;
  if (data.names !== undefined) out.names = data.names.slice();
  return out;
}

/** A copy of the rows `indices` (in that order; repeats allowed). */
export function subset(data: Dataset, indices: ArrayLike<number>): Dataset {
  checkShape(data, 'subset');
  if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') {
    throw new TypeError(`subset: indices must be an array of row numbers, got ${show(indices)}`);
  }
  const n = indices.length;
  if (n < 1) throw new RangeError('subset: indices must name at least one row');
  for (let r = 0; r < n; r++) {
    const i = indices[r];
    if (!isInt(i) || i < 0 || i >= data.count) {
      throw new RangeError(`subset: indices[${r}] must be a row number in [0, ${data.count}), got ${show(i)}`);
    }
  }
  const w = targetWidth(data);
  const x = new Float32Array(n * data.features);
  const y = data.y instanceof Int32Array ? new Int32Array(n * w) : new Float32Array(n * w);
  gatherRows(data, indices, 0, n, x, y);
  return withRows(data, x, y, n);
}

/**
 * Copies rows indices[start..end) into xOut / yOut from offset 0 (the trainer passes views of
 * its WASM batch buffer). One tight loop of typed-array copies; runs of consecutive indices
 * are copied at once. Only the bounds are checked: validate the dataset once with checkDataset.
 */
export function gatherRows(
  data: Dataset,
  indices: ArrayLike<number>,
  start: number,
  end: number,
  xOut: Float32Array,
  yOut: Int32Array | Float32Array,
): void {
  const f = data.features, count = data.count, x = data.x, y = data.y;
  const w = y instanceof Int32Array ? 1 : data.outputs ?? y.length / count;
  const rows = end - start;
  if (!(start >= 0 && end <= indices.length && rows >= 0)) {
    throw new RangeError(`gatherRows: rows [${start}, ${end}) are outside the ${indices.length} indices`);
  }
  if (xOut.length < rows * f || yOut.length < rows * w) {
    throw new RangeError(`gatherRows: ${rows} rows need xOut ≥ ${rows * f} and yOut ≥ ${rows * w} values, got ${xOut.length} and ${yOut.length}`);
  }
  let o = 0;
  let r = start;
  while (r < end) {
    const first = indices[r];
    // Extend a run of consecutive rows: one copy instead of many for unshuffled data.
    let run = 1;
    while (r + run < end && indices[r + run] === first + run) run++;
    if (!(first >= 0 && first + run <= count)) throw new RangeError(`gatherRows: indices[${r}] = ${first} is not a row of the ${count}`);
    xOut.set(x.subarray(first * f, (first + run) * f), o * f);
    if (w === 1 && run === 1) yOut[o] = y[first];
    else yOut.set(y.subarray(first * w, (first + run) * w), o * w);
    o += run;
    r += run;
  }
}

/** Cheap structural check (no pass over the values). */
export function checkShape(data: unknown, where: string): asserts data is Dataset {
  const d = data as Dataset;
  if (d === null || typeof d !== 'object' || !(d.x instanceof Float32Array) || !(d.y instanceof Int32Array || d.y instanceof Float32Array)) {
    throw new TypeError(`${where}: expected a dataset { x: Float32Array, y: Int32Array | Float32Array, count, features }, got ${show(data)}`);
  }
  if (!isInt(d.count) || d.count < 1 || !isInt(d.features) || d.features < 1 || d.x.length !== d.count * d.features) {
    throw new RangeError(`${where}: inconsistent dataset: count ${show(d.count)}, features ${show(d.features)}, x length ${d.x.length}`);
  }
  const w = targetWidth(d);
  if (!Number.isInteger(w) || w < 1 || d.y.length !== d.count * w) {
    throw new RangeError(`${where}: inconsistent dataset: y has length ${d.y.length} for ${d.count} rows`);
  }
}

/** Bytes of one gathered batch in WASM memory: batchSize rows of features inputs and targetWidth targets (4 bytes each). */
export function batchBytes(features: number, targetWidth: number, batchSize: number): number {
  return 4 * batchSize * (features + targetWidth);
}

/**
 * RangeError up front when a batch cannot fit in WebAssembly's 4 GiB (beside `reservedBytes`
 * already in use), naming the batch size and the largest that fits.
 */
export function checkBatchFits(features: number, targetWidth: number, batchSize: number, where = 'fit', reservedBytes = 0): void {
  const bytes = batchBytes(features, targetWidth, batchSize);
  const room = WASM_BYTES - reservedBytes;
  if (bytes > room) {
    const fits = Math.max(0, Math.floor(room / (4 * (features + targetWidth))));
    throw new RangeError(
      `${where}: a batch of ${batchSize} rows × (${features} features + ${targetWidth} targets) needs ${bytes} bytes, ` +
        `more than WebAssembly's 4 GiB memory can hold${reservedBytes ? ` beside the ${reservedBytes} bytes in use` : ''}; ` +
        `use batchSize ≤ ${fits}`,
    );
  }
}
