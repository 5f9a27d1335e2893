/**
 * Adagrad (Duchi, Hazan & Singer, 2011), torch.optim.Adagrad 1.13 order:
 *   g ← g + wd·θ (L2, wd ≠ 0) or θ ← θ·decay, decay = 1 − lr·wd (decoupled: Keras 3 weight_decay,
 *   PyTorch ≥ 2 decoupled_weight_decay; decay = 1 skips it), θ before the step;  s ← s + g·g  (s starts at initialAccumulatorValue)
 *   θ ← θ + (−clr·g) / (√s + eps),  clr = lr / (1 + (t−1)·lrDecay) in f64
 * eps is added outside the square root, as torch (TF's Adagrad has no eps there).
 * Pointers: p, s, g — 16-byte aligned, n elements.
 */
export function adagrad_f32(p: usize, s: usize, g: usize, n: i32, negclr: f32, eps: f32, wd: f32, decay: f32): void {
  const l2 = wd != 0;
  const dec = decay != 1; // decoupled: θ·(1 − lr·wd) before the update (AdamW, Keras 3)
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vc = f32x4.splat(negclr);
    const veps = f32x4.splat(eps);
    const vwd = f32x4.splat(wd);
    const vdec = f32x4.splat(decay);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let gi = v128.load(g + o);
      let pi = v128.load(p + o);
      if (l2) gi = f32x4.add(gi, f32x4.mul(vwd, pi));
      if (dec) pi = f32x4.mul(pi, vdec);
      const si = f32x4.add(v128.load(s + o), f32x4.mul(gi, gi));
      v128.store(s + o, si);
      const d = f32x4.add(f32x4.sqrt(si), veps);
      v128.store(p + o, f32x4.add(pi, f32x4.div(f32x4.mul(vc, gi), d)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let gi = load<f32>(g + o);
    let pi = load<f32>(p + o);
    if (l2) gi = gi + wd * pi;
    if (dec) pi = pi * decay;
    const si = load<f32>(s + o) + gi * gi;
    store<f32>(s + o, si);
    const d = Mathf.sqrt(si) + eps;
    store<f32>(p + o, pi + (negclr * gi) / d);
  }
}
