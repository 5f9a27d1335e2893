/**
 * Adam (Kingma & Ba, 2015) and AdamW (Loshchilov & Hutter, 2019), in torch 1.13's order:
 *   g ← −g if maximize;  g ← g + wd·θ (adam: L2);  θ ← θ·(1 − lr·wd) (adamw: decoupled, `decay`)
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + ((1−β2)·g)·g;  v̂ ← max(v̂, v) under AMSGrad
 *   d ← √v / √(1−β2ᵗ) + eps  (a true division, as torch: multiplying by the reciprocal is 1 ulp off)
 *   θ ← θ + (c·m)/d, c = −lr/(1−β1ᵗ)
 * Scalars arrive as f32 already rounded from f64 (ASSEMBLYSCRIPT.md §14). eps is added after the
 * bias-correction division, as torch does (TF adds epŝ before it).
 * Pointers: p, m, v, vmax (AMSGrad only, else ignored), g — 16-byte aligned, n elements.
 */
export function adam_f32(
  p: usize, m: usize, v: usize, vmax: usize, g: usize, n: i32,
  c: f32, b1: f32, omb1: f32, b2: f32, omb2: f32, bc2sqrt: f32, eps: f32,
  wd: f32, decay: f32, amsgrad: i32, maximize: i32
): void {
  // Specialised copies of the loop for the common flag settings (V8 does not unswitch wasm
  // loops): plain Adam, plain AdamW; the general copy serves everything else.
  if (!maximize && !amsgrad && wd == 0) {
    if (decay == 1) adamLoop(p, m, v, vmax, g, n, c, b1, omb1, b2, omb2, bc2sqrt, eps, 0, 1, false, false, false, false);
    else adamLoop(p, m, v, vmax, g, n, c, b1, omb1, b2, omb2, bc2sqrt, eps, 0, decay, false, false, false, true);
  } else {
    adamLoop(p, m, v, vmax, g, n, c, b1, omb1, b2, omb2, bc2sqrt, eps, wd, decay, amsgrad != 0, maximize != 0, wd != 0, decay != 1);
  }
}

@inline
function adamLoop(
  p: usize, m: usize, v: usize, vmax: usize, g: usize, n: i32,
  c: f32, b1: f32, omb1: f32, b2: f32, omb2: f32, bc2sqrt: f32, eps: f32,
  wd: f32, decay: f32, amsgrad: bool, maximize: bool, l2: bool, dec: bool
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vc = f32x4.splat(c);
    const vb1 = f32x4.splat(b1);
    const vomb1 = f32x4.splat(omb1);
    const vb2 = f32x4.splat(b2);
    const vomb2 = f32x4.splat(omb2);
    const vbc2 = f32x4.splat(bc2sqrt);
    const veps = f32x4.splat(eps);
    const vwd = f32x4.splat(wd);
    const vdecay = f32x4.splat(decay);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let gi = v128.load(g + o);
      let pi = v128.load(p + o);
      if (maximize) gi = f32x4.neg(gi);
      if (l2) gi = f32x4.add(gi, f32x4.mul(vwd, pi));
      if (dec) pi = f32x4.mul(pi, vdecay);
      const mi = f32x4.add(f32x4.mul(v128.load(m + o), vb1), f32x4.mul(vomb1, gi));
      let vi = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(f32x4.mul(vomb2, gi), gi));
      v128.store(m + o, mi);
      v128.store(v + o, vi);
      if (amsgrad) {
        vi = f32x4.max(v128.load(vmax + o), vi);
        v128.store(vmax + o, vi);
      }
      const d = f32x4.add(f32x4.div(f32x4.sqrt(vi), vbc2), veps);
      v128.store(p + o, f32x4.add(pi, f32x4.div(f32x4.mul(vc, mi), d)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let gi = load<f32>(g + o);
    let pi = load<f32>(p + o);
    if (maximize) gi = -gi;
    if (l2) gi = gi + wd * pi;
    if (dec) pi = pi * decay;
    const mi = load<f32>(m + o) * b1 + omb1 * gi;
    let vi = load<f32>(v + o) * b2 + (omb2 * gi) * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    if (amsgrad) {
      vi = max<f32>(load<f32>(vmax + o), vi);
      store<f32>(vmax + o, vi);
    }
    const d = Mathf.sqrt(vi) / bc2sqrt + eps;
    store<f32>(p + o, pi + (c * mi) / d);
  }
}
