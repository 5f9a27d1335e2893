// What every schedule shares: strict options (src/options.ts), the t check, plain-data options
// and toJSON. Subclasses implement `at(t)` for a t already known to be finite and ≥ 0.
import { show } from '../options.js';
import type { Schedule, ScheduleJSON, ScheduleName } from './types.js';

/** t of lrAt/momentumAt: a number (TypeError), finite and ≥ 0 (RangeError). */
export function checkT(owner: string, t: unknown): asserts t is number {
  if (typeof t !== 'number') throw new TypeError(`${owner}: t must be a number, got ${show(t)}`);
  if (!Number.isFinite(t) || t < 0) throw new RangeError(`${owner}: t must be finite and ≥ 0, got ${t}`);
}

/** RangeError for a relation between two options, e.g. lrMin ≤ lr. */
export function relation(owner: string, key: string, value: number, ok: boolean, why: string): void {
  if (!ok) throw new RangeError(`${owner}: ${key} ${why}, got ${value}`);
}

/** A deep copy of plain data, frozen so `options` cannot be changed behind the schedule's back. */
export function frozenCopy<T>(v: T): T {
  if (Array.isArray(v)) return Object.freeze(v.map(frozenCopy)) as T;
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = frozenCopy(x);
    return Object.freeze(o) as T;
  }
  return v;
}

/** A deep, mutable copy of plain data. */
export function plainCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(plainCopy) as T;
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = plainCopy(x);
    return o as T;
  }
  return v;
}

export abstract class BaseSchedule implements Schedule {
  readonly name: ScheduleName;
  /** Every option, defaults filled in (frozen plain data). */
  readonly options: Readonly<Record<string, any>>;

  constructor(name: ScheduleName, options: Record<string, any>) {
    this.name = name;
    this.options = frozenCopy(options);
  }

  lrAt(t: number): number {
    checkT(`${this.name}.lrAt`, t);
    return this.at(t);
  }

  /** The lr at a valid t (finite, ≥ 0). */
  protected abstract at(t: number): number;

  get baseLr(): number {
    return this.options.lr;
  }

  get initialLr(): number {
    return this.at(0);
  }

  toJSON(): ScheduleJSON {
    return { name: this.name, options: plainCopy(this.options) as Record<string, unknown> };
  }
}
