// Writes BENCHMARKS.md from bench/results/*.json, so the tables always match the committed results.
// `node bench/report.mjs` regenerates it without running anything.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fmtTime, readResult, root } from './_lib.mjs';
import { threadsMarkdown } from './threads.bench.mjs';
import { fmaMarkdown } from './fma.bench.mjs';
import { abMarkdown } from './ab.bench.mjs';

const x = (r, d = 1) => (r == null || !Number.isFinite(r) ? '—' : `${r.toFixed(d)}×`);
const sizeName = (n) => (n >= 1e3 ? `10${'⁰¹²³⁴⁵⁶⁷⁸⁹'[Math.round(Math.log10(n))]}` : String(n));
const met = (ok) => (ok ? 'met' : '**not met**');
const num = (v, d = 0) => v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function machineLine(meta) {
  const v = meta.versions;
  return (
    `${meta.cpu}, ${meta.cores} cores (${meta.cpuFlags.join(', ')}), ${meta.memoryGiB} GiB, ${meta.platform}; ` +
    `Node ${meta.node} (V8 ${meta.v8}); tfjs ${v['@tensorflow/tfjs-core']}; gcc ${v.gcc ?? 'absent'}; ` +
    `commit ${meta.commit}${meta.uncommittedSources ? ' (plus uncommitted changes in src/ or assembly/)' : ''}, ${meta.date.slice(0, 16).replace('T', ' ')} UTC, load average ${meta.loadAverage[0]} at the start${meta.loadAverageEnd ? `, ${meta.loadAverageEnd[0]} at the end` : ''} (1-minute; 2 cores)`
  );
}

function optimizersSection(opt, native) {
  const out = ['## Optimizer step throughput', ''];
  if (!opt) return [...out, 'Not run yet: `npm run bench`.', ''];
  out.push(
    '`npm run bench` → `bench/optimizers.bench.mjs`, results in `bench/results/optimizers.json`. One `step()` on a',
    'buffer of n parameters with a fixed gradient: `adam` (lr 1e-3, β 0.9/0.999, eps 1e-8) and `sgd` with momentum',
    '0.9. Contenders: simdescent\'s SIMD and scalar builds (`init({ simd })`, public API), a plain-JavaScript',
    '`Float32Array` loop with the same torch formula, and TensorFlow.js (`tf.train.adam` / `tf.train.momentum`',
    '`.applyGradients` on a `tf.Variable`) on the `wasm` backend (SIMD ' + (opt.config.tfjs.wasmSimd ? 'on' : 'off') + ', single-threaded like simdescent) and',
    'the `cpu` backend. All in one process; benny suites per optimizer × size with the contenders rotated',
    `each of ${opt.config.rounds} rounds; the figure is the median of all samples pooled over the rounds.`,
    '',
    `Machine: ${machineLine(opt.meta)}.`,
    '',
    'Checked before timing (6 steps, fresh gradient each step, n = 1003): ' +
      Object.entries(opt.checks)
        .map(([k, c]) => `${k}: ${Object.entries(c.contenders).map(([n, s]) => `${n} ${s.replace(/ after 6 steps/, '')}`).join('; ')}`)
        .join('. ') +
      '.',
    '',
  );
  const sizes = opt.config.sizes;
  const names = ['simdescent SIMD', 'simdescent scalar', 'plain JS', 'tfjs-wasm', 'tfjs-cpu'];
  for (const kind of Object.keys(opt.checks)) {
    const rowsOf = (n) => opt.results.filter((r) => r.optimizer === kind && r.size === n);
    out.push(`### ${kind === 'adam' ? 'Adam' : 'SGD, momentum 0.9'}: time per step (median)`, '');
    out.push(`| params | ${names.join(' | ')} | SIMD throughput |`, `| ---: | ${names.map(() => '---:').join(' | ')} | ---: |`);
    for (const n of sizes) {
      const rows = rowsOf(n);
      const t = (name) => rows.find((r) => r.contender === name).secondsPerStep;
      out.push(`| ${sizeName(n)} | ${names.map((nm) => fmtTime(t(nm))).join(' | ')} | ${num(n / t('simdescent SIMD') / 1e6)} M params/s |`);
    }
    out.push('', `Speed-up of simdescent SIMD (other's time / SIMD's time):`, '');
    const nat = (n) => native?.results.find((r) => r.optimizer === kind && r.size === n);
    out.push('| params | vs scalar | vs plain JS | vs tfjs-wasm | vs tfjs-cpu | vs C -msse4.2 | vs C -march=native |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const n of sizes) {
      const r = opt.ratios.find((q) => q.optimizer === kind && q.size === n);
      const c = nat(n);
      out.push(
        `| ${sizeName(n)} | ${x(r['vs scalar'], 2)} | ${x(r['vs plain JS'])} | ${x(r['vs tfjs-wasm'])} | ${x(r['vs tfjs-cpu'], 0)} | ` +
          `${x(c?.simdRelative['C -O3 -msse4.2'], 2)} | ${x(c?.simdRelative['C -O3 -march=native'], 2)} |`,
      );
    }
    out.push('');
  }
  if (native) out.push('The two C columns come from `npm run bench:native` (a separate run, same harness on both sides; see below).', '');
  // Targets of issue 2.
  const ratio = (n, key) => opt.ratios.find((q) => q.optimizer === 'adam' && q.size === n)[key];
  const big = [1e5, 1e6].filter((n) => sizes.includes(n));
  const t = [];
  const minOf = (xs) => Math.min(...xs);
  const pj = minOf(big.map((n) => ratio(n, 'vs plain JS')));
  const tw = minOf(big.map((n) => ratio(n, 'vs tfjs-wasm')));
  const tw3 = ratio(1e3, 'vs tfjs-wasm');
  t.push(`| SIMD Adam ≥ 12× plain JS at 10⁵–10⁶ | ${big.map((n) => `${x(ratio(n, 'vs plain JS'))} at ${sizeName(n)}`).join(', ')} | ${met(pj >= 12)} |`);
  t.push(`| SIMD Adam ≥ 10× tfjs-wasm at 10⁵–10⁶ | ${big.map((n) => `${x(ratio(n, 'vs tfjs-wasm'))} at ${sizeName(n)}`).join(', ')} | ${met(tw >= 10)} |`);
  t.push(`| SIMD Adam ≥ 100× tfjs-wasm at 10³ | ${x(tw3, 0)} | ${met(tw3 >= 100)} |`);
  if (native) {
    const rel = native.results.filter((r) => r.optimizer === 'adam').map((r) => [r.size, r.simdRelative['C -O3 -msse4.2']]);
    t.push(`| SIMD Adam ≥ 0.9× the -msse4.2 C kernel | ${rel.map(([n, v]) => `${x(v, 2)} at ${sizeName(n)}`).join(', ')} | ${met(minOf(rel.map((r) => r[1])) >= 0.9)} |`);
  } else {
    t.push('| SIMD Adam ≥ 0.9× the -msse4.2 C kernel | not measured (`npm run bench:native`) | — |');
  }
  out.push('### Targets (issue 2; measured, not asserted)', '', '| target | measured | |', '| --- | --- | --- |', ...t, '');
  return out;
}

