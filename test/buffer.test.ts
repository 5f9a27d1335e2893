// sd.buffer(): sizes, zero fill, alignment, live views, dispose.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine } from '../src/index.js';
import { bothEngines, throwsWith } from './_helpers.js';

const Buffer_ = suite('buffer');
let sd: Engine;
Buffer_.before(async () => {
  [sd] = await bothEngines();
});

Buffer_('zero-filled params and grads of the asked size, 16-byte aligned, separate', () => {
  for (const n of [1, 3, 4, 5, 7, 8, 31, 1023, 1025]) {
    const b = sd.buffer(n);
    assert.is(b.size, n);
    assert.is(b.params.length, n);
    assert.is(b.grads.length, n);
    assert.ok(b.params.every((v) => v === 0) && b.grads.every((v) => v === 0));
    assert.is(b.paramsPtr % 16, 0);
    assert.is(b.gradsPtr % 16, 0);
    b.params.fill(1);
    assert.ok(b.grads.every((v) => v === 0), 'params and grads do not overlap');
    b.dispose();
  }
});

Buffer_('memory reused after dispose comes back zeroed', () => {
  const a = sd.buffer(100);
  a.params.fill(7);
  a.grads.fill(7);
  a.dispose();
  const b = sd.buffer(100);
  assert.ok(b.params.every((v) => v === 0) && b.grads.every((v) => v === 0));
  b.dispose();
});

Buffer_('bad sizes', () => {
  for (const bad of [0, -1, 1.5, NaN, Infinity]) {
    throwsWith(() => sd.buffer(bad), RangeError, `buffer: size must be a positive integer, got ${bad}`);
  }
  throwsWith(() => sd.buffer('3' as any), TypeError, 'buffer: size must be a number, got "3"');
  throwsWith(() => sd.buffer(undefined as any), TypeError, 'buffer: size must be a number, got undefined');
  const before = sd.memoryBytes;
  throwsWith(() => sd.buffer(2 ** 30), RangeError, 'buffer: size 1073741824 needs 8589934592 bytes', 'left of 4 GiB');
  // params and grads are checked together: a size whose params alone would fit allocates nothing.
  const mark = sd.memoryBytes;
  throwsWith(() => sd.buffer(2 ** 29), RangeError, 'buffer: size 536870912 needs 4294967296 bytes');
  assert.is(sd.memoryBytes, mark);
  assert.is(sd.memoryBytes, before);
});

Buffer_('dispose is idempotent; getters throw afterwards', () => {
  const b = sd.buffer(3);
  b.dispose();
  b.dispose();
  assert.ok(b.isDisposed);
  for (const get of [() => b.params, () => b.grads, () => b.paramsPtr, () => b.gradsPtr]) {
    throwsWith(get, Error, 'buffer: used after dispose()');
  }
});

Buffer_.run();
