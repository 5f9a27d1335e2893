/**
 * Matrix products of the MLP, in one broadcast ("outer product") form:
 *
 *   C[r, c] = init[c] + Σ_t A[r, t] · B[t, c]      then an epilogue (activation or ⊙ f'(a))
 *
 * with A read one scalar at a time (splatted) and B read four columns at a time. The same
 * routine does the three products of a dense layer by choosing strides:
 *
 *   forward          Z  = X · Wᵀ + b   A = X  (r = row, t = in),   B = packed Wᵀ with b as row `in`
 *   weight gradient  gW = dZᵀ · X      A = dZ (r = out, t = row),  B = X
 *   input gradient   dX = dZ · W       A = dZ (r = row, t = out),  B = W, epilogue ⊙ f'(a)
 *
 * Addresses (bytes): A[r, t] at a + r·ars + t·ats; B[t, c] at b + (c >> 3)·bcs + t·bts + (c & 7)·4
 * (row-major B: bcs = 32; a B packed in panels of 8 columns: bcs = panel bytes, bts = 32);
 * C[r, c] at c + r·crs + c·4; the epilogue's activation D[r, c] at d + r·drs + c·4.
 *
 * Register blocking: 4 rows × 8 columns of f32x4 accumulators (8 registers, plus 2 B vectors
 * and a splat), then 1×8, 4×4 and 1×4 blocks, then scalar columns; column panels outermost so
 * a B panel stays in L1 while the row blocks stream past. The scalar build uses 2 × 4 blocks
 * of independent f32 accumulators. Every output sums t in increasing order from its init, with
 * one rounding per multiply and per add (no FMA in baseline wasm SIMD), in both builds: the
 * SIMD and scalar builds agree bit for bit (tested). No alignment is required (v128.load is
 * unaligned-safe); 16-byte alignment helps. (A 6×8 block measured no better on V8 11.3.)
 *
 * The relaxed build (init({ fma: true })) computes every vector acc + a·b with
 * f32x4.relaxed_madd (assembly/inline/madd.ts): one rounding where the CPU fuses it, so it
 * matches the exact builds within float32 tolerance, not bit for bit; its scalar tails stay
 * unfused. With FMA, a 6×8 block and a t loop unrolled ×2 both measured slower on V8 11.3:
 * TurboFan hoists the extra loads and spills accumulators to the stack.
 */
import { epis, epiv } from '../inline/act';
import { madd } from '../inline/madd';

/** init: 0 = zeros, 1 = B's row `depth` (the bias stored under a packed Wᵀ). */
export function gemm_f32(
  c: usize, crs: i32,
  a: usize, ars: i32, ats: i32,
  b: usize, bts: i32, bcs: i32,
  rows: i32, depth: i32, cols: i32,
  init: i32, epi: i32, d: usize, drs: i32,
): void {
  if (ASC_FEATURE_SIMD) {
    // Column panels outermost: a panel of B (depth × 8 floats) stays in L1 while every row
    // block of A streams past it.
    let col = 0;
    for (; col + 8 <= cols; col += 8) {
      let r = 0;
      // The weight gradient reads A = δ by columns: its 4 rows are adjacent floats, one pointer.
      if (ars == 4) for (; r + 4 <= rows; r += 4) block4x8(c, crs, a, ars, ats, b, bts, bcs, r, depth, col, init, epi, d, drs, true);
      else for (; r + 4 <= rows; r += 4) block4x8(c, crs, a, ars, ats, b, bts, bcs, r, depth, col, init, epi, d, drs, false);
      for (; r < rows; r++) block1x8(c, crs, a, ars, ats, b, bts, bcs, r, depth, col, init, epi, d, drs);
    }
    for (; col + 4 <= cols; col += 4) {
      let r = 0;
      for (; r + 4 <= rows; r += 4) block4x4(c, crs, a, ars, ats, b, bts, bcs, r, depth, col, init, epi, d, drs);
      for (; r < rows; r++) block1x4(c, crs, a, ars, ats, b, bts, bcs, r, depth, col, init, epi, d, drs);
    }
    for (let r = 0; r < rows; r++) {
      for (let j = col; j < cols; j++) one(c, crs, a, ars, ats, b, bts, bcs, r, depth, j, init, epi, d, drs);
    }
    return;
  }
  // Scalar build: 2 × 4 blocks of independent accumulators (no loop-carried add chain), same
  // order per output as above.
  let col = 0;
  for (; col + 4 <= cols; col += 4) {
    let r = 0;
    for (; r + 2 <= rows; r += 2) sblock2x4(c, crs, a, ars, ats, b, bts, bcs, r, depth, col, init, epi, d, drs);
    for (; r < rows; r++) {
      for (let j = col; j < col + 4; j++) one(c, crs, a, ars, ats, b, bts, bcs, r, depth, j, init, epi, d, drs);
    }
  }
  for (let r = 0; r < rows; r++) {
    for (let j = col; j < cols; j++) one(c, crs, a, ars, ats, b, bts, bcs, r, depth, j, init, epi, d, drs);
  }
}

