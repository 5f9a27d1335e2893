// Which core init() loads: the exact SIMD core by default, the relaxed-SIMD (FMA) core when asked
// for with init({ fma: true }) and the runtime validates it, else the exact core with a notice.
// Pure over the runtime's capabilities, so the fallback is testable where relaxed SIMD exists.

/**
 * The core an engine runs, named like the asconfig.json targets: 'scalar', 'simd' (exact
 * WebAssembly SIMD, the default), 'relaxed' (the gemm micro-kernels with f32x4.relaxed_madd);
 * '+threads' when it runs on shared memory for data-parallel training (init({ workers })).
 */
export type CoreName = 'scalar' | 'simd' | 'relaxed' | 'simd+threads' | 'relaxed+threads';

export interface Capabilities {
  simd: boolean;
  relaxed: boolean;
}

export interface CoreChoice {
  simd: boolean;
  relaxed: boolean;
  /** Said once (console.info) when fma was asked for and cannot run here. */
  notice?: string;
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

/** How to get relaxed SIMD where it is missing: Node 20 has it behind a V8 flag; browsers differ. */
export function relaxedHint(): string {
  return isNode
    ? 'start Node with --experimental-wasm-relaxed-simd (Node 20), or use a Node whose V8 ships it'
    : 'this browser does not ship WebAssembly relaxed SIMD (Chromium-based browsers have since version 114)';
}

export function chooseCore(options: { simd?: boolean; fma?: boolean }, caps: Capabilities): CoreChoice {
  const simd = options.simd ?? caps.simd;
  if (!options.fma) return { simd, relaxed: false };
  if (!simd) {
    const why = options.simd === false ? 'the scalar build was requested' : 'this runtime has no WebAssembly SIMD';
    return { simd, relaxed: false, notice: `simdescent: fma unavailable (${why}); using the scalar core` };
  }
  if (!caps.relaxed) {
    return { simd, relaxed: false, notice: `simdescent: fma unavailable (no WebAssembly relaxed SIMD: ${relaxedHint()}); using the exact SIMD core` };
  }
  return { simd, relaxed: true };
}

/** The name of what a kernel set really is (its exports say, not the request). */
export function coreName(kernels: { simd_build(): number; relaxed_build?: () => number; memory: WebAssembly.Memory }): CoreName {
  const relaxed = kernels.relaxed_build?.() === 1;
  const base = relaxed ? 'relaxed' : kernels.simd_build() === 1 ? 'simd' : 'scalar';
  const shared = typeof SharedArrayBuffer !== 'undefined' && kernels.memory.buffer instanceof SharedArrayBuffer;
  return (shared && base !== 'scalar' ? `${base}+threads` : base) as CoreName;
}
