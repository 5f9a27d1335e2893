// simdescent train --fma: the relaxed-SIMD core from the command line. The command is spawned
// without --experimental-wasm-relaxed-simd, as users run it: on Node 20 it turns the V8 flag on
// itself (src/cli/fma.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeCheckpoint } from '../../src/index.js';
import { close } from '../_helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/simdescent.js');
const tmp = mkdtempSync(join(tmpdir(), 'simdescent-fma-'));
const Fma = suite('cli/fma');
Fma.after(() => rmSync(tmp, { recursive: true, force: true }));

function train(dir: string, flags: string[]) {
  const args = [bin, 'train', '--data', 'digits', '--layers', '64,32,10', '--batch-size', '64', '--epochs', '2', '--json', '--out', join(tmp, dir), ...flags];
  const r = spawnSync(process.execPath, args, { cwd: tmp, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NODE_OPTIONS: '' }, timeout: 120_000 });
  assert.is(r.status, 0, r.stderr);
  const ck = decodeCheckpoint(new Uint8Array(readFileSync(join(tmp, dir, 'checkpoint.sdck'))));
  return { stderr: r.stderr, doc: JSON.parse(r.stdout), state: new Float32Array(ck.optimizerState.slice().buffer) };
}

Fma('--fma trains on the relaxed core (reported as core), within float32 tolerance of the default core, same bits when repeated', () => {
  const exact = train('exact', []);
  const a = train('fma-a', ['--fma']);
  const b = train('fma-b', ['--fma']);
  assert.is(exact.doc.core, 'simd');
  assert.is(a.doc.core, 'relaxed');
  assert.is(a.stderr, '', 'no notice: the command enables relaxed SIMD itself');
  assert.ok(Buffer.from(a.state.buffer).equals(Buffer.from(b.state.buffer)), 'same seed, same core, same machine: same bits');
  close(a.doc.history.epochs.map((e: any) => e.loss), exact.doc.history.epochs.map((e: any) => e.loss), { rtol: 1e-5, what: 'epoch losses' });
  close(a.state, exact.state, { rtol: 1e-3, atol: 1e-5, what: 'params and Adam state after 2 epochs' });
});

Fma.run();
