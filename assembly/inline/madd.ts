// acc + a·b on four f32 lanes: the one place the relaxed core differs from the exact one.
// The relaxed build (asconfig.json target "relaxed", --enable relaxed-simd) emits
// f32x4.relaxed_madd, which V8 lowers to a fused multiply-add where the CPU has FMA3 (one
// rounding) and to mul + add elsewhere (two roundings): close to the exact core, not bit-equal.
// Every other build keeps the separate mul and add, in this order, so the SIMD and scalar
// builds still agree bit for bit. Never exported from assembly/index.ts.

// @ts-ignore: decorator
@inline export function madd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}
