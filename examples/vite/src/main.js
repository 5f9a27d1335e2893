import { init } from 'simdescent';
import { train } from './train.js';

// Vite sees the package's new URL('../build/simdescent.*.wasm', import.meta.url) and emits
// both cores as assets, so plain init() finds them. ?simd=0 forces the scalar core.
const wantScalar = new URLSearchParams(location.search).get('simd') === '0';

const out = document.querySelector('#out');
try {
  const sd = await init(wantScalar ? { simd: false } : {});
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
