// The simdescent command: commander for parsing, one line on stderr and exit 2 for any user
// error (unknown commands and flags with a "did you mean", bad values, unreadable or
// malformed files, options the library rejects), exit 1 for internal failures.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { benchCommand } from './bench.js';
import { didYouMean } from '../options.js';
import { EXIT, isUserError, oneLine, result } from './errors.js';
import { canonicalArgv } from './names.js';
import { landscapeCommand, lrFindCommand, raceCommand, studyCommand } from './tools.js';
import { trainCommand } from './train.js';

function version(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

export function program(): Command {
  const prog = new Command('simdescent')
    .description('Gradient-descent training on a WebAssembly SIMD core: train MLPs, find learning rates, race optimizers.')
    .version(version(), '-V, --version', 'print the version')
    .showSuggestionAfterError(true);
  for (const c of [trainCommand(), lrFindCommand(), studyCommand(), raceCommand(), landscapeCommand(), benchCommand()]) {
    c.showHelpAfterError(false);
    prog.addCommand(c);
  }
  // Errors are reported by main() on one line; help and version still go to stdout.
  const silence = (c: Command) => {
    c.exitOverride().configureOutput({ writeErr: () => {}, outputError: () => {} });
    c.commands.forEach(silence);
  };
  silence(prog);
  return prog;
}

/** Run with argv (without node and the script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  // `simdescent … | head`: a closed pipe ends the command quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT.ok);
  });
  // The library's one-time notices (console.info, e.g. "threads unavailable … using one
  // worker") are diagnostics: stderr, so stdout stays the results (one document with --json).
  const info = console.info;
  console.info = (...args: unknown[]) => console.error(...args);
  const prog = program();
  let code: number = EXIT.ok;
  result.code = EXIT.ok;
  try {
    if (argv.length === 0) {
      prog.outputHelp();
      return EXIT.ok;
    }
    await prog.parseAsync(canonicalArgv(prog, argv), { from: 'user' });
    code = result.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return EXIT.ok;
      if (err.message === '(outputHelp)' && argv[0] === 'help') {
        // `simdescent help nope`: commander prints the general help to stderr; say what was wrong.
        const names = prog.commands.map((c) => c.name());
        const hint = didYouMean(argv[1] ?? '', names);
        return report(`unknown command '${argv[1]}'${hint ? ` (Did you mean ${hint}?)` : ''}; commands: ${names.join(', ')}`, EXIT.usage);
      }
      return report(unknownOptionHint(prog, argv, err), EXIT.usage);
    }
    if (isUserError(err)) return report((err as Error).message, EXIT.usage);
    if (process.env.SIMDESCENT_DEBUG) console.error(err);
    return report(`internal error: ${(err as Error)?.message ?? String(err)} (set SIMDESCENT_DEBUG=1 for the stack)`, EXIT.internal);
  } finally {
    console.info = info;
  }
  return code;
}

/** commander's "unknown option" with a suggestion where it has none: --learning-rat → --lr (via the synonyms). */
function unknownOptionHint(prog: Command, argv: string[], err: CommanderError): string {
  const m = /^error: unknown option '(--[^'=]+)'$/.exec(err.message.trim());
  const cmd = prog.commands.find((c) => c.name() === argv[0]);
  if (err.code !== 'commander.unknownOption' || !m || !cmd) return err.message;
  const longs = cmd.options.map((o) => o.long?.slice(2)).filter((l): l is string => !!l);
  const hint = didYouMean(m[1].slice(2), longs);
  return hint ? `${err.message.trim()} (Did you mean --${hint}?)` : err.message;
}

function report(message: string, code: number): number {
  process.stderr.write(`simdescent: ${oneLine(message)}\n`);
  return code;
}

