// bench/ab: this checkout's build against another checkout's build of simdescent, both loaded
// in one process and timed interleaved, through the public API both versions share: is a change
// (a refactor, a new kernel) slower anywhere that matters? Cases: one optimizer step (Adam, SGD
// momentum 0.9) at 10⁴ and 10⁶ params; one training step (lossAndGrad + Adam step) at
// 64-128-10/b32 and 784-256-10/b128; one fit() epoch at 64-128-10/b32 over 4096 rows; one fit()
// epoch with 2 workers at 784-256-10/b128 over 2048 rows. Before timing, each case's params after
// the same work are compared bit for bit (the same bits are part of what a refactor keeps).
// Reported per case: the median of each build's round medians, and other's time ÷ this build's time
// per round (median, min–max) — above 1 means this build is faster.
//   node bench/ab.bench.mjs /path/to/other/checkout [--label 004cf4d] [--only 'Adam step'] [--quick]
// (--only and --quick runs print, and write no result.)
// The other checkout must be built (npm ci there runs the build). `npm run bench:ab -- DIR` does this.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { fmtTime, hashf, interleaved, loadSimdescent, machine, median, writeResult } from './_lib.mjs';

async function loadOther(dir) {
  const entry = join(dir, 'dist', 'index.js');
  if (!existsSync(entry)) throw new Error(`bench/ab: ${entry} is missing; run npm ci (or npm run build) in ${dir} first`);
  return import(pathToFileURL(entry).href);
}

// Both builds' JavaScript gets the same history before timing. Run after other suites, this
// build's step() call sites have seen every optimizer (polymorphic) while a freshly loaded other
// build's have seen one: measured, that alone made this build's 10⁴-parameter steps 2–3% slower
// (0.977×), and 1.00× once both had run the same mix.
async function warm(sd) {
  const eng = await sd.init();
  for (const name of ['adam', 'sgd', 'rmsprop', 'adagrad', 'lion', 'adamw', 'nadam']) {
    for (const n of [1000, 10000, 100000]) {
      const o = eng.optimizer(name, { size: n, lr: 1e-3 });
      for (let i = 0; i < 2000; i++) o.step();
      o.dispose();
    }
  }
  eng.close?.();
}

const same = (u, v) => u.length === v.length && u.every((x, i) => Object.is(x, v[i]));

/** Each case: setup(sd, eng) → { fn, params() } on one engine; fn is the timed call. */
function cases(quick) {
  const out = [];
  for (const [name, n] of [['adam', 1e4], ['adam', 1e6], ['sgd', 1e4], ['sgd', 1e6]]) {
    out.push({
      title: `${name === 'adam' ? 'Adam' : 'SGD momentum'} step, ${n.toExponential(0)} params`,
      setup: (sd, eng) => {
        const opt = eng.optimizer(name, name === 'adam' ? { size: n, lr: 1e-3 } : { size: n, lr: 1e-2, momentum: 0.9 });
        const p = opt.params;
        const g = opt.grads;
        for (let i = 0; i < n; i++) {
          p[i] = hashf(i, 1);
          g[i] = hashf(i, 2);
        }
        return { fn: () => opt.step(), params: () => opt.params.slice(), dispose: () => opt.dispose() };
      },
    });
  }
  for (const s of [{ layers: [64, 128, 10], batch: 32 }, { layers: [784, 256, 10], batch: 128 }]) {
    out.push({
      title: `training step ${s.layers.join('-')}/b${s.batch}`,
      setup: (sd, eng) => {
        const model = eng.mlp({ layers: s.layers, activation: 'relu', loss: 'softmaxCrossEntropy', seed: 1 });
        const opt = eng.optimizer('adam', { buffer: model.buffer, lr: 1e-3 });
        const x = Float32Array.from({ length: s.batch * s.layers[0] }, (_, i) => hashf(i, 3));
        const y = Int32Array.from({ length: s.batch }, (_, i) => Math.floor((hashf(i, 4) + 0.5) * s.layers[2]));
        return {
          fn: () => {
            model.lossAndGrad(x, y, s.batch);
            opt.step();
          },
          params: () => model.buffer.params.slice(),
          dispose: () => (opt.dispose(), model.dispose()),
        };
      },
    });
  }
  const fitCase = (title, layers, batch, rows, workers) => ({
    title,
    workers,
    setup: (sd, eng) => {
      const data = sd.datasets.blobs({ count: rows, features: layers[0], classes: layers[2], seed: 3 });
      const model = eng.mlp({ layers, activation: 'relu', loss: 'softmaxCrossEntropy', seed: 1 });
      const p0 = model.buffer.params.slice();
      // Every epoch from the same params: a converged model would trip the divergence guard.
      return {
        fn: async () => {
          model.buffer.params.set(p0);
          const h = await eng.fit(model, data, { optimizer: { name: 'adam', lr: 1e-3 }, epochs: 1, batchSize: batch, seed: 5, historyEvery: 0 });
          if (h.stopReason !== 'completed') throw new Error(`bench/ab: fit stopped early (${h.stopReason})`);
        },
        params: () => model.buffer.params.slice(),
        dispose: () => model.dispose(),
      };
    },
  });
  out.push(fitCase('fit() epoch 64-128-10/b32, 4096 rows', [64, 128, 10], 32, quick ? 1024 : 4096, undefined));
  out.push(fitCase('fit() epoch, 2 workers, 784-256-10/b128, 2048 rows', [784, 256, 10], 128, quick ? 512 : 2048, 2));
  return out;
}