function nativeSection(native) {
  const out = ['## Against C (`npm run bench:native`)', ''];
  if (!native) return [...out, 'Not run yet (or skipped because gcc is absent).', ''];
  out.push(
    'The same two kernels in C (`bench/native/optim.c`: torch-order Adam and SGD-momentum, the float32 expressions of',
    '`assembly/optim/{adam,sgd}.ts`, step scalars computed in double), compiled with ' + native.config.gcc.replace(/^/, 'gcc ') + ':',
    '',
    ...native.config.builds.map((b) => `- **${b.name}**: \`gcc ${b.flags}\``),
    '',
    '`-msse4.2` is the like-for-like limit: 128-bit SIMD, as WebAssembly\'s `f32x4`, with FMA contraction switched',
    'off (`-ffp-contract=off`) so the compiler may not fuse `a*b+c` (WASM SIMD has no FMA outside relaxed-simd).',
    '`-march=native` is what this CPU can do natively (wider vectors and GCC\'s default `-ffp-contract=fast`, so FMAs',
    'are allowed). Both use `-fno-math-errno` so GCC vectorises `sqrtf` (WASM\'s sqrt sets no errno either).',
    '',
    `Machine: ${machineLine(native.meta)}.`,
    '',
    'Checked before timing (6 steps, n = 1003): ' +
      Object.entries(native.checks)
        .map(([k, c]) => `${k}: ${Object.entries(c).map(([n, s]) => `${n} ${s}`).join('; ')}`)
        .join('. ') +
      '.',
    '',
    native.config.method.charAt(0).toUpperCase() + native.config.method.slice(1) + ` (${native.config.rounds} rounds).`,
    '',
    '| optimizer | params | simdescent SIMD | C -msse4.2 | C -march=native | SIMD speed / -msse4.2 | SIMD speed / -march=native |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const r of native.results) {
    const s = r.secondsPerStep;
    out.push(
      `| ${r.optimizer} | ${sizeName(r.size)} | ${fmtTime(s['simdescent SIMD'])} | ${fmtTime(s['C -O3 -msse4.2'])} | ${fmtTime(s['C -O3 -march=native'])} | ` +
        `${x(r.simdRelative['C -O3 -msse4.2'], 2)} | ${x(r.simdRelative['C -O3 -march=native'], 2)} |`,
    );
  }
  out.push('', 'A ratio of 1.00× means simdescent runs as fast as the C kernel; 0.50× means it takes twice as long.', '');
  return out;
}

