// The Keras / Optax / PyTorch schedule options and decoupled weight decay as `train` flags:
// products as --schedule a*b, --swa-lr handing a schedule over to SWALR, the lr per epoch as
// the library computes it, and errors that name the flag.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { schedule, type Schedule, type ScheduleName, type ScheduleOptions } from '../../src/schedules/index.js';
import { close } from '../_helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const F = suite('cli/schedule-flags');

function train(args: string[]): { code: number | null; json: any; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/simdescent.js'), 'train', '--data', 'blobs', '--samples', '200', '--json', '--quiet', '--schedule-unit', 'epoch', ...args], {
    encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 120_000,
  });
  return { code: r.status, json: r.status === 0 ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
}

const lrs = (j: any) => j.history.epochs.map((e: any) => e.lr);

F('--schedule cosine*multiStep with --decoupled-weight-decay: a product schedule, Keras-form decay', () => {
  const r = train(['--epochs', '4', '--lr', '0.01', '--optimizer', 'adam', '--weight-decay', '0.1', '--decoupled-weight-decay', '--schedule', 'cosine*multiStep', '--milestones', '2', '--gamma', '0.5']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.json.config.optimizer, { name: 'adam', weightDecay: 0.1, decoupledWeightDecay: true, lr: 0.01 });
  const s = schedule('product', { lr: 0.01, schedules: [{ schedule: 'cosine', options: { tMax: 4 } }, { schedule: 'multiStep', options: { milestones: [2], gamma: 0.5 } }] });
  close(lrs(r.json), [0, 1, 2, 3].map((e) => s.lrAt(e)), { rtol: 1e-12, atol: 0, what: 'lr' });
});

F('--swa-lr after --schedule cosine: SWALR from --start over --anneal-epochs', () => {
  const r = train(['--epochs', '5', '--lr', '0.01', '--schedule', 'cosine', '--swa-lr', '0.001', '--start', '2', '--anneal-epochs', '2', '--anneal-strategy', 'linear']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.json.config.schedule.name, 'swalr');
  const cos = schedule('cosine', { lr: 0.01, tMax: 5 });
  close(lrs(r.json), [cos.lrAt(0), cos.lrAt(1), cos.lrAt(2), (cos.lrAt(2) + 0.001) / 2, 0.001], { rtol: 1e-12, atol: 0, what: 'lr' });
});

F('Keras/Optax options: exponential staircase + floor, polynomial cycle, piecewise, cosine hold', () => {
  // Each case: the CLI flags, the schedule the library builds from the same options (typed per
  // name, so a misspelt option here is a compile error) and the CLI's name for it.
  const make = <N extends ScheduleName>(name: N, options: ScheduleOptions[N]) => () => schedule(name, options);
  const cases: Array<[string[], () => Schedule, string]> = [
    [['--gamma', '0.5', '--decay-steps', '2', '--staircase', '--lr-end', '0.003'], make('exponential', { lr: 0.01, gamma: 0.5, decaySteps: 2, staircase: true, lrEnd: 0.003 }), 'exponential'],
    [['--total-iters', '2', '--lr-end', '0.001', '--power', '2', '--cycle'], make('polynomial', { lr: 0.01, totalIters: 2, lrEnd: 0.001, power: 2, cycle: true }), 'polynomial'],
    [['--boundaries', '1,3', '--values', '0.01,0.005,0.001', '--boundary-value', 'before'], make('piecewiseConstant', { boundaries: [1, 3], values: [0.01, 0.005, 0.001], boundaryValue: 'before' }), 'piecewiseConstant'],
    [['--boundaries', '2,4', '--scales', '3,0.1', '--interpolation', 'cosine'], make('piecewiseInterpolate', { lr: 0.01, boundaries: [2, 4], scales: [3, 0.1], interpolation: 'cosine' }), 'piecewiseInterpolate'],
    [['--t-max', '2', '--hold', '--exponent', '2', '--lr-min', '0.001'], make('cosine', { lr: 0.01, tMax: 2, hold: true, exponent: 2, lrMin: 0.001 }), 'cosine'],
    [['--t0', '2', '--t-mult', '1', '--m-mul', '0.5'], make('cosineWarmRestarts', { lr: 0.01, t0: 2, tMult: 1, mMul: 0.5 }), 'sgdr'],
  ];
  for (const [flags, expected, name] of cases) {
    const r = train(['--epochs', '5', '--lr', '0.01', '--schedule', name, ...flags]);
    assert.is(r.code, 0, `${name}: ${r.stderr}`);
    const s = expected();
    close(lrs(r.json), [0, 1, 2, 3, 4].map((e) => s.lrAt(e)), { rtol: 1e-12, atol: 0, what: name });
  }
});

F('errors name the flag', () => {
  const a = train(['--epochs', '1', '--schedule', 'cosine*multiStep', '--milestones', '1', '--patience', '3']);
  assert.is(a.code, 2);
  assert.match(a.stderr, /--patience applies to none of cosine, multiStep/);
  const b = train(['--epochs', '1', '--schedule', 'cosine*nope']);
  assert.is(b.code, 2);
  assert.match(b.stderr, /--schedule: unknown schedule 'nope'/);
  const c = train(['--epochs', '1', '--schedule', 'step', '--step-size', '1', '--hold']);
  assert.is(c.code, 2);
  assert.match(c.stderr, /--hold does not apply to --schedule step/);
});

F.run();
