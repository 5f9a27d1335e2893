// The relaxed-SIMD (FMA) core of init({ fma: true }): the choice and its fallback notice, and —
// where this runtime validates relaxed SIMD (npm test starts Node 20 with
// --experimental-wasm-relaxed-simd, tools/test.mjs) — the PyTorch fixture, finite differences,
// closeness to the exact core and same-seed determinism on it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { init, type Engine } from '../src/index.js';
import type { Mlp } from '../src/models/mlp.js';
import { chooseCore } from '../src/core-choice.js';
import { defaultWasmUrl, relaxedSimdSupported, relaxedWasmUrl } from '../src/wasm.js';
import { bitsEqual, close, rejectsWith } from './_helpers.js';
import { meanLoss, numericGrad, type Net } from './models/_reference.js';
import { noise, replayDigits, targets } from './models/_inputs.js';

const C = suite('core-choice');
const here = relaxedSimdSupported();

C('chooseCore: the exact SIMD core by default; fma picks relaxed only where it validates, else a notice', () => {
  const both = { simd: true, relaxed: true };
  assert.equal(chooseCore({}, both), { simd: true, relaxed: false });
  assert.equal(chooseCore({ fma: false }, both), { simd: true, relaxed: false });
  assert.equal(chooseCore({ fma: true }, both), { simd: true, relaxed: true });
  const missing = chooseCore({ fma: true }, { simd: true, relaxed: false });
  assert.equal([missing.simd, missing.relaxed], [true, false]);
  assert.match(missing.notice ?? '', /^simdescent: fma unavailable \(no WebAssembly relaxed SIMD: start Node with --experimental-wasm-relaxed-simd .*\); using the exact SIMD core$/);
  assert.equal(chooseCore({ fma: true, simd: false }, both), { simd: false, relaxed: false, notice: 'simdescent: fma unavailable (the scalar build was requested); using the scalar core' });
  assert.equal(chooseCore({ fma: true }, { simd: false, relaxed: false }), {
    simd: false,
    relaxed: false,
    notice: 'simdescent: fma unavailable (this runtime has no WebAssembly SIMD); using the scalar core',
  });
});

C('init: fma must be a boolean; the unknown-key message lists it', async () => {
  await rejectsWith(() => init({ fma: 1 } as any), TypeError, 'init: fma must be a boolean, got 1');
  await rejectsWith(() => init({ fmaa: true } as any), TypeError, "unknown option 'fmaa'", 'fma');
});

C('sd.core names the core: simd by default, scalar with simd: false', async () => {
  assert.is((await init()).core, 'simd');
  assert.is((await init({ simd: false })).core, 'scalar');
  assert.is((await init({ fma: false })).core, 'simd');
});

C('the relaxed build holds relaxed_madd (0xfd 0x85 0x02); the exact builds hold none', () => {
  const count = (b: Uint8Array) => {
    let c = 0;
    for (let i = 0; i + 2 < b.length; i++) if (b[i] === 0xfd && b[i + 1] === 0x85 && b[i + 2] === 0x02) c++;
    return c;
  };
  assert.ok(count(readFileSync(relaxedWasmUrl(false))) >= 15, 'relaxed');
  assert.ok(count(readFileSync(relaxedWasmUrl(true))) >= 15, 'relaxed-threads');
  assert.is(count(readFileSync(defaultWasmUrl(true))), 0);
  assert.is(count(readFileSync(defaultWasmUrl(false))), 0);
});

