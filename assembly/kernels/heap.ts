/** First byte past the static data: the JS allocator (src/memory.ts) owns everything above it. */
export function heap_base(): usize {
  return __heap_base;
}

/** 1 in the SIMD build, 0 in the scalar one: lets init() report what was really loaded. */
export function simd_build(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}

/** 1 in the relaxed-simd builds (gemm with relaxed_madd), 0 elsewhere: init() reports it as sd.core. */
export function relaxed_build(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
