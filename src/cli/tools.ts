// simdescent lr-find, study, race and landscape: the practitioner tools with the same data,
// model and optimizer flags as train, a table on the terminal and JSON + SVG under --out.
// The flags are checked at run time (flags.ts, the library's own checks); these types only name them.
import type { OptimizerChoice, OptimizerConfig } from '../optimizers/types.js';
import type { DataRacer } from '../tools/data-race.js';
import type { MlpOptions } from '../models/mlp.js';
import { join, relative } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { OPTIMIZER_NAMES } from '../optimizers/registry.js';
import { resolveName } from '../synonyms.js';
import { SURFACE_NAMES } from '../tools/surfaces.js';
import { brailleChart, formatCount, formatLr, formatNumber } from './chart.js';
import { type Dataset, holdOut, loadData, splitSeed, standardizeAll } from './data.js';
import { UsageError, asUsage, camel, isUserError, result } from './errors.js';
import { ensureDir, writeAtomic } from './files.js';
import {
  addDataFlags,
  addModelFlags,
  addOptimizerFlags,
  addOutputFlags,
  addWorkersFlag,
  batchSize,
  choice,
  fraction,
  given,
  intList,
  nameList,
  num,
  numList,
  positiveInt,
  WORKERS_HELP,
} from './flags.js';
import { loadPlot, png, writePlot } from './plots.js';
import { asTargets, engine, makeModel, modelConfig, optimizerConfig } from './setup.js';

type Run = (o: Record<string, any>, cmd: Command) => Promise<number>;

function act(cmd: Command, run: Run): Command {
  return cmd.action(async (o, c) => {
    // --quiet: the library's notices (console.warn/info) stay quiet too, as with train.
    if (o.quiet) console.warn = console.info = () => {};
    result.code = await run(o, c);
  });
}

/** Call a library tool; its TypeError/RangeError become usage errors in flag names. */
async function tool<T>(fn: () => T | Promise<T>, flags: string[]): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUserError(err)) throw asUsage(err, flags);
    throw err;
  }
}

async function dataAndModel(o: Record<string, any>) {
  const sd = await engine(o);
  const all = await loadData(o as any);
  const { train: t0, test: v0 } = holdOut(all, o.validation ?? 0, splitSeed(o.seed, 2));
  let [train, val] = [t0, v0] as (Dataset | undefined)[];
  if (o.standardize) [train, val] = standardizeAll([train, val]);
  const config = modelConfig(o, train!);
  const model = makeModel(sd, config);
  return { sd, train: asTargets(train!, config), val: val && asTargets(val, config), model, config };
}

interface Outputs {
  out?: string;
  files: Record<string, string>;
  notes: string[];
}

async function finish(o: Record<string, any>, doc: Record<string, unknown>, plots: [file: string, fns: string[], ...args: unknown[]][], print: () => void): Promise<number> {
  const outs: Outputs = { files: {}, notes: [] };
  if (o.out) {
    const dir = ensureDir(o.out);
    outs.files.json = writeAtomic(join(dir, `${doc.command}.json`), JSON.stringify(doc, null, 1) + '\n');
    const plot = await loadPlot();
    png.wanted = !!o.png;
    for (const [file, fns, ...args] of plots) {
      const name = fns.find((f) => typeof plot?.[f] === 'function') ?? fns[0];
      const w = await writePlot(dir, file, name, ...args);
      if (w.path) outs.files[file] = w.path;
      if (w.png) outs.files[`${file}.png`] = w.png;
      else if (w.note) outs.notes.push(w.note);
    }
    if (png.note) outs.notes.push(png.note);
  }
  if (o.json) process.stdout.write(JSON.stringify({ ...doc, files: outs.files, notes: outs.notes }) + '\n');
  else if (!o.quiet) {
    print();
    if (Object.keys(outs.files).length) {
      process.stdout.write('files:\n');
      for (const p of Object.values(outs.files)) process.stdout.write(`  ${relative(process.cwd(), p) || p}\n`);
    }
    for (const n of outs.notes) process.stdout.write(`note: ${n}\n`);
  }
  return 0;
}

// ---------------------------------------------------------------- lr-find

