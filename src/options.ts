// Strict option parsing shared by optimizers, schedules, models and the trainer:
// unknown keys and wrong types are TypeErrors, out-of-range values RangeErrors, and
// every message names the option and the value it got.
import { normalise, resolveName, synonymsOf } from './synonyms.js';

export type OptionType = 'number' | 'integer' | 'boolean' | 'string' | 'array' | 'object' | 'any';

/** Returns a reason ("must be in [0, 1)") when the value is out of range. */
type Check<T> = (value: T) => string | undefined;

/**
 * One option: its runtime type (checked by parseOptions), default, range check and, for strings,
 * the allowed values; `required: true` for an option that has no default and must be given. A
 * spec written `as const satisfies Spec` also gives the option's TypeScript type (OptionsOf
 * below), so the validator and the type come from the same lines.
 */
export type OptionSpec = (
  | { type: 'number' | 'integer'; default?: number; check?: Check<number>; values?: undefined }
  | { type: 'boolean'; default?: boolean; check?: undefined; values?: undefined }
  | { type: 'string'; default?: string; check?: Check<string>; values?: readonly string[] }
  | { type: 'array'; default?: readonly unknown[]; check?: Check<readonly unknown[]>; values?: undefined }
  | { type: 'object' | 'any'; default?: unknown; check?: Check<unknown>; values?: undefined }
) & { required?: true };

export type Spec = Record<string, OptionSpec>;

declare const TYPE: unique symbol;
/** A spec entry carrying the TypeScript type its runtime type cannot say ('any', 'object', 'array'). */
export type TypedSpec<S extends OptionSpec, T> = S & { readonly [TYPE]?: T };
/** `typed<number | 'full'>()({ type: 'any', default: 32 })`: the same spec object, with its TypeScript type. */
export const typed =
  <T>() =>
  <const S extends OptionSpec>(s: S): TypedSpec<S, T> =>
    s;

type BaseValue<S> = S extends { type: 'number' | 'integer' }
  ? number
  : S extends { type: 'boolean' }
    ? boolean
    : S extends { type: 'string'; values: readonly (infer V)[] }
      ? V
      : S extends { type: 'string' }
        ? string
        : S extends { type: 'array' }
          ? readonly unknown[]
          : S extends { type: 'object' }
            ? object
            : unknown;
/** The TypeScript type of one spec entry's value. */
export type OptionValue<S> = S extends { readonly [TYPE]?: infer T } ? (unknown extends T ? BaseValue<S> : T) : BaseValue<S>;
type RequiredKeys<S> = { [K in keyof S]: S[K] extends { required: true } ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
/**
 * The options object a spec accepts: its `required` keys must be there, the others may be (their
 * defaults fill in), none other.
 */
export type OptionsOf<S extends Spec> = Simplify<
  { -readonly [K in RequiredKeys<S>]-?: OptionValue<S[K]> } & { -readonly [K in Exclude<keyof S, RequiredKeys<S>>]?: OptionValue<S[K]> }
>;

/**
 * The spec a hand-written options type T calls for: exactly T's keys, each with a runtime type
 * that can hold T's value (numbers 'number'/'integer', booleans 'boolean', string unions 'string'
 * with values from the union). `SPEC satisfies SpecFor<FitOptions>` makes a key added to one and
 * not the other, or a runtime type that disagrees with the TypeScript one, a compile error.
 */
export type SpecFor<T> = { [K in keyof T]-?: EntryFor<Exclude<T[K], undefined>> };
type EntryFor<V> = [V] extends [number]
  ? Extract<OptionSpec, { type: 'number' | 'integer' }>
  : [V] extends [boolean]
    ? Extract<OptionSpec, { type: 'boolean' }>
    : [V] extends [string]
      ? { type: 'string'; default?: V; check?: Check<string>; values?: readonly V[] }
      : OptionSpec;

export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return Object.prototype.toString.call(v);
}

