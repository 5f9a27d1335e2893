// Running the built command as users do (node bin/simdescent.js, from src/cli by `npm run build`)
// for the CLI suites beside cli.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/simdescent.js');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function built(): void {
  if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('build first: npm run build (the CLI tests spawn dist/cli through bin/simdescent.js)');
}

export function sd(args: string[], cwd: string): Result {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The lines a stream printed, without blank ones. */
export const lines = (s: string) => s.split('\n').filter((l) => l !== '');

/** Exit 2 with exactly one line on stderr that matches `re`, and no stack trace. */
export function userError(r: Result, re: RegExp): void {
  assert.is(r.code, 2, `exit code (stderr: ${r.stderr})`);
  const l = lines(r.stderr);
  assert.is(l.length, 1, `one stderr line, got: ${JSON.stringify(r.stderr)}`);
  assert.ok(re.test(l[0]), `stderr ${JSON.stringify(l[0])} should match ${re}`);
  assert.not.match(r.stderr, /\n\s+at /);
}