// @ts-ignore: decorator
@inline function sblock2x4(
  c: usize, crs: i32, a: usize, ars: i32, ats: i32, b: usize, bts: i32, bcs: i32,
  r: i32, depth: i32, col: i32, init: i32, epi: i32, d: usize, drs: i32,
): void {
  let pb = bAt(b, bts, bcs, 0, col); // 4 consecutive columns (col is a multiple of 4)
  let p0 = a + <usize>r * <usize>ars;
  let p1 = p0 + ars;
  let a0: f32 = 0, a1: f32 = 0, a2: f32 = 0, a3: f32 = 0;
  if (init) {
    const pi = pb + <usize>depth * <usize>bts;
    a0 = load<f32>(pi);
    a1 = load<f32>(pi, 4);
    a2 = load<f32>(pi, 8);
    a3 = load<f32>(pi, 12);
  }
  let e0 = a0, e1 = a1, e2 = a2, e3 = a3;
  for (let t = 0; t < depth; t++) {
    const b0 = load<f32>(pb), b1 = load<f32>(pb, 4), b2 = load<f32>(pb, 8), b3 = load<f32>(pb, 12);
    const s = load<f32>(p0);
    a0 += s * b0;
    a1 += s * b1;
    a2 += s * b2;
    a3 += s * b3;
    const u = load<f32>(p1);
    e0 += u * b0;
    e1 += u * b1;
    e2 += u * b2;
    e3 += u * b3;
    p0 += ats;
    p1 += ats;
    pb += bts;
  }
  const off = <usize>col << 2;
  let pc = c + <usize>r * <usize>crs + off;
  let pd = d + <usize>r * <usize>drs + off;
  store<f32>(pc, epis(a0, epi, pd));
  store<f32>(pc, epis(a1, epi, pd + 4), 4);
  store<f32>(pc, epis(a2, epi, pd + 8), 8);
  store<f32>(pc, epis(a3, epi, pd + 12), 12);
  pc += crs;
  pd += drs;
  store<f32>(pc, epis(e0, epi, pd));
  store<f32>(pc, epis(e1, epi, pd + 4), 4);
  store<f32>(pc, epis(e2, epi, pd + 8), 8);
  store<f32>(pc, epis(e3, epi, pd + 12), 12);
}

// @ts-ignore: decorator
@inline function bAt(b: usize, bts: i32, bcs: i32, t: i32, col: i32): usize {
  return b + <usize>(col >> 3) * <usize>bcs + <usize>t * <usize>bts + (<usize>(col & 7) << 2);
}

// @ts-ignore: decorator
@inline function one(
  c: usize, crs: i32, a: usize, ars: i32, ats: i32, b: usize, bts: i32, bcs: i32,
  r: i32, depth: i32, col: i32, init: i32, epi: i32, d: usize, drs: i32,
): void {
  let pb = bAt(b, bts, bcs, 0, col);
  let pa = a + <usize>r * <usize>ars;
  let acc: f32 = init ? load<f32>(pb + <usize>depth * <usize>bts) : 0;
  for (let t = 0; t < depth; t++) {
    acc += load<f32>(pa) * load<f32>(pb);
    pa += ats;
    pb += bts;
  }
  const off = <usize>col << 2;
  store<f32>(c + <usize>r * <usize>crs + off, epis(acc, epi, d + <usize>r * <usize>drs + off));
}

