import { init } from 'simdescent';
import { train } from './train.js';

// esbuild bundles the JavaScript but does not copy assets referenced with
// new URL('…', import.meta.url), so build.mjs copies the two cores next to the bundle and
// the page tells init() where they are. ?simd=0 forces the scalar core.
const wantScalar = new URLSearchParams(location.search).get('simd') === '0';

async function start() {
  if (!wantScalar) {
    try {
      return await init({ simd: true, wasm: new URL('./simdescent.simd.wasm', import.meta.url) });
    } catch (err) {
      console.info(`SIMD core unavailable (${err.message}); using the scalar one`);
    }
  }
  return init({ simd: false, wasm: new URL('./simdescent.scalar.wasm', import.meta.url) });
}

const out = document.querySelector('#out');
try {
  const sd = await start();
  const result = await train(sd);
  out.textContent =
    `core: ${sd.simd ? 'SIMD' : 'scalar'}\n` +
    `loss: ${result.firstLoss.toFixed(4)} → ${result.loss.toFixed(4)}, accuracy ${(100 * result.accuracy).toFixed(1)}%\n` +
    `sd.fit: loss ${result.fit.losses[0].toFixed(4)} → ${result.fit.losses.at(-1).toFixed(4)}, validation accuracy ${(100 * result.fit.valAccuracy).toFixed(1)}%`;
  globalThis.simdescentResult = { ...result, crossOriginIsolated: globalThis.crossOriginIsolated === true };
} catch (err) {
  out.textContent = `failed: ${err.message}`;
  globalThis.simdescentResult = { error: String(err.message) };
  throw err;
}
