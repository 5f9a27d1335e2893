// Flag definitions shared by the commands, and the parsers behind them. Optimizer options
// are generated from the optimizers' own option specs (kebab-case flags, camelCase keys), so
// every option the library knows is a flag and the library stays the one validator.
import { Command, InvalidArgumentError, Option } from 'commander';
import { didYouMean } from '../options.js';
import { RULES } from '../optimizers/registry.js';
import { scheduleSpec } from '../schedules/registry.js';
import { SCHEDULE_NAMES, type ScheduleName } from '../schedules/types.js';
import { resolveName } from '../synonyms.js';
import { kebab } from './errors.js';

export function num(value: string): number {
  const v = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(v)) throw new InvalidArgumentError('expected a finite number.');
  return v;
}

export function int(value: string): number {
  const v = num(value);
  if (!Number.isInteger(v)) throw new InvalidArgumentError('expected an integer.');
  return v;
}

export function positiveInt(value: string): number {
  const v = int(value);
  if (v < 1) throw new InvalidArgumentError('expected a positive integer.');
  return v;
}

export function fraction(value: string): number {
  const v = num(value);
  if (!(v >= 0 && v < 1)) throw new InvalidArgumentError('expected a fraction in [0, 1).');
  return v;
}

export function numList(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((s) => s === '')) throw new InvalidArgumentError('expected comma-separated numbers, e.g. 10,20.');
  return parts.map((s) => {
    const v = Number(s);
    if (!Number.isFinite(v)) throw new InvalidArgumentError(`'${s}' is not a number.`);
    return v;
  });
}

export function intList(value: string): number[] {
  const v = numList(value);
  const bad = v.find((x) => !Number.isInteger(x) || x < 1);
  if (bad !== undefined) throw new InvalidArgumentError(`'${bad}' is not a positive integer.`);
  return v;
}

export function nameList(value: string): string[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.some((s) => s === '')) throw new InvalidArgumentError('expected comma-separated names, e.g. sgd,adam.');
  return parts;
}

export function batchSize(value: string): number | 'full' {
  if (value.trim() === 'full') return 'full';
  const v = Number(value.trim());
  if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError("expected a positive integer or 'full'.");
  return v;
}

export function workers(value: string): number | 'auto' {
  if (value.trim() === 'auto') return 'auto';
  const v = Number(value.trim());
  if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError("expected a positive integer or 'auto'.");
  return v;
}

export const WORKERS_HELP = "data-parallel worker threads for training, or 'auto' (the core count); the same result for any count";

export function addWorkersFlag(cmd: Command, help = WORKERS_HELP): Command {
  return cmd.option('--workers <n|auto>', help, workers);
}

const SHARED_OPTIMIZER: Record<string, { type: string; help: string }> = {
  clipNorm: { type: 'number', help: 'clip the gradient to this global L2 norm before each step' },
  clipValue: { type: 'number', help: 'clip each gradient element to [-v, v]' },
};

/** Optimizer option keys (camelCase, without lr) → type and which optimizers take them. */
export function optimizerKeys(): Map<string, { type: string; owners: string[]; defaults: Set<unknown> }> {
  const keys = new Map<string, { type: string; owners: string[]; defaults: Set<unknown> }>();
  for (const rule of Object.values(RULES)) {
    for (const [key, spec] of Object.entries(rule.spec)) {
      if (key === 'lr') continue;
      const k = keys.get(key) ?? { type: spec.type, owners: [], defaults: new Set() };
      k.owners.push(rule.name);
      k.defaults.add(spec.default);
      keys.set(key, k);
    }
  }
  return keys;
}