export function lrFindCommand(): Command {
  const cmd = new Command('lr-find').description('learning-rate range test: loss against an exponentially rising lr, with suggestions');
  addDataFlags(cmd);
  addModelFlags(cmd);
  addOptimizerFlags(cmd, { optimizer: 'sgd' });
  cmd
    .option('--start <lr>', 'first lr', num, 1e-7)
    .option('--end <lr>', 'last lr', num, 10)
    .option('--steps <n>', 'mini-batches (one lr each)', positiveInt, 100)
    .addOption(new Option('--mode <ramp>', 'how the lr rises').choices(['exponential', 'linear']).argParser(choice(['exponential', 'linear'])).default('exponential'))
    .option('--batch-size <n>', 'rows per step', positiveInt, 32)
    .option('--smoothing <a>', 'exponential smoothing of the loss', num, 0.05);
  addWorkersFlag(cmd);
  addOutputFlags(cmd);
  return act(cmd, runLrFind);
}

async function runLrFind(o: Record<string, any>, cmd: Command): Promise<number> {
  if (cmd.getOptionValueSource('lr') === 'cli') throw new UsageError('lr-find sets the lr itself: use --start and --end instead of --lr');
  const { sd, train, model, config } = await dataAndModel(o);
  const optimizer = optimizerConfig(o, cmd);
  const found: any = await tool(
    () => sd.lrFinder(model, train, { start: o.start, end: o.end, steps: o.steps, mode: o.mode, batchSize: o.batchSize, smoothing: o.smoothing, seed: o.seed, optimizer: optimizer as OptimizerConfig }),
    ['start', 'end', 'steps', 'mode', 'batchSize', 'smoothing'],
  );
  const suggestions = found.suggestions ?? {};
  const doc = { command: 'lr-find', model: config, ...found, optimizer };
  return finish(o, doc, [['lr-finder', ['lrFinderPlot'], found]], () => {
    const w = (s = '') => process.stdout.write(s + '\n');
    w(`lr range test: ${found.lrs.length} steps from ${formatLr(found.lrs[0])} to ${formatLr(found.lrs[found.lrs.length - 1])} (${optimizer.name})`);
    for (const line of brailleChart(found.smoothed, { width: 50, height: 4 })) w(`  ${line}`);
    w('suggestions:');
    for (const [k, s] of Object.entries(suggestions) as [string, any][]) {
      w(`  ${k.padEnd(9)} ${s ? `${formatLr(s.lr).padEnd(9)} ${s.reason ?? ''}` : '—'}`);
    }
    for (const n of found.notes ?? []) w(`  note: ${n}`);
    if (found.stopReason && found.stopReason !== 'completed') w(`  stopped early: ${found.stopReason === 'diverged' ? 'the smoothed loss passed 4× its minimum' : 'the loss became non-finite'}`);
  });
}

// ---------------------------------------------------------------- study

export function studyCommand(): Command {
  const cmd = new Command('study').description('batch-size study: the same init trained per batch size with the lr scaled by a rule');
  addDataFlags(cmd, { validation: 0.2 });
  addModelFlags(cmd);
  addOptimizerFlags(cmd);
  cmd
    .addOption(new Option('--batch-sizes <list>', 'batch sizes to compare').argParser(intList).default([8, 16, 32, 64, 128, 256, 512], '8,16,32,64,128,256,512'))
    .addOption(new Option('--lr-scaling <rule>', 'how the lr follows the batch size').choices(['linear', 'sqrt', 'none']).argParser(choice(['linear', 'sqrt', 'none'])).default('linear'))
    .option('--base-batch-size <n>', 'batch size at which --lr applies', positiveInt, 32)
    .option('--epochs <n>', 'epochs per batch size', positiveInt, 5)
    .option('--seconds <s>', 'or a wall-time budget per batch size', num);
  addWorkersFlag(cmd);
  addOutputFlags(cmd);
  return act(cmd, runStudy);
}

