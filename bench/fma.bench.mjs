// bench/fma (`npm run bench:fma`): the relaxed-SIMD core (init({ fma: true }): gemm micro-kernels
// with f32x4.relaxed_madd) against the exact SIMD core, in Node (started with
// --experimental-wasm-relaxed-simd; the suite turns the V8 flag on itself when started without)
// and in Chromium (relaxed SIMD on by default), with PyTorch 1-thread beside them:
//   - MLP training samples/s (forward + backward + Adam, ReLU, softmax cross-entropy) at
//     784-256-10/b128, 64-128-10/b32 and 784-256-10/b256; per round the two cores run in one
//     benny suite (rotated order) and PyTorch in a child process (bench/torch_mlp.py);
//   - the forward gemm alone (128×784 · 784×256 + bias) in GFLOP/s against the machine's
//     measured 128-bit FMA peak (bench/native/peak.c -DPEAK_FMA) and mul+add peak (bench/native/peak.c).
// Ratios are per round (exact time / relaxed time), reported as median and min–max; the cores'
// losses are checked to agree within float32 tolerance before anything is timed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { fmtTime, hashf, interleaved, loadSimdescent, machine, median, root, writeResult } from './_lib.mjs';

export const FMA_SHAPES = [
  { layers: [784, 256, 10], batch: 128 },
  { layers: [64, 128, 10], batch: 32 },
  { layers: [784, 256, 10], batch: 256 },
];
const K = 4; // distinct batches cycled through
const LR = 1e-3;
const shapeName = (s) => `${s.layers.join('-')}/b${s.batch}`;
const CORES = { exact: 'simdescent SIMD (exact)', relaxed: 'simdescent relaxed (FMA)' };

/** Multiply-adds × 2 of forward, weight-gradient and input-gradient (after layer 1) products per sample. */
function flopsPerSample(layers) {
  let f = 0;
  for (let l = 0; l + 1 < layers.length; l++) f += 2 * layers[l] * layers[l + 1] * (l > 0 ? 3 : 2);
  return f;
}

function batches({ layers, batch }) {
  const xs = [];
  const ys = [];
  for (let k = 0; k < K; k++) {
    xs.push(Float32Array.from({ length: batch * layers[0] }, (_, i) => hashf(k * 1e7 + i, 3)));
    ys.push(Int32Array.from({ length: batch }, (_, i) => Math.floor((hashf(k * 1e5 + i, 4) + 0.5) * layers[2])));
  }
  return { xs, ys };
}

/** A training loop on one engine: step() → loss of the batch before the update. */
function trainer(sd, shape, data) {
  const model = sd.mlp({ layers: shape.layers, activation: 'relu', loss: 'softmaxCrossEntropy', seed: 1 });
  const opt = sd.optimizer('adam', { buffer: model.buffer, lr: LR });
  let i = 0;
  return {
    step() {
      const k = i++ % K;
      const loss = model.lossAndGrad(data.xs[k], data.ys[k], shape.batch);
      opt.step();
      return loss;
    },
    dispose() {
      opt.dispose();
      model.dispose();
    },
  };
}

/** The forward product of 784-256 at batch 128 on an engine's kernels: seconds per call. */
function gemmTime(sd, { rows = 128, depth = 784, cols = 256, budget = 0.4 } = {}) {
  const k = sd.kernels;
  const a = sd.mem.alloc(rows * depth * 4);
  const b = sd.mem.alloc((depth + 1) * cols * 4);
  const c = sd.mem.alloc(rows * cols * 4);
  const fill = (ptr, n, salt) => {
    const v = new Float32Array(k.memory.buffer, ptr, n);
    for (let i = 0; i < n; i++) v[i] = hashf(i, salt);
  };
  fill(a, rows * depth, 5);
  fill(b, (depth + 1) * cols, 6);
  // C = A·B + bias: B packed in panels of 8 columns with the bias as row `depth` (assembly/kernels/gemm.ts).
  const run = () => k.gemm_f32(c, cols * 4, a, depth * 4, 4, b, 32, (depth + 1) * 32, rows, depth, cols, 1, 0, 0, 0);
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) run();
    if (performance.now() - t0 > 10) break;
    reps *= 2;
  }
  const samples = [];
  const end = performance.now() + budget * 1e3;
  while (samples.length < 5 || performance.now() < end) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) run();
    samples.push((performance.now() - t0) / 1e3 / reps);
  }
  const out = new Float32Array(k.memory.buffer, c, rows * cols).slice();
  for (const p of [c, b, a]) sd.mem.release(p);
  return { seconds: median(samples), flops: 2 * rows * depth * cols, out };
}