export function addDataFlags(cmd: Command, opts: { test?: boolean; validation?: number } = {}): Command {
  cmd
    .option('--data <name|file.csv>', 'digits, blobs, moons, spirals or a CSV file with a header row', 'digits')
    .option('--label <column>', "CSV: the label column (name or 0-based index; default: the last column)")
    .option('--header', 'CSV: line 1 names the columns (default: yes, unless it is all numbers or a scikit-learn count line; a note says which)')
    .option('--no-header', 'CSV: line 1 is data; columns are named column 1, column 2, …')
    .option('--samples <n>', 'rows drawn by the synthetic generators (blobs, moons, spirals)', positiveInt, 600)
    .option('--standardize', 'scale features to zero mean, unit variance (statistics from the training rows)', false);
  if (opts.test) cmd.option('--test <fraction>', 'held-out test split, set aside before training', fraction, 0.2);
  if (opts.validation !== undefined) cmd.option('--validation <fraction>', 'validation split of the training rows', fraction, opts.validation);
  return cmd;
}

const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'linear'];
const LOSSES = ['softmaxCrossEntropy', 'mse', 'sigmoidBinaryCrossEntropy'];

export function addModelFlags(cmd: Command): Command {
  return cmd
    .option('--layers <widths>', 'layer widths from inputs to outputs, e.g. 64,128,10 (default: features,128,classes)', intList)
    .addOption(new Option('--activation <name>', 'hidden-layer activation').choices(ACTIVATIONS).argParser(choice(ACTIVATIONS)).default('relu'))
    .addOption(
      new Option('--loss <name>', 'loss (default: softmaxCrossEntropy for class labels, mse otherwise; PyTorch/Keras names such as CrossEntropyLoss, MSELoss, bce also work)')
        .choices(LOSSES)
        .argParser(choice(LOSSES)),
    )
    .option('--seed <n>', 'seed of the initial weights, the shuffling and the splits', int, 1);
}

export function addOptimizerFlags(cmd: Command, defaults: { optimizer?: string; lr?: number } = {}): Command {
  cmd.option('--optimizer <name>', `one of ${Object.keys(RULES).join(', ')} (any case: Adam, AdamW, RMSprop)`, defaults.optimizer ?? 'adam');
  cmd.option('--lr <rate>', `learning rate (alias --learning-rate; default: the optimizer's, e.g. adam 1e-3)`, num);
  for (const [key, k] of optimizerKeys()) {
    const dflt = [...k.defaults].map(String).join(' or ');
    const who = k.owners.length === Object.keys(RULES).length ? 'all optimizers' : k.owners.join(', ');
    if (k.type === 'boolean') {
      // Boolean options that default to true are switched off with --no-…
      if (k.defaults.has(true)) cmd.option(`--no-${kebab(key)}`, `${key} = false (${who}; default true)`);
      else cmd.option(`--${kebab(key)}`, `${key} = true (${who}; default false)`);
    } else {
      cmd.option(`--${kebab(key)} <value>`, `${key} (${who}; default ${dflt})`, num);
    }
  }
  for (const [key, s] of Object.entries(SHARED_OPTIMIZER)) cmd.option(`--${kebab(key)} <value>`, s.help, num);
  return cmd;
}

/** Schedule options as flags: the fixtures README's names. `eps` is the optimizer's. */
export const SCHEDULE_KEYS: Record<string, 'number' | 'list' | 'string' | 'boolean'> = {
  stepSize: 'number',
  gamma: 'number',
  milestones: 'list',
  tMax: 'number',
  lrMin: 'number',
  t0: 'number',
  tMult: 'number',
  lrMax: 'number',
  stepSizeUp: 'number',
  stepSizeDown: 'number',
  mode: 'string',
  totalSteps: 'number',
  pctStart: 'number',
  annealStrategy: 'string',
  divFactor: 'number',
  finalDivFactor: 'number',
  threePhase: 'boolean',
  startFactor: 'number',
  endFactor: 'number',
  totalIters: 'number',
  power: 'number',
  decayRate: 'number',
  decaySteps: 'number',
  factor: 'number',
  patience: 'number',
  threshold: 'number',
  thresholdMode: 'string',
  cooldown: 'number',
};

/** Aliases the CLI keeps beside the PyTorch/Keras names of src/synonyms.ts (shown in --help). */
export const SCHEDULE_ALIASES: Record<string, ScheduleName> = { sgdr: 'cosineWarmRestarts' };

