// A flat parameter buffer: params and grads side by side in WASM memory.
import { F32Block, type Memory } from './memory.js';
import { checkSize } from './options.js';

const MAX_FLOATS = 2 ** 30 - 4; // 4 GiB of f32, less the static data

export class ParamBuffer {
  readonly size: number;
  private p: F32Block;
  private g: F32Block;
  private disposed = false;

  /** @internal use sd.buffer(size) */
  constructor(readonly mem: Memory, size: number) {
    checkSize('buffer', 'size', size);
    // params + grads checked together up front, so nothing is allocated for a size that cannot fit.
    const left = 2 ** 32 - mem.highWater;
    if (size > MAX_FLOATS / 2 || size * 8 > left) {
      throw new RangeError(`buffer: size ${size} needs ${size * 8} bytes, more than the ${left} left of 4 GiB of WebAssembly memory`);
    }
    this.size = size;
    this.p = new F32Block(mem, size);
    try {
      this.g = new F32Block(mem, size);
    } catch (e) {
      this.p.free();
      throw e;
    }
  }

  /** Live view of the parameters: read the getter again after any allocation. */
  get params(): Float32Array {
    this.alive();
    return this.p.view;
  }

  get grads(): Float32Array {
    this.alive();
    return this.g.view;
  }

  /** @internal byte offsets for kernels */
  get paramsPtr(): number {
    this.alive();
    return this.p.ptr;
  }

  get gradsPtr(): number {
    this.alive();
    return this.g.ptr;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Frees the WASM memory; idempotent. Other methods throw afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.p.free();
    this.g.free();
  }

  private alive(): void {
    if (this.disposed) throw new Error('buffer: used after dispose()');
  }
}
