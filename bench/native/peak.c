/*
 * The machine's 128-bit float32 arithmetic ceiling, in two variants of one loop:
 *   default      multiply + add without FMA: what WebAssembly SIMD's f32x4 (no FMA outside
 *                relaxed-simd) can reach at best. 12 independent chains of acc = acc*m and 12 of
 *                sum = sum + a with SSE mul/add intrinsics (compile with -O3 -msse4.2
 *                -ffp-contract=off), so latency never limits; each mul and add counts 4 FLOPs.
 *   -DPEAK_FMA   fused multiply-add (compile with -O3 -mfma): what f32x4.relaxed_madd can reach
 *                where V8 lowers it to vfmadd; 12 chains of acc = acc*m + a, 8 FLOPs each.
 * Prints one JSON line: GFLOP/s (best of 7 runs of ~0.1 s).
 */
#define _POSIX_C_SOURCE 199309L
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(void) {
  __m128 acc[12], sum[12];
  for (int k = 0; k < 12; k++) acc[k] = sum[k] = _mm_set1_ps(1.0f + k * 1e-3f);
  const __m128 mul = _mm_set1_ps(0.999999f), add = _mm_set1_ps(1e-6f);
  const long iters = 20000000;
  double best = 0;
  for (int run = 0; run < 7; run++) {
    const double t0 = now();
    for (long i = 0; i < iters; i++) {
      for (int k = 0; k < 12; k++) {
#ifdef PEAK_FMA
        acc[k] = _mm_fmadd_ps(acc[k], mul, add);
#else
        acc[k] = _mm_mul_ps(acc[k], mul);
        sum[k] = _mm_add_ps(sum[k], add);
#endif
      }
    }
    const double dt = now() - t0;
    const double gflops = (double)iters * 12 * 8 / dt / 1e9; /* per iteration: 12 × (4 + 4) FLOPs either way */
    if (gflops > best) best = gflops;
  }
  float sink = 0;
  for (int k = 0; k < 12; k++) sink += _mm_cvtss_f32(acc[k]) + _mm_cvtss_f32(sum[k]);
  printf("{\"gflops\":%.3f,\"sink\":%g}\n", best, sink);
  return 0;
}
