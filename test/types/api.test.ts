// The typed front door, as a user meets it: test/types/consumer/*.ts compile under --strict
// against the emitted package (their @ts-expect-error lines are the mistakes that must not
// compile), and no `any` reaches a user through anything the package exports.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, packageDir, root } from './_package.js';
import { anyPaths } from './_any.js';

test('the consumer files compile under --strict; every listed mistake is a compile error', () => {
  const dir = join(root, 'test', 'types', 'consumer');
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts'))) files[f] = readFileSync(join(dir, f), 'utf8');
  assert.ok(Object.keys(files).length >= 1);
  const expected = Object.values(files).join('\n').match(/@ts-expect-error/g)?.length ?? 0;
  assert.ok(expected >= 20, `${expected} mistakes`);
  assert.equal(compile(files), []);
});

test('no `any` reaches a user through anything the package exports (simdescent and simdescent/plot)', () => {
  const { pkg, entries } = packageDir();
  const paths = anyPaths(entries, pkg);
  assert.equal(paths, [], `any at:\n  ${paths.join('\n  ')}`);
});

test.run();
