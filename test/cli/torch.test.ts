// simdescent export-torch → train.py (PyTorch, one process and DDP under torchrun) →
// import-torch → train --resume, on a real CSV (data/tables/wine.csv): the PyTorch
// continuation ends within 1e-4 (relative L2 per tensor) of simdescent's own --resume, the
// import is bit for bit, and bad input is refused with one line, writing nothing. Needs a
// python3 that imports torch (Debian's python3-torch); without one the PyTorch cases are
// skipped with a notice. SIMDESCENT_PYTHON names the interpreter to use.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { datasets, decodeCheckpoint, decodeSafetensors, encodeCheckpoint, init, split, type Checkpoint, type FitOptions } from '../../src/index.js';
import { decodeState } from '../../src/optimizers/state.js';
import { bitsEqual } from '../_helpers.js';
import { exportRun, importRun } from '../../src/cli/torch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/simdescent.js');
const tmp = mkdtempSync(join(tmpdir(), 'simdescent-torch-'));
const TOL = 1e-4;

/** The first interpreter that imports torch, or undefined; and any python3 at all. */
function findPython(): { torch?: string; any?: string } {
  const candidates = process.env.SIMDESCENT_PYTHON ? [process.env.SIMDESCENT_PYTHON] : ['python3', '/usr/bin/python3'];
  let any: string | undefined;
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' });
    if (r.error) continue;
    any ??= py;
    if (r.status === 0) return { torch: py, any };
  }
  return { any };
}
const python = findPython();
if (!python.torch) {
  console.log(`\n  PyTorch tests skipped: no python3 that can import torch (${process.env.SIMDESCENT_PYTHON ?? 'python3, /usr/bin/python3'}). Enable them with: apt-get install -y python3-torch\n`);
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { cwd: tmp, env: { ...process.env, FORCE_COLOR: '0', OMP_NUM_THREADS: '1', ...env } });
    let stdout = '', stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function ok(p: Promise<Result>, what: string): Promise<Result> {
  const r = await p;
  assert.is(r.code, 0, `${what} failed: ${r.stderr}`);
  return r;
}