export async function runAb({ other, label, quick = false, write = true, only } = {}) {
  const dir = resolve(other);
  const mine = await loadSimdescent();
  const theirs = await loadOther(dir);
  let otherCommit = label;
  try {
    otherCommit ??= execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
  } catch {
    otherCommit ??= dir;
  }
  await warm(mine);
  await warm(theirs);
  const engines = {};
  const rows = [];
  for (const c of cases(quick).filter((c) => !only || c.title.includes(only))) {
    const w = c.workers ?? 1;
    const key = String(w);
    engines[key] ??= { mine: await mine.init({ workers: w }), theirs: await theirs.init({ workers: w }) };
    const { mine: a, theirs: b } = engines[key];
    const A = c.setup(mine, a);
    const B = c.setup(theirs, b);
    await A.fn();
    await B.fn();
    if (!same(A.params(), B.params())) throw new Error(`bench/ab: ${c.title}: the two builds disagree after the same work`);
    const res = await interleaved(`ab: ${c.title}`, [{ name: 'this', fn: A.fn }, { name: 'other', fn: B.fn }], quick ? { rounds: 1, maxTime: 0.1 } : { rounds: 7, maxTime: 0.5 });
    const ratios = res.this.roundMedians.map((t, i) => res.other.roundMedians[i] / t);
    // Times as the median of the round medians, the same rounds the ratios come from.
    rows.push({
      case: c.title,
      thisTime: median(res.this.roundMedians),
      otherTime: median(res.other.roundMedians),
      ratio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), rounds: ratios },
    });
    A.dispose();
    B.dispose();
  }
  for (const e of Object.values(engines)) {
    e.mine.close?.();
    e.theirs.close?.();
  }
  const out = { machine: machine(), other: otherCommit, rows };
  console.log(abMarkdown(out).join('\n'));
  if (write) writeResult('ab', out);
  return out;
}

/** BENCHMARKS.md's section from a result; `machineText` (report.mjs's machine line) goes under the heading. */
export function abMarkdown(d, machineText) {
  return [
    `## This build against ${d.other} (\`bench/ab.bench.mjs\`)`,
    '',
    ...(machineText ? [`Machine: ${machineText}.`, ''] : []),
    `Both builds loaded in one process, each case timed interleaved over ${d.rows[0]?.ratio.rounds.length ?? 0} rounds; the params after the`,
    'same work were bit-identical in every case before timing. Ratio: the other build\'s time ÷ this build\'s, per round',
    '(above 1: this build is faster).',
    '',
    `| case | this build | ${d.other} | ratio, median (min–max) |`,
    '| --- | ---: | ---: | ---: |',
    ...d.rows.map((r) => `| ${r.case} | ${fmtTime(r.thisTime)} | ${fmtTime(r.otherTime)} | ${r.ratio.median.toFixed(3)}× (${r.ratio.min.toFixed(3)}–${r.ratio.max.toFixed(3)}) |`),
    '',
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const li = args.indexOf('--label');
  const label = li >= 0 ? args[li + 1] : undefined;
  const oi = args.indexOf('--only');
  const only = oi >= 0 ? args[oi + 1] : undefined;
  const other = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--label' && args[i - 1] !== '--only');
  if (!other) {
    console.error('usage: node bench/ab.bench.mjs /path/to/other/checkout [--label NAME] [--quick]');
    process.exit(2);
  }
  await runAb({ other, label, only, quick: args.includes('--quick'), write: !args.includes('--quick') && !only });
  process.exit(0);
}
