// Every loaded byte is untrusted: fit({ resume }) with a checkpoint mutated one field at a
// time, or byte by byte (with and without a recomputed checksum), either runs or is refused
// with an Error that names the field — and a refusal leaves the params, the caller's optimizer
// and the engine's memory as they were. No mutation may hang a run or leak an internal message.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { datasets, decodeCheckpoint, encodeCheckpoint, init, schedule, type Checkpoint, type Engine, type FitOptions } from '../../src/index.js';
import { crc32 } from '../../src/optimizers/state.js';
import { bitsEqual } from '../_helpers.js';

const U = suite('train/untrusted-checkpoints');

let sd: Engine;
U.before(async () => {
  sd = await init();
});

const data = datasets.blobs({ count: 30, features: 3, classes: 3, seed: 2 });
const layers = [3, 4, 3];
// Many options at once, so a checkpoint carries every kind of field (plateau state, tracker, best params, averages).
const opts = () => ({
  optimizer: { name: 'nadam', lr: 0.05 }, epochs: 3, batchSize: 8, seed: 1, validation: 0.2, historyEvery: 2,
  earlyStopping: { patience: 2 }, schedule: schedule('plateau', { lr: 0.05, patience: 0 }), ema: true, lookahead: { k: 2 },
}) satisfies FitOptions;

let base: Checkpoint;
let reference: Float32Array;
U.before(async () => {
  const m = sd.mlp({ layers, seed: 1 });
  const ac = new AbortController();
  let n = 0;
  let ck: Checkpoint | undefined;
  await sd.fit(m, data, { ...opts(), signal: ac.signal, onBatchEnd: () => void (++n === 5 && ac.abort()), onCheckpoint: (c) => void (ck = c) });
  base = ck!;
  assert.is(base.epoch, 1);
  assert.ok(base.batch > 0);
  m.buffer.params.set(new Float32Array(m.buffer.size)); // the run continues from the checkpoint's params
  await sd.fit(m, data, { ...opts(), resume: base });
  reference = Float32Array.from(m.buffer.params);
  m.dispose();
});

/** Values a hostile or broken file may hold where a field should be. */
const nasty = fc.oneof(
  fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -1, -1e300, 1e300, 0.5, 2 ** 53, 2 ** 32, 0, 1, 3, -0, '', 'x', 'NaN', null, undefined, true, [], {},
    [0, 0, 0, 0], [1, 2, 3], ['a'], { $f: 'NaN' }, new Float32Array(3), new Uint8Array(8), () => 1, Object.create(null)),
  fc.integer({ min: -5, max: 100 }),
  fc.double(),
  fc.string({ maxLength: 8 }),
);

const describe = (v: unknown): string => {
  try {
    return typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
};

/** Every path to a leaf (or a small subtree) of the checkpoint object. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (prefix.length) out.push(prefix);
  if (v instanceof Uint8Array || v instanceof Float32Array || v === null || typeof v !== 'object') return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function mutate(c: Checkpoint, path: (string | number)[], value: unknown, drop: boolean): Checkpoint {
  const copy: any = structuredClone({ ...c, schedule: c.schedule });
  let at = copy;
  for (const p of path.slice(0, -1)) at = at[p];
  const last = path[path.length - 1];
  if (drop) delete at[last];
  else at[last] = value;
  return copy;
}

/** Guards against a run that never ends. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout>;
  return Promise.race([p, new Promise<T>((_, rej) => (t = setTimeout(() => rej(new Error(`${what}: did not settle in ${ms} ms`)), ms)))]).finally(() => clearTimeout(t));
}

/** A well-formed refusal: an Error of ours ("fit: …", "nadam: …"), never a raw engine message. */
function ours(e: unknown, what: string): void {
  assert.ok(e instanceof Error, `${what}: threw a non-Error ${String(e)}`);
  const msg = (e as Error).message;
  assert.match(msg, /^(fit|nadam|adam): /, `${what}: message ${JSON.stringify(msg)}`);
  assert.not.match(msg, /Cannot read|is not a function|is not iterable|Maximum call stack|of undefined|of null/, `${what}: raw message ${msg}`);
}

/** fit({ resume: c }) on a fresh model; checks the promise: it runs, or it refuses and changes nothing. */
async function tryResume(c: unknown, what: string): Promise<'ran' | 'refused'> {
  const m = sd.mlp({ layers, seed: 7 });
  const before = Float32Array.from(m.buffer.params);
  const mem = sd.memoryBytes;
  try {
    await within(sd.fit(m, data, { ...opts(), resume: c as Checkpoint }), 10_000, what);
    m.dispose();
    return 'ran';
  } catch (e) {
    ours(e, what);
    assert.ok(bitsEqual(Float32Array.from(m.buffer.params), before), `${what}: params changed by a refused resume`);
    assert.is(sd.memoryBytes, mem, `${what}: memory grew by a refused resume`);
    m.dispose();
    return 'refused';
  }
}

U('the unmutated checkpoint resumes, as an object and through bytes', async () => {
  assert.is(await tryResume(base, 'object'), 'ran');
  assert.is(await tryResume(decodeCheckpoint(encodeCheckpoint(base)), 'bytes'), 'ran');
});

U('each field replaced by a hostile value (or dropped): runs or is refused naming the field, nothing changed', async () => {
  const all = paths(base);
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: all.length - 1 }), nasty, fc.boolean(), async (i, value, drop) => {
      const path = all[i];
      const what = `resume.${path.join('.')} = ${drop ? '(dropped)' : describe(value)}`;
      if ((await tryResume(mutate(base, path, value, drop), what)) === 'refused') refused++;
    }),
    { seed: 29, numRuns: 300 },
  );
  assert.ok(refused > 150, `most hostile values are refused (${refused} of 300)`);
});

