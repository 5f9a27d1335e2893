// bench/threads (part of `npm run bench:training`): samples/s of sd.fit with 1 and 2 workers
// on the threads build (init({ workers: 2 })), next to the plain SIMD engine, for 784-256-10 at
// batch 256 (sharded: 4 shards of 64 rows) and 64-128-10 at batch 32 (below the sharding
// threshold: one pass whatever the worker count). Adam, ReLU, softmax cross-entropy, synthetic
// data, one epoch of 12 batches per timed call, no shuffling; interleaved rounds, median.
// Before timing, the final params with 1 and 2 workers are checked to be identical bits.
import { hashf, loadSimdescent, machine, median, writeResult } from './_lib.mjs';

const CASES = [
  { layers: [784, 256, 10], batch: 256 },
  { layers: [64, 128, 10], batch: 32 },
];
const BATCHES = 12;

function dataset({ layers, batch }) {
  const [inp, , out] = layers;
  const count = batch * BATCHES;
  const x = new Float32Array(count * inp);
  for (let i = 0; i < x.length; i++) x[i] = hashf(i, 7);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) y[i] = Math.floor((hashf(i, 8) + 0.5) * out);
  return { x, y, count, features: inp, classes: out };
}

export async function runThreads({ rounds = 5, quick = false } = {}) {
  const sd = await loadSimdescent();
  const plain = await sd.init();
  const threaded = await sd.init({ workers: 2 });
  const isShared = threaded.kernels.memory.buffer instanceof SharedArrayBuffer;
  if (!isShared) throw new Error('bench threads: init({ workers: 2 }) fell back to one thread');
  const results = [];
  for (const c of CASES) {
    const shape = `${c.layers.join('-')}/b${c.batch}`;
    const data = dataset(c);
    const contenders = [
      { name: 'plain SIMD engine', engine: plain, workers: 1 },
      { name: 'threads build, workers: 1', engine: threaded, workers: 1 },
      { name: 'threads build, workers: 2', engine: threaded, workers: 2 },
    ].map((k) => ({ ...k, model: k.engine.mlp({ layers: c.layers, seed: 1 }) }));
    const opts = (w) => ({ epochs: 1, batchSize: c.batch, shuffle: false, historyEvery: 0, divergence: false, optimizer: { name: 'adam', lr: 1e-3 }, workers: w });
    // Same bits for any worker count (and on the plain engine), checked on fresh models.
    const finals = [];
    for (const k of contenders) {
      const m = k.engine.mlp({ layers: c.layers, seed: 1 });
      await k.engine.fit(m, data, { ...opts(k.workers), epochs: 2 });
      finals.push(new Uint32Array(Float32Array.from(m.buffer.params).buffer));
      m.dispose();
    }
    const same = finals.every((f) => f.length === finals[0].length && f.every((v, i) => v === finals[0][i]));
    if (!same) throw new Error(`bench threads: ${shape}: params differ between worker counts`);
    const samples = new Map(contenders.map((k) => [k.name, []]));
    for (const k of contenders) await k.engine.fit(k.model, data, opts(k.workers)); // warm-up
    const R = quick ? 1 : rounds;
    const per = quick ? 1 : 3;
    for (let r = 0; r < R; r++) {
      for (let j = 0; j < contenders.length; j++) {
        const k = contenders[(j + r) % contenders.length];
        for (let s = 0; s < per; s++) {
          const t = performance.now();
          await k.engine.fit(k.model, data, opts(k.workers));
          samples.get(k.name).push((performance.now() - t) / 1000);
        }
      }
    }
    const base = median(samples.get('threads build, workers: 1'));
    for (const k of contenders) {
      const sec = median(samples.get(k.name));
      const row = {
        shape,
        contender: k.name,
        secondsPerEpoch: sec,
        samplesPerSecond: data.count / sec,
        speedupVsOneWorker: base / sec,
        samples: samples.get(k.name).length,
      };
      results.push(row);
      console.log(`threads ${shape}: ${k.name}: ${Math.round(row.samplesPerSecond)} samples/s (${row.speedupVsOneWorker.toFixed(2)}× workers 1)`);
      k.model.dispose();
    }
  }
  const data = {
    meta: machine(),
    config: { cases: CASES.map((c) => `${c.layers.join('-')}/b${c.batch}`), batchesPerEpoch: BATCHES, rounds: quick ? 1 : rounds, shardRows: 64, shardMinBatch: 128, method: 'median of per-epoch wall times (sd.fit, 1 epoch) over interleaved rounds' },
    identicalBits: true,
    results,
  };
  writeResult('threads', data);
  return data;
}

export function threadsMarkdown(d) {
  const row = (s, n) => d.results.find((r) => r.shape === s && r.contender === n);
  const out = [
    '## Data-parallel training (workers)',
    '',
    '`bench/threads.bench.mjs` (run by `npm run bench:training`), results in `bench/results/threads.json`. `sd.fit` for one epoch of',
    `${d.config.batchesPerEpoch} batches (Adam, ReLU, softmax cross-entropy, synthetic data, no shuffling) on \`init({ workers: 2 })\` — the threads build`,
    'on a shared memory — with `workers: 1` and `workers: 2`, next to the plain SIMD engine. Batches of ≥ 128 rows are cut into 64-row shards',
    "(summed in shard order, so every worker count gives the same bits — checked before timing); smaller batches run in one pass.",
    `${d.config.method}; machine: ${d.meta.cpu}, ${d.meta.cores} cores, Node ${d.meta.node}, commit ${d.meta.commit}, load average ${d.meta.loadAverage[0]}.`,
    '',
    '| shape | contender | samples/s | vs workers: 1 |',
    '| --- | --- | ---: | ---: |',
  ];
  for (const r of d.results) out.push(`| ${r.shape} | ${r.contender} | ${Math.round(r.samplesPerSecond).toLocaleString('en-US')} | ${r.speedupVsOneWorker.toFixed(2)}× |`);
  const [big, small] = d.config.cases;
  const b = row(big, 'threads build, workers: 2').speedupVsOneWorker;
  const s = row(small, 'threads build, workers: 2').speedupVsOneWorker;
  out.push(
    '',
    '| target (issue 8) | measured | |',
    '| --- | --- | --- |',
    `| ≥ 1.7× with 2 workers at ${big} | ${b.toFixed(2)}× | ${b >= 1.7 ? 'met' : '**not met**'} |`,
    `| no slowdown with 2 workers at ${small} | ${s.toFixed(2)}× | ${s >= 0.95 ? 'met' : '**not met**'} |`,
    '',
  );
  return out;
}
