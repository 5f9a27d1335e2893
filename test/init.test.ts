// init(): build selection, explicit wasm sources, and load errors that say what to do.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { init, type Engine } from '../src/index.js';
import { defaultWasmUrl, simdSupported } from '../src/wasm.js';
import { rejectsWith } from './_helpers.js';

const Init = suite('init');

/** A tiny end-to-end check that the engine computes: one SGD step. */
function works(sd: Engine): void {
  const opt = sd.optimizer('sgd', { size: 5, lr: 0.5 });
  opt.params.set([1, 2, 3, 4, 5]);
  opt.grads.set([2, 2, 2, 2, 2]);
  opt.step();
  assert.equal(Array.from(opt.params), [0, 1, 2, 3, 4]);
  opt.dispose();
}

Init('simd: false forces the scalar build; true the SIMD build (supported here); default detects', async () => {
  assert.ok(simdSupported(), 'Node 20 runs WebAssembly SIMD');
  const scalar = await init({ simd: false });
  assert.is(scalar.simd, false);
  works(scalar);
  const simd = await init({ simd: true });
  assert.is(simd.simd, true);
  works(simd);
  const auto = await init();
  assert.is(auto.simd, true);
  assert.is.not(auto.kernels.memory, simd.kernels.memory, 'each init() is a separate instance');
});

Init('the scalar build has no SIMD instructions, the SIMD build does', () => {
  const scalarBytes = readFileSync(defaultWasmUrl(false));
  const simdBytes = readFileSync(defaultWasmUrl(true));
  // 0xfd is the SIMD opcode prefix; v128.load is 0xfd 0x00 — count f32x4.add (0xfd 0xe4 0x01)
  const count = (b: Uint8Array) => {
    let c = 0;
    for (let i = 0; i + 2 < b.length; i++) if (b[i] === 0xfd && b[i + 1] === 0xe4 && b[i + 2] === 0x01) c++;
    return c;
  };
  assert.ok(count(simdBytes) > 10);
  assert.is(count(scalarBytes), 0);
});

Init('wasm: bytes, an ArrayBuffer, a compiled WebAssembly.Module, a URL', async () => {
  const bytes = new Uint8Array(readFileSync(defaultWasmUrl(false)));
  works(await init({ simd: false, wasm: bytes }));
  works(await init({ simd: false, wasm: bytes.buffer }));
  const module = new WebAssembly.Module(readFileSync(defaultWasmUrl(true)));
  const sd = await init({ simd: true, wasm: module });
  assert.is(sd.simd, true);
  works(sd);
  works(await init({ wasm: defaultWasmUrl(true) }));
});

Init('with wasm bytes, sd.simd reports the build actually loaded; a contradicting simd flag is an Error', async () => {
  const scalarBytes = new Uint8Array(readFileSync(defaultWasmUrl(false)));
  const sd = await init({ wasm: scalarBytes });
  assert.is(sd.simd, false);
  works(sd);
  await rejectsWith(() => init({ simd: true, wasm: scalarBytes }), Error, 'simd: true was requested but the wasm passed in is the scalar build');
});

Init('a bad URL or bad bytes: an Error naming the source and pointing at init({ wasm })', async () => {
  const url = new URL('./no-such-dir/simdescent.wasm', import.meta.url);
  await rejectsWith(() => init({ wasm: url }), Error, String(url), 'init({ wasm: urlOrBytesOrModule })');
  await rejectsWith(() => init({ wasm: 'file:///nowhere/core.wasm' }), Error, 'file:///nowhere/core.wasm', 'init({ wasm');
  await rejectsWith(() => init({ wasm: new Uint8Array([1, 2, 3, 4]) }), Error, 'the bytes passed in', 'init({ wasm');
});

Init('bad options', async () => {
  await rejectsWith(() => init({ simd: 'yes' } as any), TypeError, 'init: simd must be a boolean, got "yes"');
  await rejectsWith(() => init({ threads: 2 } as any), TypeError, "init: unknown option 'threads'; known options: simd, wasm");
  await rejectsWith(() => init(5 as any), TypeError, 'init: options must be an object, got 5');
});

Init.run();