// @ts-ignore: decorator
@inline function block4x8(
  c: usize, crs: i32, a: usize, ars: i32, ats: i32, b: usize, bts: i32, bcs: i32,
  r: i32, depth: i32, col: i32, init: i32, epi: i32, d: usize, drs: i32, unit: bool,
): void {
  let pb = bAt(b, bts, bcs, 0, col);
  let p0 = a + <usize>r * <usize>ars;
  let p1 = p0 + ars;
  let p2 = p1 + ars;
  let p3 = p2 + ars;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  if (init) {
    const pi = pb + <usize>depth * <usize>bts;
    c00 = v128.load(pi);
    c01 = v128.load(pi, 16);
  }
  let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
  for (let t = 0; t < depth; t++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let s = v128.load_splat<f32>(p0);
    c00 = madd(c00, s, b0);
    c01 = madd(c01, s, b1);
    s = unit ? v128.load_splat<f32>(p0, 4) : v128.load_splat<f32>(p1);
    c10 = madd(c10, s, b0);
    c11 = madd(c11, s, b1);
    s = unit ? v128.load_splat<f32>(p0, 8) : v128.load_splat<f32>(p2);
    c20 = madd(c20, s, b0);
    c21 = madd(c21, s, b1);
    s = unit ? v128.load_splat<f32>(p0, 12) : v128.load_splat<f32>(p3);
    c30 = madd(c30, s, b0);
    c31 = madd(c31, s, b1);
    p0 += ats;
    if (!unit) {
      p1 += ats;
      p2 += ats;
      p3 += ats;
    }
    pb += bts;
  }
  const off = <usize>col << 2;
  let pc = c + <usize>r * <usize>crs + off;
  let pd = d + <usize>r * <usize>drs + off;
  v128.store(pc, epiv(c00, epi, pd));
  v128.store(pc, epiv(c01, epi, pd + 16), 16);
  pc += crs;
  pd += drs;
  v128.store(pc, epiv(c10, epi, pd));
  v128.store(pc, epiv(c11, epi, pd + 16), 16);
  pc += crs;
  pd += drs;
  v128.store(pc, epiv(c20, epi, pd));
  v128.store(pc, epiv(c21, epi, pd + 16), 16);
  pc += crs;
  pd += drs;
  v128.store(pc, epiv(c30, epi, pd));
  v128.store(pc, epiv(c31, epi, pd + 16), 16);
}

// @ts-ignore: decorator
@inline function block1x8(
  c: usize, crs: i32, a: usize, ars: i32, ats: i32, b: usize, bts: i32, bcs: i32,
  r: i32, depth: i32, col: i32, init: i32, epi: i32, d: usize, drs: i32,
): void {
  let pb = bAt(b, bts, bcs, 0, col);
  let p0 = a + <usize>r * <usize>ars;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  if (init) {
    const pi = pb + <usize>depth * <usize>bts;
    c00 = v128.load(pi);
    c01 = v128.load(pi, 16);
  }
  for (let t = 0; t < depth; t++) {
    const s = v128.load_splat<f32>(p0);
    c00 = madd(c00, s, v128.load(pb));
    c01 = madd(c01, s, v128.load(pb, 16));
    p0 += ats;
    pb += bts;
  }
  const off = <usize>col << 2;
  const pc = c + <usize>r * <usize>crs + off;
  const pd = d + <usize>r * <usize>drs + off;
  v128.store(pc, epiv(c00, epi, pd));
  v128.store(pc, epiv(c01, epi, pd + 16), 16);
}

// @ts-ignore: decorator
@inline function block4x4(
  c: usize, crs: i32, a: usize, ars: i32, ats: i32, b: usize, bts: i32, bcs: i32,
  r: i32, depth: i32, col: i32, init: i32, epi: i32, d: usize, drs: i32,
): void {
  let pb = bAt(b, bts, bcs, 0, col);
  let p0 = a + <usize>r * <usize>ars;
  let p1 = p0 + ars;
  let p2 = p1 + ars;
  let p3 = p2 + ars;
  let c0 = f32x4.splat(0);
  if (init) c0 = v128.load(pb + <usize>depth * <usize>bts);
  let c1 = c0, c2 = c0, c3 = c0;
  for (let t = 0; t < depth; t++) {
    const b0 = v128.load(pb);
    c0 = madd(c0, v128.load_splat<f32>(p0), b0);
    c1 = madd(c1, v128.load_splat<f32>(p1), b0);
    c2 = madd(c2, v128.load_splat<f32>(p2), b0);
    c3 = madd(c3, v128.load_splat<f32>(p3), b0);
    p0 += ats;
    p1 += ats;
    p2 += ats;
    p3 += ats;
    pb += bts;
  }
  const off = <usize>col << 2;
  let pc = c + <usize>r * <usize>crs + off;
  let pd = d + <usize>r * <usize>drs + off;
  v128.store(pc, epiv(c0, epi, pd));
  pc += crs;
  pd += drs;
  v128.store(pc, epiv(c1, epi, pd));
  pc += crs;
  pd += drs;
  v128.store(pc, epiv(c2, epi, pd));
  pc += crs;
  pd += drs;
  v128.store(pc, epiv(c3, epi, pd));
}

