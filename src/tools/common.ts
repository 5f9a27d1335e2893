// Shared by the practitioner tools: optimizer entries ({ name, ...options } or a bare name),
// strict checks with the tool's name in every message.
import { didYouMean, show } from '../options.js';
import { RULES } from '../optimizers/registry.js';

export interface OptimizerEntry {
  name: string;
  options: Record<string, any>;
}

/**
 * One optimizer entry: a name or { name, ...options }. Unknown names are a TypeError with a
 * did-you-mean; `forbidden` keys (the tool owns them, e.g. size/buffer) are a TypeError.
 */
export function optimizerEntry(where: string, v: unknown, forbidden: readonly string[] = ['buffer', 'size']): OptimizerEntry {
  let name: unknown;
  let options: Record<string, any> = {};
  if (typeof v === 'string') name = v;
  else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    ({ name, ...options } = v as Record<string, any>);
    if (name === undefined) throw new TypeError(`${where}.name is required, e.g. { name: 'adam', lr: 1e-2 }`);
  } else {
    throw new TypeError(`${where} must be an optimizer name or { name, ...options }, got ${show(v)}`);
  }
  if (typeof name !== 'string') throw new TypeError(`${where}.name must be a string, got ${show(name)}`);
  if (!Object.prototype.hasOwnProperty.call(RULES, name)) {
    const hint = didYouMean(name, Object.keys(RULES));
    throw new TypeError(`${where}: unknown optimizer '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; known: ${Object.keys(RULES).join(', ')}`);
  }
  for (const key of forbidden) {
    if (key in options) throw new TypeError(`${where}: ${key} is set by the tool, remove it from the optimizer options`);
  }
  return { name, options };
}

/** Re-throw an error from a nested call with the tool's context prefixed, same class. */
export function withContext(where: string, err: unknown): never {
  if (err instanceof TypeError) throw new TypeError(`${where}: ${err.message}`);
  if (err instanceof RangeError) throw new RangeError(`${where}: ${err.message}`);
  throw err;
}

export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** The tools' `workers` option: undefined (the engine's), a positive integer or 'auto'. */
export function checkWorkers(where: string, w: unknown): number | 'auto' | undefined {
  if (w === undefined || w === 'auto') return w;
  if (typeof w !== 'number') throw new TypeError(`${where}: workers must be a positive integer or 'auto', got ${show(w)}`);
  if (!Number.isInteger(w) || w < 1) throw new RangeError(`${where}: workers must be a positive integer or 'auto', got ${w}`);
  return w;
}
