// Names on the command line: optimizers, schedules, losses, activations and flags are accepted
// up to case and separators and under the PyTorch/Keras names of src/synonyms.ts
// (--optimizer Adam, --schedule CosineAnnealingLR, --monitor val_loss, --learning-rate); a name
// that still means nothing gets a "did you mean" and the list of names the CLI accepts.
import type { Command } from 'commander';
import { didYouMean } from '../options.js';
import { RULES } from '../optimizers/registry.js';
import { SCHEDULE_NAMES, type ScheduleName } from '../schedules/types.js';
import { resolveName } from '../synonyms.js';
import { UsageError } from './errors.js';
import { SCHEDULE_ALIASES, cliSchedules } from './flags.js';

/** The optimizer `word` names, or a UsageError with a suggestion and the known names. */
export function optimizerName(word: string): string {
  const known = Object.keys(RULES);
  const name = resolveName(word, known);
  if (name !== undefined) return name;
  const hint = didYouMean(word, known);
  throw new UsageError(`--optimizer: unknown optimizer '${word}'${hint ? ` (did you mean '${hint}'?)` : ''}; known: ${known.join(', ')}`);
}

/** The schedule `word` names, or a UsageError that names flags the CLI accepts. */
export function scheduleName(word: string): ScheduleName {
  const offered = cliSchedules();
  const name = (SCHEDULE_ALIASES[word] ?? resolveName(word, SCHEDULE_NAMES)) as ScheduleName | undefined;
  if (name !== undefined && offered.includes(name)) return name;
  const known = `known: ${offered.join(', ')}`;
  if (name === 'warmup') throw new UsageError(`--schedule warmup: use --warmup <epochs> for a linear warmup (before any --schedule); ${known}`);
  if (name !== undefined) {
    throw new UsageError(`--schedule ${name} combines schedules and has no flags (build it with the library's schedule('${name}', …)); on the command line: --warmup <epochs> then --schedule; ${known}`);
  }
  const hint = didYouMean(word, offered);
  throw new UsageError(`--schedule: unknown schedule '${word}'${hint ? ` (did you mean '${hint}'?)` : ''}; ${known}`);
}

/**
 * argv with flag spellings rewritten to the command's own: --learning-rate → --lr,
 * --batch_size / --batchSize → --batch-size, --LR → --lr ("--name=value" too). Flags the
 * command knows, values and everything after "--" pass through; unknown flags stay for
 * commander's "did you mean".
 */
export function canonicalArgv(prog: Command, argv: string[]): string[] {
  const cmd = prog.commands.find((c) => c.name() === argv[0] || c.aliases().includes(argv[0]));
  if (!cmd) return argv;
  const longs = cmd.options.map((o) => o.long).filter((l): l is string => !!l);
  const names = longs.map((l) => l.slice(2));
  const out = [argv[0]];
  let rest = false;
  for (const arg of argv.slice(1)) {
    if (rest || !arg.startsWith('--') || arg === '--') {
      if (arg === '--') rest = true;
      out.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    if (longs.includes(flag)) {
      out.push(arg);
      continue;
    }
    const name = resolveName(flag.slice(2), names);
    out.push(name === undefined ? arg : `--${name}${eq < 0 ? '' : arg.slice(eq)}`);
  }
  return out;
}
