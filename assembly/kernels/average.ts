// Weight averaging: SWA's running mean, EMA, and Lookahead's slow-weight update.
// The same formula and order in the f32x4 loop and the scalar tail.

/**
 * a ← a + w·(p − a): torch.lerp's form. SWA's running mean with w = 1/(n+1)
 * (torch.optim.swa_utils.AveragedModel), EMA with w = 1 − decay (timm ModelEmaV3's lerp_).
 */
export function average_f32(a: usize, p: usize, n: i32, w: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vw = f32x4.splat(w);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const va = v128.load(a + o);
      v128.store(a + o, f32x4.add(va, f32x4.mul(vw, f32x4.sub(v128.load(p + o), va))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(a + o);
    store<f32>(a + o, x + w * (load<f32>(p + o) - x));
  }
}

/**
 * Lookahead's sync (Zhang et al., 2019): slow ← slow + α·(fast − slow), then fast ← slow.
 * One pass over both buffers.
 */
export function lookahead_f32(slow: usize, fast: usize, n: i32, alpha: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f32x4.splat(alpha);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const s = v128.load(slow + o);
      const r = f32x4.add(s, f32x4.mul(va, f32x4.sub(v128.load(fast + o), s)));
      v128.store(slow + o, r);
      v128.store(fast + o, r);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const s = load<f32>(slow + o);
    const r = s + alpha * (load<f32>(fast + o) - s);
    store<f32>(slow + o, r);
    store<f32>(fast + o, r);
  }
}
