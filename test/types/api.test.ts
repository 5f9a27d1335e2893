// The typed front door, as a user meets it, compiled under --strict against the emitted package
// ('simdescent' through its exports map; test/types/_package.ts): the consumer files in
// test/types/consumer (their @ts-expect-error lines are the everyday mistakes that must not
// compile) and every ```ts block of the README; and no `any` reaches a user through anything
// the package exports.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, packageDir, root } from './_package.js';
import { anyPaths } from './_any.js';

const consumer = join(root, 'test', 'types', 'consumer');
const files: Record<string, string> = {};
for (const f of readdirSync(consumer).filter((f) => f.endsWith('.ts'))) files[`consumer/${f}`] = readFileSync(join(consumer, f), 'utf8');

// README blocks are excerpts: a block with its own imports stands alone (the user's own arrays
// are declared, typed as the README describes them); a block without continues the quick start.
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const yourData = 'declare const initialParams: Float32Array;\ndeclare const gradient: Float32Array;\n';
const quickStart = "import { init, schedule, datasets } from 'simdescent';\nconst sd = await init();\nconst data = await datasets.digits();\nconst model = sd.mlp({ layers: [64, 128, 10] });\n";
// A block that imports Node's own modules (node:fs) is a Node user's code: it compiles with
// @types/node, as in their project; every other block without it, as in a browser project.
const nodeFiles: Record<string, string> = {};
blocks.forEach((b, i) => {
  const text = (/^import /m.test(b) ? yourData : quickStart) + b + 'export {};\n';
  if (/from 'node:/.test(b)) nodeFiles[`readme/block${i + 1}.ts`] = text;
  else files[`readme/block${i + 1}.ts`] = text;
});

let errors: string[] = [];
test.before(() => {
  errors = compile(files);
  if (Object.keys(nodeFiles).length) errors.push(...compile(nodeFiles, { types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] }));
});

test('the consumer files compile under --strict; every listed mistake is a compile error', () => {
  const names = Object.keys(files).filter((f) => f.startsWith('consumer/'));
  assert.ok(names.length >= 1);
  const expected = names.map((f) => files[f]).join('\n').match(/@ts-expect-error/g)?.length ?? 0;
  assert.ok(expected >= 20, `${expected} mistakes`);
  assert.equal(errors.filter((e) => /consumer\//.test(e)), []);
});

test("the README's ts blocks compile under --strict against the package", () => {
  assert.ok(blocks.length >= 3, `${blocks.length} blocks`);
  assert.equal(errors.filter((e) => /readme\//.test(e)), []);
  assert.equal(errors, [], 'no error anywhere else (the package itself)');
});

test('no `any` reaches a user through anything the package exports (simdescent and simdescent/plot)', () => {
  const { pkg, entries } = packageDir();
  const paths = anyPaths(entries, pkg);
  assert.equal(paths, [], `any at:\n  ${paths.join('\n  ')}`);
});

test.run();
