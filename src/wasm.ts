// The one file that touches WebAssembly: locate the .wasm, detect SIMD, instantiate.
import { instantiate } from '@assemblyscript/loader';

/** The kernel ABI exported by assembly/index.ts (pointers are byte offsets). */
export type Kernels = Record<string, (...args: number[]) => number> & {
  memory: WebAssembly.Memory;
  /** Bytes the memory may grow to when below 4 GiB (the threads build's declared maximum). */
  memoryMaxBytes?: number;
};

export type WasmSource = URL | string | ArrayBuffer | ArrayBufferView | WebAssembly.Module | Response;

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)): valid only where SIMD is.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

// (module (func (result v128) (f32x4.relaxed_madd (i8x16.splat 0) ×3))): valid only where relaxed
// SIMD is (Node 20 needs --experimental-wasm-relaxed-simd; Chromium has it by default).
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0, 65, 0, 253, 15, 65, 0, 253, 15, 65, 0, 253, 15, 253, 133, 2, 11,
]);

export function relaxedSimdSupported(): boolean {
  try {
    return WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

/** The relaxed-SIMD builds (asconfig.json targets relaxed and relaxed-threads): init({ fma: true }). */
export function relaxedWasmUrl(threads: boolean): URL {
  return threads
    ? new URL('../build/simdescent.relaxed-threads.wasm', import.meta.url)
    : new URL('../build/simdescent.relaxed.wasm', import.meta.url);
}

export function defaultWasmUrl(simd: boolean): URL {
  // Literal URLs (not computed) so bundlers see and copy both assets.
  return simd
    ? new URL('../build/simdescent.simd.wasm', import.meta.url)
    : new URL('../build/simdescent.scalar.wasm', import.meta.url);
}

/** The threads build (SIMD + atomics) imports a shared memory of at most this many 64 KiB pages (asconfig.json). */
export const THREADS_MAX_PAGES = 16384;

export function threadsWasmUrl(): URL {
  return new URL('../build/simdescent.threads.wasm', import.meta.url);
}

/**
 * The threads build on a fresh shared memory: the compiled module (for workers to
 * instantiate on the same memory) and the calling thread's instance.
 */
export async function loadThreadedKernels(source?: URL | string | ArrayBuffer | ArrayBufferView | WebAssembly.Module): Promise<{ kernels: Kernels; module: WebAssembly.Module; memory: WebAssembly.Memory }> {
  const where = source ?? threadsWasmUrl();
  try {
    let module: WebAssembly.Module;
    if ((where as unknown) instanceof WebAssembly.Module) module = where as WebAssembly.Module;
    else {
      let bytes: any = where;
      if (typeof where === 'string') bytes = await bytesOf(new URL(where, typeof location !== 'undefined' ? location.href : import.meta.url));
      else if (where instanceof URL) bytes = await bytesOf(where);
      if (typeof Response !== 'undefined' && bytes instanceof Response) bytes = await bytes.arrayBuffer();
      module = await WebAssembly.compile(bytes);
    }
    const memory = new WebAssembly.Memory({ initial: 1, maximum: THREADS_MAX_PAGES, shared: true } as WebAssembly.MemoryDescriptor);
    const instance = await WebAssembly.instantiate(module, threadImports(memory));
    const kernels = { ...(instance.exports as any), memory, memoryMaxBytes: THREADS_MAX_PAGES * 65536 } as Kernels;
    return { kernels, module, memory };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`simdescent: could not load the threads WebAssembly core from ${String(where instanceof WebAssembly.Module ? 'a WebAssembly.Module' : where)} (${why})`);
  }
}

/** Imports of the threads build: the shared memory, abort and the clock tasks are timed with. */
export function threadImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      now: () => performance.now(),
      abort(_msg: number, _file: number, line: number, col: number) {
        throw new Error(`simdescent core aborted at ${line}:${col}`);
      },
    },
  };
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

async function bytesOf(url: URL): Promise<ArrayBuffer | Response> {
  if (url.protocol === 'file:' && isNode) {
    // A computed specifier (not constant-foldable), so bundlers building for browsers
    // (esbuild, Vite's dependency optimizer) neither resolve nor externalize Node's fs.
    const fsModule = ['node:fs', 'promises'].join('/');
    const { readFile } = await import(/* @vite-ignore */ fsModule);
    const buf = await readFile(url);
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  // Streaming compilation accepts only application/wasm; from servers that label .wasm
  // otherwise, compile after the download instead of failing.
  return /^application\/wasm\b/i.test(res.headers.get('content-type') ?? '') ? res : res.arrayBuffer();
}

/** Instantiate the core from a URL, bytes, a compiled module or a fetch Response. */
export async function loadKernels(source: WasmSource | undefined, simd: boolean, relaxed = false): Promise<Kernels> {
  const where = source === undefined ? (relaxed ? relaxedWasmUrl(false) : defaultWasmUrl(simd)) : source;
  const label = where instanceof URL || typeof where === 'string' ? String(where) : describe(where);
  try {
    let input: any = where;
    if (typeof where === 'string') input = await bytesOf(new URL(where, typeof location !== 'undefined' ? location.href : import.meta.url));
    else if (where instanceof URL) input = await bytesOf(where);
    else if (ArrayBuffer.isView(where)) input = where.buffer.slice(where.byteOffset, where.byteOffset + where.byteLength);
    const { exports } = await instantiate<Kernels>(input, {
      env: {
        abort(msg: number, file: number, line: number, col: number) {
          throw new Error(`simdescent core aborted at ${line}:${col}`);
        },
      },
    });
    return exports as unknown as Kernels;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(
      `simdescent: could not load the ${relaxed ? 'relaxed-SIMD' : simd ? 'SIMD' : 'scalar'} WebAssembly core from ${label} (${why}). ` +
        `If a bundler moved the .wasm file, pass it explicitly: init({ wasm: urlOrBytesOrModule }).`,
    );
  }
}

function describe(x: unknown): string {
  if (x instanceof WebAssembly.Module) return 'a WebAssembly.Module';
  if (typeof Response !== 'undefined' && x instanceof Response) return `a Response for ${x.url || 'unknown URL'}`;
  return 'the bytes passed in';
}
