// The command line takes the names users bring from PyTorch and Keras (any case, '_' or '-',
// the common aliases), suggests one for every misspelling, and every error names a flag the
// command accepts; the schedules it offers are one list in --help and in its errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { built, lines, sd, userError } from './_spawn.js';

const tmp = mkdtempSync(join(tmpdir(), 'simdescent-names-'));
const Names = suite('cli/names');
Names.before(built);
Names.after(() => rmSync(tmp, { recursive: true, force: true }));

const small = ['train', '--data', 'blobs', '--samples', '120', '--epochs', '1'];

function json(args: string[]): any {
  const r = sd([...small, ...args, '--json', '--out', join(tmp, String(Math.random()).slice(2))], tmp);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  return JSON.parse(r.stdout);
}

/** Flags train --help lists. */
function trainFlags(): Set<string> {
  const help = sd(['train', '--help'], tmp).stdout;
  return new Set(help.match(/--[a-z0-9-]+/g));
}

Names('PyTorch/Keras names and flag spellings train, recorded under our names', () => {
  const a = json([
    '--optimizer', 'AdamW',
    '--learning-rate', '0.02',
    '--schedule', 'CosineAnnealingLR',
    '--eta-min', '0.001',
    '--loss', 'CrossEntropyLoss',
    '--activation', 'Tanh',
    '--batch_size', '16',
    '--early-stopping', '2',
    '--monitor', 'val_loss',
  ]);
  assert.is(a.config.optimizer.name, 'adamw');
  assert.is(a.config.optimizer.lr, 0.02);
  assert.is(a.config.schedule.name, 'cosine');
  assert.is(a.config.schedule.options.lrMin, 0.001);
  assert.is(a.config.model.loss, 'softmaxCrossEntropy');
  assert.is(a.config.model.activation, 'tanh');
  assert.is(a.config.batchSize, 16);
  assert.is(a.config.monitor, 'valLoss');
  const b = json(['--optimizer', 'Adam', '--lr=0.005', '--schedule', 'cosineAnnealing', '--loss', 'sparse_categorical_crossentropy']);
  assert.is(b.config.optimizer.name, 'adam');
  assert.is(b.config.optimizer.lr, 0.005);
  assert.is(b.config.schedule.name, 'cosine');
  const c = json(['--optimizer', 'RMSprop', '--schedule', 'cosine_annealing', '--batchSize', '8', '--weight_decay', '0.01']);
  assert.is(c.config.optimizer.name, 'rmsprop');
  assert.is(c.config.optimizer.weightDecay, 0.01);
  assert.is(c.config.schedule.name, 'cosine');
  assert.is(c.config.batchSize, 8);
  const d = json(['--schedule', 'StepLR', '--step_size', '1', '--gamma', '0.5', '--early-stopping', '3', '--monitor', 'val_accuracy']);
  assert.is(d.config.schedule.name, 'step');
  assert.is(d.config.monitor, 'valAccuracy');
  // race's optimizer list takes the same spellings.
  const r = sd(['race', '--surface', 'Beale', '--optimizers', 'Adam,SGD', '--steps', '5', '--json'], tmp);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).runs.map((x: any) => x.name), ['adam', 'sgd']);
  // Built-in datasets and the tools' fixed choices take any case too.
  const m = json(['--data', 'Moons', '--schedule-unit', 'Epoch', '--schedule', 'cosine']);
  assert.equal(m.config.model.layers, [2, 128, 2], 'moons: two classes');
  assert.is(m.config.scheduleUnit, 'epoch');
  const l = sd(['lr-find', '--data', 'blobs', '--samples', '120', '--mode', 'Linear', '--steps', '10', '--json'], tmp);
  assert.is(l.code, 0, l.stderr);
});

