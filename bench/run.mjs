// npm run bench — runs the benchmark suites in one process and rewrites BENCHMARKS.md.
//   node bench/run.mjs                 every suite: optimizers, native (C, when gcc is there),
//                                      training, threads, fit-overhead, fma
//   node bench/run.mjs optimizers      one suite (also: threads, fit-overhead)
//   node bench/run.mjs training        training, threads and fit-overhead (npm run bench:training)
//   node bench/run.mjs fma             relaxed-SIMD core vs exact, Node + Chromium + PyTorch (npm run bench:fma)
//   node bench/run.mjs --ab DIR        also this build against the build in checkout DIR (bench/ab.bench.mjs)
//   node bench/run.mjs --quick         one round, short cases (a smoke run; results still written)
// Needs the built package (`npm run build`). The native comparison is `npm run bench:native`.
import { writeReport } from './report.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const abAt = args.indexOf('--ab');
const abDir = abAt >= 0 ? args[abAt + 1] : undefined;
if (abAt >= 0 && !abDir) {
  console.error('bench: --ab needs the directory of another built checkout');
  process.exit(2);
}
const names = args.filter((a, i) => !a.startsWith('--') && (abAt < 0 || i !== abAt + 1));
const known = ['optimizers', 'native', 'training', 'threads', 'fit-overhead', 'fma'];
// `training` is the training throughput and the data-parallel (workers) benchmark beside it.
const groups = { training: ['training', 'threads', 'fit-overhead'] };
for (const n of names) {
  if (!known.includes(n)) {
    console.error(`bench: unknown suite '${n}' (known: ${known.join(', ')})`);
    process.exit(2);
  }
}
const suites = [...new Set((names.length ? names : known).flatMap((n) => groups[n] ?? [n]))];
if (abDir) suites.push('ab');
for (const name of suites) {
  if (name === 'optimizers') {
    const { runOptimizers } = await import('./optimizers.bench.mjs');
    await runOptimizers(quick ? { rounds: 1, maxTime: 0.1 } : {});
  } else if (name === 'training') {
    const { runTraining } = await import('./training.bench.mjs');
    await runTraining(quick ? { rounds: 1, maxTime: 0.2, quick: true } : {});
  } else if (name === 'fit-overhead') {
    const { runFitOverhead } = await import('./fit-overhead.bench.mjs');
    await runFitOverhead(quick ? { rounds: 1, maxTime: 0.2 } : {});
  } else if (name === 'native') {
    const { runNative } = await import('./native/run.mjs');
    await runNative(quick ? { rounds: 1, budget: 0.05 } : {});
  } else if (name === 'ab') {
    const { runAb } = await import('./ab.bench.mjs');
    await runAb({ other: abDir, quick });
  } else if (name === 'fma') {
    const { runFma } = await import('./fma.bench.mjs');
    await runFma(quick ? { quick: true } : {});
  } else {
    const { runThreads } = await import('./threads.bench.mjs');
    await runThreads(quick ? { rounds: 1, quick: true } : {});
  }
}
writeReport();
