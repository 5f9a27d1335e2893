// npm run bench:native — the torch-order Adam and SGD-momentum kernels in C (bench/native/optim.c),
// built twice with gcc and timed beside simdescent's SIMD build at the same sizes:
//   like-for-like: -O3 -msse4.2 -ffp-contract=off -fno-math-errno   (128-bit SIMD, no FMA contraction:
//                  the same arithmetic as WebAssembly's f32x4, so the bits must match simdescent's)
//   native limit:  -O3 -march=native -fno-math-errno                (AVX-512/AVX2 where present, and GCC's
//                  default -ffp-contract=fast, so a*b+c may become an FMA: close, not bit-identical)
// -fno-math-errno lets GCC vectorise sqrtf (errno is meaningless here and WASM's sqrt has none).
// Skips with a message when gcc is absent. Writes bench/results/native.json and BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expectClose, fmtTime, hashArray, loadSimdescent, machine, median, root, writeResult } from '../_lib.mjs';

export const BUILDS = [
  { name: 'C -O3 -msse4.2', out: 'optim-sse42.out', flags: ['-O3', '-msse4.2', '-ffp-contract=off', '-fno-math-errno'] },
  { name: 'C -O3 -march=native', out: 'optim-native.out', flags: ['-O3', '-march=native', '-fno-math-errno'] },
];
const SIZES = [1e3, 1e4, 1e5, 1e6];
const KINDS = ['adam', 'sgd'];
const dir = join(root, 'bench', 'native');

function hasGcc() {
  try {
    return execFileSync('gcc', ['-dumpfullversion'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** simdescent SIMD timed with the C harness's method: batches of ≥ 2 ms, median seconds per step. */
function timeSd(opt, budget) {
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let k = 0; k < batch; k++) opt.step();
    if (performance.now() - t0 > 2 || batch > 1 << 24) break;
    batch *= 2;
  }
  const samples = [];
  const end = performance.now() + budget * 1e3;
  while (samples.length < 4096 && (samples.length < 7 || performance.now() < end)) {
    const t0 = performance.now();
    for (let k = 0; k < batch; k++) opt.step();
    samples.push((performance.now() - t0) / 1e3 / batch);
  }
  return median(samples);
}

function makeSd(sd, kind, n) {
  const opt = kind === 'adam' ? sd.optimizer('adam', { size: n, lr: 1e-3 }) : sd.optimizer('sgd', { size: n, lr: 1e-3, momentum: 0.9 });
  opt.params.set(hashArray(n, 1));
  opt.grads.set(hashArray(n, 2));
  return opt;
}

export async function runNative({ rounds = 5, budget = 0.25 } = {}) {
  const meta = machine();
  const gcc = hasGcc();
  if (!gcc) {
    console.log('bench:native skipped: gcc not found on PATH (install gcc to compare against the C kernels)');
    return null;
  }
  const { init } = await loadSimdescent();
  const sd = await init({ simd: true });
  const src = join(dir, 'optim.c');
  for (const b of BUILDS) {
    b.path = join(dir, b.out);
    execFileSync('gcc', [...b.flags, src, '-o', b.path, '-lm'], { stdio: 'inherit' });
  }
  // Check: 6 steps on 1003 params (tail of 3) from the same inputs.
  const checks = {};
  for (const kind of KINDS) {
    const n = 1003;
    const opt = makeSd(sd, kind, n);
    for (let k = 0; k < 6; k++) opt.step();
    const ref = opt.params.slice();
    opt.dispose();
    checks[kind] = {};
    for (const b of BUILDS) {
      const bits = execFileSync(b.path, ['check', kind, String(n), '6'], { encoding: 'utf8' }).trim().split('\n');
      const c = new Float32Array(new Uint32Array(bits.map((h) => parseInt(h, 16))).buffer);
      const identical = c.every((v, i) => Object.is(v, ref[i]));
      expectClose(`${b.name} ${kind}`, c, ref, { atol: 2e-6 });
      let maxAbs = 0;
      for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(c[i] - ref[i]));
      checks[kind][b.name] = identical ? 'bit-identical to simdescent SIMD' : `max |Δparams| ${maxAbs.toExponential(2)} after 6 steps (within 2e-6)`;
    }
    console.log(`check ${kind}:`, checks[kind]);
  }
  const results = [];
  for (const kind of KINDS) {
    for (const n of SIZES) {
      const per = { 'simdescent SIMD': [], ...Object.fromEntries(BUILDS.map((b) => [b.name, []])) };
      const opt = makeSd(sd, kind, n);
      const runners = [
        ['simdescent SIMD', () => timeSd(opt, budget)],
        ...BUILDS.map((b) => [b.name, () => JSON.parse(execFileSync(b.path, ['time', kind, String(n), String(budget)], { encoding: 'utf8' })).secondsPerStep]),
      ];
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < runners.length; i++) {
          const [name, run] = runners[(i + r) % runners.length];
          per[name].push(run());
        }
      }
      opt.dispose();
      const row = { optimizer: kind, size: n, secondsPerStep: {}, roundMedians: per };
      for (const [name, xs] of Object.entries(per)) row.secondsPerStep[name] = median(xs);
      const s = row.secondsPerStep['simdescent SIMD'];
      row.simdRelative = Object.fromEntries(BUILDS.map((b) => [b.name, row.secondsPerStep[b.name] / s]));
      results.push(row);
      console.log(
        `${kind} n=${n.toExponential(0)}: simdescent SIMD ${fmtTime(s)} | ` +
          BUILDS.map((b) => `${b.name} ${fmtTime(row.secondsPerStep[b.name])} (SIMD at ${row.simdRelative[b.name].toFixed(2)}× its speed)`).join(' | '),
      );
    }
  }
  const data = {
    suite: 'native',
    meta: { ...meta, loadAverageEnd: os.loadavg().map((x) => +x.toFixed(2)) },
    config: {
      sizes: SIZES,
      rounds,
      budgetSecondsPerRun: budget,
      gcc,
      builds: BUILDS.map((b) => ({ name: b.name, flags: b.flags.join(' ') })),
      method:
        'each round times simdescent SIMD (in this process) and each C binary (a fresh process) with the same harness: batches of steps lasting ≥ 2 ms, median seconds per step; rounds rotate the order; the table gives the median over rounds',
      note: 'simdRelative = C seconds per step / simdescent seconds per step (1 = as fast as C, > 1 = faster than C)',
    },
    checks,
    results,
  };
  writeResult('native', data);
  return data;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const data = await runNative();
  if (data) {
    const { writeReport } = await import('../report.mjs');
    writeReport();
  }
}