Names('every wrong name gets a suggestion: flags, optimizers, schedules, losses, activations, monitors', () => {
  userError(sd([...small, '--learning-rat', '0.1'], tmp), /^simdescent: unknown option '--learning-rat' \(Did you mean --lr\?\)$/);
  userError(sd([...small, '--weight_decai', '0.1'], tmp), /unknown option '--weight_decai' \(Did you mean --weight-decay\?\)/);
  userError(sd([...small, '--optimizer', 'Adma'], tmp), /--optimizer: unknown optimizer 'Adma' \(did you mean 'adam'\?\); known: sgd, /);
  userError(sd([...small, '--schedule', 'cosin'], tmp), /--schedule: unknown schedule 'cosin' \(did you mean 'cosine'\?\)/);
  userError(sd([...small, '--schedule', 'CosineAnealingLR'], tmp), /unknown schedule 'CosineAnealingLR' \(did you mean 'cosine'\?\)/);
  userError(sd([...small, '--loss', 'CrossEntropyLos'], tmp), /argument 'CrossEntropyLos' is invalid\. Allowed choices are softmaxCrossEntropy, mse, sigmoidBinaryCrossEntropy\. Did you mean softmaxCrossEntropy\?$/);
  userError(sd([...small, '--activation', 'rellu'], tmp), /Allowed choices are relu, tanh, sigmoid, linear\. Did you mean relu\?$/);
  userError(sd([...small, '--early-stopping', '2', '--monitor', 'val_los'], tmp), /'--monitor <metric>' argument 'val_los' is invalid\. Allowed choices are valLoss, loss, valAccuracy\. Did you mean valLoss\?$/);
  userError(sd([...small, '--monitor', 'val_loss'], tmp), /^simdescent: --monitor applies to --early-stopping <patience>; give both$/);
  userError(sd(['race', '--surface', 'beale', '--optimizers', 'adma'], tmp), /unknown optimizer 'adma' \(did you mean 'adam'\?\)/);
});

Names('errors name only flags train accepts; warmup and sequential are not offered as --schedule', () => {
  const flags = trainFlags();
  const cases: [string[], RegExp][] = [
    [['--schedule', 'warmup'], /^simdescent: --schedule warmup: use --warmup <epochs> for a linear warmup/],
    [['--schedule', 'sequential'], /^simdescent: --schedule sequential combines schedules and has no flags/],
    [['--schedule', 'step'], /^simdescent: --schedule step needs --step-size$/],
    [['--schedule', 'multiStep'], /^simdescent: --schedule multiStep needs --milestones$/],
    [['--schedule', 'exponential'], /^simdescent: --schedule exponential needs --gamma$/],
    [['--schedule', 'inverseTime'], /^simdescent: --schedule inverseTime needs --decay-rate$/],
    [['--schedule', 'step', '--step-size', '2', '--t0', '1'], /--t0 does not apply to --schedule step; step takes --step-size, --gamma/],
    [['--warmup', '0'], /--warmup must be > 0/],
    [['--momentum', '0.9'], /--momentum does not apply to --optimizer adam/],
  ];
  for (const [args, re] of cases) {
    const r = sd([...small, ...args], tmp);
    userError(r, re);
    for (const flag of lines(r.stderr)[0].match(/--[a-z0-9-]+/g) ?? []) assert.ok(flags.has(flag), `${args.join(' ')}: ${flag} is a flag of train (${r.stderr.trim()})`);
    assert.not.match(r.stderr, /missing option '(schedules|schedule|warmupSteps|--warmup-steps)'/);
  }
});

Names("the schedules --help offers are the 'known' list of the errors", () => {
  const help = sd(['train', '--help'], tmp).stdout.replace(/\s+/g, ' ');
  const offered = /lr schedule: (.*?);/.exec(help)![1].split(', ').map((s) => s.replace(/ \(alias \w+\)$/, ''));
  const known = /known: (.*)$/.exec(lines(sd([...small, '--schedule', 'nope'], tmp).stderr)[0])![1].split(', ');
  assert.equal(offered, known);
  assert.ok(known.includes('cosine') && known.includes('plateau') && known.includes('oneCycle'));
  assert.not.ok(known.includes('warmup') || known.includes('sequential'));
  // Each offered schedule runs from flags alone (plus the one each requires).
  const needs: Record<string, string[]> = { step: ['--step-size', '1'], multiStep: ['--milestones', '1'], exponential: ['--gamma', '0.9'], inverseTime: ['--decay-rate', '0.5'] };
  for (const name of known) {
    const r = sd([...small, '--schedule', name, ...(needs[name] ?? []), '--quiet', '--out', join(tmp, `s-${name}`)], tmp);
    assert.is(r.code, 0, `${name}: ${r.stderr}`);
  }
});

Names.run();
