/**
 * NAdam (Dozat, 2016), torch.optim.NAdam with the PyTorch ≥ 2.0 fix (1 − Π·μt+1):
 *   g ← g + wd·θ (L2, wd ≠ 0) or θ ← θ·decay, decay = 1 − lr·wd (decoupled: Keras 3 weight_decay,
 *   PyTorch ≥ 2 decoupled_weight_decay; decay = 1 skips it), θ before the step;  m ← β1·m + (1−β1)·g;  v ← β2·v + ((1−β2)·g)·g
 *   d = √(v / (1−β2ᵗ)) + eps
 *   θ ← θ + (c1·g)/d;  θ ← θ + (c2·m)/d   (two additions, as torch's two addcdiv_)
 *   c1 = −lr·(1−μt)/(1−Π),  c2 = −lr·μt+1/(1−Π·μt+1): the μ schedule and the
 *   running product Π (a float32 value, as torch keeps it) live in TS.
 * Pointers: p, m, v, g — 16-byte aligned, n elements.
 */
export function nadam_f32(
  p: usize, m: usize, v: usize, g: usize, n: i32,
  c1: f32, c2: f32, b1: f32, omb1: f32, b2: f32, omb2: f32, bc2: f32, eps: f32, wd: f32, decay: f32
): void {
  const l2 = wd != 0;
  const dec = decay != 1; // decoupled: θ·(1 − lr·wd) before the update (AdamW, Keras 3)
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vc1 = f32x4.splat(c1);
    const vc2 = f32x4.splat(c2);
    const vb1 = f32x4.splat(b1);
    const vomb1 = f32x4.splat(omb1);
    const vb2 = f32x4.splat(b2);
    const vomb2 = f32x4.splat(omb2);
    const vbc2 = f32x4.splat(bc2);
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
      const vi = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(f32x4.mul(vomb2, gi), gi));
      v128.store(m + o, mi);
      v128.store(v + o, vi);
      const d = f32x4.add(f32x4.sqrt(f32x4.div(vi, vbc2)), veps);
      pi = f32x4.add(pi, f32x4.div(f32x4.mul(vc1, gi), d));
      v128.store(p + o, f32x4.add(pi, f32x4.div(f32x4.mul(vc2, mi), d)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let gi = load<f32>(g + o);
    let pi = load<f32>(p + o);
    if (l2) gi = gi + wd * pi;
    if (dec) pi = pi * decay;
    const mi = load<f32>(m + o) * b1 + omb1 * gi;
    const vi = load<f32>(v + o) * b2 + (omb2 * gi) * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    const d = Mathf.sqrt(vi / bc2) + eps;
    pi = pi + (c1 * gi) / d;
    store<f32>(p + o, pi + (c2 * mi) / d);
  }
}
