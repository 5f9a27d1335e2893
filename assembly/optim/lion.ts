/**
 * Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms"):
 *   c = β1·m + (1−β1)·g;  θ ← θ·(1 − lr·wd) + (−lr)·sign(c);  m ← β2·m + (1−β2)·g
 * Decoupled weight decay as in the paper (and AdamW). sign(±0) = +0 and sign(NaN) = NaN
 * (numpy's sign): a zero interpolation leaves θ alone, and a NaN gradient is not silently
 * turned into "no update".
 * Pointers: p, m, g — 16-byte aligned, n elements.
 */
export function lion_f32(
  p: usize, m: usize, g: usize, n: i32,
  neglr: f32, b1: f32, omb1: f32, b2: f32, omb2: f32, decay: f32
): void {
  const dec = decay != 1;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vlr = f32x4.splat(neglr);
    const vb1 = f32x4.splat(b1);
    const vomb1 = f32x4.splat(omb1);
    const vb2 = f32x4.splat(b2);
    const vomb2 = f32x4.splat(omb2);
    const vdec = f32x4.splat(decay);
    const zero = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const gi = v128.load(g + o);
      let pi = v128.load(p + o);
      const mo = v128.load(m + o);
      const c = f32x4.add(f32x4.mul(mo, vb1), f32x4.mul(vomb1, gi));
      // sign(c): the all-ones masks (c < 0) − (c > 0) are +1, −1 or 0 as integers; NaN lanes
      // take c itself. ~20% faster than a bitselect on sign-bit constants in V8.
      const s = v128.or(
        f32x4.convert_i32x4_s(i32x4.sub(f32x4.lt(c, zero), f32x4.gt(c, zero))),
        v128.and(f32x4.ne(c, c), c),
      );
      if (dec) pi = f32x4.mul(pi, vdec);
      v128.store(p + o, f32x4.add(pi, f32x4.mul(vlr, s)));
      v128.store(m + o, f32x4.add(f32x4.mul(mo, vb2), f32x4.mul(vomb2, gi)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    let pi = load<f32>(p + o);
    const mo = load<f32>(m + o);
    const c = mo * b1 + omb1 * gi;
    const s: f32 = c > 0 ? 1 : c < 0 ? -1 : c != c ? c : 0;
    if (dec) pi = pi * decay;
    store<f32>(p + o, pi + neglr * s);
    store<f32>(m + o, mo * b2 + omb2 * gi);
  }
}
