// Playground entry: one engine on the main thread for the race (2 floats per contender),
// a Web Worker with its own engine for digits. ?simd=0 forces the scalar core in both.
import { init } from 'simdescent';
import { mountDigits } from './digits.js';
import { mountRace } from './race.js';
import './style.css';

const forceScalar = new URLSearchParams(location.search).get('simd') === '0';
const badge = document.querySelector('#core') as HTMLElement;
const pg: Record<string, unknown> = { ready: false };
(globalThis as any).playground = pg;

try {
  const sd = await init(forceScalar ? { simd: false } : {});
  badge.textContent = sd.simd ? 'WebAssembly SIMD core' : forceScalar ? 'scalar core (forced with ?simd=0)' : 'scalar core (this browser has no WebAssembly SIMD)';
  badge.className = sd.simd ? 'badge simd' : 'badge scalar';
  pg.simd = sd.simd;
  pg.crossOriginIsolated = globalThis.crossOriginIsolated === true;
  const iso = document.querySelector('#isolation') as HTMLElement;
  iso.textContent = pg.crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated';
  iso.title = pg.crossOriginIsolated
    ? 'SharedArrayBuffer and shared WebAssembly memory are available'
    : 'served without COOP/COEP headers: no SharedArrayBuffer, so no shared-memory threads';
  pg.race = mountRace(document.querySelector('#race') as HTMLElement, sd).state;

  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  const digits = mountDigits(document.querySelector('#digits') as HTMLElement, worker, (workerSimd, threads) => {
    badge.textContent += workerSimd === sd.simd ? ' · worker too' : ` · worker: ${workerSimd ? 'SIMD' : 'scalar'}`;
    if (threads > 1) badge.textContent += ` · ${threads} threads for batches ≥ 128`;
  });
  pg.digits = digits.state;
  worker.addEventListener('error', (e) => {
    digits.state.error = e.message;
    (document.querySelector('[data-testid=digits-error]') as HTMLElement).textContent = `worker failed: ${e.message}`;
  });
  worker.postMessage({ type: 'init', simd: forceScalar ? false : undefined });
  pg.ready = true;
} catch (err) {
  badge.textContent = `failed to start: ${(err as Error).message}`;
  badge.className = 'badge error';
  throw err;
}
