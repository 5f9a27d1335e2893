/*
 * The machine's 128-bit float32 fused multiply-add ceiling: what WebAssembly's
 * f32x4.relaxed_madd can reach at best where V8 lowers it to vfmadd (x86 FMA3). 12 independent
 * chains of acc = acc*m + a with _mm_fmadd_ps (compile with -O3 -mfma), enough to cover the
 * FMA latency times the number of FMA units on current x86 cores. Prints one JSON line:
 * GFLOP/s (best of 7 runs of ~0.1 s; each fused multiply-add counts as 8 FLOPs: 4 lanes x 2).
 * Companion of bench/native/peak.c (the same loop without FMA).
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
  __m128 acc[12];
  for (int k = 0; k < 12; k++) acc[k] = _mm_set1_ps(1.0f + k * 1e-3f);
  const __m128 mul = _mm_set1_ps(0.999999f), add = _mm_set1_ps(1e-6f);
  const long iters = 20000000;
  double best = 0;
  for (int run = 0; run < 7; run++) {
    const double t0 = now();
    for (long i = 0; i < iters; i++) {
      for (int k = 0; k < 12; k++) acc[k] = _mm_fmadd_ps(acc[k], mul, add);
    }
    const double dt = now() - t0;
    const double gflops = (double)iters * 12 * 8 / dt / 1e9;
    if (gflops > best) best = gflops;
  }
  float sink = 0;
  for (int k = 0; k < 12; k++) sink += _mm_cvtss_f32(acc[k]);
  printf("{\"gflops\":%.3f,\"sink\":%g}\n", best, sink);
  return 0;
}