/** Best of three runs of a native peak loop (bench/native/*.c); null without gcc. */
function nativePeak(file, flags) {
  try {
    const out = join(os.tmpdir(), `simdescent-${file}${flags.includes('-DPEAK_FMA') ? '-fma' : ''}-${process.pid}.out`);
    execFileSync('gcc', [...flags, join(root, 'bench', 'native', file), '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(out, { encoding: 'utf8' })).gflops);
    return { gflops: Math.max(...runs), runs, flags: flags.join(' ') };
  } catch {
    return null;
  }
}

/** The first Python that imports torch (a pyenv python3 on PATH may not; Debian's /usr/bin/python3 does). */
function torchAvailable() {
  for (const py of ['python3', '/usr/bin/python3']) {
    try {
      const v = execFileSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      return { python: py, version: v };
    } catch {
      // the next interpreter
    }
  }
  return null;
}

const spread = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), rounds: xs.length });

/** The same comparison inside Chromium (playwright-core, /usr/bin/chromium), dist/ bundled with esbuild. */
export async function inChromium(shapes, rounds, maxTime, args = []) {
  const chromium = '/usr/bin/chromium';
  try {
    readFileSync(chromium);
  } catch {
    return { skipped: 'no Chromium at /usr/bin/chromium' };
  }
  const { build } = await import('esbuild');
  const bundled = await build({ stdin: { contents: `export { init } from ${JSON.stringify(join(root, 'dist', 'index.js'))};`, resolveDir: root }, bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'warning' });
  const bundle = bundled.outputFiles[0].text;
  const page = `<!doctype html><meta charset="utf-8"><script type="module">
import { init } from '/bundle.js';
const cores = { exact: await init({ wasm: '/build/simdescent.simd.wasm' }), relaxed: await init({ wasm: '/build/simdescent.relaxed.wasm', fma: true }) };
window.run = async (shapes, rounds, maxTime) => {
  const hash = (i, s) => { let h = Math.imul(i ^ Math.imul(s, 0x9e3779b1), 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16; return (h >>> 0) / 4294967296 - 0.5; };
  const out = { cores: { exact: cores.exact.core, relaxed: cores.relaxed.core }, userAgent: navigator.userAgent, shapes: [] };
  for (const s of shapes) {
    const [inp, , o] = s.layers;
    const xs = [], ys = [];
    for (let k = 0; k < 4; k++) { xs.push(Float32Array.from({ length: s.batch * inp }, (_, i) => hash(k * 1e7 + i, 3))); ys.push(Int32Array.from({ length: s.batch }, (_, i) => Math.floor((hash(k * 1e5 + i, 4) + 0.5) * o))); }
    const t = {};
    for (const [name, sd] of Object.entries(cores)) {
      const model = sd.mlp({ layers: s.layers, activation: 'relu', loss: 'softmaxCrossEntropy', seed: 1 });
      const opt = sd.optimizer('adam', { buffer: model.buffer, lr: 1e-3 });
      let i = 0;
      t[name] = { step: () => { const k = i++ % 4; const l = model.lossAndGrad(xs[k], ys[k], s.batch); opt.step(); return l; }, times: [] };
    }
    const losses = { exact: [], relaxed: [] };
    for (const n of ['exact', 'relaxed']) for (let k = 0; k < 3; k++) losses[n].push(t[n].step());
    for (let r = 0; r < rounds; r++) {
      for (const n of r % 2 ? ['relaxed', 'exact'] : ['exact', 'relaxed']) {
        let reps = 1;
        for (;;) { const t0 = performance.now(); for (let q = 0; q < reps; q++) t[n].step(); if (performance.now() - t0 > 20) break; reps *= 2; }
        const samples = [];
        const end = performance.now() + maxTime * 1000;
        while (samples.length < 5 || performance.now() < end) { const t0 = performance.now(); for (let q = 0; q < reps; q++) t[n].step(); samples.push((performance.now() - t0) / 1000 / reps); }
        samples.sort((a, b) => a - b);
        t[n].times.push(samples[samples.length >> 1]);
      }
    }
    out.shapes.push({ shape: s, losses, exact: t.exact.times, relaxed: t.relaxed.times });
  }
  return out;
};
// The forward gemm alone (as gemmTime in Node): GFLOP/s per round for each core.
window.gemm = (rounds) => {
  const out = { exact: [], relaxed: [] };
  const set = {};
  for (const [name, sd] of Object.entries(cores)) {
    const k = sd.kernels, m = sd.mem;
    const a = m.alloc(128 * 784 * 4), b = m.alloc(785 * 256 * 4), c = m.alloc(128 * 256 * 4);
    new Float32Array(k.memory.buffer, a, 128 * 784).forEach((_, i, v) => (v[i] = Math.sin(i)));
    new Float32Array(k.memory.buffer, b, 785 * 256).forEach((_, i, v) => (v[i] = Math.cos(i)));
    set[name] = () => k.gemm_f32(c, 1024, a, 3136, 4, b, 32, 785 * 32, 128, 784, 256, 1, 0, 0, 0);
  }
  for (let r = 0; r < rounds; r++) {
    for (const n of r % 2 ? ['relaxed', 'exact'] : ['exact', 'relaxed']) {
      const t0 = performance.now();
      let reps = 0;
      while (performance.now() - t0 < 50) { set[n](); reps++; }
      out[n].push((2 * 128 * 784 * 256 * reps) / ((performance.now() - t0) / 1000) / 1e9);
    }
  }
  return out;
};
window.ready = true;
</script>`;
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    if (url.pathname === '/bundle.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    const m = /^\/build\/(simdescent\.(?:simd|relaxed)\.wasm)$/.exec(url.pathname);
    if (m) return res.writeHead(200, { 'content-type': 'application/wasm' }).end(readFileSync(join(root, 'build', m[1])));
    res.writeHead(404).end();
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { chromium: pw } = await import('playwright-core');
  const browser = await pw.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', ...args] });
  try {
    const p = await browser.newPage();
    await p.goto(`http://127.0.0.1:${server.address().port}/`);
    await p.waitForFunction(() => window.ready === true);
    const result = await p.evaluate(([s, r, m]) => window.run(s, r, m), [shapes, rounds, maxTime]);
    result.gemm = await p.evaluate((r) => window.gemm(r), Math.max(rounds, 15));
    result.version = browser.version();
    return result;
  } finally {
    await browser.close();
    server.close();
  }
}

export async function runFma({ rounds = 7, maxTime = 0.3, quick = false } = {}) {
  const meta = machine();
  const lib = await loadSimdescent();
  const { relaxedSimdSupported } = await import(join(root, 'dist', 'wasm.js'));
  const flagged = process.execArgv.includes('--experimental-wasm-relaxed-simd');
  if (!relaxedSimdSupported()) setFlagsFromString('--experimental-wasm-relaxed-simd');
  const exact = await lib.init();
  const relaxed = await lib.init({ fma: true });
  if (relaxed.core !== 'relaxed') throw new Error(`bench:fma: this Node cannot run the relaxed core (got ${relaxed.core})`);
  const torch = torchAvailable();
  const peaks = {
    fma128: nativePeak('peak.c', ['-O3', '-mfma', '-DPEAK_FMA']),
    mulAdd128: nativePeak('peak.c', readFileSync('/proc/cpuinfo', 'utf8').includes(' avx512vl') ? ['-O3', '-mavx512vl', '-ffp-contract=off'] : ['-O3', '-msse4.2', '-ffp-contract=off']),
  };
  console.log('peaks (GFLOP/s):', peaks.fma128?.gflops, 'FMA,', peaks.mulAdd128?.gflops, 'mul+add');

  const node = [];
  const checks = {};
  for (const shape of FMA_SHAPES) {
    const name = shapeName(shape);
    const data = batches(shape);
    const t = { exact: trainer(exact, shape, data), relaxed: trainer(relaxed, shape, data) };
    // Same init, same batches: losses of the first 4 steps within float32 tolerance.
    const la = [0, 1, 2, 3].map(() => t.exact.step());
    const lb = [0, 1, 2, 3].map(() => t.relaxed.step());
    const rel = Math.max(...la.map((v, i) => Math.abs(v - lb[i]) / Math.abs(v)));
    if (!(rel < 1e-4)) throw new Error(`bench:fma: ${name} relaxed losses differ from exact by ${rel} relative`);
    checks[name] = `relaxed vs exact, losses of 4 Adam steps: max relative difference ${rel.toExponential(1)}`;
    const per = { exact: [], relaxed: [], torch: [] };
    const ratios = [];
    const torchRatios = [];
    const runs = quick ? 1 : rounds;
    for (let r = 0; r < runs; r++) {
      const order = r % 2 ? ['relaxed', 'exact'] : ['exact', 'relaxed'];
      const timed = await interleaved(`${name} #${r + 1}`, order.map((c) => ({ name: CORES[c], fn: () => t[c].step() })), { rounds: 1, maxTime, log: false });
      const e = timed[CORES.exact].secondsPerCall;
      const x = timed[CORES.relaxed].secondsPerCall;
      per.exact.push(e);
      per.relaxed.push(x);
      ratios.push(e / x);
      if (torch && shape.layers[0] === 784) {
        const out = JSON.parse(execFileSync(torch.python, [join(root, 'bench', 'torch_mlp.py'), '--seconds', String(quick ? 0.3 : maxTime * 2), '--shape', `${shape.layers.join(',')}:${shape.batch}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
        per.torch.push(out.results[0].secondsPerStep);
        torchRatios.push(out.results[0].secondsPerStep / x);
        torch.blas ??= out.blas;
        if (out.blasThreads != null && out.blasThreads !== 1) throw new Error(`bench: PyTorch's BLAS runs ${out.blasThreads} threads, not 1`);
      }
    }
    t.exact.dispose();
    t.relaxed.dispose();
    const flops = flopsPerSample(shape.layers) * shape.batch;
    const row = { shape: name, layers: shape.layers, batch: shape.batch, flopsPerStep: flops, secondsPerStep: {}, samplesPerSecond: {}, gflops: {}, rounds: per };
    for (const [c, xs] of Object.entries(per)) {
      if (!xs.length) continue;
      row.secondsPerStep[c] = median(xs);
      row.samplesPerSecond[c] = shape.batch / median(xs);
      row.gflops[c] = flops / median(xs) / 1e9;
    }
    row.relaxedVsExact = spread(ratios);
    if (torchRatios.length) row.relaxedVsTorch = spread(torchRatios);
    node.push(row);
    console.log(
      `node ${name}: exact ${fmtTime(row.secondsPerStep.exact)}, relaxed ${fmtTime(row.secondsPerStep.relaxed)}${per.torch.length ? `, PyTorch ${fmtTime(row.secondsPerStep.torch)}` : ''}; ` +
        `relaxed/exact ×${row.relaxedVsExact.median.toFixed(2)} (${row.relaxedVsExact.min.toFixed(2)}–${row.relaxedVsExact.max.toFixed(2)})` +
        (row.relaxedVsTorch ? `, relaxed/PyTorch ×${row.relaxedVsTorch.median.toFixed(2)} (${row.relaxedVsTorch.min.toFixed(2)}–${row.relaxedVsTorch.max.toFixed(2)})` : ''),
    );
  }

  // The forward gemm alone, both cores, alternating.
  const gemm = { exact: [], relaxed: [] };
  let gemmDiff = 0;
  for (let r = 0; r < (quick ? 1 : rounds); r++) {
    const a = gemmTime(exact);
    const b = gemmTime(relaxed);
    gemm.exact.push(a.flops / a.seconds / 1e9);
    gemm.relaxed.push(b.flops / b.seconds / 1e9);
    for (let i = 0; i < a.out.length; i++) gemmDiff = Math.max(gemmDiff, Math.abs(a.out[i] - b.out[i]) / (1 + Math.abs(a.out[i])));
  }
  const gemmRow = {
    product: '128×784 · 784×256 + bias (the forward product of 784-256-10/b128)',
    gflops: { exact: median(gemm.exact), relaxed: median(gemm.relaxed) },
    rounds: gemm,
    relaxedVsExact: spread(gemm.relaxed.map((v, i) => v / gemm.exact[i])),
    maxDifference: gemmDiff,
  };
  console.log(`gemm: exact ${gemmRow.gflops.exact.toFixed(1)} GFLOP/s, relaxed ${gemmRow.gflops.relaxed.toFixed(1)} GFLOP/s (FMA peak ${peaks.fma128?.gflops ?? '?'}, mul+add peak ${peaks.mulAdd128?.gflops ?? '?'})`);

  let browser;
  try {
    browser = await inChromium(FMA_SHAPES, quick ? 1 : rounds, quick ? 0.15 : maxTime);
  } catch (e) {
    browser = { skipped: `Chromium run failed: ${e.message.split('\n')[0]}` };
  }
  if (browser.shapes) {
    for (const s of browser.shapes) {
      const ratios = s.exact.map((e, i) => e / s.relaxed[i]);
      s.name = shapeName(s.shape);
      s.secondsPerStep = { exact: median(s.exact), relaxed: median(s.relaxed) };
      s.relaxedVsExact = spread(ratios);
      s.lossCheck = Math.max(...s.losses.exact.map((v, i) => Math.abs(v - s.losses.relaxed[i]) / Math.abs(v)));
      console.log(`chromium ${s.name}: exact ${fmtTime(s.secondsPerStep.exact)}, relaxed ${fmtTime(s.secondsPerStep.relaxed)}; relaxed/exact ×${s.relaxedVsExact.median.toFixed(2)} (${s.relaxedVsExact.min.toFixed(2)}–${s.relaxedVsExact.max.toFixed(2)})`);
    }
    if (browser.gemm) {
      browser.gemmGflops = { exact: median(browser.gemm.exact), relaxed: median(browser.gemm.relaxed) };
      console.log(`chromium gemm: exact ${browser.gemmGflops.exact.toFixed(1)} GFLOP/s, relaxed ${browser.gemmGflops.relaxed.toFixed(1)} GFLOP/s`);
    }
  } else console.log(`chromium: skipped (${browser.skipped})`);

  const data = {
    suite: 'fma',
    meta: { ...meta, loadAverageEnd: os.loadavg().map((x) => +x.toFixed(2)), nodeRelaxedFlag: flagged ? 'started with --experimental-wasm-relaxed-simd' : 'flag set at startup with v8.setFlagsFromString' },
    config: { shapes: FMA_SHAPES, rounds: quick ? 1 : rounds, maxTimePerCaseSeconds: maxTime, optimizer: { name: 'adam', lr: LR }, torch, peaks },
    checks,
    node,
    gemm: gemmRow,
    chromium: browser,
  };
  data.markdown = fmaMarkdown(data);
  writeResult('fma', data);
  return data;
}

// What this machine allows, from the measured peaks: with FMA and mul+add peaks equal, the relaxed
// core can only gain what the exact kernel leaves below its own peak; and a PyTorch that runs
// faster than the 128-bit FMA peak cannot be matched by any 128-bit kernel.
function boundsNote(d, g, pk, b256) {
  if (!pk.fma128 || !pk.mulAdd128) return [];
  const out = [];
  const peakRatio = pk.fma128.gflops / pk.mulAdd128.gflops;
  out.push(
    `What bounds the targets here: the FMA peak is ${peakRatio.toFixed(2)}× the mul+add peak on this CPU, so fused multiply-adds add no ` +
      `arithmetic throughput; the most the relaxed gemm can gain is the exact gemm's distance to the peak, ` +
      `${(pk.fma128.gflops / g.gflops.exact).toFixed(2)}× in Node` +
      (d.chromium.gemmGflops ? ` and ${(pk.fma128.gflops / d.chromium.gemmGflops.exact).toFixed(2)}× in Chromium, whose newer V8 runs the exact gemm closer to it` : '') +
      '. On a CPU where multiplies and adds share the FMA units, the FMA peak is twice the mul+add peak.',
  );
  if (b256?.samplesPerSecond.torch) {
    const layers = b256.shape.split('/')[0].split('-').map(Number);
    const torchGflops = (b256.samplesPerSecond.torch * flopsPerSample(layers)) / 1e9;
    out.push(
      '',
      `PyTorch 1-thread ran ${b256.shape} at ${torchGflops.toFixed(0)} GFLOP/s (forward and backward products), ` +
        `${(torchGflops / pk.fma128.gflops).toFixed(2)}× the 128-bit FMA peak: its products run in a native BLAS on the CPU's wider vectors ` +
        `(${(d.meta.cpuFlags ?? []).filter((f) => f.startsWith('avx')).join(', ') || 'AVX'}), which WebAssembly SIMD (128 bits) cannot use, so no 128-bit kernel reaches it on this machine.`,
    );
  }
  return out;
}

export function fmaMarkdown(d) {
  const x = (s) => `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
  const pk = d.config.peaks;
  const out = [
    '## Relaxed SIMD (FMA) core (`npm run bench:fma`)',
    '',
    '`bench/fma.bench.mjs`, results in `bench/results/fma.json`. One training step = forward + backward + Adam (lr 1e-3), ReLU, softmax',
    'cross-entropy, synthetic data. `init({ fma: true })` (gemm with `f32x4.relaxed_madd`) against the default exact SIMD core,',
    `per round in one benny suite (order alternated), ${d.config.rounds} rounds; ratios are per round (exact time / relaxed time), median (min–max).`,
    `Node ${d.meta.node} (${d.meta.nodeRelaxedFlag}); ${d.chromium.version ? `Chromium ${d.chromium.version}` : 'Chromium not run'}. Machine: ${d.meta.cpu}, ${d.meta.cores} cores, load average ${d.meta.loadAverage[0]} → ${d.meta.loadAverageEnd[0]} (1-minute; Chromium and PyTorch run beside Node in this suite).`,
    `Checked before timing: ${Object.entries(d.checks).map(([k, v]) => `${k}: ${v}`).join('; ')}.`,
    '',
    '| shape | runtime | exact samples/s | relaxed samples/s | relaxed vs exact | relaxed GFLOP/s | PyTorch 1-thread samples/s | relaxed vs PyTorch |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of d.node) {
    out.push(
      `| ${r.shape} | Node | ${Math.round(r.samplesPerSecond.exact).toLocaleString('en-US')} | ${Math.round(r.samplesPerSecond.relaxed).toLocaleString('en-US')} | ${x(r.relaxedVsExact)} | ${r.gflops.relaxed.toFixed(1)} | ` +
        `${r.samplesPerSecond.torch ? Math.round(r.samplesPerSecond.torch).toLocaleString('en-US') : '—'} | ${r.relaxedVsTorch ? x(r.relaxedVsTorch) : '—'} |`,
    );
  }
  for (const s of d.chromium.shapes ?? []) {
    out.push(`| ${s.name} | Chromium | ${Math.round(s.shape.batch / s.secondsPerStep.exact).toLocaleString('en-US')} | ${Math.round(s.shape.batch / s.secondsPerStep.relaxed).toLocaleString('en-US')} | ${x(s.relaxedVsExact)} | — | — | — |`);
  }
  const g = d.gemm;
  out.push(
    '',
    `Forward gemm alone (${g.product}): exact ${g.gflops.exact.toFixed(1)} GFLOP/s, relaxed ${g.gflops.relaxed.toFixed(1)} GFLOP/s (${x(g.relaxedVsExact)})` +
      (pk.fma128 ? `; the machine's 128-bit FMA peak is ${pk.fma128.gflops.toFixed(1)} GFLOP/s (\`bench/native/peak.c\`, \`gcc ${pk.fma128.flags}\`), so relaxed runs at ${((100 * g.gflops.relaxed) / pk.fma128.gflops).toFixed(0)}% of it` : '') +
      (pk.mulAdd128 ? `; the mul+add peak (\`bench/native/peak.c\`) is ${pk.mulAdd128.gflops.toFixed(1)} GFLOP/s` : '') +
      (d.chromium.gemmGflops ? `; in Chromium: exact ${d.chromium.gemmGflops.exact.toFixed(1)}, relaxed ${d.chromium.gemmGflops.relaxed.toFixed(1)} GFLOP/s (medians)` : '') +
      '. Where the two peaks are close (CPUs with separate add and multiply pipes), FMA saves instructions, not arithmetic throughput.',
    '',
  );
  const big = d.node.find((r) => r.shape === '784-256-10/b128');
  const b256 = d.node.find((r) => r.shape === '784-256-10/b256');
  out.push('| target (issue 21) | measured | |', '| --- | --- | --- |');
  out.push(`| ≥ 1.4× the exact core at 784-256-10/b128 (Node) | ${x(big.relaxedVsExact)} | ${big.relaxedVsExact.median >= 1.4 ? 'met' : '**not met**'} |`);
  out.push(`| ≥ 1.5× PyTorch 1-thread at 784-256-10/b256 | ${b256.relaxedVsTorch ? x(b256.relaxedVsTorch) : 'not measured (no torch)'} | ${b256.relaxedVsTorch ? (b256.relaxedVsTorch.median >= 1.5 ? 'met' : '**not met**') : '—'} |`);
  out.push('', ...boundsNote(d, g, pk, b256), '');
  return out;
}
