/**
 * SGD with momentum, dampening, Nesterov and L2 weight decay (torch.optim.SGD, 1.13):
 *   g ← −g if maximize;  g ← g + wd·θ (L2), or θ ← θ·decay with decay = 1 − lr·wd (decoupled:
 *   Keras 3's SGD weight_decay, SGDW of Loshchilov & Hutter), θ before the step
 *   b ← g on the first step (`first`: no dampening), else b ← μ·b + (1−τ)·g
 *   g ← g + μ·b (nesterov) or b;  θ ← θ + (−lr)·g
 * Sutskever et al. (2013) for the Nesterov form; torch's buffer differs from the
 * velocity of the original papers by a factor of lr, which matters when lr changes.
 * With momentum 0 the buffer pointer b is ignored.
 */
export function sgd_f32(
  p: usize, b: usize, g: usize, n: i32,
  neglr: f32, mu: f32, omdamp: f32, wd: f32, decay: f32,
  useMomentum: i32, first: i32, nesterov: i32, maximize: i32
): void {
  // Loop-invariant flags are folded into specialised copies of the loop for the common
  // cases (V8 does not unswitch wasm loops); the general copy serves everything else.
  if (!maximize && wd == 0 && decay == 1 && !nesterov && !first) {
    if (useMomentum) sgdLoop(p, b, g, n, neglr, mu, omdamp, 0, 1, true, false, false, false, false, false);
    else sgdLoop(p, b, g, n, neglr, mu, omdamp, 0, 1, false, false, false, false, false, false);
  } else {
    sgdLoop(p, b, g, n, neglr, mu, omdamp, wd, decay, useMomentum != 0, first != 0, nesterov != 0, maximize != 0, wd != 0, decay != 1);
  }
}

@inline
function sgdLoop(
  p: usize, b: usize, g: usize, n: i32,
  neglr: f32, mu: f32, omdamp: f32, wd: f32, decay: f32,
  useMomentum: bool, first: bool, nesterov: bool, maximize: bool, l2: bool, dec: bool
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vlr = f32x4.splat(neglr);
    const vmu = f32x4.splat(mu);
    const vomd = f32x4.splat(omdamp);
    const vwd = f32x4.splat(wd);
    const vdec = f32x4.splat(decay);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let gi = v128.load(g + o);
      let pi = v128.load(p + o);
      if (maximize) gi = f32x4.neg(gi);
      if (l2) gi = f32x4.add(gi, f32x4.mul(vwd, pi));
      if (dec) pi = f32x4.mul(pi, vdec);
      if (useMomentum) {
        let bi = gi;
        if (!first) bi = f32x4.add(f32x4.mul(v128.load(b + o), vmu), f32x4.mul(vomd, gi));
        v128.store(b + o, bi);
        gi = nesterov ? f32x4.add(gi, f32x4.mul(vmu, bi)) : bi;
      }
      v128.store(p + o, f32x4.add(pi, f32x4.mul(vlr, gi)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let gi = load<f32>(g + o);
    let pi = load<f32>(p + o);
    if (maximize) gi = -gi;
    if (l2) gi = gi + wd * pi;
    if (dec) pi = pi * decay;
    if (useMomentum) {
      let bi = gi;
      if (!first) bi = load<f32>(b + o) * mu + omdamp * gi;
      store<f32>(b + o, bi);
      gi = nesterov ? gi + mu * bi : bi;
    }
    store<f32>(p + o, pi + neglr * gi);
  }
}
