// average_f32 and lookahead_f32 on the tail lengths: SIMD build = scalar build = a float32
// reference of the same formula and order, bit for bit; n = 0 touches nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine } from '../../src/index.js';
import { F32Block } from '../../src/memory.js';
import { bitsEqual, bothEngines } from '../_helpers.js';

const K = suite('averaging/kernels');
const LENGTHS = [0, 1, 3, 4, 5, 7, 8, 31, 1023, 1025];
const f = Math.fround;
let engines: Engine[];
K.before(async () => {
  engines = await bothEngines();
});

const vals = (n: number, s: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + s) * (1 + (i % 7)));

function run(sd: Engine, kernel: 'average_f32' | 'lookahead_f32', n: number, w: number) {
  const a = new F32Block(sd.mem, n + 4); // guard elements past n
  const b = new F32Block(sd.mem, n + 4);
  a.view.set(vals(n + 4, 1));
  b.view.set(vals(n + 4, 2));
  (sd.kernels as any)[kernel](a.ptr, b.ptr, n, w);
  const out = [Float32Array.from(a.view), Float32Array.from(b.view)];
  a.free();
  b.free();
  return out;
}

K('average_f32: a ← a + w·(p − a); lookahead_f32: slow ← slow + α(fast − slow), fast ← slow', () => {
  for (const n of LENGTHS) {
    for (const w of [0, 0.25, 1 / 3, 1]) {
      const A = vals(n + 4, 1);
      const P = vals(n + 4, 2);
      const ww = f(w);
      for (let i = 0; i < n; i++) A[i] = f(A[i] + f(ww * f(P[i] - A[i])));
      const [sa, sp] = run(engines[0], 'average_f32', n, w);
      const [ca, cp] = run(engines[1], 'average_f32', n, w);
      assert.ok(bitsEqual(sa, A) && bitsEqual(ca, A), `average n=${n} w=${w}`);
      assert.ok(bitsEqual(sp, vals(n + 4, 2)) && bitsEqual(cp, vals(n + 4, 2)), `average leaves p, n=${n}`);
      const F = vals(n + 4, 2);
      for (let i = 0; i < n; i++) F[i] = A[i];
      const [ls, lf] = run(engines[0], 'lookahead_f32', n, w);
      const [cs, cf] = run(engines[1], 'lookahead_f32', n, w);
      assert.ok(bitsEqual(ls, A) && bitsEqual(cs, A), `lookahead slow n=${n} w=${w}`);
      assert.ok(bitsEqual(lf, F) && bitsEqual(cf, F), `lookahead fast n=${n} w=${w}`);
    }
  }
});

K.run();
