// datasets.digits(): the bundled files match digits.json byte for byte; shape, scaling, labels.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDataset, datasets } from '../../src/data/index.js';
import { decodeDigits } from '../../src/data/digits.js';
import { throwsWith } from '../_helpers.js';

const Digits = suite('data/digits');
const dir = new URL('../../data/digits/', import.meta.url);
const meta = JSON.parse(readFileSync(new URL('digits.json', dir), 'utf8'));
const raw = (file: string) => readFileSync(new URL(file, dir));

Digits('the raw files have the sizes and SHA-256 of digits.json', () => {
  for (const part of [meta.images, meta.labels]) {
    const bytes = raw(part.file);
    assert.is(bytes.length, part.bytes, part.file);
    assert.is(createHash('sha256').update(bytes).digest('hex'), part.sha256, part.file);
  }
});

Digits('1797 rows of 64 pixels/16, Int32Array labels 0..9, 10 classes', async () => {
  const d = await datasets.digits();
  assert.is(d.count, 1797);
  assert.is(d.features, 64);
  assert.is(d.classes, 10);
  assert.ok(d.x instanceof Float32Array);
  assert.ok(d.y instanceof Int32Array);
  assert.is(d.x.length, 1797 * 64);
  assert.is(d.y.length, 1797);
  const images = raw(meta.images.file);
  const labels = raw(meta.labels.file);
  for (let i = 0; i < d.x.length; i++) if (d.x[i] !== images[i] / 16) assert.unreachable(`x[${i}] = ${d.x[i]}, expected ${images[i]}/16`);
  for (let i = 0; i < d.count; i++) if (d.y[i] !== labels[i]) assert.unreachable(`y[${i}]`);
  assert.is(Math.min(...d.x), 0);
  assert.is(Math.max(...d.x), 1);
  assert.equal(checkDataset(d, 'digits'), { classification: true, targetWidth: 1, outputs: 10 });
  // load_digits()[0] is a zero: the first image row of sklearn's data[0].
  assert.equal(Array.from(d.x.subarray(0, 8), (v) => v * 16), [0, 0, 5, 13, 9, 1, 0, 0]);
});

Digits('label counts equal classCounts of digits.json', async () => {
  const d = await datasets.digits();
  const counts = new Array(10).fill(0);
  for (const v of d.y) counts[v]++;
  assert.equal(counts, meta.classCounts);
});

Digits('every call returns fresh arrays: mutating one result does not reach the next', async () => {
  const a = await datasets.digits();
  a.x.fill(-1);
  a.y.fill(99);
  const b = await datasets.digits();
  assert.is.not(a.x, b.x);
  assert.is(b.x[2], 5 / 16);
  assert.is(b.y[1], 1);
  checkDataset(b, 'digits');
});

Digits('arguments are refused', async () => {
  let err: unknown;
  try {
    await (datasets.digits as any)({ count: 10 });
  } catch (e) {
    err = e;
  }
  assert.instance(err, TypeError);
  assert.match((err as Error).message, 'datasets.digits takes no arguments');
});

Digits('truncated or corrupt files are an Error naming the file and the sizes', () => {
  const images = new Uint8Array(raw(meta.images.file));
  const labels = new Uint8Array(raw(meta.labels.file));
  throwsWith(() => decodeDigits(images.subarray(1), labels), Error, 'digits-images.u8 has 115007 bytes, expected 115008');
  throwsWith(() => decodeDigits(images, labels.subarray(0, 100)), Error, 'digits-labels.u8 has 100 bytes, expected 1797');
  const bad = images.slice();
  bad[70] = 17;
  throwsWith(() => decodeDigits(bad, labels), Error, 'pixel 70 is 17, outside 0..16');
  const badLabels = labels.slice();
  badLabels[3] = 10;
  throwsWith(() => decodeDigits(images, badLabels), Error, 'label 3 is 10, outside 0..9');
  assert.equal(decodeDigits(images, labels).y.length, 1797);
});

Digits.run();
