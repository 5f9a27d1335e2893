/**
 * Elementwise activations and their backward multiplications as standalone passes over
 * n floats (the matrix products apply the same formulas fused into their stores; see
 * assembly/inline/act.ts). kind: 0 linear, 1 relu, 2 tanh, 3 sigmoid.
 */
import { epis, epiv, EPI_DRELU } from '../inline/act';

/** x ← f(x). */
export function activate_f32(x: usize, n: i32, kind: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const p = x + (<usize>i << 2);
      v128.store(p, epiv(v128.load(p), kind, 0));
    }
  }
  for (; i < n; i++) {
    const p = x + (<usize>i << 2);
    store<f32>(p, epis(load<f32>(p), kind, 0));
  }
}

/** g ← g · f′ expressed through the activation's output a = f(z) (linear: unchanged). */
export function activate_backward_f32(g: usize, a: usize, n: i32, kind: i32): void {
  if (kind == 0) return;
  const epi = kind - 1 + EPI_DRELU;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(g + o, epiv(v128.load(g + o), epi, a + o));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(g + o, epis(load<f32>(g + o), epi, a + o));
  }
}
