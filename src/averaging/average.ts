// Shared by SWA and EMA: a second copy of the params in WASM memory, updated by one SIMD pass
// (average_f32 in assembly/kernels/average.ts), and a way to evaluate a model with it.
import type { ParamBuffer } from '../buffer.js';
import type { Engine } from '../engine.js';
import type { Kernels } from '../wasm.js';
import { F32Block } from '../memory.js';
import { show } from '../options.js';

export abstract class Averaged {
  /** Updates folded in so far. */
  updates = 0;
  protected readonly block: F32Block;
  protected readonly k: Kernels;
  private disposed = false;

  constructor(readonly who: string, engine: Engine, readonly buffer: ParamBuffer) {
    if (!buffer || typeof buffer !== 'object' || typeof buffer.isDisposed !== 'boolean' || !('paramsPtr' in buffer)) {
      throw new TypeError(`${who}: buffer must be made by sd.buffer() (or be model.buffer), got ${show(buffer)}`);
    }
    if (buffer.isDisposed) throw new Error(`${who}: buffer was disposed`);
    if (buffer.mem !== engine.mem) throw new TypeError(`${who}: buffer belongs to another engine (init() instance)`);
    this.k = engine.kernels;
    this.block = new F32Block(engine.mem, buffer.size);
  }

  /** A live view of the averaged params (zeros before the first update). */
  get params(): Float32Array {
    this.alive();
    return this.block.view;
  }

  /** Fold the buffer's current params in. */
  abstract update(): void;

  /** Copy the averaged params into the buffer (e.g. at the end of training). */
  apply(): void {
    this.alive();
    if (this.updates === 0) throw new Error(`${this.who}: nothing averaged yet (call update() first)`);
    this.buffer.params.set(this.block.view);
  }

  /** Run fn with the averaged params in the buffer, then put the live params back. */
  with<T>(fn: () => T): T {
    this.alive();
    const live = Float32Array.from(this.buffer.params);
    this.buffer.params.set(this.block.view);
    try {
      return fn();
    } finally {
      this.buffer.params.set(live);
    }
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.block.free();
  }

  protected alive(): void {
    if (this.disposed) throw new Error(`${this.who}: used after dispose()`);
    if (this.buffer.isDisposed) throw new Error(`${this.who}: its buffer was disposed`);
  }
}
