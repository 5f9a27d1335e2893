// Playground entry: one engine on the main thread for the race (2 floats per contender),
// a Web Worker with its own engine for digits. ?simd=0 forces the scalar core in both; ?fma=1
// asks for the relaxed-SIMD (FMA) core in both, the exact SIMD core where the browser lacks it.
import { init } from 'simdescent';
import { mountDigits } from './digits.js';
import { mountRace } from './race.js';
import './style.css';

const query = new URLSearchParams(location.search);
const forceScalar = query.get('simd') === '0';
const fma = !forceScalar && query.get('fma') === '1';
const badge = document.querySelector('#core') as HTMLElement;
const choice = document.querySelector('#core-choice') as HTMLSelectElement;
choice.value = forceScalar ? 'scalar' : fma ? 'fma' : 'simd';
choice.addEventListener('change', () => {
  // A core is chosen at init: reload with the query that asks for it.
  const q = new URLSearchParams(location.search);
  q.delete('simd');
  q.delete('fma');
  if (choice.value === 'scalar') q.set('simd', '0');
  if (choice.value === 'fma') q.set('fma', '1');
  location.search = q.toString();
});

/** What the badge says about a core (sd.core), and why it is not the one asked for. */
function coreLabel(core: string): string {
  if (core.startsWith('relaxed')) return 'WebAssembly relaxed-SIMD core (FMA)';
  if (core.startsWith('simd')) return fma ? 'WebAssembly SIMD core (exact: this browser has no relaxed SIMD)' : 'WebAssembly SIMD core';
  return forceScalar ? 'scalar core (forced with ?simd=0)' : 'scalar core (this browser has no WebAssembly SIMD)';
}
const pg: Record<string, unknown> = { ready: false };
(globalThis as any).playground = pg;

try {
  const sd = await init(forceScalar ? { simd: false } : fma ? { fma: true } : {});
  badge.textContent = coreLabel(sd.core);
  badge.className = `badge ${sd.core.replace(/\+threads$/, '')}`;
  pg.simd = sd.simd;
  pg.core = sd.core;
  pg.crossOriginIsolated = globalThis.crossOriginIsolated === true;
  const iso = document.querySelector('#isolation') as HTMLElement;
  iso.textContent = pg.crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated';
  iso.title = pg.crossOriginIsolated
    ? 'SharedArrayBuffer and shared WebAssembly memory are available'
    : 'served without COOP/COEP headers: no SharedArrayBuffer, so no shared-memory threads';
  pg.race = mountRace(document.querySelector('#race') as HTMLElement, sd).state;

  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  const digits = mountDigits(document.querySelector('#digits') as HTMLElement, worker, (workerSimd, threads, workerCore) => {
    const same = workerCore.replace(/\+threads$/, '') === sd.core;
    badge.textContent += same ? ' · worker too' : ` · worker: ${coreLabel(workerCore)}`;
    if (threads > 1) badge.textContent += ` · ${threads} threads for batches ≥ 128`;
  });
  pg.digits = digits.state;
  worker.addEventListener('error', (e) => {
    digits.state.error = e.message;
    (document.querySelector('[data-testid=digits-error]') as HTMLElement).textContent = `worker failed: ${e.message}`;
  });
  worker.postMessage({ type: 'init', simd: forceScalar ? false : undefined, fma });
  pg.ready = true;
} catch (err) {
  badge.textContent = `failed to start: ${(err as Error).message}`;
  badge.className = 'badge error';
  throw err;
}
