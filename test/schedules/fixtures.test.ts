// Every schedule fixture (PyTorch 1.13.1's lr_scheduler) replayed through schedule(name, options):
// lrAt(t) (or lrAt(epochs[t]) for fractional epochs, observe(metrics[t]) for plateau) within the
// fixtures README's bound |a − e| ≤ 1e-12·|e| + 1e-15. Also through fromJSON(toJSON(s)).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { schedule, type PlateauSchedule, type Schedule } from '../../src/schedules/index.js';
import { close, fixture } from '../_helpers.js';

const Fixtures = suite('schedules/fixtures');

const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => fixture(f.slice(0, -5)))
  .filter((fx) => fx.kind === 'schedule');

const tol = { rtol: 1e-12, atol: 1e-15 };

function replay(s: Schedule, fx: any): number[] {
  const out: number[] = [];
  for (let t = 0; t < fx.steps; t++) {
    if (fx.metrics) out.push((s as PlateauSchedule).observe(fx.metrics[t]));
    else out.push(s.lrAt(fx.fractional ? fx.epochs[t] : t));
  }
  return out;
}

Fixtures('every schedule in the fixtures README has a fixture here', () => {
  const names = new Set(cases.map((fx) => fx.schedule));
  for (const n of ['step', 'multiStep', 'exponential', 'cosine', 'cosineWarmRestarts', 'cyclic', 'oneCycle', 'linear', 'polynomial', 'inverseTime', 'sequential', 'plateau']) {
    assert.ok(names.has(n), `fixture for ${n}`);
  }
  assert.is(cases.length, 17);
});

for (const fx of cases) {
  Fixtures(`${fx.name}: ${fx.steps} lrs`, () => {
    assert.is(fx.lrs.length, fx.steps);
    close(replay(schedule(fx.schedule, fx.options), fx), fx.lrs, { ...tol, what: fx.name });
  });

  Fixtures(`${fx.name}: fromJSON(toJSON()) replays the same`, () => {
    const s = schedule.fromJSON(JSON.parse(JSON.stringify(schedule(fx.schedule, fx.options))));
    close(replay(s, fx), fx.lrs, { ...tol, what: fx.name });
  });

  if (!fx.metrics) {
    Fixtures(`${fx.name}: lrAt is pure (reverse order gives the same values)`, () => {
      const s = schedule(fx.schedule, fx.options);
      const ts = fx.fractional ? fx.epochs : fx.lrs.map((_: number, t: number) => t);
      const backwards = ts.slice().reverse().map((t: number) => s.lrAt(t)).reverse();
      assert.equal(backwards, ts.map((t: number) => s.lrAt(t)));
    });
  }
}

Fixtures('lrs that are exactly 0 come out exactly 0', () => {
  let zeros = 0;
  for (const fx of cases) {
    if (fx.metrics) continue;
    const s = schedule(fx.schedule, fx.options);
    fx.lrs.forEach((e: number, t: number) => {
      if (e === 0) {
        zeros++;
        assert.is(s.lrAt(fx.fractional ? fx.epochs[t] : t), 0, `${fx.name} at ${t}`);
      }
    });
  }
  assert.ok(zeros > 0);
});

Fixtures.run();
