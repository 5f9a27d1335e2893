import { Engine } from './engine.js';
import { show } from './options.js';
import { loadKernels, relaxedSimdSupported, simdSupported, type WasmSource } from './wasm.js';
import { threadedEngine } from './threads/engine.js';
import { noticeOnce } from './threads/available.js';
import { chooseCore } from './core-choice.js';

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
  /**
   * true: the relaxed-SIMD core, whose matrix products use fused multiply-add
   * (f32x4.relaxed_madd) where the runtime validates it: faster, and equal to the exact core
   * within float32 tolerance, not bit for bit. Where relaxed SIMD is missing (Node 20 without
   * --experimental-wasm-relaxed-simd), a one-time notice and the exact core. Default false:
   * the exact core, same bits on every machine. `sd.core` says which core runs.
   */
  fma?: boolean;
}

/** Load a core and return a fresh engine (each call is a separate instance). */
export async function init(options: InitOptions = {}): Promise<Engine> {
  if (options === null || typeof options !== 'object') throw new TypeError(`init: options must be an object, got ${show(options)}`);
  for (const key of Object.keys(options)) {
    if (key !== 'simd' && key !== 'wasm' && key !== 'workers' && key !== 'fma') throw new TypeError(`init: unknown option '${key}'; known options: simd, wasm, workers, fma`);
  }
  const w = options.workers;
  if (w !== undefined && w !== 'auto') {
    if (typeof w !== 'number') throw new TypeError(`init: workers must be a positive integer or 'auto', got ${show(w)}`);
    if (!Number.isInteger(w) || w < 1) throw new RangeError(`init: workers must be a positive integer or 'auto', got ${w}`);
  }
  if (options.simd !== undefined && typeof options.simd !== 'boolean') {
    throw new TypeError(`init: simd must be a boolean, got ${show(options.simd)}`);
  }
  if (options.fma !== undefined && typeof options.fma !== 'boolean') {
    throw new TypeError(`init: fma must be a boolean, got ${show(options.fma)}`);
  }
  const can = simdSupported();
  if (options.simd === true && !can) {
    throw new Error('init: the SIMD build was requested but this runtime does not support WebAssembly SIMD; use init({ simd: false })');
  }
  // With init({ wasm }) the bytes passed in decide the core (checked below), not the runtime.
  const choice = options.wasm === undefined ? chooseCore(options, { simd: can, relaxed: relaxedSimdSupported() }) : { simd: options.simd ?? can, relaxed: false };
  if (choice.notice) noticeOnce(choice.notice);
  if (w !== undefined && w !== 1) {
    const threaded = await threadedEngine(w, options.simd, choice.relaxed);
    if (threaded) return threaded;
  }
  const simd = choice.simd;
  const kernels = await loadKernels(options.wasm, simd, choice.relaxed);
  // With init({ wasm }) the bytes decide which build runs; report that, not the guess.
  const built = kernels.simd_build() === 1;
  if (options.wasm !== undefined && options.simd !== undefined && built !== options.simd) {
    throw new Error(`init: simd: ${options.simd} was requested but the wasm passed in is the ${built ? 'SIMD' : 'scalar'} build`);
  }
  const relaxedBuilt = kernels.relaxed_build?.() === 1;
  if (options.wasm !== undefined && options.fma !== undefined && relaxedBuilt !== options.fma) {
    throw new Error(`init: fma: ${options.fma} was requested but the wasm passed in is the ${relaxedBuilt ? 'relaxed-SIMD' : 'exact'} build`);
  }
  return new Engine(kernels, built);
}
