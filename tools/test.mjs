// npm test: every uvu suite under test/ (TypeScript through tsx) in one process, then the
// plain "N passed, N failed" line CI reads. An optional argument narrows the run to test
// files whose path matches it: `node tools/test.mjs 'schedules/'`.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Tests are type-checked with src (test/tsconfig.json) before any runs: a type error fails the run.
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'test/tsconfig.json')], { cwd: root, encoding: 'utf8' });
if (tsc.status !== 0) {
  process.stdout.write(tsc.stdout + tsc.stderr);
  console.log('\ntype check failed (tsc -p test/tsconfig.json)\n0 passed, 1 failed');
  process.exit(1);
}
const pattern = process.argv[2] ? `^(?=.*(?:${process.argv[2]})).*\\.test\\.ts$` : '\\.test\\.ts$';
// Node 20's V8 has WebAssembly relaxed SIMD behind a flag: turn it on so the relaxed (FMA) core of
// init({ fma: true }) is tested too (test/core-choice.test.ts). A Node that no longer knows the
// flag (its V8 ships relaxed SIMD) runs without it.
const RELAXED = '--experimental-wasm-relaxed-simd';
const relaxedFlag = spawnSync(process.execPath, [RELAXED, '-e', '0'], { stdio: 'ignore' }).status === 0 ? [RELAXED] : [];
const child = spawn(process.execPath, [...relaxedFlag, '--import', 'tsx', join(root, 'node_modules/uvu/bin.js'), 'test', pattern, '-i', '^fixtures', '-i', '^artifacts'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, FORCE_COLOR: '0' },
});
let out = '';
let lingering;
child.stdout.on('data', (d) => {
  out += d;
  process.stdout.write(d);
  // uvu prints Duration last. A process still alive long after has leaked a handle (a worker,
  // a server): say so and end it rather than hang CI.
  if (!lingering && /Duration:/.test(out)) {
    lingering = setTimeout(() => {
      console.log('\nwarning: the test process did not exit 20 s after its last suite (a leaked handle); ending it');
      child.kill('SIGKILL');
    }, 20000);
    lingering.unref();
  }
});
child.on('close', (code) => {
  clearTimeout(lingering);
  const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const finished = /Duration:/.test(out);
  const failed = total - passed - skipped;
  const ok = finished && failed === 0 && total > 0 && (code === 0 || code === null);
  console.log(`\n${passed} passed, ${ok ? 0 : Math.max(1, failed)} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(ok ? 0 : 1);
});
