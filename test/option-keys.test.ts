// Option keys named like Object.prototype members (constructor, toString, __proto__…) are
// unknown keys like any other, in every options object: `key in spec` used to find them on
// the prototype and let them through. Random option maps — valid keys plus one such name, as
// an own property (JSON.parse makes even '__proto__' one) — must throw the unknown-key TypeError.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { init, parseCSV, schedule, type Engine } from '../src/index.js';
import { didYouMean } from '../src/options.js';
import { resolveName } from '../src/synonyms.js';

const K = suite('option-keys');

let sd: Engine;
K.before(async () => {
  sd = await init();
});

const PROTO = ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'propertyIsEnumerable', 'valueOf', 'isPrototypeOf', 'toLocaleString', '__defineGetter__', '__lookupGetter__'];

/** `valid` plus `name: value` as an own, enumerable property (a literal's `__proto__:` would set the prototype instead). */
function withKey(valid: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  const o = JSON.parse(JSON.stringify(valid));
  Object.defineProperty(o, name, { value, enumerable: true, configurable: true, writable: true });
  return o;
}

const value = fc.constantFrom<unknown>(1, 0.5, true, 'x', {}, [], null);

/** Each parser with a valid options map; the call must throw the unknown-key error with `o`. */
const PARSERS: [string, Record<string, unknown>, (o: any) => unknown][] = [
  ['optimizer', { lr: 0.1, momentum: 0.9 }, (o) => sd.optimizer('sgd', { size: 4, ...o })],
  ['mlp', { layers: [2, 3, 2], seed: 1 }, (o) => sd.mlp(o)],
  ['schedule', { lr: 0.1, t0: 2 }, (o) => schedule('cosineWarmRestarts', o)],
  ['schedule.fromJSON', { lr: 0.1, t0: 2 }, (o) => (schedule as any).fromJSON({ name: 'cosineWarmRestarts', options: o })],
  ['parseCSV', { header: true }, (o) => parseCSV('a,b\n1,0\n2,1\n', o)],
  ['init', { simd: true }, (o) => init(o)],
  ['fit', { epochs: 1, batchSize: 2 }, (o) => sd.fit(sd.mlp({ layers: [1, 2] }), { x: Float32Array.of(1, 2), y: Int32Array.of(0, 1), count: 2, features: 1, classes: 2 }, o)],
  ['fit optimizer', { lr: 0.1 }, (o) => sd.fit(sd.mlp({ layers: [1, 2] }), { x: Float32Array.of(1, 2), y: Int32Array.of(0, 1), count: 2, features: 1, classes: 2 }, { batchSize: 2, epochs: 1, optimizer: { name: 'adam', ...o } })],
  ['fit earlyStopping', { patience: 1, restoreBest: false }, (o) => sd.fit(sd.mlp({ layers: [1, 2] }), { x: Float32Array.of(1, 2), y: Int32Array.of(0, 1), count: 2, features: 1, classes: 2 }, { batchSize: 2, epochs: 1, validation: 0, earlyStopping: { monitor: 'loss', ...o } })],
  ['fit ema', { decay: 0.9 }, (o) => sd.fit(sd.mlp({ layers: [1, 2] }), { x: Float32Array.of(1, 2), y: Int32Array.of(0, 1), count: 2, features: 1, classes: 2 }, { batchSize: 2, epochs: 1, ema: o })],
  ['landscape', { steps: 3 }, (o) => sd.landscape(sd.mlp({ layers: [1, 2] }), { x: Float32Array.of(1, 2), y: Int32Array.of(0, 1), count: 2, features: 1, classes: 2 }, o)],
];

async function outcome(f: () => unknown): Promise<unknown> {
  try {
    await f();
    return undefined;
  } catch (e) {
    return e;
  }
}

K('every parser refuses a prototype-named key, with or without valid keys beside it', async () => {
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: PARSERS.length - 1 }), fc.constantFrom(...PROTO), value, fc.boolean(), async (i, name, v, keepValid) => {
      const [what, valid, call] = PARSERS[i];
      const o = withKey(keepValid ? valid : {}, name, v);
      const e = await outcome(() => call(o));
      assert.ok(e instanceof TypeError, `${what} with '${name}': ${e === undefined ? 'accepted' : String(e)}`);
      assert.match((e as Error).message, new RegExp(`unknown option '${name.replace(/[$_]/g, '\\$&')}'`), `${what}: ${(e as Error).message}`);
    }),
    { seed: 61, numRuns: 150 },
  );
});

K('the same maps without the prototype name are accepted (the parsers themselves work)', async () => {
  for (const [what, valid, call] of PARSERS) {
    const e = await outcome(() => call(JSON.parse(JSON.stringify(valid))));
    assert.is(e, undefined, `${what}: ${String(e)}`);
  }
});

K('optimizer.set refuses prototype names', () => {
  const opt = sd.optimizer('adam', { size: 3 });
  for (const name of PROTO) assert.throws(() => opt.set(name, 1), (e: Error) => e instanceof TypeError && e.message.includes(`unknown option '${name}'`), name);
  opt.dispose();
});

K('name lookups (synonyms, suggestions) take prototype names as plain words', () => {
  for (const name of PROTO) {
    assert.is(resolveName(name, ['lr', 'momentum', 'cosine']), undefined, name);
    const hint = didYouMean(name, ['lr', 'momentum', 'cosine']);
    assert.ok(hint === undefined || typeof hint === 'string', name);
  }
});

K.run();
