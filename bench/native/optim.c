/*
 * The two optimizer kernels of bench/optimizers in C, in torch 1.13's operation order and
 * the same float32 expressions as assembly/optim/{adam,sgd}.ts (so the -ffp-contract=off
 * build gives the same bits as simdescent):
 *   adam:  m ← m·β1 + (1−β1)·g;  v ← v·β2 + ((1−β2)·g)·g;  d ← √v / √(1−β2ᵗ) + eps;  θ ← θ + (c·m)/d
 *          with c = −lr/(1−β1ᵗ), step scalars computed in double and rounded to float once.
 *   sgd:   b ← g (first step), else b ← b·μ + (1−τ)·g;  θ ← θ + (−lr)·b
 *
 *   optim time  adam|sgd N SECONDS   → one JSON line: median seconds per step over samples
 *   optim check adam|sgd N STEPS     → the params after STEPS steps, one float32 bit pattern (hex) a line
 *
 * Inputs are an integer hash mapped to floats, so bench/native/run.mjs can build the same
 * p0 and g exactly in JavaScript.
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

__attribute__((noinline)) static void adam_f32(float *restrict p, float *restrict m, float *restrict v,
                                               const float *restrict g, int n, float c, float b1, float omb1,
                                               float b2, float omb2, float bc2sqrt, float eps) {
  for (int i = 0; i < n; i++) {
    const float gi = g[i];
    const float mi = m[i] * b1 + omb1 * gi;
    const float vi = v[i] * b2 + (omb2 * gi) * gi;
    m[i] = mi;
    v[i] = vi;
    const float d = sqrtf(vi) / bc2sqrt + eps;
    p[i] = p[i] + (c * mi) / d;
  }
}

__attribute__((noinline)) static void sgd_momentum_f32(float *restrict p, float *restrict b, const float *restrict g,
                                                       int n, float neglr, float mu, float omdamp, int first) {
  if (first) {
    for (int i = 0; i < n; i++) {
      b[i] = g[i];
      p[i] = p[i] + neglr * g[i];
    }
    return;
  }
  for (int i = 0; i < n; i++) {
    const float bi = b[i] * mu + omdamp * g[i];
    b[i] = bi;
    p[i] = p[i] + neglr * bi;
  }
}

/* Same hash as bench/native/run.mjs: uniform in [-0.5, 0.5) with 24 bits, exact in float. */
static float hashf(uint32_t i, uint32_t salt) {
  uint32_t x = i * 2654435761u + salt * 40503u;
  x ^= x >> 15;
  x *= 2246822519u;
  x ^= x >> 13;
  return (float)(x >> 8) / 16777216.0f - 0.5f;
}

typedef struct {
  float *p, *m, *v, *g;
  int n;
  long t;
  int adam;
} State;

static void step(State *s) {
  s->t++;
  if (s->adam) {
    const double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    const double bc1 = 1 - pow(b1, (double)s->t), bc2 = 1 - pow(b2, (double)s->t);
    adam_f32(s->p, s->m, s->v, s->g, s->n, (float)(-lr / bc1), (float)b1, (float)(1 - b1), (float)b2,
             (float)(1 - b2), (float)sqrt(bc2), (float)eps);
  } else {
    const double lr = 1e-3, mu = 0.9;
    sgd_momentum_f32(s->p, s->m, s->g, s->n, (float)(-lr), (float)mu, 1.0f, s->t == 1);
  }
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s time|check adam|sgd N SECONDS|STEPS\n", argv[0]);
    return 2;
  }
  State s = {0};
  s.adam = strcmp(argv[2], "adam") == 0;
  s.n = atoi(argv[3]);
  const size_t bytes = ((size_t)s.n * 4 + 63) / 64 * 64;
  s.p = aligned_alloc(64, bytes);
  s.m = aligned_alloc(64, bytes);
  s.v = aligned_alloc(64, bytes);
  s.g = aligned_alloc(64, bytes);
  for (int i = 0; i < s.n; i++) {
    s.p[i] = hashf(i, 1);
    s.g[i] = hashf(i, 2);
    s.m[i] = 0;
    s.v[i] = 0;
  }
  if (strcmp(argv[1], "check") == 0) {
    const int steps = atoi(argv[4]);
    for (int k = 0; k < steps; k++) step(&s);
    for (int i = 0; i < s.n; i++) {
      uint32_t u;
      memcpy(&u, &s.p[i], 4);
      printf("%08x\n", u);
    }
    return 0;
  }
  const double budget = atof(argv[4]);
  /* Calibrate a batch of steps lasting about 2 ms, warm up for a tenth of the budget. */
  int batch = 1;
  for (;;) {
    const double t0 = now();
    for (int k = 0; k < batch; k++) step(&s);
    if (now() - t0 > 2e-3 || batch > (1 << 24)) break;
    batch *= 2;
  }
  double samples[4096];
  int count = 0;
  const double end = now() + budget;
  while (count < 4096 && (count < 7 || now() < end)) {
    const double t0 = now();
    for (int k = 0; k < batch; k++) step(&s);
    samples[count++] = (now() - t0) / batch;
  }
  qsort(samples, count, sizeof(double), cmp);
  printf("{\"kernel\":\"%s\",\"n\":%d,\"secondsPerStep\":%.6e,\"samples\":%d,\"batch\":%d,\"min\":%.6e}\n", argv[2], s.n,
         samples[count / 2], count, batch, samples[0]);
  return 0;
}