async function runStudy(o: Record<string, any>, cmd: Command): Promise<number> {
  const { sd, train, val, model, config } = await dataAndModel(o);
  const { name, lr, ...options } = optimizerConfig(o, cmd);
  const budget = o.seconds !== undefined ? { seconds: o.seconds } : { epochs: o.epochs };
  const study: any = await tool(
    () =>
      sd.batchStudy(model, train, {
        batchSizes: o.batchSizes,
        lrScaling: o.lrScaling,
        ...(lr !== undefined ? { baseLr: lr } : {}),
        baseBatchSize: o.baseBatchSize,
        ...budget,
        seed: o.seed,
        ...(val ? { validation: val } : {}),
        optimizer: { name, ...options } as OptimizerConfig,
      }),
    ['batchSizes', 'lrScaling', 'baseLr', 'baseBatchSize', 'epochs', 'seconds'],
  );
  const doc = { command: 'study', model: config, ...study };
  return finish(o, doc, [['batch-study', ['batchStudyPlot', 'studyPlot'], study]], () => {
    const rows: any[] = study.summary ?? study.runs ?? [];
    process.stdout.write(`batch-size study (${o.lrScaling} lr scaling, ${budget.seconds !== undefined ? `${budget.seconds}s` : `${budget.epochs} epoch${budget.epochs === 1 ? '' : 's'}`} each)\n`);
    process.stdout.write(table(rows.map((r) => flatRow(r))));
  });
}

// ---------------------------------------------------------------- race

export function raceCommand(): Command {
  const cmd = new Command('race').description('optimizer race on a 2-D test surface or on a dataset (same init and batch order)');
  cmd
    .option('--surface <name>', 'rosenbrock, beale, himmelblau, saddle, monkeySaddle, rastrigin, styblinskiTang (default when --data is not given: rosenbrock)')
    .option('--data <name|file.csv>', 'race on a dataset instead of a surface')
    .addOption(
      new Option('--optimizers <list>', `comma-separated optimizers (${OPTIMIZER_NAMES().join(', ')}); options after colons, e.g. sgd:momentum=0.9:nesterov=true,adam`)
        .argParser(nameList)
        .default(['sgd', 'momentum', 'adam'], 'sgd,momentum,adam'),
    )
    .option('--lrs <list>', "one lr per optimizer (default: each optimizer's default lr; with --data, 'find' asks the LR finder)", lrList)
    .option('--start <x,y>', 'surface: the starting point (default: the surface\'s own)', numList)
    .option('--steps <n>', 'surface: optimizer steps', positiveInt, 500)
    .option('--epochs <n>', 'data: epochs per optimizer', positiveInt, 5)
    .option('--batch-size <n|full>', 'data: rows per step', batchSize, 32)
    .option('--label <column>', "CSV: the label column (name or 0-based index; default: the last column)")
    .option('--samples <n>', 'rows drawn by the synthetic generators', positiveInt, 600)
    .option('--validation <fraction>', 'data: validation split', fraction, 0.2)
    .option('--standardize', 'data: scale features to zero mean, unit variance', false);
  addModelFlags(cmd);
  addWorkersFlag(cmd, `data: ${WORKERS_HELP}`);
  addOutputFlags(cmd);
  return act(cmd, runRace);
}

