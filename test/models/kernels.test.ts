// The standalone activation kernels (assembly/kernels/activation.ts) and the gemm routine on
// odd shapes: tail lengths, SIMD == scalar bits, float64 reference within float32 rounding.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine } from '../../src/index.js';
import { bitsEqual, bothEngines, close } from '../_helpers.js';

const K = suite('models/kernels');
let engines: Engine[];
K.before(async () => {
  engines = await bothEngines();
});

const LENGTHS = [0, 1, 3, 4, 5, 7, 8, 31, 1023, 1025];
const f = [(v: number) => v, (v: number) => Math.max(v, 0), Math.tanh, (v: number) => 1 / (1 + Math.exp(-v))];
const df = [() => 1, (a: number) => (a > 0 ? 1 : 0), (a: number) => 1 - a * a, (a: number) => (1 - a) * a];

function values(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => 6 * Math.sin(i * 12.9898 + seed * 78.233));
}

/** Copy data into a fresh block of the engine's memory; returns the pointer. */
function put(e: Engine, data: Float32Array): number {
  const mem = (e as any).mem;
  const p = mem.alloc(Math.max(4, data.length * 4));
  mem.f32().set(data, p >> 2);
  return p;
}
const get = (e: Engine, p: number, n: number) => (e as any).mem.f32().slice(p >> 2, (p >> 2) + n) as Float32Array;
const free = (e: Engine, ...ps: number[]) => ps.forEach((p) => (e as any).mem.release(p));

K('activate_f32 / activate_backward_f32: every kind, tail lengths, SIMD == scalar, float64 reference', () => {
  for (const n of LENGTHS) {
    for (let kind = 0; kind < 4; kind++) {
      const x = values(n, kind + 1);
      const g = values(n, kind + 7);
      const out: Float32Array[] = [];
      const back: Float32Array[] = [];
      for (const e of engines) {
        const k = (e as any).kernels;
        const px = put(e, x);
        k.activate_f32(px, n, kind);
        const a = get(e, px, n);
        const pg = put(e, g);
        k.activate_backward_f32(pg, px, n, kind);
        out.push(a);
        back.push(get(e, pg, n));
        free(e, px, pg);
      }
      assert.ok(bitsEqual(out[0], out[1]), `activate kind ${kind} n ${n}`);
      assert.ok(bitsEqual(back[0], back[1]), `backward kind ${kind} n ${n}`);
      close(out[0], Array.from(x, f[kind]), { rtol: 1e-6, atol: 1e-7, what: `f kind ${kind}` });
      // 1 − a·a near a = ±1 loses the rounding of a·a (2⁻²⁴ absolute), times |g| ≤ 6.
      close(back[0], Array.from(g, (v, i) => v * df[kind](out[0][i])), { rtol: 1e-6, atol: 6 * 2 ** -23, what: `df kind ${kind}` });
    }
  }
});

K('gemm_f32: C = init + A·B with strided A, row-major B and every block tail', () => {
  for (const [rows, depth, cols] of [[1, 1, 1], [3, 5, 7], [4, 8, 8], [5, 3, 13], [9, 17, 21], [6, 1, 12]]) {
    const a = values(rows * depth, 1);
    const b = values((depth + 1) * cols, 2);
    const want: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        let s = b[depth * cols + c]; // init from B's row `depth`
        for (let t = 0; t < depth; t++) s += a[t * rows + r] * b[t * cols + c]; // A stored transposed
        want.push(s);
      }
    }
    const got: Float32Array[] = [];
    for (const e of engines) {
      const k = (e as any).kernels;
      const pa = put(e, a), pb = put(e, b), pc = put(e, new Float32Array(rows * cols));
      // A[r, t] at a + r·4 + t·rows·4 (a transposed operand, as in the weight gradient)
      k.gemm_f32(pc, cols * 4, pa, 4, rows * 4, pb, cols * 4, 32, rows, depth, cols, 1, 0, 0, 0);
      got.push(get(e, pc, rows * cols));
      free(e, pa, pb, pc);
    }
    assert.ok(bitsEqual(got[0], got[1]), `${rows}x${depth}x${cols}`);
    close(got[0], want, { rtol: 1e-5, atol: 1e-5, what: `${rows}x${depth}x${cols}` });
  }
});

K.run();
