// Shared benchmark plumbing: machine/version metadata, an interleaved benny runner that pools
// samples across rounds and reports medians, TensorFlow.js loading, result files.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { add, configure, suite } from 'benny';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const resultsDir = join(root, 'bench', 'results');
const require = createRequire(import.meta.url);

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

export function pkgVersion(name) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

function tryRun(cmd, args) {
  try {
    return execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** Where and with what a result was measured. */
export function machine() {
  const cpus = os.cpus();
  const flags = (() => {
    try {
      const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags'));
      const set = new Set(line.split(':')[1].trim().split(/\s+/));
      return ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f'].filter((f) => set.has(f));
    } catch {
      return [];
    }
  })();
  return {
    date: new Date().toISOString(),
    commit: tryRun('git', ['rev-parse', '--short', 'HEAD']),
    // Other engineers edit the tree while benchmarks run: say when dist/ may hold uncommitted work.
    uncommittedSources: !!tryRun('git', ['status', '--porcelain', '--', 'src', 'assembly']),
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    cpuFlags: flags,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
    note: 'one run on a 2-core virtual machine (loadAverage says how busy); medians of pooled samples over interleaved rounds',
    versions: {
      simdescent: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version,
      benny: pkgVersion('benny'),
      benchmark: pkgVersion('benchmark'),
      '@tensorflow/tfjs-core': pkgVersion('@tensorflow/tfjs-core'),
      '@tensorflow/tfjs-backend-cpu': pkgVersion('@tensorflow/tfjs-backend-cpu'),
      '@tensorflow/tfjs-backend-wasm': pkgVersion('@tensorflow/tfjs-backend-wasm'),
      '@tensorflow/tfjs-layers': pkgVersion('@tensorflow/tfjs-layers'),
      gcc: tryRun('gcc', ['-dumpfullversion']),
    },
  };
}

/** The built package; a clear message when `npm run build` has not run. */
export async function loadSimdescent() {
  const entry = join(root, 'dist', 'index.js');
  if (!existsSync(entry) || !existsSync(join(root, 'build', 'simdescent.simd.wasm'))) {
    console.error('bench: dist/ or build/*.wasm missing: run `npm run build` first');
    process.exit(1);
  }
  return import(entry);
}

/**
 * TensorFlow.js with both backends registered; the wasm backend loads its .wasm from
 * node_modules (no network) and runs single-threaded, like simdescent.
 */
export async function loadTf() {
  const tf = await import('@tensorflow/tfjs-core');
  await registerTfGradients();
  await import('@tensorflow/tfjs-backend-cpu');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  const wasmSimd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  await tf.setBackend('cpu');
  let layers = null;
  try {
    layers = await import('@tensorflow/tfjs-layers');
  } catch {
    layers = null;
  }
  return { tf, layers, wasmSimd };
}

/**
 * tfjs-core's Node bundle has no gradient definitions (the @tensorflow/tfjs union package
 * registers them from ESM files whose extensionless imports Node cannot load). Bundle
 * register_all_gradients with esbuild into node_modules/.cache once; the bundle registers into
 * tfjs's global gradient registry and runs its ops through the one global engine.
 */
async function registerTfGradients() {
  const out = join(root, 'node_modules', '.cache', 'simdescent-bench', `tfjs-gradients-${pkgVersion('@tensorflow/tfjs-core')}.mjs`);
  if (!existsSync(out)) {
    const { build } = await import('esbuild');
    await build({
      entryPoints: [join(dirname(require.resolve('@tensorflow/tfjs-core/package.json')), 'dist', 'register_all_gradients.js')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: out,
      logLevel: 'warning',
    });
  }
  await import(pathToFileURL(out).href);
}

/**
 * Switch tfjs to `name` synchronously (both backends are initialised by loadTf, so
 * setBackend does its work before its first await). Called inside each tfjs contender's
 * timed closure so interleaved contenders never compute on the other backend's tensors.
 */
export function useBackend(tf, name) {
  if (tf.getBackend() !== name) tf.setBackend(name);
}

/**
 * benny calls an async contender once, unawaited, to learn that it returns a promise, then starts
 * timing: without this chain that call would overlap the first timed one (fit refuses a second
 * run on a busy model). Sync contenders are timed as they are.
 */
function serial(fn) {
  if (fn.constructor.name !== 'AsyncFunction') return fn;
  let last = Promise.resolve();
  return () => {
    const run = last.then(fn);
    last = run.catch(() => {});
    return run;
  };
}

/**
 * Run the contenders as benny suites, `rounds` times, rotating their order each round, and
 * pool every contender's samples (seconds per call) over the rounds. Each contender is
 * { name, fn } where fn is the already set-up hot closure.
 */
export async function interleaved(title, contenders, { rounds = 3, maxTime = 0.4, minSamples = 5, log = true } = {}) {
  const pooled = new Map(contenders.map((c) => [c.name, { samples: [], roundMedians: [] }]));
  contenders = contenders.map((c) => ({ ...c, timed: serial(c.fn) }));
  for (let r = 0; r < rounds; r++) {
    const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]);
    const summary = await suite(
      `${title} #${r + 1}`,
      ...order.map((c) => add(c.name, () => c.timed)),
      configure({ cases: { maxTime, minSamples, delay: 0.002 } }),
    );
    for (const res of summary.results) {
      const p = pooled.get(res.name);
      p.samples.push(...res.details.sampleResults);
      p.roundMedians.push(res.details.median);
    }
  }
  const out = {};
  for (const [name, p] of pooled) {
    const sec = median(p.samples);
    out[name] = { secondsPerCall: sec, samples: p.samples.length, roundMedians: p.roundMedians };
  }
  if (log) {
    const line = contenders.map((c) => `${c.name} ${fmtTime(out[c.name].secondsPerCall)}`).join(' | ');
    console.log(`${title}: ${line}`);
  }
  return out;
}

export function fmtTime(s) {
  if (s < 1e-6) return `${(s * 1e9).toFixed(0)} ns`;
  if (s < 1e-3) return `${(s * 1e6).toFixed(2)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`;
  return `${s.toFixed(2)} s`;
}

export function writeResult(name, data) {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  console.log(`wrote ${file}`);
}

export function readResult(name) {
  const file = join(resultsDir, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

/** Largest |a − e| / (atol + rtol·|e|) over two arrays (≤ 1 means within tolerance). */
export function worst(actual, expected, { rtol = 0, atol = 0 }) {
  if (actual.length !== expected.length) return Infinity;
  let w = 0;
  for (let i = 0; i < actual.length; i++) {
    const r = Math.abs(actual[i] - expected[i]) / (atol + rtol * Math.abs(expected[i]));
    if (!(r <= w)) w = Number.isNaN(r) ? Infinity : r;
  }
  return w;
}

/** Throw when a contender's output is off, so nothing wrong is ever timed. */
export function expectClose(what, actual, expected, tol) {
  const w = worst(actual, expected, tol);
  if (!(w <= 1)) throw new Error(`bench check failed: ${what} is off by ${w.toExponential(2)}× the tolerance ${JSON.stringify(tol)}`);
  return w;
}

/** Integer hash → float in [−0.5, 0.5) with 24 bits: the same inputs in JS and in bench/native/optim.c. */
export function hashf(i, salt) {
  let x = (Math.imul(i, 2654435761) + Math.imul(salt, 40503)) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 2246822519) >>> 0;
  x = (x ^ (x >>> 13)) >>> 0;
  return (x >>> 8) / 16777216 - 0.5;
}

export function hashArray(n, salt) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = hashf(i, salt);
  return a;
}