async function runRace(o: Record<string, any>, cmd: Command): Promise<number> {
  if (o.surface !== undefined && o.data !== undefined) throw new UsageError('give either --surface or --data, not both');
  const names: string[] = o.optimizers;
  if (o.lrs && o.lrs.length !== names.length) {
    throw new UsageError(`--lrs has ${o.lrs.length} values for ${names.length} optimizers (${names.join(',')}); give one lr per optimizer`);
  }
  const optimizers = names.map((item, i) => ({ ...raceEntry(item), ...(o.lrs ? { lr: o.lrs[i] } : {}) }));
  if (o.data === undefined && optimizers.some((x) => x.lr === 'find')) throw new UsageError("--lrs find needs a dataset (--data); on a surface give numbers");
  if (o.data === undefined) {
    const dataOnly = given(cmd, ['epochs', 'batchSize', 'label', 'layers', 'validation', 'workers']);
    if (dataOnly.length) throw new UsageError(`--${dataOnly[0].replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} applies to --data races, not to surfaces`);
    const sd = await engine(o);
    const surface = o.surface === undefined ? 'rosenbrock' : resolveName(o.surface, SURFACE_NAMES) ?? o.surface;
    if (o.start && o.start.length !== 2) throw new UsageError(`--start needs two numbers x,y, got ${o.start.join(',')}`);
    const race: any = await tool(() => sd.race({ surface, steps: o.steps, optimizers: optimizers as OptimizerChoice[], ...(o.start ? { start: o.start } : {}) }), ['surface', 'steps', 'start', 'optimizers', 'lr']);
    const doc = { command: 'race', ...race };
    return finish(o, doc, [['race', ['racePlot', 'raceplot'], race]], () => {
      process.stdout.write(`race on ${surface}, ${o.steps} steps from (${race.runs[0].path[0].map(formatNumber).join(', ')})\n`);
      process.stdout.write(
        table(
          race.runs.map((r: any) => ({
            optimizer: r.name,
            lr: formatLr(r.options?.lr ?? NaN),
            'final loss': formatNumber(r.losses[r.losses.length - 1]),
            'final point': `(${r.path[r.path.length - 1].map(formatNumber).join(', ')})`,
          })),
        ),
      );
    });
  }
  const { sd, train, val, config } = await dataAndModel({ ...o, validation: o.validation });
  const race: any = await tool(
    () =>
      sd.race({
        data: train,
        ...(val ? { validation: val } : {}),
        model: config as MlpOptions,
        optimizers: optimizers as DataRacer[],
        epochs: o.epochs,
        batchSize: o.batchSize,
        seed: o.seed,
      }),
    ['optimizers', 'epochs', 'batchSize', 'lr'],
  );
  const doc = { command: 'race', data: o.data, ...race, model: config };
  return finish(o, doc, [['race', ['racePlot', 'raceplot'], race]], () => {
    process.stdout.write(`race on ${o.data} (${config.layers.join('-')}), ${o.epochs} epoch${o.epochs === 1 ? '' : 's'} each\n`);
    process.stdout.write(
      table(
        race.runs.map((r: any) => {
          const h = r.epochs ?? [];
          const last = h[h.length - 1] ?? {};
          return {
            optimizer: r.name,
            lr: `${formatLr(r.lr ?? r.options?.lr ?? NaN)}${r.lrFrom && r.lrFrom !== 'given' ? ` (${r.lrFrom})` : ''}`,
            'train loss': formatNumber(last.loss ?? NaN),
            'val loss': last.valLoss !== undefined ? formatNumber(last.valLoss) : '—',
            'val acc': last.valAccuracy !== undefined ? `${(last.valAccuracy * 100).toFixed(1)}%` : '—',
            seconds: last.seconds !== undefined ? last.seconds.toFixed(2) : '—',
          };
        }),
      ),
    );
  });
}

// ---------------------------------------------------------------- landscape

export function landscapeCommand(): Command {
  const cmd = new Command('landscape').description('1-D or 2-D loss-landscape slice around trained params (filter-normalised random directions)');
  addDataFlags(cmd);
  addModelFlags(cmd);
  addOptimizerFlags(cmd);
  cmd
    .option('--epochs <n>', 'train this many epochs first (0: slice around the initial params)', (v: string) => (v.trim() === '0' ? 0 : positiveInt(v)), 3)
    .option('--batch-size <n>', 'rows per training step', positiveInt, 32)
    .addOption(new Option('--dims <n>', '1-D line or 2-D plane').choices(['1', '2']).argParser(choice(['1', '2'])).default('2'))
    .option('--grid <n>', 'points per axis', positiveInt, 21)
    .option('--span <s>', 'half-width of the slice along each direction', num, 1);
  addWorkersFlag(cmd);
  addOutputFlags(cmd);
  return act(cmd, runLandscape);
}

