/**
 * Adadelta (Zeiler, 2012), torch.optim.Adadelta 1.13 order:
 *   g ← g + wd·θ (L2, wd ≠ 0) or θ ← θ·decay, decay = 1 − lr·wd (decoupled: Keras 3 weight_decay,
 *   PyTorch ≥ 2 decoupled_weight_decay; decay = 1 skips it), θ before the step;  s ← ρ·s + ((1−ρ)·g)·g
 *   δ = (√(u + eps) / √(s + eps))·g;  u ← ρ·u + ((1−ρ)·δ)·δ;  θ ← θ + (−lr)·δ
 * The paper has no lr (lr = 1, torch's default); eps sits inside both roots as in the paper.
 * Pointers: p, s (square_avg), u (acc_delta), g — 16-byte aligned, n elements.
 */
export function adadelta_f32(
  p: usize, s: usize, u: usize, g: usize, n: i32,
  neglr: f32, rho: f32, omrho: f32, eps: f32, wd: f32, decay: f32
): void {
  const l2 = wd != 0;
  const dec = decay != 1; // decoupled: θ·(1 − lr·wd) before the update (AdamW, Keras 3)
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vlr = f32x4.splat(neglr);
    const vrho = f32x4.splat(rho);
    const vomr = f32x4.splat(omrho);
    const veps = f32x4.splat(eps);
    const vwd = f32x4.splat(wd);
    const vdec = f32x4.splat(decay);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let gi = v128.load(g + o);
      let pi = v128.load(p + o);
      if (l2) gi = f32x4.add(gi, f32x4.mul(vwd, pi));
      if (dec) pi = f32x4.mul(pi, vdec);
      const si = f32x4.add(f32x4.mul(v128.load(s + o), vrho), f32x4.mul(f32x4.mul(vomr, gi), gi));
      v128.store(s + o, si);
      const ui = v128.load(u + o);
      const delta = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(ui, veps)), f32x4.sqrt(f32x4.add(si, veps))), gi);
      v128.store(u + o, f32x4.add(f32x4.mul(ui, vrho), f32x4.mul(f32x4.mul(vomr, delta), delta)));
      v128.store(p + o, f32x4.add(pi, f32x4.mul(vlr, delta)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let gi = load<f32>(g + o);
    let pi = load<f32>(p + o);
    if (l2) gi = gi + wd * pi;
    if (dec) pi = pi * decay;
    const si = load<f32>(s + o) * rho + (omrho * gi) * gi;
    store<f32>(s + o, si);
    const ui = load<f32>(u + o);
    const delta = (Mathf.sqrt(ui + eps) / Mathf.sqrt(si + eps)) * gi;
    store<f32>(u + o, ui * rho + (omrho * delta) * delta);
    store<f32>(p + o, pi + neglr * delta);
  }
}
