import { Engine } from './engine.js';
import { show } from './options.js';
import { loadKernels, simdSupported, type WasmSource } from './wasm.js';
import { Core } from './core/core.js';
import { threadedCore } from './threads/core.js';

export interface InitOptions {
  /** true: the SIMD build (throws where unsupported); false: the scalar build; default: detect. */
  simd?: boolean;
  /** Where a bundler put the .wasm: a URL, bytes, a WebAssembly.Module or a Response. */
  wasm?: WasmSource;
  /**
   * Data-parallel training: n threads (or 'auto': the core count) on one shared memory, fit's
   * default worker count. Where threads cannot run, a one-time notice and one thread.
   */
  workers?: number | 'auto';
}

/** Load a core and return a fresh engine (each call is a separate instance). */
export async function init(options: InitOptions = {}): Promise<Engine> {
  if (options === null || typeof options !== 'object') throw new TypeError(`init: options must be an object, got ${show(options)}`);
  for (const key of Object.keys(options)) {
    if (key !== 'simd' && key !== 'wasm' && key !== 'workers') throw new TypeError(`init: unknown option '${key}'; known options: simd, wasm, workers`);
  }
  const w = options.workers;
  if (w !== undefined && w !== 'auto') {
    if (typeof w !== 'number') throw new TypeError(`init: workers must be a positive integer or 'auto', got ${show(w)}`);
    if (!Number.isInteger(w) || w < 1) throw new RangeError(`init: workers must be a positive integer or 'auto', got ${w}`);
  }
  if (options.simd !== undefined && typeof options.simd !== 'boolean') {
    throw new TypeError(`init: simd must be a boolean, got ${show(options.simd)}`);
  }
  const can = simdSupported();
  if (options.simd === true && !can) {
    throw new Error('init: the SIMD build was requested but this runtime does not support WebAssembly SIMD; use init({ simd: false })');
  }
  if (w !== undefined && w !== 1) {
    const threaded = await threadedCore(w, options.simd);
    if (threaded) return new Engine(threaded);
  }
  const simd = options.simd ?? can;
  const kernels = await loadKernels(options.wasm, simd);
  // With init({ wasm }) the bytes decide which build runs; report that, not the guess.
  const built = kernels.simd_build() === 1;
  if (options.wasm !== undefined && options.simd !== undefined && built !== options.simd) {
    throw new Error(`init: simd: ${options.simd} was requested but the wasm passed in is the ${built ? 'SIMD' : 'scalar'} build`);
  }
  return new Engine(new Core(kernels, built));
}
