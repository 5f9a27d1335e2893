/**
 * Adamax (Kingma & Ba, 2015, §7.1), torch.optim.Adamax 1.13 order:
 *   g ← g + wd·θ (L2, wd ≠ 0) or θ ← θ·decay, decay = 1 − lr·wd (decoupled: Keras 3 weight_decay,
 *   PyTorch ≥ 2 decoupled_weight_decay; decay = 1 skips it), θ before the step;  m ← β1·m + (1−β1)·g;  u ← max(β2·u, |g| + eps)
 *   θ ← θ + (c·m)/u,  c = −lr/(1−β1ᵗ)
 * eps goes into the max (torch), not into a denominator (the paper has none; TF adds it to u).
 * max propagates NaN, as torch.amax. Pointers: p, m, u (exp_inf), g — 16-byte aligned, n elements.
 */
export function adamax_f32(
  p: usize, m: usize, u: usize, g: usize, n: i32,
  c: f32, b1: f32, omb1: f32, b2: f32, eps: f32, wd: f32, decay: f32
): void {
  const l2 = wd != 0;
  const dec = decay != 1; // decoupled: θ·(1 − lr·wd) before the update (AdamW, Keras 3)
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vc = f32x4.splat(c);
    const vb1 = f32x4.splat(b1);
    const vomb1 = f32x4.splat(omb1);
    const vb2 = f32x4.splat(b2);
    const veps = f32x4.splat(eps);
    const vwd = f32x4.splat(wd);
    const vdec = f32x4.splat(decay);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let gi = v128.load(g + o);
      let pi = v128.load(p + o);
      if (l2) gi = f32x4.add(gi, f32x4.mul(vwd, pi));
      if (dec) pi = f32x4.mul(pi, vdec);
      const mi = f32x4.add(f32x4.mul(v128.load(m + o), vb1), f32x4.mul(vomb1, gi));
      const ui = f32x4.max(f32x4.mul(v128.load(u + o), vb2), f32x4.add(f32x4.abs(gi), veps));
      v128.store(m + o, mi);
      v128.store(u + o, ui);
      v128.store(p + o, f32x4.add(pi, f32x4.div(f32x4.mul(vc, mi), ui)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let gi = load<f32>(g + o);
    let pi = load<f32>(p + o);
    if (l2) gi = gi + wd * pi;
    if (dec) pi = pi * decay;
    const mi = load<f32>(m + o) * b1 + omb1 * gi;
    const ui = max<f32>(load<f32>(u + o) * b2, Mathf.abs(gi) + eps);
    store<f32>(m + o, mi);
    store<f32>(u + o, ui);
    store<f32>(p + o, pi + (c * mi) / ui);
  }
}