// @ts-ignore: decorator
@inline function block1x4(
  c: usize, crs: i32, a: usize, ars: i32, ats: i32, b: usize, bts: i32, bcs: i32,
  r: i32, depth: i32, col: i32, init: i32, epi: i32, d: usize, drs: i32,
): void {
  let pb = bAt(b, bts, bcs, 0, col);
  let p0 = a + <usize>r * <usize>ars;
  let c0 = f32x4.splat(0);
  if (init) c0 = v128.load(pb + <usize>depth * <usize>bts);
  for (let t = 0; t < depth; t++) {
    c0 = madd(c0, v128.load_splat<f32>(p0), v128.load(pb));
    p0 += ats;
    pb += bts;
  }
  const off = <usize>col << 2;
  v128.store(c + <usize>r * <usize>crs + off, epiv(c0, epi, d + <usize>r * <usize>drs + off));
}

/**
 * Pack W [m, k] (row-major, PyTorch's Linear.weight) and b [m] into Wᵀ panels of 8 columns:
 * panel p holds rows t = 0 … k−1 of Wᵀ[t, 8p … 8p+7] and then b[8p … 8p+7] as row k, so the
 * forward product streams B contiguously and starts its accumulators from the bias. Columns
 * past m stay as allocated (zero).
 */
export function pack_wt_f32(wt: usize, w: usize, b: usize, m: i32, k: i32): void {
  const panel = <usize>(k + 1) << 5;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    // 4 rows × 4 columns at a time, transposed in registers; 4-row groups start at panel
    // offsets 0 or 16 bytes.
    for (; j + 4 <= m; j += 4) {
      const base = wt + <usize>(j >> 3) * panel + (<usize>(j & 7) << 2);
      const r0 = w + (<usize>j * <usize>k << 2);
      const r1 = r0 + (<usize>k << 2);
      const r2 = r1 + (<usize>k << 2);
      const r3 = r2 + (<usize>k << 2);
      let t = 0;
      for (; t + 4 <= k; t += 4) {
        const o = <usize>t << 2;
        const a = v128.load(r0 + o), bb = v128.load(r1 + o), c = v128.load(r2 + o), d = v128.load(r3 + o);
        const ab0 = i32x4.shuffle(a, bb, 0, 4, 1, 5);
        const ab1 = i32x4.shuffle(a, bb, 2, 6, 3, 7);
        const cd0 = i32x4.shuffle(c, d, 0, 4, 1, 5);
        const cd1 = i32x4.shuffle(c, d, 2, 6, 3, 7);
        const q = base + (<usize>t << 5);
        v128.store(q, i32x4.shuffle(ab0, cd0, 0, 1, 4, 5));
        v128.store(q, i32x4.shuffle(ab0, cd0, 2, 3, 6, 7), 32);
        v128.store(q, i32x4.shuffle(ab1, cd1, 0, 1, 4, 5), 64);
        v128.store(q, i32x4.shuffle(ab1, cd1, 2, 3, 6, 7), 96);
      }
      for (; t < k; t++) {
        const q = base + (<usize>t << 5);
        const o = <usize>t << 2;
        store<f32>(q, load<f32>(r0 + o));
        store<f32>(q, load<f32>(r1 + o), 4);
        store<f32>(q, load<f32>(r2 + o), 8);
        store<f32>(q, load<f32>(r3 + o), 12);
      }
      v128.store(base + (<usize>k << 5), v128.load(b + (<usize>j << 2)));
    }
  }
  for (; j < m; j++) {
    const base = wt + <usize>(j >> 3) * panel + (<usize>(j & 7) << 2);
    const row = w + (<usize>j * <usize>k << 2);
    for (let t = 0; t < k; t++) store<f32>(base + (<usize>t << 5), load<f32>(row + (<usize>t << 2)));
    store<f32>(base + (<usize>k << 5), load<f32>(b + (<usize>j << 2)));
  }
}

/** out[c] = Σ_r A[r, c] for c < cols, r in increasing order (the bias gradient Σ_rows dZ). */
export function colsum_f32(out: usize, a: usize, ars: i32, rows: i32, cols: i32): void {
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 4 <= cols; c += 4) {
      const off = <usize>c << 2;
      let acc = f32x4.splat(0);
      let p = a + off;
      for (let r = 0; r < rows; r++) {
        acc = f32x4.add(acc, v128.load(p));
        p += ars;
      }
      v128.store(out + off, acc);
    }
  }
  for (; c < cols; c++) {
    const off = <usize>c << 2;
    let acc: f32 = 0;
    let p = a + off;
    for (let r = 0; r < rows; r++) {
      acc += load<f32>(p);
      p += ars;
    }
    store<f32>(out + off, acc);
  }
}
