// --fma: the relaxed-SIMD core. Node 20 keeps WebAssembly relaxed SIMD behind
// --experimental-wasm-relaxed-simd; the command is its own process, so it turns the V8 flag on
// itself before the first relaxed module is compiled (worker threads share the process's V8
// flags) rather than asking every user to restart Node with it. The library never does this:
// init({ fma: true }) only uses what the runtime already validates.
import { setFlagsFromString } from 'node:v8';
import { relaxedSimdSupported } from '../wasm.js';

export function enableRelaxedSimd(): void {
  if (relaxedSimdSupported()) return;
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // A V8 without the flag: init's notice says the exact core runs.
  }
}