async function runLandscape(o: Record<string, any>, cmd: Command): Promise<number> {
  const { sd, train, model, config } = await dataAndModel(o);
  const optimizer = optimizerConfig(o, cmd, sd);
  if (o.epochs > 0) {
    await tool(() => sd.fit(model, train, { optimizer: optimizer as OptimizerConfig, epochs: o.epochs, batchSize: o.batchSize, seed: o.seed }), ['epochs', 'batchSize']);
  }
  const dims = Number(o.dims);
  const land: any = await tool(() => sd.landscape(model, train, { dims: dims as 1 | 2, steps: o.grid, span: o.span, seed: o.seed }), ['dims', 'steps', 'span']);
  const doc = { command: 'landscape', model: config, trainedEpochs: o.epochs, dims, grid: o.grid, span: o.span, ...land };
  return finish(o, doc, [['landscape', ['landscapePlot'], land]], () => {
    const losses: number[] = (land.losses ?? []).flat?.(2) ?? [];
    const centre = land.center ?? land.centre ?? land.loss;
    process.stdout.write(`loss landscape (${dims}-D, ${o.grid} points per axis, span ±${o.span}) around params after ${o.epochs} epochs\n`);
    if (centre !== undefined) process.stdout.write(`  loss at the centre ${formatNumber(centre)}\n`);
    if (losses.length) process.stdout.write(`  min ${formatNumber(Math.min(...losses))}  max ${formatNumber(Math.max(...losses))}\n`);
    if (land.sharpness !== undefined) process.stdout.write(`  sharpness ${formatNumber(land.sharpness)}${land.verdict ? ` (${land.verdict})` : ''}\n`);
    if (dims === 1 && losses.length) for (const line of brailleChart(losses, { width: 40, height: 4 })) process.stdout.write(`  ${line}\n`);
    if (dims === 2 && Array.isArray(land.losses?.[0])) {
      process.stdout.write(`  loss over the plane (rows: second direction, columns: first; darker is higher):\n`);
      for (const line of shadeGrid(land.losses as number[][])) process.stdout.write(`    ${line}\n`);
    }
  });
}

// ---------------------------------------------------------------- helpers

/** "sgd:momentum=0.9:nesterov=true" → { name: 'sgd', momentum: 0.9, nesterov: true }. */
function raceEntry(item: string): Record<string, any> & { name: string } {
  const [word, ...opts] = item.split(':');
  // Known spellings (Adam, AdamW) become ours; unknown names reach sd.race, which suggests one.
  const name = resolveName(word, OPTIMIZER_NAMES()) ?? word;
  const out: Record<string, any> & { name: string } = { name };
  for (const kv of opts) {
    const m = /^([\w-]+)=(.+)$/.exec(kv);
    if (!m) throw new UsageError(`--optimizers: '${kv}' in '${item}' is not key=value (e.g. sgd:momentum=0.9)`);
    const key = camel(m[1]);
    const v = m[2];
    out[key] = v === 'true' ? true : v === 'false' ? false : Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return out;
}

function lrList(value: string): (number | 'find')[] {
  return value.split(',').map((s) => {
    const t = s.trim();
    if (t === 'find') return 'find';
    const v = Number(t);
    if (t === '' || !Number.isFinite(v)) throw new InvalidArgumentError(`'${t}' is neither a number nor 'find'.`);
    return v;
  });
}

/** A 2-D grid as shade characters by loss rank (log-spaced values look alike otherwise); () marks the centre. */
function shadeGrid(grid: number[][]): string[] {
  const ramp = ' ·░▒▓█';
  const flat = grid.flat().filter(Number.isFinite).sort((a, b) => a - b);
  if (!flat.length) return [];
  const rank = (v: number) => {
    if (!Number.isFinite(v)) return ramp.length - 1;
    let lo = 0;
    let hi = flat.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (flat[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(ramp.length - 1, Math.floor((lo / flat.length) * ramp.length));
  };
  const rows = grid.length;
  const cols = grid[0].length;
  // Highest second-direction offset on top, as on a plot.
  return grid
    .map((row, j) => row.map((v, i) => (i === cols >> 1 && j === rows >> 1 ? '()' : ramp[rank(v)].repeat(2))).join(''))
    .reverse();
}

function flatRow(r: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) {
    if (typeof v === 'number') {
      out[k] = /perSec/i.test(k) ? formatCount(v) : /^seconds/i.test(k) ? v.toFixed(3) : /lr/i.test(k) ? formatLr(v) : formatNumber(v);
    }
    else if (typeof v === 'string' || typeof v === 'boolean') out[k] = String(v);
    else if (v === null) out[k] = '—';
  }
  return out;
}

export function table(rows: Record<string, string>[]): string {
  if (!rows.length) return '';
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => c.padEnd(width[i])).join('  ').trimEnd() + '\n';
  return line(cols) + rows.map((r) => line(cols.map((c) => r[c] ?? ''))).join('');
}
