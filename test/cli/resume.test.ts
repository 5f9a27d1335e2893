// `simdescent train --resume` ends where the uninterrupted run ends, for every epoch it was
// cut at — with early stopping too (the run cut at the epoch where early stopping fired must
// stop there again, not train another epoch). Spawned as users run it (bin/simdescent.js).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeCheckpoint, encodeCheckpoint, Random } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/simdescent.js');
const tmp = mkdtempSync(join(tmpdir(), 'simdescent-resume-'));

const C = suite('cli/resume');
C.before(() => {
  if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('build first: npm run build (the CLI tests spawn dist/cli through bin/simdescent.js)');
  // A small table: three noisy classes in three columns, with a header.
  const rng = new Random(1);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.float())) * Math.cos(2 * Math.PI * rng.float());
  const rows = ['a,b,c,label'];
  for (let i = 0; i < 150; i++) {
    const k = rng.int(3);
    rows.push([0, 1, 2].map(() => (k + 1.2 * gauss()).toFixed(3)).join(',') + `,${k}`);
  }
  writeFileSync(join(tmp, 'table.csv'), rows.join('\n') + '\n');
});
C.after(() => rmSync(tmp, { recursive: true, force: true }));

function sd(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const state = (dir: string) => decodeCheckpoint(new Uint8Array(readFileSync(join(tmp, dir, 'checkpoint.sdck'))));
const history = (dir: string) => JSON.parse(readFileSync(join(tmp, dir, 'history.json'), 'utf8')).history;

C('--early-stopping 3: a run resumed from an earlier epoch, or the one it fired at, stops where the straight run stopped, with the same params', () => {
  const common = ['--data', 'table.csv', '--early-stopping', '3', '--validation', '0.3', '--lr', '0.05', '--batch-size', '16', '--quiet'];
  let r = sd(['train', ...common, '--epochs', '40', '--out', 'full']);
  assert.is(r.code, 0, r.stderr);
  const full = history('full');
  assert.is(full.stopReason, 'earlyStopping');
  const stopped = full.epochs.length;
  assert.ok(stopped < 40 && stopped >= 4, `stopped at epoch ${stopped}`);
  // Cut before early stopping fired, and at the very epoch it fired (that run stopped there too).
  for (const k of [2, stopped]) {
    const dir = `part${k}`;
    r = sd(['train', ...common, '--epochs', String(k), '--out', dir]);
    assert.is(r.code, 0, r.stderr);
    r = sd(['train', '--resume', dir, '--epochs', '40']);
    assert.is(r.code, 0, r.stderr);
    const h = history(dir);
    assert.is(h.stopReason, 'earlyStopping', `cut at ${k}`);
    assert.is(h.epochs.length, stopped, `cut at ${k}: epochs`);
    assert.is(h.restoredEpoch, full.restoredEpoch, `cut at ${k}: restored epoch`);
    assert.equal(h.epochs.map((e: any) => [e.loss, e.valLoss]), full.epochs.map((e: any) => [e.loss, e.valLoss]), `cut at ${k}: losses`);
    assert.ok(Buffer.from(state(dir).optimizerState).equals(Buffer.from(state('full').optimizerState)), `cut at ${k}: params and optimizer state bit-identical`);
  }
});

C('a checkpoint whose content is wrong (valid checksum) is a one-line usage error naming the field; the file stays', () => {
  const r0 = sd(['train', '--data', 'table.csv', '--validation', '0.3', '--epochs', '2', '--quiet', '--out', 'forged']);
  assert.is(r0.code, 0, r0.stderr);
  const path = join(tmp, 'forged', 'checkpoint.sdck');
  const c = decodeCheckpoint(new Uint8Array(readFileSync(path)));
  for (const [edit, field] of [
    [(x: any) => (x.tracker.wait = -3), 'resume.tracker.wait'],
    [(x: any) => (x.epoch = -1e300), 'resume.epoch'],
    [(x: any) => (x.history.steps = 1.5), 'resume.history.steps'],
  ] as const) {
    const forged = structuredClone(c);
    edit(forged);
    const bytes = encodeCheckpoint(forged);
    writeFileSync(path, bytes);
    const r = sd(['train', '--resume', 'forged', '--epochs', '4']);
    assert.is(r.code, 2, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    assert.is(lines.length, 1, r.stderr);
    assert.ok(lines[0].includes(`--resume forged: fit: ${field}`), lines[0]);
    assert.ok(Buffer.from(readFileSync(path)).equals(Buffer.from(bytes)), 'the checkpoint file is untouched');
  }
});

C.run();
