/**
 * RAdam (Liu et al., 2020), torch.optim.RAdam 1.13 order:
 *   g ← g + wd·θ (L2, wd ≠ 0) or θ ← θ·decay, decay = 1 − lr·wd (decoupled: Keras 3 weight_decay,
 *   PyTorch ≥ 2 decoupled_weight_decay; decay = 1 skips it), θ before the step;  m ← β1·m + (1−β1)·g;  v ← β2·v + ((1−β2)·g)·g;  m̂ = m / (1−β1ᵗ)
 *   rectified (ρt > 5, decided in TS with ρt and r in f64):
 *     a = (1 / (√v + eps))·√(1−β2ᵗ)   (a reciprocal then a product, as torch's scalar / tensor)
 *     θ ← θ − ((m̂·lr)·a)·r
 *   else θ ← θ − m̂·lr   (plain momentum SGD with bias correction)
 * Pointers: p, m, v, g — 16-byte aligned, n elements.
 */
export function radam_f32(
  p: usize, m: usize, v: usize, g: usize, n: i32,
  lr: f32, bc1: f32, b1: f32, omb1: f32, b2: f32, omb2: f32, bc2sqrt: f32, eps: f32,
  rect: f32, wd: f32, decay: f32, rectified: i32
): void {
  const l2 = wd != 0;
  const dec = decay != 1; // decoupled: θ·(1 − lr·wd) before the update (AdamW, Keras 3)
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vlr = f32x4.splat(lr);
    const vbc1 = f32x4.splat(bc1);
    const vb1 = f32x4.splat(b1);
    const vomb1 = f32x4.splat(omb1);
    const vb2 = f32x4.splat(b2);
    const vomb2 = f32x4.splat(omb2);
    const vbc2 = f32x4.splat(bc2sqrt);
    const veps = f32x4.splat(eps);
    const vrect = f32x4.splat(rect);
    const vwd = f32x4.splat(wd);
    const vdec = f32x4.splat(decay);
    const one = f32x4.splat(1);
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
      const mh = f32x4.mul(f32x4.div(mi, vbc1), vlr);
      if (rectified) {
        const a = f32x4.mul(f32x4.div(one, f32x4.add(f32x4.sqrt(vi), veps)), vbc2);
        v128.store(p + o, f32x4.sub(pi, f32x4.mul(f32x4.mul(mh, a), vrect)));
      } else {
        v128.store(p + o, f32x4.sub(pi, mh));
      }
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
    const mh = (mi / bc1) * lr;
    if (rectified) {
      const a = (<f32>1 / (Mathf.sqrt(vi) + eps)) * bc2sqrt;
      store<f32>(p + o, pi - (mh * a) * rect);
    } else {
      store<f32>(p + o, pi - mh);
    }
  }
}
