// The simdescent command, spawned as users run it (node bin/simdescent.js, built from
// src/cli by `npm run build`): each command on small data, exit codes, one-line errors,
// --json output, checkpoint/resume and the SVG files.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseHTML } from 'linkedom';
import { decodeCheckpoint } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/simdescent.js');
const tmp = mkdtempSync(join(tmpdir(), 'simdescent-cli-'));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sd(args: string[], cwd = tmp): Result {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exit 2 with exactly one line on stderr that matches `re`, and no stack trace. */
function userError(r: Result, re: RegExp): void {
  assert.is(r.code, 2, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.is(lines.length, 1, `one stderr line, got: ${JSON.stringify(r.stderr)}`);
  assert.ok(re.test(lines[0]), `stderr ${JSON.stringify(lines[0])} should match ${re}`);
  assert.not.match(r.stderr, /\n\s+at /);
}

function validSvg(path: string, marks: string[] = []): void {
  assert.ok(existsSync(path), `${path} exists`);
  const text = readFileSync(path, 'utf8');
  assert.match(text.trimStart(), /^(<\?xml[^>]*>\s*)?<svg[\s>]/);
  assert.match(text.trimEnd(), /<\/svg>$/);
  const { document } = parseHTML(`<!doctype html><html><body>${text}</body></html>`);
  const svg = document.querySelector('svg');
  assert.ok(svg, 'an <svg> element');
  assert.ok(svg!.querySelectorAll('path, line, circle, polyline, rect').length > 0, 'draws something');
  for (const m of marks) assert.ok(text.includes(m), `${path} mentions ${m}`);
}

const Cli = suite('cli');

Cli.before(() => {
  if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('build first: npm run build (the CLI tests spawn dist/cli through bin/simdescent.js)');
});
Cli.after(() => rmSync(tmp, { recursive: true, force: true }));

Cli('--version and --help on every command', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const v = sd(['--version']);
  assert.is(v.code, 0);
  assert.is(v.stdout.trim(), pkg.version);
  const top = sd(['--help']);
  assert.is(top.code, 0);
  for (const c of ['train', 'lr-find', 'study', 'race', 'landscape', 'bench']) assert.ok(top.stdout.includes(c), `--help lists ${c}`);
  for (const [c, dflt] of [
    ['train', '(default: 10)'],
    ['lr-find', '(default: 1e-7)'],
    ['study', 'default: "linear"'],
    ['race', '(default: 500)'],
    ['landscape', '(default: 21)'],
    ['bench', '(default: 100000)'],
  ]) {
    const h = sd([c, '--help']);
    assert.is(h.code, 0, `${c} --help`);
    assert.ok(h.stdout.includes(`Usage: simdescent ${c}`), `${c} usage line`);
    assert.ok(h.stdout.includes(dflt), `${c} --help shows defaults (${dflt})`);
    assert.is(h.stderr, '');
  }
  const train = sd(['train', '--help']).stdout;
  for (const flag of ['--weight-decay', '--beta1', '--nesterov', '--t-mult', '--lr-min', '--milestones', '--resume', '--early-stopping']) {
    assert.ok(train.includes(flag), `train --help lists ${flag}`);
  }
});

Cli('unknown commands and flags: one line with did-you-mean, exit 2', () => {
  userError(sd(['trian']), /^simdescent: unknown command 'trian' \(Did you mean train\?\)$/);
  userError(sd(['train', '--lrr', '0.1']), /unknown option '--lrr' \(Did you mean --lr\?\)/);
  userError(sd(['race', '--optimisers', 'sgd']), /unknown option '--optimisers' \(Did you mean --optimizers\?\)/);
  userError(sd(['train', '--optimizer', 'adma']), /--optimizer: unknown optimizer 'adma' \(did you mean 'adam'\?\)/);
  userError(sd(['train', '--data', 'digts']), /--data 'digts' is neither a built-in dataset nor an existing file \(did you mean 'digits'\?\)/);
  userError(sd(['train', 'extra']), /too many arguments for 'train'/);
  userError(sd(['help', 'rase']), /^simdescent: unknown command 'rase' \(Did you mean race\?\); commands: train, predict, evaluate, lr-find, study, race, landscape, bench, export-torch, import-torch$/);
  assert.is(sd(['help', 'race']).code, 0);
});

Cli('bad values: one line naming the flag, exit 2', () => {
  userError(sd(['train', '--lr', 'abc']), /option '--lr <rate>' argument 'abc' is invalid\. expected a finite number\./);
  userError(sd(['train', '--epochs', '0']), /'--epochs <n>' argument '0' is invalid\. expected a positive integer\./);
  userError(sd(['train', '--validation', '1.5']), /'--validation <fraction>' argument '1.5' is invalid\. expected a fraction in \[0, 1\)\./);
  userError(sd(['train', '--activation', 'gelu']), /'--activation <name>' argument 'gelu' is invalid\. Allowed choices are relu, tanh, sigmoid, linear\./);
  userError(sd(['train', '--lr', '-1']), /--lr must be ≥ 0, got -1/);
  userError(sd(['train', '--beta1', '1.5']), /--beta1 must be in \[0, 1\), got 1.5/);
  userError(sd(['train', '--momentum', '0.9']), /--momentum does not apply to --optimizer adam; adam takes --lr, --beta1/);
  userError(sd(['train', '--optimizer', 'sgd', '--nesterov']), /nesterov requires momentum > 0/);
  userError(sd(['train', '--t0', '2']), /^simdescent: --t0 is a schedule option; choose a schedule with --schedule$/);
  userError(sd(['race', '--optimizers', 'sgd,adam', '--lrs', '0.1']), /--lrs has 1 values for 2 optimizers/);
  userError(sd(['bench', '--seconds', '0']), /--seconds must be in \(0, 60\], got 0/);
  userError(sd(['train', '--workers', '0']), /^simdescent: option '--workers <n\|auto>' argument '0' is invalid\. expected a positive integer or 'auto'\.$/);
  userError(sd(['train', '--workers', 'foo']), /^simdescent: option '--workers <n\|auto>' argument 'foo' is invalid\. expected a positive integer or 'auto'\.$/);
  userError(sd(['study', '--workers', '1.5']), /'--workers <n\|auto>' argument '1\.5' is invalid/);
  userError(sd(['race', '--surface', 'beale', '--workers', '2']), /^simdescent: --workers applies to --data races, not to surfaces$/);
});

Cli('missing files, malformed CSV, layer sizes', () => {
  userError(sd(['train', '--data', 'nope/missing.csv']), /^simdescent: cannot read data file nope\/missing\.csv: no such file$/);
  const bad = join(tmp, 'bad.csv');
  writeFileSync(bad, 'a,b,label\n1,2,0\n3,x,1\n');
  userError(sd(['train', '--data', bad, '--epochs', '1']), /bad\.csv: .*line 3.*column 2/i);
  userError(sd(['train', '--layers', '32,16,10', '--epochs', '1']), /--layers 32,16,10: the first width must be 64, the data's number of features/);
  userError(sd(['train', '--layers', '64,16,3', '--epochs', '1']), /--layers 64,16,3: the last width must be 10, the data's number of classes/);
  userError(sd(['train', '--resume', join(tmp, 'no-such-run')]), /--resume .*no-such-run: no such directory/);
  userError(sd(['train', '--data', tmp]), /^simdescent: cannot read data file .*: is a directory$/);
  userError(sd(['train', '--resume', tmp]), /--resume .*: cannot read run file .*run\.json: no such file/);
});

Cli('bench --json parses and compares the three contenders', () => {
  const r = sd(['bench', '--seconds', '0.02', '--size', '1000', '--json']);
  assert.is(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.is(doc.command, 'bench');
  const contenders = new Set(doc.rows.map((x: any) => x.contender));
  assert.ok(contenders.has('plain JS') && contenders.has('simdescent scalar'));
  for (const row of doc.rows) assert.ok(row.perSec > 0, `${row.contender} ${row.what}`);
  assert.is(doc.checks.length, 2);
  for (const c of doc.checks) assert.not.match(c, /MISMATCH/);
  const table = sd(['bench', '--seconds', '0.02', '--size', '1000']);
  assert.is(table.code, 0);
  assert.match(table.stdout, /x plain JS/);
});

Cli('race on a surface: table, --json, JSON + SVG under --out', () => {
  const out = join(tmp, 'race');
  const r = sd(['race', '--surface', 'rosenbrock', '--optimizers', 'sgd,momentum,adam', '--lrs', '0.001,0.001,0.01', '--steps', '50', '--out', out]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /race on rosenbrock/);
  for (const name of ['sgd', 'momentum', 'adam']) assert.match(r.stdout, new RegExp(`\\n\\s+${name}\\s`));
  const doc = JSON.parse(readFileSync(join(out, 'race.json'), 'utf8'));
  assert.equal(doc.runs.map((x: any) => x.name), ['sgd', 'momentum', 'adam']);
  for (const run of doc.runs) assert.is(run.path.length, 51);
  validSvg(join(out, 'race.svg'));
  const j = sd(['race', '--surface', 'beale', '--optimizers', 'adam', '--steps', '10', '--json']);
  assert.is(j.code, 0, j.stderr);
  const parsed = JSON.parse(j.stdout);
  assert.is(parsed.runs[0].losses.length, 11);
  userError(sd(['race', '--surface', 'rosenbrok']), /rosenbrok/);
  // --png: a PNG copy where a renderer exists (rsvg-convert or Chromium), else a note saying why not.
  const p = sd(['race', '--surface', 'beale', '--optimizers', 'adam', '--steps', '10', '--png', '--json', '--out', join(tmp, 'race-png')]);
  assert.is(p.code, 0, p.stderr);
  const pd = JSON.parse(p.stdout);
  if (pd.files['race.png']) {
    assert.equal([...readFileSync(pd.files['race.png']).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  } else {
    assert.ok(pd.notes.some((n: string) => /PNG copies skipped/.test(n)), JSON.stringify(pd.notes));
  }
});

Cli('race on data: same init per optimizer, lr from the finder on request', () => {
  const r = sd(['race', '--data', 'blobs', '--samples', '200', '--layers', '2,8,3', '--optimizers', 'sgd:momentum=0.9,adam', '--lrs', 'find,0.01', '--epochs', '2', '--json']);
  assert.is(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.runs.map((x: any) => x.name), ['sgd', 'adam']);
  assert.match(doc.runs[0].lrFrom, /lrFinder/);
  assert.is(doc.runs[0].options.momentum, 0.9);
  assert.is(doc.runs[1].lr, 0.01);
  userError(sd(['race', '--surface', 'beale', '--lrs', 'find', '--optimizers', 'adam']), /--lrs find needs a dataset/);
  userError(sd(['race', '--optimizers', 'sgd:momentum']), /--optimizers: 'momentum' in 'sgd:momentum' is not key=value/);
});

Cli('train on blobs: lines per epoch, summary, files, valid SVGs', () => {
  const out = join(tmp, 'blobs');
  const r = sd(['train', '--data', 'blobs', '--samples', '300', '--epochs', '3', '--batch-size', '16', '--lr', '0.01', '--schedule', 'sgdr', '--out', out]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  assert.is((r.stdout.match(/^epoch \d\/3 /gm) ?? []).length, 3, 'one line per epoch when stdout is not a terminal');
  assert.match(r.stdout, /completed 3\/3 epochs/);
  assert.match(r.stdout, /test accuracy \d+\.\d\d%/);
  assert.match(r.stdout, /[\u2800-\u28ff]/, 'a braille loss chart');
  for (const f of ['history.json', 'checkpoint.sdck', 'run.json', 'learning-curves.svg', 'lr-schedule.svg']) assert.ok(existsSync(join(out, f)), f);
  assert.not.ok(readdirSync(out).some((f) => f.endsWith('.tmp')), 'no temporary files left');
  const h = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
  assert.is(h.history.epochs.length, 3);
  assert.is(h.stopReason, 'completed');
  assert.is(h.config.model.loss, 'softmaxCrossEntropy', 'classification data defaults to softmaxCrossEntropy');
  assert.equal(h.config.model.layers, [2, 128, 3]);
  validSvg(join(out, 'learning-curves.svg'));
  validSvg(join(out, 'lr-schedule.svg'));
});

Cli('held-out test rows are drawn independently of the generator (test accuracy tracks validation)', () => {
  // A split seeded like moons' own label shuffle once held out one class only (test accuracy 19%).
  const r = sd(['train', '--data', 'moons', '--epochs', '5', '--json', '--out', join(tmp, 'moons5')]);
  assert.is(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.ok(Math.abs(doc.test.accuracy - doc.final.valAccuracy) < 0.15, `test ${doc.test.accuracy} vs validation ${doc.final.valAccuracy}`);
  assert.ok(doc.test.accuracy > 0.7, `test accuracy ${doc.test.accuracy}`);
});

Cli('train --json: one JSON document on stdout, nothing else', () => {
  const r = sd(['train', '--data', 'moons', '--samples', '200', '--epochs', '2', '--layers', '2,8,2', '--json', '--out', join(tmp, 'moons')]);
  assert.is(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.is(doc.command, 'train');
  assert.is(doc.history.epochs.length, 2);
  assert.ok(doc.test.accuracy >= 0 && doc.test.accuracy <= 1);
  assert.ok(doc.files.history.endsWith('history.json'));
  const q = sd(['train', '--data', 'moons', '--samples', '200', '--epochs', '1', '--quiet', '--out', join(tmp, 'quiet')]);
  assert.is(q.code, 0, q.stderr);
  assert.is(q.stdout, '');
});

Cli('CSV: header is line 1, --label by name, regression defaults to mse', () => {
  const csv = join(tmp, 'reg.csv');
  const rows = ['x1,x2,target'];
  for (let i = 0; i < 60; i++) rows.push(`${(i % 7) / 7},${(i % 5) / 5},${((i % 7) / 7) * 2 - (i % 5) / 5}`);
  writeFileSync(csv, rows.join('\n') + '\n');
  const r = sd(['train', '--data', csv, '--label', 'target', '--epochs', '2', '--standardize', '--json', '--out', join(tmp, 'reg')]);
  assert.is(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.is(doc.config.data.standardize, true);
  assert.is(doc.test.accuracy, undefined);
  assert.ok(doc.test.loss >= 0);
  assert.is(doc.config.model.loss, 'mse');
  assert.equal(doc.config.model.layers, [2, 128, 1]);
});

Cli('--resume continues to the same final params as an uninterrupted run', () => {
  const common = ['--data', 'blobs', '--samples', '240', '--batch-size', '16', '--lr', '0.01', '--schedule', 'sgdr', '--t0', '1', '--validation', '0.2', '--quiet'];
  const full = join(tmp, 'full');
  const part = join(tmp, 'part');
  assert.is(sd(['train', ...common, '--epochs', '4', '--out', full]).code, 0);
  assert.is(sd(['train', ...common, '--epochs', '2', '--out', part]).code, 0);
  userError(sd(['train', '--resume', part, '--lr', '0.1']), /--lr cannot be changed when resuming/);
  userError(sd(['train', '--resume', part, '--epochs', '2']), /already has 2 epochs; pass --epochs greater than 2/);
  const r = sd(['train', '--resume', part, '--epochs', '4', '--json']);
  assert.is(r.code, 0, r.stderr);
  const a = decodeCheckpoint(new Uint8Array(readFileSync(join(full, 'checkpoint.sdck'))));
  const b = decodeCheckpoint(new Uint8Array(readFileSync(join(part, 'checkpoint.sdck'))));
  assert.is(b.epoch, 4);
  assert.ok(Buffer.from(a.optimizerState).equals(Buffer.from(b.optimizerState)), 'params and optimizer state bit-identical');
  const h = JSON.parse(readFileSync(join(part, 'history.json'), 'utf8'));
  assert.equal(h.history.epochs.map((e: any) => e.epoch), [1, 2, 3, 4]);
  const hf = JSON.parse(readFileSync(join(full, 'history.json'), 'utf8'));
  assert.equal(h.history.epochs.map((e: any) => e.loss), hf.history.epochs.map((e: any) => e.loss));
  // A corrupt checkpoint is a one-line error and leaves the file as it was.
  const ck = join(part, 'checkpoint.sdck');
  const bytes = readFileSync(ck);
  bytes[40] ^= 0xff;
  writeFileSync(ck, bytes);
  userError(sd(['train', '--resume', part, '--epochs', '6']), /checksum mismatch/);
  assert.is(statSync(ck).size, bytes.length);
});

Cli('--scalar trains on the scalar core to the same bits', () => {
  const common = ['train', '--data', 'moons', '--samples', '200', '--layers', '2,16,2', '--epochs', '2', '--quiet'];
  assert.is(sd([...common, '--out', join(tmp, 'simd')]).code, 0);
  assert.is(sd([...common, '--scalar', '--out', join(tmp, 'scalar')]).code, 0);
  const a = decodeCheckpoint(new Uint8Array(readFileSync(join(tmp, 'simd', 'checkpoint.sdck'))));
  const b = decodeCheckpoint(new Uint8Array(readFileSync(join(tmp, 'scalar', 'checkpoint.sdck'))));
  assert.ok(Buffer.from(a.optimizerState).equals(Buffer.from(b.optimizerState)));
});

Cli('--workers 2 trains on two threads to the same bits as --workers 1; --scalar falls back with a notice on stderr', () => {
  // Batches of 128 rows are sharded (64-row shards), so two workers share every step.
  const common = ['train', '--data', 'digits', '--layers', '64,32,10', '--batch-size', '128', '--epochs', '2', '--json'];
  const runs = [
    ['w1', '--workers', '1'],
    ['w2', '--workers', '2'],
    ['w2scalar', '--workers', '2', '--scalar'],
  ].map(([dir, ...flags]) => {
    const r = sd([...common, ...flags, '--out', join(tmp, dir)]);
    assert.is(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    const ck = decodeCheckpoint(new Uint8Array(readFileSync(join(tmp, dir, 'checkpoint.sdck'))));
    return { r, doc, ck };
  });
  const [one, two, scalar] = runs;
  assert.is(one.doc.workers, 1);
  assert.is(two.doc.workers, 2);
  assert.is(one.r.stderr, '');
  assert.is(two.r.stderr, '');
  for (const x of [two, scalar]) {
    assert.ok(Buffer.from(x.ck.optimizerState).equals(Buffer.from(one.ck.optimizerState)), 'params and optimizer state bit-identical');
    assert.equal(x.doc.history.epochs.map((e: any) => e.loss), one.doc.history.epochs.map((e: any) => e.loss));
    assert.is(x.doc.final.valLoss, one.doc.final.valLoss);
    assert.equal(x.doc.test, one.doc.test);
  }
  // The scalar build has no threads: init's one-time notice goes to stderr, stdout stays one JSON document.
  assert.is(scalar.doc.workers, 1);
  const lines = scalar.r.stderr.split('\n').filter(Boolean);
  assert.is(lines.length, 1, scalar.r.stderr);
  assert.match(lines[0], /threads unavailable \(the scalar build was requested.*\); using one worker/);
  const quiet = sd(['train', '--data', 'moons', '--samples', '200', '--epochs', '1', '--workers', '2', '--scalar', '--quiet', '--out', join(tmp, 'w2quiet')]);
  assert.is(quiet.code, 0, quiet.stderr);
  assert.is(quiet.stderr + quiet.stdout, '', '--quiet silences the notice too');
});

Cli('Ctrl-C: stops after the current batch, saves a checkpoint, exits 130, resumable', async () => {
  const out = join(tmp, 'sigint');
  const child = spawn(process.execPath, [bin, 'train', '--data', 'digits', '--epochs', '500', '--batch-size', '8', '--out', out], { cwd: tmp });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => {
    let sent = false;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!sent && /epoch +1\/500/.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('close', (c) => resolve(c));
  });
  assert.is(code, 130, `exit code (stderr: ${stderr})`);
  const lines = stderr.split('\n').filter(Boolean);
  assert.is(lines.length, 1);
  assert.match(lines[0], /interrupted after \d+ epochs?: checkpoint saved; continue with: simdescent train --resume .*sigint --epochs 500/);
  const c = decodeCheckpoint(new Uint8Array(readFileSync(join(out, 'checkpoint.sdck'))));
  assert.ok(c.epoch >= 1 && c.epoch < 500);
  const r = sd(['train', '--resume', out, '--epochs', String(c.epoch + 1), '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).history.epochs.length, c.epoch + 1);
});

Cli('lr-find, study and landscape on small data write JSON and SVG', () => {
  const lr = join(tmp, 'lr');
  const a = sd(['lr-find', '--data', 'blobs', '--samples', '300', '--steps', '30', '--out', lr]);
  assert.is(a.code, 0, a.stderr);
  assert.match(a.stdout, /suggestions:/);
  const fd = JSON.parse(readFileSync(join(lr, 'lr-find.json'), 'utf8'));
  assert.ok(fd.lrs.length > 5 && fd.lrs.length === fd.losses.length);
  validSvg(join(lr, 'lr-finder.svg'));

  const st = join(tmp, 'study');
  const b = sd(['study', '--data', 'blobs', '--samples', '200', '--batch-sizes', '8,32', '--epochs', '1', '--lr', '0.01', '--out', st, '--json']);
  assert.is(b.code, 0, b.stderr);
  JSON.parse(b.stdout);
  validSvg(join(st, 'batch-study.svg'));

  const la = join(tmp, 'land');
  const c = sd(['landscape', '--data', 'blobs', '--samples', '200', '--epochs', '1', '--grid', '5', '--out', la, '--json']);
  assert.is(c.code, 0, c.stderr);
  JSON.parse(c.stdout);
  validSvg(join(la, 'landscape.svg'));
  userError(sd(['lr-find', '--lr', '0.1']), /lr-find sets the lr itself/);
});

Cli.run();
