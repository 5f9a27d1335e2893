/**
 * LAMB (You et al., 2020, "Large Batch Optimization for Deep Learning"), the whole buffer
 * as one layer:
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + ((1−β2)·g)·g
 *   r = (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + eps) + wd·θ
 *   ratio = ‖θ‖ / ‖r‖ (1 when either norm is 0);  θ ← θ + (−lr·ratio)·r
 * Weight decay either inside the trust ratio (the paper: wd·θ in r, `wd`) or outside it (Keras 3's
 * Lamb: θ ← θ·decay, decay = 1 − lr·wd, first, then r without decay and the ratio from the
 * decayed ‖θ‖, `decay`; 1 skips it). The second pass recomputes θ·decay rather than storing it.
 * Two passes in one call: the first updates m and v, writes r to a scratch buffer and sums θ²
 * and r² in f64 lanes (as sumsq_f32); the second applies θ ← θ + c·r. (Recomputing r in the
 * second pass instead of storing it saves n floats but made a step ~1.5× slower.)
 * Returns the trust ratio (f64).
 * The SIMD build sums in four lanes, the scalar build in one: the ratio, and so θ, may differ
 * between builds by float rounding of the sums (~1e-7 relative).
 * Pointers: p, m, v, g, r (scratch) — 16-byte aligned, n elements.
 */
export function lamb_f32(
  p: usize, m: usize, v: usize, g: usize, r: usize, n: i32,
  lr: f64, bc1: f32, b1: f32, omb1: f32, b2: f32, omb2: f32, bc2: f32, eps: f32, wd: f32, decay: f32
): f64 {
  const dec = decay != 1;
  let pp: f64 = 0;
  let rr: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vbc1 = f32x4.splat(bc1);
    const vb1 = f32x4.splat(b1);
    const vomb1 = f32x4.splat(omb1);
    const vb2 = f32x4.splat(b2);
    const vomb2 = f32x4.splat(omb2);
    const vbc2 = f32x4.splat(bc2);
    const veps = f32x4.splat(eps);
    const vwd = f32x4.splat(wd);
    const vdec = f32x4.splat(decay);
    let p0 = f64x2.splat(0);
    let p1 = f64x2.splat(0);
    let r0 = f64x2.splat(0);
    let r1 = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const gi = v128.load(g + o);
      let pi = v128.load(p + o);
      if (dec) pi = f32x4.mul(pi, vdec);
      const mi = f32x4.add(f32x4.mul(v128.load(m + o), vb1), f32x4.mul(vomb1, gi));
      const vi = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(f32x4.mul(vomb2, gi), gi));
      v128.store(m + o, mi);
      v128.store(v + o, vi);
      const ri = f32x4.add(
        f32x4.div(f32x4.div(mi, vbc1), f32x4.add(f32x4.sqrt(f32x4.div(vi, vbc2)), veps)),
        f32x4.mul(vwd, pi),
      );
      v128.store(r + o, ri);
      const plo = f64x2.promote_low_f32x4(pi);
      const phi = f64x2.promote_low_f32x4(i32x4.shuffle(pi, pi, 2, 3, 0, 1));
      const rlo = f64x2.promote_low_f32x4(ri);
      const rhi = f64x2.promote_low_f32x4(i32x4.shuffle(ri, ri, 2, 3, 0, 1));
      p0 = f64x2.add(p0, f64x2.mul(plo, plo));
      p1 = f64x2.add(p1, f64x2.mul(phi, phi));
      r0 = f64x2.add(r0, f64x2.mul(rlo, rlo));
      r1 = f64x2.add(r1, f64x2.mul(rhi, rhi));
    }
    const ps = f64x2.add(p0, p1);
    const rs = f64x2.add(r0, r1);
    pp = f64x2.extract_lane(ps, 0) + f64x2.extract_lane(ps, 1);
    rr = f64x2.extract_lane(rs, 0) + f64x2.extract_lane(rs, 1);
  }
  const tail = i;
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    let pi = load<f32>(p + o);
    if (dec) pi = pi * decay;
    const mi = load<f32>(m + o) * b1 + omb1 * gi;
    const vi = load<f32>(v + o) * b2 + (omb2 * gi) * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    const ri = (mi / bc1) / (Mathf.sqrt(vi / bc2) + eps) + wd * pi;
    store<f32>(r + o, ri);
    pp += <f64>pi * <f64>pi;
    rr += <f64>ri * <f64>ri;
  }
  const ratio: f64 = pp == 0 || rr == 0 ? 1 : Math.sqrt(pp) / Math.sqrt(rr);
  const c = <f32>(-lr * ratio);
  i = 0;
  if (ASC_FEATURE_SIMD) {
    const vc = f32x4.splat(c);
    const vdec = f32x4.splat(decay);
    for (; i < tail; i += 4) {
      const o = <usize>i << 2;
      let pi = v128.load(p + o);
      if (dec) pi = f32x4.mul(pi, vdec);
      v128.store(p + o, f32x4.add(pi, f32x4.mul(vc, v128.load(r + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let pi = load<f32>(p + o);
    if (dec) pi = pi * decay;
    store<f32>(p + o, pi + c * load<f32>(r + o));
  }
  return ratio;
}
