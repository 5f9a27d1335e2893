// npm run bench — runs the benchmark suites in one process and rewrites BENCHMARKS.md.
//   node bench/run.mjs                 optimizers, training, threads
//   node bench/run.mjs optimizers      one suite (also: threads)
//   node bench/run.mjs training        training, then threads (npm run bench:training)
//   node bench/run.mjs fma             relaxed-SIMD core vs exact, Node + Chromium + PyTorch (npm run bench:fma)
//   node bench/run.mjs --quick         one round, short cases (a smoke run; results still written)
// Needs the built package (`npm run build`). The native comparison is `npm run bench:native`.
import { writeReport } from './report.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const names = args.filter((a) => !a.startsWith('--'));
const known = ['optimizers', 'training', 'threads', 'fma'];
// `training` is the training throughput and the data-parallel (workers) benchmark beside it.
const groups = { training: ['training', 'threads'] };
for (const n of names) {
  if (!known.includes(n)) {
    console.error(`bench: unknown suite '${n}' (known: ${known.join(', ')})`);
    process.exit(2);
  }
}
const suites = [...new Set((names.length ? names : known).flatMap((n) => groups[n] ?? [n]))];
for (const name of suites) {
  if (name === 'optimizers') {
    const { runOptimizers } = await import('./optimizers.bench.mjs');
    await runOptimizers(quick ? { rounds: 1, maxTime: 0.1 } : {});
  } else if (name === 'training') {
    const { runTraining } = await import('./training.bench.mjs');
    await runTraining(quick ? { rounds: 1, maxTime: 0.2, quick: true } : {});
  } else if (name === 'fma') {
    const { runFma } = await import('./fma.bench.mjs');
    await runFma(quick ? { quick: true } : {});
  } else {
    const { runThreads } = await import('./threads.bench.mjs');
    await runThreads(quick ? { rounds: 1, quick: true } : {});
  }
}
writeReport();
