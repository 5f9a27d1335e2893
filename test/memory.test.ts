// WASM memory: views that survive growth, and create/dispose loops that stay bounded.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { init, type Engine } from '../src/index.js';
import { bitsEqual } from './_helpers.js';
import { NAMES, data, gradAt } from './optimizers/_cases.js';

const Memory = suite('memory');

Memory('after memory grows, an old optimizer handle still reads, writes and steps', async () => {
  for (const simd of [true, false]) {
    const sd = await init({ simd });
    const twin = await init({ simd }); // the same run without growth, to compare with
    const opt = sd.optimizer('adam', { size: 1025 });
    const ref = twin.optimizer('adam', { size: 1025 });
    for (const o of [opt, ref]) {
      o.params.set(data(1025, 1));
      o.grads.set(gradAt(1025, 1));
      o.step();
    }
    const stale = opt.params;
    const bytesBefore = sd.kernels.memory.buffer.byteLength;
    const hold = [];
    for (let i = 0; i < 20; i++) hold.push(sd.buffer(100_000)); // 16 MB: several grows
    assert.ok(sd.kernels.memory.buffer.byteLength > bytesBefore, 'memory grew');
    assert.is(stale.length, 0, 'a stored view detaches, as JavaScript does (read the getter again)');
    assert.ok(bitsEqual(opt.params, ref.params), 'the getter sees the params after growth');
    for (const o of [opt, ref]) {
      o.grads.set(gradAt(1025, 2));
      o.step();
    }
    assert.ok(bitsEqual(opt.params, ref.params), 'a step after growth lands in the live memory');
    assert.ok(bitsEqual(opt.stateView('exp_avg'), ref.stateView('exp_avg')));
    // the buffers made during growth are live too
    hold[0].params[99_999] = 5;
    assert.is(hold[0].params[99_999], 5);
    const bytes = opt.saveState();
    for (const b of hold) b.dispose();
    opt.loadState(bytes);
    assert.ok(bitsEqual(opt.params, ref.params));
    opt.dispose();
    ref.dispose();
  }
});

Memory('10,000 create/dispose loops of buffers and optimizers keep memory bounded', async () => {
  const sd: Engine = await init();
  const start = sd.memoryBytes;
  const keep = sd.optimizer('sgd', { size: 10, momentum: 0.9 }); // a long-lived neighbour
  const base = sd.memoryBytes;
  let peak = 0;
  for (let i = 0; i < 10_000; i++) {
    const size = 1 + ((i * 7919) % 2000);
    const buf = sd.buffer(size);
    const opt = sd.optimizer(NAMES[i % NAMES.length], i % 2 ? { buffer: buf } : { size });
    opt.grads.fill(1);
    opt.step();
    if (i % 3 === 0) {
      buf.dispose(); // out of creation order
      opt.dispose();
    } else {
      opt.dispose();
      buf.dispose();
    }
    peak = Math.max(peak, sd.memoryBytes);
  }
  // one iteration holds at most a 2000-float buffer and an optimizer of 2000 floats with
  // three state buffers: 7 arrays of 8000 bytes
  assert.ok(peak - base <= 7 * 8000 + 7 * 16, `peak ${peak - base} bytes above the base`);
  assert.is(sd.memoryBytes, base, 'everything freed returns the high-water mark to where it was');
  keep.dispose();
  assert.is(sd.memoryBytes, start);
});

Memory.run();