U('named refusals: the message says which field', async () => {
  const cases: [(string | number)[], unknown, string][] = [
    [['epoch'], -1e300, 'resume.epoch'],
    [['epoch'], NaN, 'resume.epoch'],
    [['batch'], 1e9, 'resume.batch'],
    [['epochRows'], 3, 'resume.epochRows'],
    [['rngState'], [0, 0, 0, 0], 'resume.rngState'],
    [['rngState'], [1, 2, 3], 'resume.rngState'],
    [['tracker', 'wait'], -1, 'resume.tracker.wait'],
    [['tracker', 'best'], 'x', 'resume.tracker.best'],
    [['history', 'steps'], 2 ** 60, 'resume.history.steps'],
    [['history', 'epochs'], [], 'resume.history.epochs'],
    [['history', 'iterations', 0, 'loss'], null, 'resume.history.iterations[0].loss'],
    [['bestParams'], new Float32Array(2), 'resume.bestParams'],
    [['optimizerState'], new Uint8Array(40), 'resume.optimizerState'],
    [['schedule', 'state', 'lr'], -1, 'resume.schedule.state'],
    [['schedule', 'options', 'factor'], 0.9, 'resume.schedule'],
    [['model', 'layers'], [3, 9, 3], 'resume.model'],
    [['epochLossSum'], '1', 'resume.epochLossSum'],
  ];
  for (const [path, value, field] of cases) {
    const m = sd.mlp({ layers, seed: 7 });
    let err: Error | undefined;
    try {
      await sd.fit(m, data, { ...opts(), resume: mutate(base, path, value, false) });
    } catch (e) {
      err = e as Error;
    }
    assert.ok(err, `${path.join('.')} = ${describe(value)} was accepted`);
    assert.ok(err!.message.includes(field), `${path.join('.')}: ${err!.message} names ${field}`);
    m.dispose();
  }
});

U('byte-level mutations of an encoded checkpoint: decode refuses, or fit runs or refuses, nothing changed', async () => {
  const bytes = encodeCheckpoint(base);
  let decoded = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ at: fc.nat({ max: bytes.length - 1 }), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 3 }),
      fc.boolean(),
      fc.nat({ max: bytes.length }),
      fc.boolean(),
      async (edits, fixCrc, cut, truncate) => {
        let b = bytes.slice();
        for (const { at, value } of edits) b[at] = value;
        if (truncate) b = b.slice(0, cut);
        // With a recomputed CRC the content checks are what stands between the bytes and the run.
        if (fixCrc && b.length >= 4) new DataView(b.buffer).setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)), true);
        let c: Checkpoint;
        try {
          c = decodeCheckpoint(b);
        } catch (e) {
          assert.ok(e instanceof Error);
          assert.match((e as Error).message, /checkpoint/);
          return;
        }
        decoded++;
        await tryResume(c, `bytes ${JSON.stringify(edits)}${truncate ? ` cut at ${cut}` : ''}`);
      },
    ),
    { seed: 31, numRuns: 300 },
  );
  assert.ok(decoded > 20, `some mutated files decode and reach fit's checks (${decoded})`);
});

U('a resumed run from an accepted mutation of a harmless field ends where the original does', async () => {
  // Wall times in the history carry no state: changing them changes nothing else.
  const c = mutate(base, ['history', 'epochs', 0, 'ms'], 12345, false);
  const m = sd.mlp({ layers, seed: 7 });
  await sd.fit(m, data, { ...opts(), resume: c });
  assert.ok(bitsEqual(Float32Array.from(m.buffer.params), reference));
  m.dispose();
});

U("a refused resume leaves the caller's optimizer state as it was", async () => {
  const m = sd.mlp({ layers, seed: 7 });
  const opt = sd.optimizer('nadam', { buffer: m.buffer, lr: 0.05 });
  m.buffer.grads.fill(0.1);
  opt.step();
  const state = opt.saveState();
  for (const [path, value] of [[['epoch'], -1], [['tracker', 'emaCount'], 1.5], [['optimizerState'], new Uint8Array(3)]] as const) {
    let threw = false;
    try {
      await sd.fit(m, data, { ...opts(), optimizer: opt, resume: mutate(base, path as any, value, false) });
    } catch {
      threw = true;
    }
    assert.ok(threw, path.join('.'));
    assert.ok(Buffer.from(opt.saveState()).equals(Buffer.from(state)), `${path.join('.')}: optimizer state unchanged`);
  }
  opt.dispose();
  m.dispose();
});

U.run();
