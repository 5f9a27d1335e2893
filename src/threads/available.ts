// Can this runtime run the threads build? Shared memory needs SharedArrayBuffer, Atomics
// and, in browsers, a cross-origin-isolated page (COOP/COEP headers); workers need
// worker_threads (Node) or Web Workers.
import { simdSupported } from '../wasm.js';

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

/** undefined when threads can run here, else the reason they cannot. */
export function threadsUnavailable(): string | undefined {
  const g = globalThis as any;
  if (typeof g.SharedArrayBuffer !== 'function' || typeof g.Atomics !== 'object') return 'SharedArrayBuffer is not available';
  if (g.crossOriginIsolated === false) return 'the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp)';
  if (!isNode && typeof g.Worker !== 'function') return 'Web Workers are not available';
  if (!simdSupported()) return 'the threads build needs WebAssembly SIMD';
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true } as WebAssembly.MemoryDescriptor);
  } catch {
    return 'shared WebAssembly memory is not supported';
  }
  return undefined;
}

/** The number of logical cores (navigator.hardwareConcurrency or os.availableParallelism). */
export async function hardwareConcurrency(): Promise<number> {
  const nav = (globalThis as any).navigator;
  if (nav && Number.isInteger(nav.hardwareConcurrency) && nav.hardwareConcurrency > 0) return nav.hardwareConcurrency;
  if (isNode) {
    const os: any = await import(/* @vite-ignore */ ['node:', 'os'].join(''));
    return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  }
  return 1;
}

const noticed = new Set<string>();

/** A notice printed once per process for each distinct message (console.info, per API.md). */
export function noticeOnce(message: string): void {
  if (noticed.has(message)) return;
  noticed.add(message);
  console.info(message);
}
