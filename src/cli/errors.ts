// User errors: one line on stderr, exit code 2, never a stack trace. Everything the user
// typed or pointed at (flags, files, data, option values the library rejects) ends here.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes: 0 done, 1 internal failure, 2 user error, 3 training diverged (lower the lr), 130 interrupted (SIGINT). */
export const EXIT = { ok: 0, internal: 1, usage: 2, diverged: 3, interrupted: 130 } as const;

/** Collapse a message onto one line (commander and some libraries use newlines). */
/** The exit code the running command asked for (commander's action handlers return nothing). */
export const result = { code: 0 };

export function oneLine(message: string): string {
  return message
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/^error:\s*/i, '');
}

export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function camel(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * A library TypeError/RangeError about options the CLI passed as flags: say it in flag
 * names ("adam: weightDecay must be ≥ 0" → "--weight-decay must be ≥ 0 (adam)").
 */
export function asUsage(err: unknown, flagged: readonly string[] = []): UsageError {
  let msg = oneLine(err instanceof Error ? err.message : String(err));
  for (const key of flagged) {
    msg = msg.replace(new RegExp(`'${key}'`, 'g'), `'--${kebab(key)}'`);
    msg = msg.replace(new RegExp(`(^|: |\\s)${key}(?= )`, 'g'), `$1--${kebab(key)}`);
  }
  return new UsageError(msg);
}

/** Errors the library raises for bad values (TypeError/RangeError) count as user errors. */
export function isUserError(err: unknown): boolean {
  if (err instanceof UsageError) return true;
  if (!(err instanceof TypeError || err instanceof RangeError)) return false;
  // The engine's own TypeErrors/RangeErrors are bugs, not bad input.
  return !/is not a function|Cannot read propert|Cannot set propert|is not defined|is not iterable|Maximum call stack|Invalid array length/.test(err.message);
}

/** Run `fn`, turning the library's TypeError/RangeError into a UsageError. */
export async function userCall<T>(fn: () => T | Promise<T>, flagged: readonly string[] = []): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUserError(err)) throw err instanceof UsageError ? err : asUsage(err, flagged);
    throw err;
  }
}