/** Validate `given` against `spec`, fill defaults; `owner` prefixes messages ("adam: …"). */
export function parseOptions(owner: string, spec: Spec, given: object | undefined, passthrough: readonly string[] = []): Record<string, any> {
  if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given))) {
    throw new TypeError(`${owner}: options must be an object, got ${show(given)}`);
  }
  const out: Record<string, any> = {};
  const src = (given ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(src)) {
    // Own keys only: `key in spec` would take 'constructor', 'toString', '__proto__'… from Object.prototype.
    if (!Object.prototype.hasOwnProperty.call(spec, key) && !passthrough.includes(key)) {
      const known = Object.keys(spec).concat(passthrough);
      const hint = didYouMean(key, known);
      throw new TypeError(
        `${owner}: unknown option '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; known options: ${known.join(', ')}`,
      );
    }
  }
  for (const [key, s] of Object.entries(spec)) {
    const v = src[key] === undefined ? s.default : src[key];
    if (v === undefined) continue;
    out[key] = checkValue(owner, key, s, v);
  }
  // After the values: a wrong value given is reported before a missing one.
  for (const [key, s] of Object.entries(spec)) {
    if (s.required && out[key] === undefined) throw new TypeError(`${owner}: missing option '${key}'`);
  }
  return out;
}

export function checkValue(owner: string, key: string, s: OptionSpec, v: unknown): any {
  switch (s.type) {
    case 'number':
    case 'integer':
      if (typeof v !== 'number') throw new TypeError(`${owner}: ${key} must be a number, got ${show(v)}`);
      if (!Number.isFinite(v)) throw new RangeError(`${owner}: ${key} must be finite, got ${v}`);
      if (s.type === 'integer' && !Number.isInteger(v)) throw new RangeError(`${owner}: ${key} must be an integer, got ${v}`);
      break;
    case 'boolean':
      if (typeof v !== 'boolean') throw new TypeError(`${owner}: ${key} must be a boolean, got ${show(v)}`);
      break;
    case 'string':
      if (typeof v !== 'string') throw new TypeError(`${owner}: ${key} must be a string, got ${show(v)}`);
      if (s.values && !s.values.includes(v)) {
        const hint = didYouMean(v, s.values);
        throw new RangeError(`${owner}: ${key} must be one of ${s.values.map((x) => `'${x}'`).join(', ')}, got ${show(v)}${hint ? ` (did you mean '${hint}'?)` : ''}`);
      }
      break;
    case 'array':
      if (!Array.isArray(v)) throw new TypeError(`${owner}: ${key} must be an array, got ${show(v)}`);
      break;
    case 'object':
      if (v === null || typeof v !== 'object') throw new TypeError(`${owner}: ${key} must be an object, got ${show(v)}`);
      break;
  }
  const why = (s.check as Check<unknown> | undefined)?.(v);
  if (why) throw new RangeError(`${owner}: ${key} ${why}, got ${show(v)}`);
  return v;
}

// Range checks that read as the message: `check: range.unit` → "must be in [0, 1)".
export const range = {
  nonNegative: (v: number) => (v >= 0 ? undefined : 'must be ≥ 0'),
  positive: (v: number) => (v > 0 ? undefined : 'must be > 0'),
  unit: (v: number) => (v >= 0 && v < 1 ? undefined : 'must be in [0, 1)'),
  unitClosed: (v: number) => (v >= 0 && v <= 1 ? undefined : 'must be in [0, 1]'),
  atLeast: (m: number) => (v: number) => (v >= m ? undefined : `must be ≥ ${m}`),
  above: (m: number) => (v: number) => (v > m ? undefined : `must be > ${m}`),
  within: (lo: number, hi: number) => (v: number) => (v >= lo && v <= hi ? undefined : `must be in [${lo}, ${hi}]`),
};

/**
 * The name the user meant: the known name equal up to case and separators, a known synonym
 * from PyTorch/Keras (src/synonyms.ts: 'CosineAnnealingLR' → 'cosine', 'val_loss' → 'valLoss'),
 * else the closest by edit distance when it is close enough to be a typo.
 */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  const meant = resolveName(word, known);
  if (meant !== undefined) return meant;
  // Typos of a synonym count too: 'CosineAnealingLR' → 'cosine'.
  const forms: [form: string, name: string][] = known.map((k) => [normalise(k), k]);
  forms.push(...synonymsOf(known));
  let best: string | undefined;
  let bestD = Infinity;
  for (const [form, k] of forms) {
    const d = editDistance(normalise(word), form);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = new Array(b.length + 1).fill(0).map((_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** A size argument: a positive integer (RangeError otherwise, TypeError for non-numbers). */
export function checkSize(owner: string, name: string, v: unknown): number {
  if (typeof v !== 'number') throw new TypeError(`${owner}: ${name} must be a number, got ${show(v)}`);
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${owner}: ${name} must be a positive integer, got ${v}`);
  return v;
}
