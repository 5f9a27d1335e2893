/**
 * RMSprop (Hinton, Coursera lecture 6e, 2012; centred form from Graves, 2013),
 * torch.optim.RMSprop 1.13 order:
 *   g ← g + wd·θ (L2, wd ≠ 0) or θ ← θ·decay, decay = 1 − lr·wd (decoupled: Keras 3 weight_decay,
 *   PyTorch ≥ 2 decoupled_weight_decay; decay = 1 skips it), θ before the step;  s ← α·s + ((1−α)·g)·g
 *   centred: a ← α·a + (1−α)·g,  d = √(s + (−a)·a) + eps;  else d = √s + eps
 *   momentum: b ← μ·b + g/d, θ ← θ + (−lr)·b;  else θ ← θ + ((−lr)·g)/d
 * eps is added after the square root (TF adds it inside).
 * Pointers: p, s, a (centred only), b (momentum only), g — 16-byte aligned, n elements.
 */
export function rmsprop_f32(
  p: usize, s: usize, a: usize, b: usize, g: usize, n: i32,
  neglr: f32, alpha: f32, omalpha: f32, eps: f32, wd: f32, decay: f32, mu: f32,
  centered: i32, useMomentum: i32
): void {
  const l2 = wd != 0;
  const dec = decay != 1; // decoupled: θ·(1 − lr·wd) before the update (AdamW, Keras 3)
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vlr = f32x4.splat(neglr);
    const val = f32x4.splat(alpha);
    const voma = f32x4.splat(omalpha);
    const veps = f32x4.splat(eps);
    const vwd = f32x4.splat(wd);
    const vdec = f32x4.splat(decay);
    const vmu = f32x4.splat(mu);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let gi = v128.load(g + o);
      let pi = v128.load(p + o);
      if (l2) gi = f32x4.add(gi, f32x4.mul(vwd, pi));
      if (dec) pi = f32x4.mul(pi, vdec);
      const si = f32x4.add(f32x4.mul(v128.load(s + o), val), f32x4.mul(f32x4.mul(voma, gi), gi));
      v128.store(s + o, si);
      let d: v128;
      if (centered) {
        const ai = f32x4.add(f32x4.mul(v128.load(a + o), val), f32x4.mul(voma, gi));
        v128.store(a + o, ai);
        d = f32x4.add(f32x4.sqrt(f32x4.add(si, f32x4.mul(f32x4.neg(ai), ai))), veps);
      } else {
        d = f32x4.add(f32x4.sqrt(si), veps);
      }
      if (useMomentum) {
        const bi = f32x4.add(f32x4.mul(v128.load(b + o), vmu), f32x4.div(gi, d));
        v128.store(b + o, bi);
        v128.store(p + o, f32x4.add(pi, f32x4.mul(vlr, bi)));
      } else {
        v128.store(p + o, f32x4.add(pi, f32x4.div(f32x4.mul(vlr, gi), d)));
      }
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let gi = load<f32>(g + o);
    let pi = load<f32>(p + o);
    if (l2) gi = gi + wd * pi;
    if (dec) pi = pi * decay;
    const si = load<f32>(s + o) * alpha + (omalpha * gi) * gi;
    store<f32>(s + o, si);
    let d: f32;
    if (centered) {
      const ai = load<f32>(a + o) * alpha + omalpha * gi;
      store<f32>(a + o, ai);
      d = Mathf.sqrt(si + (-ai) * ai) + eps;
    } else {
      d = Mathf.sqrt(si) + eps;
    }
    if (useMomentum) {
      const bi = load<f32>(b + o) * mu + gi / d;
      store<f32>(b + o, bi);
      store<f32>(p + o, pi + neglr * bi);
    } else {
      store<f32>(p + o, pi + (neglr * gi) / d);
    }
  }
}