/**
 * Schedules the command line offers: those whose options without a default are all flags
 * (lr comes from --lr). warmup and sequential take schedules as options: --warmup covers the
 * first, the library the second. One list for --help, the name check and its errors.
 */
export function cliSchedules(): ScheduleName[] {
  return SCHEDULE_NAMES.filter((name) =>
    Object.entries(scheduleSpec(name)).every(([key, s]) => key === 'lr' || s.default !== undefined || key in SCHEDULE_KEYS),
  );
}

/** A commander argument parser for a fixed list: any accepted spelling (case, '_', synonyms) → the canonical name. */
export function choice(known: readonly string[]): (value: string) => string {
  return (value: string) => {
    const name = resolveName(value.trim(), known);
    if (name !== undefined) return name;
    const hint = didYouMean(value.trim(), known);
    throw new InvalidArgumentError(`Allowed choices are ${known.join(', ')}.${hint ? ` Did you mean ${hint}?` : ''}`);
  };
}

export function addScheduleFlags(cmd: Command): Command {
  cmd.option(
    '--schedule <name>',
    `lr schedule: ${cliSchedules()
      .map((n) => n + Object.keys(SCHEDULE_ALIASES).filter((a) => SCHEDULE_ALIASES[a] === n).map((a) => ` (alias ${a})`).join(''))
      .join(', ')}; PyTorch/Keras names such as CosineAnnealingLR also work (default: none, constant lr)`,
  );
  cmd.option('--warmup <epochs>', 'linear warmup from 0 to the lr over this many epochs, then the schedule', num);
  cmd.addOption(new Option('--schedule-unit <unit>', "what the schedule's t counts: 'iteration' (fractional epochs) or 'epoch'").choices(['iteration', 'epoch']).argParser(choice(['iteration', 'epoch'])).default('iteration'));
  const help: Record<string, string> = {
    t0: 'sgdr: length of the first period in epochs (default 1)',
    tMult: 'sgdr: period multiplier after each restart (default 2)',
    lrMin: 'cosine, sgdr: the lowest lr (default 0)',
    tMax: 'cosine: half-period in epochs (default: --epochs)',
    totalSteps: 'oneCycle: length in epochs (default: --epochs)',
    totalIters: 'linear, polynomial: length in epochs (default: --epochs for polynomial)',
    lrMax: 'cyclic, oneCycle: the peak lr (default: --lr)',
    milestones: 'multiStep: epochs at which the lr is multiplied by gamma, e.g. 10,20',
  };
  for (const [key, type] of Object.entries(SCHEDULE_KEYS)) {
    const text = help[key] ?? `schedule option ${key}`;
    if (type === 'boolean') cmd.option(`--${kebab(key)}`, text);
    else if (type === 'list') cmd.option(`--${kebab(key)} <list>`, text, numList);
    else if (type === 'string') cmd.option(`--${kebab(key)} <value>`, text);
    else cmd.option(`--${kebab(key)} <value>`, text, num);
  }
  return cmd;
}

export function addOutputFlags(cmd: Command, outHelp = 'directory for the JSON results and SVG plots'): Command {
  return cmd
    .option('--out <dir>', outHelp)
    .option('--quiet', 'no progress or summary, errors only', false)
    .option('--json', 'print one JSON document with the results on stdout at the end', false)
    .option('--scalar', 'use the scalar (non-SIMD) WebAssembly build', false)
    .option('--fma', 'use the relaxed-SIMD core (fused multiply-add in the matrix products): faster, equal to the default core within float32 tolerance, not bit for bit', false)
    .option('--png', 'also write PNG copies of the plots (rsvg-convert, else headless Chromium; default: only when rsvg-convert is installed)', false);
}

/** Keys whose values came from the command line (not defaults). */
export function given(cmd: Command, keys: Iterable<string>): string[] {
  const out: string[] = [];
  for (const k of keys) if (cmd.getOptionValueSource(k) === 'cli') out.push(k);
  return out;
}
