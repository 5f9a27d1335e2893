// checkDataset, subset, gatherRows and the batch size check.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { batchBytes, checkBatchFits, checkDataset, gatherRows, subset, type Dataset } from '../../src/data/index.js';
import { throwsWith } from '../_helpers.js';

const Data = suite('data/dataset');

const cls = (): Dataset => ({ x: Float32Array.from([0, 1, 2, 3, 4, 5]), y: Int32Array.from([2, 0, 1]), count: 3, features: 2, classes: 3 });
const reg = (): Dataset => ({ x: Float32Array.from([0, 1, 2]), y: Float32Array.from([0, 10, 1, 11, 2, 12]), count: 3, features: 1, outputs: 2 });

Data('checkDataset: valid datasets and their shape', () => {
  assert.equal(checkDataset(cls()), { classification: true, targetWidth: 1, outputs: 3 });
  assert.equal(checkDataset(reg()), { classification: false, targetWidth: 2, outputs: 2 });
  const { outputs: _, ...noOutputs } = reg();
  assert.equal(checkDataset(noOutputs), { classification: false, targetWidth: 2, outputs: 2 });
  const { classes: __, ...noClasses } = cls();
  assert.equal(checkDataset(noClasses), { classification: true, targetWidth: 1, outputs: 3 });
  assert.equal(checkDataset({ ...cls(), names: ['a', 'b', 'c'] }).outputs, 3);
});

Data('checkDataset: every problem is a TypeError or RangeError that names it', () => {
  const w = 'fit: train';
  const cases: [unknown, Function, string][] = [
    [null, TypeError, 'fit: train: a dataset must be an object { x, y, count, features }, got null'],
    [[1, 2], TypeError, 'a dataset must be an object'],
    [{ ...cls(), x: [0, 1, 2, 3, 4, 5] }, TypeError, 'fit: train: x must be a Float32Array, got [0, 1, 2, 3, 4, 5]'],
    [{ ...cls(), x: new Float64Array(6) }, TypeError, 'fit: train: x must be a Float32Array, got [object Float64Array]'],
    [{ ...cls(), y: [2, 0, 1] }, TypeError, 'fit: train: y must be an Int32Array (class ids) or a Float32Array (targets)'],
    [{ ...cls(), count: '3' }, TypeError, 'fit: train: count must be a number, got "3"'],
    [{ ...cls(), count: 0 }, RangeError, 'fit: train: count must be a positive integer, got 0'],
    [{ ...cls(), features: 1.5 }, RangeError, 'fit: train: features must be a positive integer, got 1.5'],
    [{ ...cls(), count: 2 }, RangeError, 'fit: train: x has length 6, expected count·features = 2·2 = 4'],
    [{ ...cls(), x: Float32Array.from([0, 1, 2, NaN, 4, 5]) }, RangeError, 'fit: train: x must be finite, got x[3] = NaN (row 1, feature 1)'],
    [{ ...cls(), x: Float32Array.from([0, 1, 2, 3, 4, -Infinity]) }, RangeError, 'x must be finite, got x[5] = -Infinity (row 2, feature 1)'],
    [{ ...cls(), y: Int32Array.from([0, 1]) }, RangeError, 'fit: train: y has length 2, expected count = 3 labels'],
    [{ ...cls(), y: Int32Array.from([0, 3, 1]) }, RangeError, 'fit: train: labels must be in [0, 3), got y[1] = 3'],
    [{ ...cls(), y: Int32Array.from([0, -1, 1]), classes: undefined }, RangeError, 'fit: train: labels must be in [0, ∞), got y[1] = -1'],
    [{ ...cls(), classes: 0 }, RangeError, 'fit: train: classes must be a positive integer, got 0'],
    [{ ...cls(), classes: '3' }, TypeError, 'fit: train: classes must be a number, got "3"'],
    [{ ...cls(), outputs: 3 }, TypeError, 'fit: train: outputs belongs to regression targets'],
    [{ ...cls(), names: ['a', 'b'] }, RangeError, 'fit: train: names has 2 entries, expected one per class (3)'],
    [{ ...cls(), names: ['a', 'b', 3] }, TypeError, 'fit: train: names must be an array of strings'],
    [{ ...reg(), classes: 2 }, TypeError, 'fit: train: classes needs Int32Array labels'],
    [{ ...reg(), outputs: 0 }, RangeError, 'fit: train: outputs must be a positive integer, got 0'],
    [{ ...reg(), outputs: 3 }, RangeError, 'fit: train: y has length 6, expected count·outputs = 3·3 = 9'],
    [{ ...reg(), outputs: undefined, y: new Float32Array(5) }, RangeError, 'fit: train: y has length 5, not a positive multiple of count = 3'],
    [{ ...reg(), y: Float32Array.from([0, 1, 2, 3, Infinity, 5]) }, RangeError, 'fit: train: y must be finite, got y[4] = Infinity (row 2)'],
  ];
  for (const [data, type, message] of cases) throwsWith(() => checkDataset(data, w), type, message);
});

