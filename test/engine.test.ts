// The facade's public handles on its core: the worker count runs default to and close(),
// which stops the worker pool and leaves the engine usable (workers start again on demand).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { init } from '../src/index.js';
import { datasets } from '../src/data/index.js';
import { threadContext } from '../src/threads/index.js';
import { bitsEqual } from './_helpers.js';

const E = suite('engine');

E('workers: 1 without threads, init’s count with them; close() on a plain engine is a no-op', async () => {
  const plain = await init();
  assert.is(plain.workers, 1);
  await plain.close();
  await plain.close();
  const threaded = await init({ workers: 3 });
  assert.is(threaded.workers, 3);
  await threaded.close();
});

E('close() stops the pool; the next run starts it again, with the same bits', async () => {
  const digits = await datasets.digits();
  const sd = await init({ workers: 2 });
  const run = async () => {
    const m = sd.mlp({ layers: [64, 32, 10], seed: 5 });
    await sd.fit(m, digits, { epochs: 1, batchSize: 256, optimizer: { name: 'adam', lr: 3e-3 } });
    const p = Float32Array.from(m.buffer.params);
    m.dispose();
    return p;
  };
  const a = await run();
  assert.ok(threadContext(sd)?.pool, 'a sharded fit started workers');
  await sd.close();
  assert.is(threadContext(sd)?.pool, undefined, 'close() stopped them');
  const b = await run();
  assert.ok(bitsEqual(a, b), 'the same bits after close()');
  await sd.close();
});

E.run();
