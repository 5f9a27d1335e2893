// The core handle: one instantiated WebAssembly build (SIMD, scalar or threads) with its
// linear memory and what it can do. Everything below the `sd` facade (src/engine.ts) takes a
// Core; the facade wraps one and is the only module that knows every part.
import { Memory } from '../memory.js';
import type { Kernels } from '../wasm.js';

/** What the threads build adds: the compiled module workers instantiate, and fit's default worker count. */
export interface ThreadsCapability {
  readonly module: WebAssembly.Module;
  /** init's `workers`, 'auto' resolved. */
  readonly workers: number;
}

export class Core {
  readonly mem: Memory;
  private readonly closers: Array<() => Promise<void> | void> = [];

  constructor(
    readonly kernels: Kernels,
    /** Whether the build runs WebAssembly SIMD. */
    readonly simd: boolean,
    /** Present on the threads build (shared memory). */
    readonly threads?: ThreadsCapability,
  ) {
    this.mem = new Memory(kernels);
  }

  /** Worker count runs default to (1 without the threads build). */
  get workers(): number {
    return this.threads?.workers ?? 1;
  }

  /** Runs `close` when the core closes (a higher layer's resources: a worker pool). */
  onClose(close: () => Promise<void> | void): void {
    this.closers.push(close);
  }

  /**
   * Releases what higher layers attached (worker threads); resolves once they have stopped.
   * The memory and the objects made on it stay usable, and a later run starts workers again.
   */
  async close(): Promise<void> {
    for (const c of this.closers) await c();
  }
}

/** A core, or what wraps one (the facade): the threads layer's entry points take either. */
export type CoreLike = Core | { readonly handle: Core };

export function coreOf(x: CoreLike): Core {
  return x instanceof Core ? x : x.handle;
}