Data('subset copies the named rows in order (repeats allowed), keeping classes and names', () => {
  const d = { ...cls(), names: ['a', 'b', 'c'] };
  const s = subset(d, [2, 0, 2]);
  assert.equal(Array.from(s.x), [4, 5, 0, 1, 4, 5]);
  assert.equal(Array.from(s.y), [1, 2, 1]);
  assert.is(s.count, 3);
  assert.is(s.classes, 3);
  assert.equal(s.names, ['a', 'b', 'c']);
  const r = subset(reg(), Uint32Array.from([1]));
  assert.equal(Array.from(r.y), [1, 11]);
  assert.is(r.outputs, 2);
  throwsWith(() => subset(d, [0, 3]), RangeError, 'subset: indices[1] must be a row number in [0, 3), got 3');
  throwsWith(() => subset(d, [0.5]), RangeError, 'subset: indices[0] must be a row number in [0, 3), got 0.5');
  throwsWith(() => subset(d, []), RangeError, 'subset: indices must name at least one row');
  throwsWith(() => subset(d, 2 as any), TypeError, 'subset: indices must be an array of row numbers, got 2');
});

Data('gatherRows copies indices[start..end) into the given views, runs and single rows alike', () => {
  const n = 50, f = 7;
  const x = Float32Array.from({ length: n * f }, (_, i) => i);
  const d: Dataset = { x, y: Int32Array.from({ length: n }, (_, i) => i), count: n, features: f };
  const idx = Uint32Array.from([3, 4, 5, 6, 10, 2, 3, 49, 0, 1]);
  const xOut = new Float32Array(20 * f).fill(-1);
  const yOut = new Int32Array(20).fill(-1);
  gatherRows(d, idx, 1, 9, xOut, yOut);
  const rows = [4, 5, 6, 10, 2, 3, 49, 0];
  for (let r = 0; r < rows.length; r++) {
    assert.is(yOut[r], rows[r]);
    for (let j = 0; j < f; j++) assert.is(xOut[r * f + j], rows[r] * f + j);
  }
  assert.is(xOut[rows.length * f], -1, 'nothing past the rows written');
  assert.is(yOut[rows.length], -1);
  // Regression targets of width 2, into views at an offset of a larger buffer (as WASM-backed views are).
  const buf = new ArrayBuffer(64);
  const rx = new Float32Array(buf, 16, 2), ry = new Float32Array(buf, 32, 4);
  gatherRows(reg(), [2, 1], 0, 2, rx, ry);
  assert.equal(Array.from(rx), [2, 1]);
  assert.equal(Array.from(ry), [2, 12, 1, 11]);
  throwsWith(() => gatherRows(d, idx, 0, 11, xOut, yOut), RangeError, 'gatherRows: rows [0, 11) are outside the 10 indices');
  throwsWith(() => gatherRows(d, idx, 0, 10, new Float32Array(5), yOut), RangeError, 'gatherRows: 10 rows need xOut ≥ 70 and yOut ≥ 10 values, got 5 and 20');
  throwsWith(() => gatherRows(d, [1, 50], 0, 2, xOut, yOut), RangeError, 'gatherRows: indices[1] = 50 is not a row of the 50');
});

Data('batchBytes and checkBatchFits: a batch beyond 4 GiB is a RangeError up front naming the largest batch that fits', () => {
  assert.is(batchBytes(64, 1, 32), 32 * 65 * 4);
  checkBatchFits(784, 10, 1 << 20);
  // 2^32 / (4·(784+10)) = 1352319.6…: the largest batch that fits.
  checkBatchFits(784, 10, 1352319);
  throwsWith(() => checkBatchFits(784, 10, 1352320, 'fit'), RangeError,
    "fit: a batch of 1352320 rows × (784 features + 10 targets) needs 4294968320 bytes, more than WebAssembly's 4 GiB memory can hold; use batchSize ≤ 1352319");
  throwsWith(() => checkBatchFits(1000, 1, 1000, 'fit', 2 ** 32 - 1000), RangeError, 'beside the 4294966296 bytes in use; use batchSize ≤ 0');
});

Data.run();
