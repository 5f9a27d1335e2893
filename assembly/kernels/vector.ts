/**
 * Vector passes that precede or follow an update: gradient clipping, finiteness
 * checks, scaling and averaging. Pointers are 16-byte aligned f32 arrays of n elements.
 */

/** Σ x² accumulated in f64 (two f64x2 lanes pairs in SIMD): clipNorm and LAMB's norms. */
export function sumsq_f32(x: usize, n: i32): f64 {
  let i = 0;
  let acc: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      const lo = f64x2.promote_low_f32x4(v);
      const hi = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
      a0 = f64x2.add(a0, f64x2.mul(lo, lo));
      a1 = f64x2.add(a1, f64x2.mul(hi, hi));
    }
    const s = f64x2.add(a0, a1);
    acc = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  }
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    acc += v * v;
  }
  return acc;
}

/** 1 when every element is finite, else 0 (x − x is 0 only for finite x). */
export function all_finite_f32(x: usize, n: i32): i32 {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let bad = i32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      bad = v128.or(bad, f32x4.ne(f32x4.sub(v, v), f32x4.splat(0)));
    }
    if (v128.any_true(bad)) return 0;
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v - v != 0) return 0;
  }
  return 1;
}

/** x ← x·s (torch's grad.mul_(clip_coef)). */
export function scale_f32(x: usize, n: i32, s: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = f32x4.splat(s);
    for (; i + 4 <= n; i += 4) {
      const p = x + (<usize>i << 2);
      v128.store(p, f32x4.mul(v128.load(p), vs));
    }
  }
  for (; i < n; i++) {
    const p = x + (<usize>i << 2);
    store<f32>(p, load<f32>(p) * s);
  }
}

/** x ← clamp(x, −c, c) (torch's clip_grad_value_); NaN stays NaN as in torch.clamp. */
export function clamp_f32(x: usize, n: i32, c: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const hi = f32x4.splat(c);
    const lo = f32x4.splat(-c);
    for (; i + 4 <= n; i += 4) {
      const p = x + (<usize>i << 2);
      v128.store(p, f32x4.min(f32x4.max(v128.load(p), lo), hi));
    }
  }
  for (; i < n; i++) {
    const p = x + (<usize>i << 2);
    const v = load<f32>(p);
    store<f32>(p, v != v ? v : min<f32>(max<f32>(v, -c), c));
  }
}

/** y ← y + a·x. */
export function axpy_f32(y: usize, x: usize, n: i32, a: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f32x4.splat(a);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
}

/**
 * dst[off …] ← Σ srcs[s][off …] over s = 0 … count−1 in order (srcs: count i32 pointers), or
 * with `accumulate`, dst += that sum, each element added in the same order: the bits of a copy
 * then one axpy_f32(·, ·, n, 1) per further source, in one pass instead of count (the ordered
 * reduction of shard gradients, src/threads/shard.ts). `off` is in bytes.
 */
export function sum_f32(dst: usize, srcs: usize, count: i32, off: usize, n: i32, accumulate: i32): void {
  const from = accumulate != 0 ? 0 : 1;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 8 <= n; i += 8) {
      const o = off + (<usize>i << 2);
      const p0 = accumulate != 0 ? dst + o : <usize>load<i32>(srcs) + o;
      let a = v128.load(p0), b = v128.load(p0, 16);
      for (let s = from; s < count; s++) {
        const p = <usize>load<i32>(srcs + (<usize>s << 2)) + o;
        a = f32x4.add(a, v128.load(p));
        b = f32x4.add(b, v128.load(p, 16));
      }
      v128.store(dst + o, a);
      v128.store(dst + o, b, 16);
    }
  }
  for (; i < n; i++) {
    const o = off + (<usize>i << 2);
    let a = accumulate != 0 ? load<f32>(dst + o) : load<f32>(<usize>load<i32>(srcs) + o);
    for (let s = from; s < count; s++) a += load<f32>(<usize>load<i32>(srcs + (<usize>s << 2)) + o);
    store<f32>(dst + o, a);
  }
}

/** y ← a·y + b·x: running averages (SWA, EMA, Lookahead) and gradient accumulation. */
export function lerp_f32(y: usize, x: usize, n: i32, a: f32, b: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f32x4.splat(a);
    const vb = f32x4.splat(b);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, f32x4.add(f32x4.mul(va, v128.load(y + o)), f32x4.mul(vb, v128.load(x + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, a * load<f32>(y + o) + b * load<f32>(x + o));
  }
}

/** x ← v everywhere. */
export function fill_f32(x: usize, n: i32, v: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vv = f32x4.splat(v);
    for (; i + 4 <= n; i += 4) v128.store(x + (<usize>i << 2), vv);
  }
  for (; i < n; i++) store<f32>(x + (<usize>i << 2), v);
}
