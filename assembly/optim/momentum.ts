/**
 * Momentum as an exponential moving average of the gradient (the form of Adam's first
 * moment, as in Keras-era "EMA momentum" and fast.ai), with optional bias correction:
 *   g ← g + wd·θ (L2), or θ ← θ·decay with decay = 1 − lr·wd (decoupled, Keras 3's form), θ before the step
 *   v ← β·v + (1−β)·g   (v starts at 0; two roundings, as torch's mul_().add_())
 *   θ ← θ + c·v,  c = −lr/(1−βᵗ) with bias correction, else −lr (computed in f64 in TS)
 * Not torch.optim.SGD's momentum (that is sgd_f32: b ← μ·b + g, no (1−β) factor): with
 * bias correction the first step is exactly −lr·g, whatever β.
 * Pointers: p, v, g — 16-byte aligned, n elements.
 */
export function momentum_f32(p: usize, v: usize, g: usize, n: i32, c: f32, beta: f32, ombeta: f32, wd: f32, decay: f32): void {
  // A specialised copy without decay for the common case (V8 does not unswitch wasm loops).
  if (wd == 0 && decay == 1) momentumLoop(p, v, g, n, c, beta, ombeta, 0, 1, false, false);
  else momentumLoop(p, v, g, n, c, beta, ombeta, wd, decay, wd != 0, decay != 1);
}

@inline
function momentumLoop(
  p: usize, v: usize, g: usize, n: i32, c: f32, beta: f32, ombeta: f32, wd: f32, decay: f32, l2: bool, dec: bool
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vc = f32x4.splat(c);
    const vb = f32x4.splat(beta);
    const vomb = f32x4.splat(ombeta);
    const vwd = f32x4.splat(wd);
    const vdec = f32x4.splat(decay);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let gi = v128.load(g + o);
      let pi = v128.load(p + o);
      if (l2) gi = f32x4.add(gi, f32x4.mul(vwd, pi));
      if (dec) pi = f32x4.mul(pi, vdec);
      const vi = f32x4.add(f32x4.mul(v128.load(v + o), vb), f32x4.mul(vomb, gi));
      v128.store(v + o, vi);
      v128.store(p + o, f32x4.add(pi, f32x4.mul(vc, vi)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let gi = load<f32>(g + o);
    let pi = load<f32>(p + o);
    if (l2) gi = gi + wd * pi;
    if (dec) pi = pi * decay;
    const vi = load<f32>(v + o) * beta + ombeta * gi;
    store<f32>(v + o, vi);
    store<f32>(p + o, pi + c * vi);
  }
}