function trainingSection(tr) {
  const out = ['## Training throughput (`npm run bench:training`)', ''];
  if (!tr) return [...out, 'Not run yet.', ''];
  out.push(...tr.markdown, '');
  return out;
}

function threadsSection(th) {
  // Only when the suite has run: `npm run bench:threads` (or bench:training) writes threads.json.
  if (!th) return [];
  return threadsMarkdown(th);
}

function fitOverheadSection(fo) {
  if (!fo) return [];
  const ratio = (q) => `${q.median.toFixed(3)}× (${q.min.toFixed(3)}–${q.max.toFixed(3)})`;
  const sps = fo.samplesPerSec;
  return [
    '## fit() against a hand-written loop (`bench/fit-overhead.bench.mjs`)',
    '',
    `Machine: ${machineLine(fo.machine)}.`,
    '',
    `One shuffled epoch of ${fo.shape.layers.join('-')} (ReLU, softmax cross-entropy, Adam lr 1e-3) at batch ${fo.shape.batch} over`,
    `${fo.shape.rows} rows, three ways on one engine, each epoch from the same params and optimizer state: \`sd.fit\``,
    '(epochs: 1, its divergence guard on), a hand loop (permute, gather the rows, `model.lossAndGrad`, `opt.step`)',
    'and the same loop on the model\'s staging area (`stage`, `gatherRows`, `lossAndGradStaged`: fit\'s own work without',
    `its bookkeeping). All three end with bit-identical params. Ratios per round over ${fo.ratio.rounds.length} interleaved rounds.`,
    '',
    '| way | samples/s | fit ÷ this way, median (min–max) |',
    '| --- | ---: | ---: |',
    `| sd.fit | ${num(sps.fit)} | — |`,
    `| hand loop (lossAndGrad + step) | ${num(sps.loop)} | ${ratio(fo.ratio)} |`,
    `| staged loop | ${num(sps.staged)} | ${ratio(fo.ratioToStaged)} |`,
    '',
    `Target (issue 16): fit at ≥ 0.95× the hand loop's samples/s: ${fo.ratio.median.toFixed(3)}× median, ${met(fo.ratio.median >= 0.95)}.`,
    '',
  ];
}

function abSection(ab) {
  if (!ab) return [];
  return [...abMarkdown(ab, machineLine(ab.machine)), ''];
}

export function writeReport() {
  const opt = readResult('optimizers');
  const native = readResult('native');
  const training = readResult('training');
  const threads = readResult('threads');
  const fma = readResult('fma');
  const fitOverhead = readResult('fit-overhead');
  const ab = readResult('ab');
  const lines = [
    '# Benchmarks',
    '',
    '> Every figure here comes from **one run of `npm run bench`** on a 2-core virtual machine (each section names',
    '> the machine, the commit and the load average at the start). Contenders run in one process, interleaved',
    '> (rotated each round); figures are medians, ratios are per round with their min–max spread. Absolute times',
    '> vary from machine to machine more than the ratios do. Re-run on your machine:',
    '> `npm run build && npm run bench` (every suite; `-- --ab DIR` adds this build against another checkout\'s),',
    '> `npm run bench:native` (C, needs gcc),',
    '> `npm run bench:training` (training and workers), `npm run bench:threads` (workers only), `npm run bench:fma`'
    + ' (relaxed-SIMD core, Node and Chromium). This file is',
    '> generated from `bench/results/*.json` by `node bench/report.mjs`.',
    '',
    ...optimizersSection(opt, native),
    ...nativeSection(native),
    ...trainingSection(training),
    ...threadsSection(threads),
    ...fitOverheadSection(fitOverhead),
    ...(fma ? fmaMarkdown(fma) : []),
    ...abSection(ab),
  ];
  writeFileSync(join(root, 'BENCHMARKS.md'), lines.join('\n'));
  console.log(`wrote ${join(root, 'BENCHMARKS.md')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) writeReport();
