// The ordered sum of shard gradients (sum_f32, one pass over every source) must give the bits
// of the plain sequence it replaced — a copy of the first source, then axpy_f32(dst, src, n, 1)
// per further source — on both builds, overwriting or accumulating, with tails and offsets.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine } from '../../src/index.js';
import { bitsEqual, bothEngines } from '../_helpers.js';

const T = suite('threads: ordered shard sum');
let engines: Engine[];

T.before(async () => {
  engines = await bothEngines();
});

T('sum_f32 = copy + one axpy per source, bit for bit (SIMD and scalar, 1–8 sources, tails, offsets)', () => {
  for (const sd of engines) {
    const k = sd.kernels;
    const n = 1003;
    const mem = sd.mem;
    const srcs = Array.from({ length: 8 }, () => mem.alloc(n * 4));
    const table = mem.alloc(8 * 4);
    const a = mem.alloc(n * 4);
    const b = mem.alloc(n * 4);
    const f32 = () => new Float32Array(mem.memory.buffer);
    // Values of very different sizes, so the order of the additions shows in the bits.
    srcs.forEach((p, s) => {
      const v = new Float32Array(mem.memory.buffer, p, n);
      for (let i = 0; i < n; i++) v[i] = Math.sin(i * 0.37 + s) * 10 ** ((i + 3 * s) % 9 - 4);
    });
    new Int32Array(mem.memory.buffer, table, 8).set(srcs);
    for (const count of [1, 2, 3, 4, 8]) {
      for (const accumulate of [0, 1]) {
        for (const [first, len] of [[0, n], [4, 17], [8, 990], [0, 3]]) {
          const init = (p: number) => {
            const v = new Float32Array(mem.memory.buffer, p, n);
            for (let i = 0; i < n; i++) v[i] = Math.cos(i) * 1e-3;
          };
          init(a);
          init(b);
          // The reference: copy (unless accumulating), then axpy per source, in order.
          let s = 0;
          if (!accumulate) {
            f32().copyWithin((a >> 2) + first, (srcs[0] >> 2) + first, (srcs[0] >> 2) + first + len);
            s = 1;
          }
          for (; s < count; s++) k.axpy_f32(a + first * 4, srcs[s] + first * 4, len, 1);
          k.sum_f32(b, table, count, first * 4, len, accumulate);
          const va = new Float32Array(mem.memory.buffer, a, n), vb = new Float32Array(mem.memory.buffer, b, n);
          assert.ok(bitsEqual(Float32Array.from(vb), Float32Array.from(va)), `${sd.simd ? 'SIMD' : 'scalar'}: ${count} sources, accumulate ${accumulate}, [${first}, +${len})`);
        }
      }
    }
    for (const p of [...srcs, table, a, b]) mem.release(p);
  }
});

T.run();