const sd = (...args: string[]) => run(process.execPath, [bin, ...args]);
const py = (...args: string[]) => run(python.torch!, args);
/** torchrun as `python3 -m torch.distributed.run`. --redirects/--tee 1: Debian's PyTorch 1.13 launcher fails on Python 3.11 with the default of 0 (its Std flag lookup). */
const ddp = (k: number, ...args: string[]) => run(python.torch!, ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', String(k), '--redirects', '1', '--tee', '1', ...args]);

/** Exit 2 with one stderr line matching re, and no stack trace. */
function userError(r: Result, re: RegExp): void {
  assert.is(r.code, 2, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.is(lines.length, 1, `one stderr line, got: ${JSON.stringify(r.stderr)}`);
  assert.ok(re.test(lines[0]), `stderr ${JSON.stringify(lines[0])} should match ${re}`);
}

interface Saved {
  epoch: number;
  steps: number;
  rng: number[];
  epochs: number;
  stop: string;
  restored?: number;
  tensors: Map<string, Float32Array>;
}

/** A run directory's checkpoint as PyTorch-named tensors: params and each state array, per layer. */
function load(dir: string): Saved {
  const c = decodeCheckpoint(new Uint8Array(readFileSync(join(tmp, dir, 'checkpoint.sdck'))));
  const s = decodeState(c.optimizerState);
  const layers = (c.model as { layers: number[] }).layers;
  const tensors = new Map<string, Float32Array>();
  let at = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const parts: Array<[string, number]> = [[`${2 * l}.weight`, layers[l] * layers[l + 1]], [`${2 * l}.bias`, layers[l + 1]]];
    for (const [name, n] of parts) {
      tensors.set(name, s.arrays[0].slice(at, at + n));
      s.states.forEach((key, j) => tensors.set(`${name}.${key}`, s.arrays[j + 1].slice(at, at + n)));
      at += n;
    }
  }
  return { epoch: c.epoch, steps: c.history.steps, rng: c.rngState, epochs: c.history.epochs.length, stop: c.history.stopReason, restored: c.history.restoredEpoch, tensors };
}

/** Relative L2 distance per tensor; the largest. */
function worst(a: Saved, b: Saved): { name: string; rel: number } {
  let w = { name: '', rel: 0 };
  for (const [name, x] of a.tensors) {
    const y = b.tensors.get(name)!;
    assert.ok(y, `${name} in both`);
    let d = 0, n = 0;
    for (let i = 0; i < x.length; i++) {
      d += (x[i] - y[i]) ** 2;
      n += y[i] ** 2;
    }
    const rel = Math.sqrt(d) / (Math.sqrt(n) || 1);
    if (!(rel <= w.rel)) w = { name, rel };
  }
  return w;
}

/** A continued in simdescent (B) and through PyTorch (C): the same position and tensors within TOL. */
function agree(b: string, c: string, what: string): number {
  const x = load(b), y = load(c);
  assert.is(y.stop, x.stop, `${what}: stop reason`);
  assert.is(y.restored, x.restored, `${what}: restored epoch`);
  assert.is(y.epoch, x.epoch, `${what}: epoch`);
  assert.is(y.steps, x.steps, `${what}: steps`);
  assert.equal(y.rng, x.rng, `${what}: shuffle state`);
  assert.is(y.epochs, x.epochs, `${what}: history epochs`);
  const w = worst(y, x);
  assert.ok(w.rel <= TOL, `${what}: ${w.name} differs by ${w.rel.toExponential(2)} (relative L2) > ${TOL}`);
  return w.rel;
}

// Generic so an interface of named files (TorchFiles, which has no index signature) fits as well as a record.
function writeDir<F extends { [K in keyof F]: string | Uint8Array | undefined }>(dir: string, files: F): void {
  mkdirSync(join(tmp, dir), { recursive: true });
  for (const name of Object.keys(files) as (keyof F & string)[]) {
    const data: string | Uint8Array | undefined = files[name];
    if (data !== undefined) writeFileSync(join(tmp, dir, name), data);
  }
}

const T = suite('cli/torch');
const torchTest = python.torch ? T : T.skip;

T.before(() => {
  if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('build first: npm run build (the CLI tests spawn dist/cli through bin/simdescent.js)');
  for (const f of ['wine', 'passengers', 'diabetes']) copyFileSync(join(root, `data/tables/${f}.csv`), join(tmp, `${f}.csv`));
  const iris = readFileSync(join(root, 'data/tables/iris.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const classes = [...new Set(iris.map((r) => r[4]))].sort();
  writeFileSync(join(tmp, 'iris-noheader.csv'), iris.map((r) => r.join(',')).join('\n') + '\n');
  writeFileSync(join(tmp, 'iris-sklearn.csv'), `${iris.length},4,${classes.join(',')}\n` + iris.map((r) => [...r.slice(0, 4), classes.indexOf(r[4])].join(',')).join('\n') + '\n');
});
T.after(() => rmSync(tmp, { recursive: true, force: true }));

const WINE = ['--data', 'wine.csv', '--layers', '13,16,3', '--quiet'];

/** Train 4 epochs (A), continue to 8 in simdescent (B), export (T), as the issue's acceptance runs. */
async function prepare(name: string, flags: string[]): Promise<void> {
  await ok(sd('train', ...WINE, ...flags, '--epochs', '4', '--out', `${name}-A`), `${name}: train`);
  await ok(sd('train', '--resume', `${name}-A`, '--epochs', '8', '--out', `${name}-B`, '--quiet'), `${name}: resume`);
  await ok(sd('export-torch', '--run', `${name}-A`, '--out', `${name}-T`, '--quiet'), `${name}: export-torch`);
}

torchTest('full-batch Adam + cosine: PyTorch in 1 process and DDP with 2 end where simdescent does; import is bit for bit; train --resume goes on', async () => {
  await prepare('adam', ['--optimizer', 'adam', '--lr', '0.01', '--schedule', 'cosine', '--t-max', '8', '--batch-size', 'full']);
  const one = await ok(py('adam-T/train.py', '--epochs', '8', '--out', 'adam-F1.safetensors'), 'train.py');
  assert.match(one.stdout, /epoch 8\/8 {2}loss [\d.]+ valLoss [\d.]+ valAccuracy [\d.]+/);
  await ok(ddp(2, 'adam-T/train.py', '--epochs', '8', '--out', 'adam-F2.safetensors', '--quiet'), 'torchrun');
  await ok(sd('import-torch', 'adam-F1.safetensors', '--run', 'adam-A', '--out', 'adam-C1', '--quiet'), 'import-torch');
  await ok(sd('import-torch', 'adam-F2.safetensors', '--run', 'adam-A', '--out', 'adam-C2', '--quiet'), 'import-torch (DDP)');
  const r1 = agree('adam-B', 'adam-C1', 'adam, 1 process');
  const r2 = agree('adam-B', 'adam-C2', 'adam, DDP 2');
  console.log(`  adam + cosine, full batch: PyTorch 1 process ${r1.toExponential(2)}, DDP 2 ${r2.toExponential(2)} (worst relative L2 per tensor)`);
  // Bit for bit: the imported run holds exactly the tensors train.py wrote.
  const f = decodeSafetensors(new Uint8Array(readFileSync(join(tmp, 'adam-F1.safetensors'))));
  const c = load('adam-C1');
  for (const [name, t] of Object.entries(f.tensors)) {
    const m = /^state\.(\d)\.(exp_avg|exp_avg_sq)$/.exec(name);
    const key = m ? `${['0.weight', '0.bias', '2.weight', '2.bias'][Number(m[1])]}.${m[2]}` : /^\d\.(weight|bias)$/.test(name) ? name : undefined;
    if (key) assert.ok(bitsEqual(c.tensors.get(key)!, t.data), `${name} bit for bit`);
  }
  // The imported run continues, and keeps what predict and evaluate need.
  await ok(sd('train', '--resume', 'adam-C1', '--epochs', '9', '--out', 'adam-D', '--quiet'), 'train --resume after import');
  const d = load('adam-D');
  assert.is(d.epoch, 9);
  assert.is(d.epochs, 9);
  for (const f of ['preprocessor.json', 'model.safetensors', 'run.json']) assert.ok(existsSync(join(tmp, 'adam-C1', f)), f);
});

torchTest('shuffled mini-batch SGD-Nesterov + SGDR: the same batches in PyTorch, in 1 process and split unevenly over 2 DDP ranks', async () => {
  // 128 training rows in batches of 15: 8 batches of 15 (8 + 7 rows per rank) and one of 8.
  await prepare('sgd', ['--optimizer', 'sgd', '--lr', '0.05', '--momentum', '0.9', '--nesterov', '--schedule', 'sgdr', '--t0', '1', '--t-mult', '2', '--batch-size', '15']);
  await ok(py('sgd-T/train.py', '--epochs', '8', '--out', 'sgd-F1.safetensors', '--quiet'), 'train.py');
  await ok(ddp(2, 'sgd-T/train.py', '--epochs', '8', '--out', 'sgd-F2.safetensors', '--quiet'), 'torchrun');
  await ok(sd('import-torch', 'sgd-F1.safetensors', '--run', 'sgd-A', '--out', 'sgd-C1', '--quiet'), 'import-torch');
  await ok(sd('import-torch', 'sgd-F2.safetensors', '--run', 'sgd-A', '--out', 'sgd-C2', '--quiet'), 'import-torch (DDP)');
  const r1 = agree('sgd-B', 'sgd-C1', 'sgd, 1 process');
  const r2 = agree('sgd-B', 'sgd-C2', 'sgd, DDP 2');
  console.log(`  sgd nesterov + sgdr, batch 15, shuffled: PyTorch 1 process ${r1.toExponential(2)}, DDP 2 ${r2.toExponential(2)}`);
});

/** Each optimizer PyTorch has (and the three train.py adds), each with a schedule; flags given twice take the last. */
const SWEEP: Array<[string, string[]]> = [
  ['sgd', ['--lr', '0.05', '--momentum', '0.9', '--dampening', '0.1', '--weight-decay', '0.001', '--schedule', 'step', '--step-size', '1', '--gamma', '0.5']],
  ['adagrad', ['--lr', '0.05', '--lr-decay', '0.01', '--schedule', 'exponential', '--gamma', '0.9']],
  ['rmsprop', ['--lr', '0.005', '--momentum', '0.5', '--centered', '--schedule', 'linear', '--start-factor', '1', '--end-factor', '0.1', '--total-iters', '4']],
  ['adadelta', ['--lr', '1', '--weight-decay', '0.001', '--schedule', 'polynomial', '--total-iters', '5', '--power', '2']],
  ['adam', ['--lr', '0.01', '--amsgrad', '--clip-norm', '0.5', '--schedule', 'multiStep', '--milestones', '1,3', '--gamma', '0.5']],
  ['adamw', ['--lr', '0.01', '--schedule', 'cosine', '--t-max', '4', '--warmup', '1']],
  ['adamax', ['--lr', '0.01', '--schedule', 'inverseTime', '--decay-rate', '0.5', '--decay-steps', '1']],
  ['nadam', ['--lr', '0.01', '--schedule', 'plateau', '--patience', '0', '--factor', '0.5']],
  ['radam', ['--lr', '0.01', '--schedule', 'sgdr', '--t0', '1', '--t-mult', '2']],
  ['momentum', ['--lr', '0.05', '--schedule', 'cosine', '--t-max', '4']],
  ['lion', ['--lr', '0.001', '--weight-decay', '0.01', '--clip-value', '0.1', '--schedule', 'step', '--step-size', '2', '--gamma', '0.5']],
  ['lamb', ['--lr', '0.01', '--weight-decay', '0.01', '--schedule', 'exponential', '--gamma', '0.8']],
  // Early stopping (patience 2) ends both continuations at the same epoch with the best params restored.
  ['adam', ['--lr', '0.05', '--early-stopping', '2', '--to', '30']],
  // Other tables through the saved preprocessor: text one-hot, missing cells filled with
  // indicators and an id column (passengers); a standardised regression target (diabetes).
  ['adam', ['--lr', '0.01', '--data', 'passengers.csv', '--id', 'passenger_id', '--layers', '11,8,2']],
  ['sgd', ['--lr', '0.01', '--momentum', '0.9', '--nesterov', '--data', 'diabetes.csv', '--layers', '10,8,1']],
  // Line 1 detection: iris without a header, and in scikit-learn's layout (a count line naming the classes, ids in the rows).
  ['adam', ['--lr', '0.01', '--data', 'iris-noheader.csv', '--layers', '4,8,3', '--batch-size', '16']],
  ['adam', ['--lr', '0.01', '--data', 'iris-sklearn.csv', '--layers', '4,8,3', '--batch-size', '16']],
];

torchTest('every optimizer, each with a schedule, continues in PyTorch (1 process) where simdescent does', async () => {
  const cases = SWEEP.map(([name, given], i) => {
    const to = given.includes('--to') ? given[given.indexOf('--to') + 1] : '4';
    return { name, n: `opt${i}-${name}`, to, flags: given.filter((f, k) => f !== '--to' && given[k - 1] !== '--to') };
  });
  const simdescent = async ({ name, n, to, flags }: (typeof cases)[number]): Promise<void> => {
    await ok(sd('train', '--data', 'wine.csv', '--layers', '13,8,3', '--quiet', '--optimizer', name, '--batch-size', '32', ...flags, '--epochs', '2', '--out', `${n}-A`), `${name}: train`);
    await ok(sd('train', '--resume', `${n}-A`, '--epochs', to, '--out', `${n}-B`, '--quiet'), `${name}: resume`);
    // export-torch and import-torch in this process (the commands' own functions): fewer spawns.
    const { files } = await exportRun(join(tmp, `${n}-A`));
    writeDir(`${n}-T`, files);
  };
  for (let i = 0; i < cases.length; i += 2) await Promise.all(cases.slice(i, i + 2).map(simdescent));
  // Every train.py in one Python process: importing torch once instead of once per case.
  const driver = [
    'import runpy, sys',
    `for t, to, out in ${JSON.stringify(cases.map((c) => [`${c.n}-T/train.py`, c.to, `${c.n}-F.safetensors`]))}:`,
    "    sys.argv = [t, '--epochs', to, '--out', out, '--quiet']",
    "    runpy.run_path(t, run_name='__main__')",
  ].join('\n');
  await ok(py('-c', driver), 'train.py for every optimizer');
  const out: string[] = [];
  for (const { name, n, flags } of cases) {
    writeDir(`${n}-C`, (await importRun(new Uint8Array(readFileSync(join(tmp, `${n}-F.safetensors`))), join(tmp, `${n}-A`), `${n}-F.safetensors`)).files);
    const label = flags.includes('--data') ? `${name} on ${flags[flags.indexOf('--data') + 1]}` : flags.includes('--early-stopping') ? `${name} early-stopped` : name;
    out.push(`${label} ${agree(`${n}-B`, `${n}-C`, label).toExponential(1)}`);
  }
  const es = load(`opt${SWEEP.length - 5}-adam-C`);
  assert.ok(es.epoch < 30 && es.restored !== undefined, `early stopping stopped the run (epoch ${es.epoch}) and restored the best params`);
  console.log(`  each optimizer, 2 → 4 epochs, batch 32 (wine unless named): ${out.join(', ')}`);
});

torchTest('a page hands a run over: sd.exportTorch with the datasets themselves, train.py, sd.importTorch, fit resumes', async () => {
  const sd0 = await init();
  const all = await datasets.moons({ count: 300, seed: 5 });
  const { train, validation } = split(all, { validation: 0.2, seed: 5 });
  const options = {
    optimizer: { name: 'rmsprop', lr: 0.01, momentum: 0.5 },
    schedule: { name: 'step', options: { lr: 0.01, stepSize: 2, gamma: 0.5 } },
    batchSize: 25,
    seed: 9,
    validation,
  } satisfies FitOptions;
  const checkpoints: Checkpoint[] = [];
  const make = () => sd0.mlp({ layers: [2, 12, 2], seed: 4 });
  const m1 = make();
  await sd0.fit(m1, train, { ...options, epochs: 3, onCheckpoint: (c: Checkpoint) => void checkpoints.push(c) });
  const at3 = checkpoints[checkpoints.length - 1];
  // simdescent's own continuation to 6 epochs…
  let end: Checkpoint | undefined;
  await sd0.fit(m1, train, { ...options, epochs: 6, resume: at3, onCheckpoint: (c: Checkpoint) => void (end = c) });
  m1.dispose();
  // …and PyTorch's, from the files a page would offer as downloads.
  const files = sd0.exportTorch({ checkpoint: at3, data: { train, validation }, batchSize: 25 });
  assert.ok(files['data.safetensors'], 'the rows travel with the run');
  writeDir('page-T', files);
  await ok(py('page-T/train.py', '--epochs', '6', '--out', 'page-F.safetensors', '--quiet'), 'train.py');
  const back = sd0.importTorch(new Uint8Array(readFileSync(join(tmp, 'page-F.safetensors'))), { checkpoint: at3 });
  for (const [dir, c] of [['page-B', end!], ['page-C', back]] as const) writeDir(dir, { 'checkpoint.sdck': encodeCheckpoint(c) });
  const r = agree('page-B', 'page-C', 'page, rmsprop + step');
  console.log(`  a page's run (moons, rmsprop + step, batch 25): PyTorch 1 process ${r.toExponential(2)}`);
  // fit goes on from what came back.
  const m2 = make();
  const h = await sd0.fit(m2, train, { ...options, epochs: 7, resume: back });
  assert.is(h.epochs.length, 7);
  m2.dispose();
});

T('bad input: one line, exit 2, nothing written', async () => {
  mkdirSync(join(tmp, 'empty'), { recursive: true });
  userError(await sd('export-torch', '--run', 'nowhere', '--out', 'bad-T'), /--run nowhere: no such directory/);
  userError(await sd('export-torch', '--run', 'empty', '--out', 'bad-T'), /--run empty: cannot read run file .*run\.json: no such file/);
  assert.not.ok(existsSync(join(tmp, 'bad-T')), 'no output directory');
  // A built-in dataset's rows travel with the run; a corrupt checkpoint is refused.
  await ok(sd('train', '--data', 'moons', '--samples', '60', '--epochs', '1', '--out', 'moons-A', '--quiet'), 'train moons');
  await ok(sd('export-torch', '--run', 'moons-A', '--out', 'moons-T', '--quiet'), 'export-torch moons');
  assert.equal(Object.keys(decodeSafetensors(new Uint8Array(readFileSync(join(tmp, 'moons-T/data.safetensors')))).tensors).sort(), ['test.x', 'test.y', 'train.x', 'train.y', 'validation.x', 'validation.y']);
  const ck = readFileSync(join(tmp, 'moons-A/checkpoint.sdck'));
  ck[ck.length - 9] ^= 0xff;
  writeFileSync(join(tmp, 'moons-A/checkpoint.sdck'), ck);
  userError(await sd('export-torch', '--run', 'moons-A', '--out', 'bad-T'), /--run moons-A: checkpoint checksum mismatch: the file is corrupt or truncated/);
  assert.not.ok(existsSync(join(tmp, 'bad-T')), 'no output directory');
  await ok(sd('train', ...WINE, '--epochs', '2', '--batch-size', '64', '--out', 'small-A'), 'train');
  await ok(sd('train', '--data', 'wine.csv', '--layers', '13,8,3', '--quiet', '--epochs', '2', '--batch-size', '64', '--out', 'other-A'), 'train another model');
  await ok(sd('export-torch', '--run', 'small-A', '--out', 'small-T', '--quiet'), 'export-torch');
  await ok(sd('export-torch', '--run', 'other-A', '--out', 'other-T', '--quiet'), 'export-torch');
  userError(await sd('import-torch', 'small-T/model.safetensors', '--run', 'small-A', '--out', 'bad-C'), /no result: is it export-torch's model\.safetensors\?/);
  userError(await sd('import-torch', 'missing.safetensors', '--run', 'small-A', '--out', 'bad-C'), /cannot read safetensors file missing\.safetensors: no such file/);
  writeFileSync(join(tmp, 'junk.safetensors'), 'not safetensors at all');
  userError(await sd('import-torch', 'junk.safetensors', '--run', 'small-A', '--out', 'bad-C'), /import-torch junk\.safetensors: safetensors: header length \d+ is larger than/);
  if (python.torch) {
    // A PyTorch output of another model (13-8-3, not 13-16-3): names match, shapes do not.
    await ok(py('other-T/train.py', '--epochs', '3', '--out', 'other-F.safetensors', '--quiet'), 'train.py');
    userError(await sd('import-torch', 'other-F.safetensors', '--run', 'small-A', '--out', 'bad-C'), /the file continues another run \(its model .* differs|tensor '0\.weight' has shape \[8,13\], the model expects \[16,13\]/);
  }
  assert.not.ok(existsSync(join(tmp, 'bad-C')), 'no run directory written');
});

T('train.py is valid Python; it refuses a PyTorch older than 1.13, writing nothing', async () => {
  if (!python.any) return void console.log('  (no python3: skipped)');
  await ok(sd('train', ...WINE, '--epochs', '1', '--out', 'old-A'), 'train');
  await ok(sd('export-torch', '--run', 'old-A', '--out', 'old-T', '--quiet'), 'export-torch');
  await ok(run(python.any, ['-m', 'py_compile', 'old-T/train.py']), 'py_compile train.py');
  mkdirSync(join(tmp, 'old-torch/torch'), { recursive: true });
  writeFileSync(join(tmp, 'old-torch/torch/__init__.py'), "__version__ = '1.12.1+cpu'\n");
  writeFileSync(join(tmp, 'old-torch/torch/nn.py'), '');
  const r = await run(python.any, ['old-T/train.py', '--epochs', '2', '--out', 'old-F.safetensors'], { PYTHONPATH: join(tmp, 'old-torch') });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /train\.py: PyTorch 1\.12\.1\+cpu is too old: this script needs PyTorch >= 1\.13/);
  assert.not.ok(existsSync(join(tmp, 'old-F.safetensors')));
});

T.run();