C('a runtime without relaxed SIMD: init({ fma: true }) prints one notice and runs the exact SIMD core', () => {
  // A child Node without --experimental-wasm-relaxed-simd (and without NODE_OPTIONS carrying it).
  const env = { ...process.env, NODE_OPTIONS: '' };
  const src = fileURLToPath(new URL('../src/index.ts', import.meta.url));
  const code = `import { init } from ${JSON.stringify(src)}; import { relaxedSimdSupported } from ${JSON.stringify(src.replace(/index\.ts$/, 'wasm.ts'))};
    const a = await init({ fma: true }); const b = await init({ fma: true });
    console.log(JSON.stringify({ validates: relaxedSimdSupported(), cores: [a.core, b.core] }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', env });
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  const out = JSON.parse(lines.at(-1)!);
  if (out.validates) {
    // This Node ships relaxed SIMD without the flag: nothing to fall back from.
    assert.equal(out.cores, ['relaxed', 'relaxed']);
    assert.is(lines.length, 1);
    return;
  }
  assert.equal(out.cores, ['simd', 'simd']);
  assert.equal(lines.slice(0, -1), [
    'simdescent: fma unavailable (no WebAssembly relaxed SIMD: start Node with --experimental-wasm-relaxed-simd (Node 20), or use a Node whose V8 ships it); using the exact SIMD core',
  ]);
});

// ---- on the relaxed core (where this runtime has it) ----

const R = suite('core-choice: relaxed core');
let relaxed: Engine;
let exact: Engine;
R.before(async () => {
  if (!here) return;
  relaxed = await init({ fma: true });
  exact = await init();
});

const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'linear'] as const;
const LOSSES = ['softmaxCrossEntropy', 'mse', 'sigmoidBinaryCrossEntropy'] as const;

R('this test process has relaxed SIMD (tools/test.mjs starts Node with the flag) and sd.core says relaxed', () => {
  if (!here) {
    console.info('core-choice: relaxed SIMD unavailable in this process; the relaxed-core tests are skipped (run through npm test)');
    return;
  }
  assert.is(relaxed.core, 'relaxed');
  assert.is(relaxed.simd, true);
});

R('lossAndGrad matches float64 central differences for every activation × loss on the relaxed core', () => {
  if (!here) return;
  // Widths 5, 11, 9 and 3 with 7 rows hit the 4×8, 1×8, 4×4, 1×4 blocks and the scalar tails.
  for (const layers of [[5, 11, 9, 3], [6, 4], [17, 24, 10]]) {
    for (const activation of ACTIVATIONS) {
      for (const loss of LOSSES) {
        const net: Net = { layers, activation, loss };
        const model = relaxed.mlp({ ...net, seed: 7 }) as Mlp;
        const n = 7;
        const x = noise(n * layers[0], 11).map((v) => 2 * v);
        const y = targets(loss, n, layers[layers.length - 1], 13);
        const got = model.lossAndGrad(x, y, n);
        const what = `relaxed ${layers.join('-')} ${activation} ${loss}`;
        close(got, meanLoss(net, model.buffer.params, x, y, n), { rtol: 1e-6, what: `${what} loss` });
        close(model.buffer.grads, numericGrad(net, model.buffer.params, x, y, n), { rtol: 1e-4, atol: 1e-6, what: `${what} grad` });
        model.dispose();
      }
    }
  }
});

R('relaxed and exact cores agree within float32 tolerance (rtol 1e-5, atol 1e-6), not necessarily bit for bit', () => {
  if (!here) return;
  let differ = 0;
  for (const [layers, n] of [[[64, 32, 10], 33], [[784, 64, 10], 16], [[13, 8, 16, 7], 4]] as Array<[number[], number]>) {
    for (const activation of ACTIVATIONS) {
      const loss = 'softmaxCrossEntropy';
      const x = noise(n * layers[0], 3);
      const y = targets(loss, n, layers[layers.length - 1], 4);
      const [a, b] = [relaxed, exact].map((e) => e.mlp({ layers, activation, loss, seed: 5 }) as Mlp);
      const la = a.lossAndGrad(x, y, n);
      const lb = b.lossAndGrad(x, y, n);
      const what = `${layers.join('-')} ${activation}`;
      close(la, lb, { rtol: 1e-5, what: `${what} loss` });
      close(a.buffer.grads, b.buffer.grads, { rtol: 1e-5, atol: 1e-6, what: `${what} grads` });
      close(a.predict(x, n), b.predict(x, n), { rtol: 1e-5, atol: 1e-6, what: `${what} predict` });
      if (!bitsEqual(a.buffer.grads, b.buffer.grads)) differ++;
      a.dispose();
      b.dispose();
    }
  }
  // Where V8 lowers relaxed_madd to a fused instruction (x86 FMA3, ARM64) the bits differ somewhere.
  if (process.arch === 'x64' && /\bfma\b/.test(cpuFlags())) assert.ok(differ > 0, 'with FMA3 the relaxed core rounds differently from the exact one');
});

function cpuFlags(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

R('init({ wasm }): the bytes decide the core; an fma flag that contradicts them is an Error', async () => {
  if (!here) return;
  const relaxedBytes = new Uint8Array(readFileSync(relaxedWasmUrl(false)));
  assert.is((await init({ wasm: relaxedBytes })).core, 'relaxed');
  assert.is((await init({ wasm: relaxedBytes, fma: true })).core, 'relaxed');
  await rejectsWith(() => init({ wasm: relaxedBytes, fma: false }), Error, 'init: fma: false was requested but the wasm passed in is the relaxed-SIMD build');
  await rejectsWith(() => init({ wasm: new Uint8Array(readFileSync(defaultWasmUrl(true))), fma: true }), Error, 'init: fma: true was requested but the wasm passed in is the exact build');
});

R('replays train-digits-adam (PyTorch 1.13.1) on the relaxed core: losses within 1e-4 relative, params within 1e-4 absolute', () => {
  if (!here) return;
  const { lossErr, paramErr } = replayDigits(relaxed, 'relaxed');
  if (process.env.MLP_REPORT) console.log(`train-digits-adam on the relaxed core: losses ${lossErr.toExponential(1)} rel, params ${paramErr.toExponential(1)} abs`);
});

/** fit from a seed on an engine: the trained params. */
async function trained(sd: Engine, workers?: number): Promise<Float32Array> {
  const n = 96;
  const x = noise(n * 20, 21);
  const y = Int32Array.from({ length: n }, (_, i) => i % 4);
  const model = sd.mlp({ layers: [20, 24, 4], activation: 'relu', loss: 'softmaxCrossEntropy', seed: 3 });
  await sd.fit(model, { x, y, count: n, features: 20 }, { epochs: 3, batchSize: 32, seed: 9, optimizer: { name: 'adam', lr: 1e-2 }, ...(workers ? { workers } : {}) });
  const p = model.buffer.params.slice();
  model.dispose();
  return p;
}

R('same seed -> same bits on the relaxed core (two engines, same machine)', async () => {
  if (!here) return;
  const a = await trained(relaxed);
  const b = await trained(await init({ fma: true }));
  assert.ok(bitsEqual(a, b));
  close(a, await trained(exact), { rtol: 1e-4, atol: 1e-5, what: 'relaxed vs exact after 9 Adam steps' });
});

R('threads: init({ fma: true, workers: 2 }) runs the relaxed threads build, same bits for 1 and 2 workers', async () => {
  if (!here) return;
  const sd = await init({ fma: true, workers: 2 });
  if (sd.core !== 'relaxed+threads') {
    console.info(`core-choice: threads unavailable here (core ${sd.core}); skipped`);
    return;
  }
  const one = await trained(sd, 1);
  const two = await trained(sd, 2);
  assert.ok(bitsEqual(one, two));
  assert.ok(bitsEqual(one, await trained(relaxed)), 'the relaxed threads build computes what the relaxed build does');
  const { stopWorkers } = await import('../src/threads/index.js');
  await stopWorkers(sd);
});

C.run();
R.run();
