// Shared test helpers: fixtures, both engines, and the one approximate assertion.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { init, type Engine } from '../src/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));

export function fixture(name: string): any {
  return JSON.parse(readFileSync(`${here}fixtures/${name}.json`, 'utf8'));
}

let engines: Promise<Engine[]> | undefined;

/** The SIMD and the scalar engine, loaded once per test process. */
export function bothEngines(): Promise<Engine[]> {
  engines ??= Promise.all([init({ simd: true }), init({ simd: false })]);
  return engines;
}

/** Throws unless |a − e| ≤ atol + rtol·|e| for every element. */
export function close(actual: ArrayLike<number> | number, expected: ArrayLike<number> | number, opts: { rtol?: number; atol?: number; what?: string } = {}): void {
  const { rtol = 0, atol = 0, what = 'value' } = opts;
  const a = typeof actual === 'number' ? [actual] : actual;
  const e = typeof expected === 'number' ? [expected] : expected;
  if (a.length !== e.length) throw new Error(`${what}: length ${a.length} != expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - e[i]);
    if (!(d <= atol + rtol * Math.abs(e[i]))) {
      throw new Error(`${what}[${i}]: ${a[i]} vs expected ${e[i]} (diff ${d}, allowed ${atol + rtol * Math.abs(e[i])})`);
    }
  }
}

/** Asserts that fn throws an error of class `type` whose message contains every fragment. */
export function throwsWith(fn: () => unknown, type: Function, ...fragments: string[]): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  checkError(err, type, fragments);
}

export async function rejectsWith(fn: () => Promise<unknown>, type: Function, ...fragments: string[]): Promise<void> {
  let err: unknown;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  checkError(err, type, fragments);
}

function checkError(err: unknown, type: Function, fragments: string[]): void {
  if (!err) throw new Error(`expected ${type.name} containing ${JSON.stringify(fragments)}, nothing was thrown`);
  if (!(err instanceof (type as any))) throw new Error(`expected ${type.name}, got ${(err as Error).constructor?.name}: ${(err as Error).message}`);
  for (const f of fragments) {
    if (!(err as Error).message.includes(f)) throw new Error(`message ${JSON.stringify((err as Error).message)} lacks ${JSON.stringify(f)}`);
  }
}

export function bitsEqual(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return false;
  return true;
}

/** Closed-loop objectives of the optimizer fixtures, in float32 as the fixtures' README says. */
export function objective(fx: any): (p: Float32Array, g: Float32Array) => number {
  const f = Math.fround;
  if (fx.objective === 'rosenbrock') {
    return (p, g) => {
      const x = p[0], y = p[1];
      const a = f(1 - x), b = f(y - f(x * x));
      g[0] = f(f(-2 * a) - f(f(400 * x) * b));
      g[1] = f(200 * b);
      return f(f(a * a) + f(100 * f(b * b)));
    };
  }
  const A: number[][] = fx.A, bv: number[] = fx.b, n = bv.length;
  return (p, g) => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let ax = 0;
      for (let j = 0; j < n; j++) ax = f(ax + f(A[i][j] * p[j]));
      g[i] = f(ax - bv[i]);
      loss += 0.5 * p[i] * ax - bv[i] * p[i];
    }
    return loss;
  };
}
