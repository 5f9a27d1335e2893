// simdescent train: data → MLP → sd.fit with progress, checkpoints every epoch (and on
// Ctrl-C), history.json, plots and a summary. `--resume DIR` continues a saved run.
import type { OptimizerConfig } from '../optimizers/types.js';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Command, Option } from 'commander';
import { isPlateau } from '../schedules/index.js';
import { decodeCheckpoint, encodeCheckpoint } from '../train/checkpoint.js';
import type { Checkpoint, EpochEntry, History } from '../train/types.js';
import { brailleChart, formatNumber } from './chart.js';
import { type Dataset, holdOut, isClassification, loadData, splitSeed, standardizeAll } from './data.js';
import { EXIT, UsageError, asUsage, isUserError, oneLine, result } from './errors.js';
import { ensureDir, readBytes, readText, writeAtomic } from './files.js';
import { WORKERS_HELP, choice, addDataFlags, addModelFlags, addOptimizerFlags, addOutputFlags, addScheduleFlags, batchSize, positiveInt, workers } from './flags.js';
import { png, writePlot } from './plots.js';
import { checkResumeFlags, resumeData } from './resume.js';
import { MODEL_FILE, PREPROCESSOR_FILE, type TableSplit, absolute, addTableFlags, describeTable, fingerprint, isFileData, prepareTable } from './tabular.js';
import { Preprocessor } from '../data/preprocess.js';
import { saveSafetensors } from '../interop/safetensors.js';
import { score } from '../tools/saved-run.js';
import { EpochProgress, progressMode } from './progress.js';
import { type ModelConfig, type ScheduleConfig, checkOptimizer, closeEngine, defaultLr, engine, engineWorkers, asTargets, makeModel, makeSchedule, modelConfig, optimizerConfig, scheduleConfig } from './setup.js';

export const RUN_FILE = 'run.json';
/**
 * Small tables (iris: 108 training rows, 4 steps an epoch) learn little in 10 epochs: without
 * --epochs a CSV run takes at least this many optimizer steps (iris 50 epochs, breast cancer 16).
 */
const TABLE_STEPS = 200;
const TABLE_MAX_EPOCHS = 200;
export const CHECKPOINT_FILE = 'checkpoint.sdck';
const MONITORS = ['valLoss', 'loss', 'valAccuracy'] as const;

/** Everything that defines a run, saved as run.json so --resume rebuilds the same run. */
export interface RunConfig {
  format: 'simdescent-run/1';
  data: {
    data: string;
    label?: string;
    /** CSV: --header / --no-header as given (undefined: detected). */
    header?: boolean;
    samples: number;
    standardize: boolean;
    test: number;
    validation: number;
    /** CSV: --task and --id as given, and the file's size and SHA-256 when the run was saved. */
    task?: 'classification' | 'regression';
    id?: string;
    fingerprint?: { size: number; sha256: string };
  };
  model: ModelConfig;
  optimizer: Record<string, any> & { name: string };
  schedule?: ScheduleConfig;
  scheduleUnit: 'iteration' | 'epoch';
  epochs: number;
  batchSize: number | 'full';
  earlyStopping?: number;
  /** What early stopping watches (fit's earlyStopping.monitor); valLoss when absent. */
  monitor?: (typeof MONITORS)[number];
  seed: number;
}

export function trainCommand(): Command {
  const cmd = new Command('train').description('train an MLP with progress, checkpoints, history and plots');
  addDataFlags(cmd, { test: true, validation: 0.1 });
  addTableFlags(cmd);
  addModelFlags(cmd);
  addOptimizerFlags(cmd);
  addScheduleFlags(cmd);
  cmd
    .option('--epochs <n>', `epochs in total (with --resume: up to this many in total; a CSV table without --epochs gets enough for ${TABLE_STEPS} steps, up to ${TABLE_MAX_EPOCHS})`, positiveInt, 10)
    .option('--batch-size <n|full>', "rows per step, or 'full' for one step per epoch", batchSize, 32)
    .option('--early-stopping <patience>', 'stop after this many epochs without a better validation loss (restores the best params)', positiveInt)
    .addOption(new Option('--monitor <metric>', 'what --early-stopping watches (Keras names val_loss, val_accuracy also work; default: valLoss)').choices(MONITORS).argParser(choice(MONITORS)))
    .option('--workers <n|auto>', WORKERS_HELP, workers)
    .option('--resume <dir>', 'continue the run saved in DIR (its run.json and checkpoint.sdck)');
  addOutputFlags(cmd, 'directory for history.json, checkpoint.sdck, run.json and the plots (default: runs/<date-time>)');
  cmd.action(async (o, c) => {
    result.code = await runTrain(o, c);
  });
  return cmd;
}

async function runTrain(o: Record<string, any>, cmd: Command): Promise<number> {
  const t0 = performance.now();
  let config: RunConfig;
  let resume: Checkpoint | undefined;
  let out: string;
  const notices: string[] = [];
  if (o.resume !== undefined) {
    config = readRunConfig(o.resume);
    checkResumeFlags(config, o, cmd, join(o.resume, RUN_FILE));
    const moved = resumeData(config, o, cmd);
    if (moved) notices.push(moved);
    resume = readCheckpoint(o.resume);
    if (cmd.getOptionValueSource('epochs') === 'cli') config.epochs = o.epochs;
    if (resume.epoch >= config.epochs) {
      throw new UsageError(`the run in ${o.resume} already has ${resume.epoch} epochs; pass --epochs greater than ${resume.epoch} to continue it`);
    }
    out = o.out ?? o.resume;
  } else {
    config = {
      format: 'simdescent-run/1',
      data: dataConfig(o, cmd.getOptionValueSource('standardize') === 'cli'),
      model: undefined as unknown as ModelConfig,
      optimizer: optimizerConfig(o, cmd),
      scheduleUnit: o.scheduleUnit,
      epochs: o.epochs,
      batchSize: o.batchSize,
      earlyStopping: o.earlyStopping,
      ...(o.monitor !== undefined ? { monitor: o.monitor } : {}),
      seed: o.seed,
    };
    const lr = config.optimizer.lr ?? defaultLr(config.optimizer.name);
    config.schedule = scheduleConfig(o, cmd, lr, o.epochs);
    out = o.out ?? join('runs', new Date().toISOString().slice(0, 19).replace(/[:T]/g, (c) => (c === 'T' ? '-' : '')));
  }
  if (config.monitor !== undefined && config.earlyStopping === undefined) throw new UsageError('--monitor applies to --early-stopping <patience>; give both');
  if (config.earlyStopping !== undefined && !config.data.validation && config.monitor !== 'loss') {
    throw new UsageError('--early-stopping needs a validation split (--validation > 0)');
  }

  // --quiet: the library's notices (console.warn/info, e.g. "threads unavailable") stay quiet too.
  if (o.quiet) console.warn = console.info = () => {};
  // Options first (cheap, and no data needed), then the data and the model.
  const sd = await engine(o);
  checkOptimizer(sd, config.optimizer);
  let sched = config.schedule ? makeSchedule(config.schedule) : undefined;
  let train: Dataset | undefined, val: Dataset | undefined, test: Dataset | undefined;
  let table: TableSplit | undefined;
  if (isFileData(config.data.data)) {
    // A CSV: rows split, then preprocessed with the training rows' statistics (the run's own on resume).
    table = prepareTable(config.data, config.seed, resume ? readPreprocessor(o.resume) : undefined);
    [train, val, test] = [table.train, table.validation, table.test];
  } else {
    const all = await loadData({ ...config.data, seed: config.seed });
    const { train: rest, test: test0 } = holdOut(all, config.data.test, splitSeed(config.seed, 1));
    const { train: train0, test: val0 } = holdOut(rest, config.data.validation, splitSeed(config.seed, 2));
    [train, val, test] = [train0, val0, test0];
    if (config.data.standardize) [train, val, test] = standardizeAll([train, val, test]);
  }
  // PyTorch's DataLoader and Keras take the rows there are when a batch asks for more.
  let batch = config.batchSize;
  if (typeof batch === 'number' && batch > train!.count) {
    notices.push(`--batch-size ${batch} is larger than the ${train!.count} training rows; using ${train!.count} (one step per epoch)`);
    batch = train!.count;
  }
  if (table && !resume && cmd.getOptionValueSource('epochs') !== 'cli') {
    const perEpoch = batch === 'full' ? 1 : Math.ceil(train!.count / batch);
    const epochs = Math.min(TABLE_MAX_EPOCHS, Math.max(config.epochs, Math.ceil(TABLE_STEPS / perEpoch)));
    if (epochs !== config.epochs) {
      notices.push(`${epochs} epochs (${perEpoch} step${perEpoch === 1 ? '' : 's'} each) so that a small table gets ${TABLE_STEPS} steps; --epochs to choose`);
      config.epochs = epochs;
      config.schedule = scheduleConfig(o, cmd, config.optimizer.lr ?? defaultLr(config.optimizer.name), epochs);
      sched = config.schedule ? makeSchedule(config.schedule) : undefined;
    }
  }

  if (!resume) config.model = modelConfig({ ...o, seed: config.seed }, train!);
  const model = makeModel(sd, config.model);
  if (resume) checkResumeModel(resume, config);
  [train, val, test] = [train, val, test].map((d) => d && asTargets(d, config.model));

  // Nothing is written before the inputs are known to be good.
  const paths: Record<string, string> = {};
  out = ensureDir(out);
  writeAtomic(join(out, RUN_FILE), JSON.stringify(config, null, 2) + '\n');
  if (table) paths.preprocessor = writeAtomic(join(out, PREPROCESSOR_FILE), JSON.stringify(table.preprocessor.toJSON(), null, 1) + '\n');
  const dataLine = table ? describeTable(config.data.data, table, config.data.task) : undefined;
  if (!o.quiet && !o.json) {
    if (dataLine) process.stdout.write(`${dataLine}\n`);
    const more = table ? [...table.preprocessor.advice(), ...[table.train, table.validation, table.test].flatMap((t) => t?.notices ?? [])] : [];
    for (const n of [...notices, ...more]) process.stdout.write(`note: ${n}\n`);
  }

  const mode = progressMode(o);
  const progress = new EpochProgress(mode, config.epochs);
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    controller.abort();
  };
  process.on('SIGINT', onSigint);

  const { name: optName, ...optOptions } = config.optimizer;
  let history: History;
  try {
    history = await sd.fit(model, train!, {
      optimizer: { name: optName, ...optOptions } as OptimizerConfig,
      ...(sched ? { schedule: sched, scheduleUnit: config.scheduleUnit } : {}),
      epochs: config.epochs,
      batchSize: batch,
      seed: config.seed,
      ...(val ? { validation: val } : {}),
      ...(config.earlyStopping ? { earlyStopping: { patience: config.earlyStopping, restoreBest: true, ...(config.monitor ? { monitor: config.monitor } : {}) } } : {}),
      // --workers went to init: fit uses the engine's worker count (one where threads could not start).
      ...(resume ? { resume } : {}),
      signal: controller.signal,
      onBatchEnd: (info: any) => progress.batch(info),
      onEpochEnd: (entry: EpochEntry) => progress.epochEnd(entry),
      onCheckpoint: (c: Checkpoint) => {
        paths.checkpoint = writeAtomic(join(out, CHECKPOINT_FILE), encodeCheckpoint(c));
      },
    });
  } catch (err) {
    progress.stop();
    // A checkpoint fit refused (src/train/checkpoint-validate.ts): the run directory is the bad input.
    if (o.resume !== undefined && err instanceof Error && /^fit: (resume|the checkpoint)/.test(err.message)) {
      throw new UsageError(`--resume ${o.resume}: ${oneLine(err.message)}`);
    }
    if (isUserError(err)) throw asUsage(err, ['epochs', 'batchSize', 'validation', 'workers']);
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    await closeEngine(sd);
  }
  progress.stop();

  const testResult = table?.test ? score(model, table.preprocessor, table.test) : test ? model.evaluate(test.x, test.y, test.count) : undefined;
  if (table) paths.model = writeAtomic(join(out, MODEL_FILE), saveSafetensors(model, undefined, { 'simdescent.run': RUN_FILE, 'simdescent.preprocessor': PREPROCESSOR_FILE }));
  const seconds = (performance.now() - t0) / 1000;
  const summary = {
    command: 'train',
    stopReason: history.stopReason,
    message: history.message,
    epochs: history.epochs.length,
    steps: history.steps,
    final: finalEntry(history),
    restoredEpoch: history.restoredEpoch,
    test: testResult && test ? { ...testResult, count: test.count } : undefined,
    rows: { train: train!.count, validation: val?.count ?? 0, test: test?.count ?? 0 },
    ...(table ? { data: { summary: dataLine, task: table.preprocessor.task, classes: table.preprocessor.classes, inputs: table.preprocessor.features } } : {}),
    ...(notices.length ? { dataNotices: notices } : {}),
    // The engine's worker threads: init's count, 1 when threads were not asked for or could not start.
    workers: engineWorkers(sd),
    // Which core trained ('simd', 'relaxed' with --fma, 'scalar'; '+threads' with workers).
    core: sd.core,
    seconds,
    config,
  };
  paths.history = writeAtomic(join(out, 'history.json'), JSON.stringify({ ...summary, history }, null, 1) + '\n');
  paths.run = join(out, RUN_FILE);
  const notes: string[] = [];
  png.wanted = !!o.png;
  // A run that stopped inside its first epoch (diverged, interrupted) has no curves to draw.
  if (history.epochs.length > 0) {
    const curves = await writePlot(out, 'learning-curves', 'learningCurves', history);
    if (curves.path) paths.learningCurves = curves.path;
    if (curves.png) paths.learningCurvesPng = curves.png;
    else if (curves.note) notes.push(curves.note);
  }
  if (sched) {
    // The plot's x axis is the optimizer step; the schedule's t is the (fractional) epoch.
    const iters = batch === 'full' ? 1 : Math.ceil(train!.count / batch);
    const steps = Math.max(1, config.epochs * iters);
    const its = history.iterations;
    const byStep =
      typeof sched.lrAt === 'function' && !isPlateau(sched)
        ? { name: sched.name, lrAt: (s: number) => sched.lrAt(config.scheduleUnit === 'epoch' ? Math.floor(s / iters) : s / iters), toJSON: () => sched.toJSON() }
        : { name: `${sched.name} (lrs used)`, lrAt: (s: number) => its[Math.min(its.length - 1, Math.floor((s * its.length) / steps))]?.lr ?? NaN, toJSON: () => sched.toJSON() };
    const lrPlot = await writePlot(out, 'lr-schedule', 'schedulePlot', byStep, steps);
    if (lrPlot.path) paths.lrSchedule = lrPlot.path;
    if (lrPlot.png) paths.lrSchedulePng = lrPlot.png;
    else if (lrPlot.note) notes.push(lrPlot.note);
  }
  if (png.note) notes.push(png.note);

  if (o.json) {
    process.stdout.write(JSON.stringify({ ...summary, files: paths, notes, history }) + '\n');
  } else if (!o.quiet) {
    printSummary(summary, history, paths, notes, config.epochs);
  }
  model.dispose();
  if (history.stopReason === 'aborted') {
    const dir = relative(process.cwd(), out) || '.';
    process.stderr.write(`interrupted after ${plural(history.epochs.length, 'epoch')}: checkpoint saved; continue with: simdescent train --resume ${dir} --epochs ${config.epochs}\n`);
    return EXIT.interrupted;
  }
  if (history.stopReason === 'diverged') {
    process.stderr.write(`simdescent: ${divergedAdvice(history, config.optimizer.lr ?? defaultLr(config.optimizer.name))}\n`);
    return EXIT.diverged;
  }
  return EXIT.ok;
}

/** The last epoch's entry; inside the first epoch, the last step's loss and lr (null loss when not finite). */
function finalEntry(history: History): EpochEntry | { epoch: 0; steps: number; loss: number | null; lr: number | null } {
  const last = history.epochs[history.epochs.length - 1];
  if (last) return last;
  const it = history.iterations[history.iterations.length - 1];
  return { epoch: 0, steps: history.steps, loss: it && Number.isFinite(it.loss) ? it.loss : null, lr: it?.lr ?? null };
}

const short = (v: number) => String(Number(v.toPrecision(3)));

/** One line: where it diverged and the lr to try ("diverged at epoch 1, batch 2 (…); try a lower --lr …"). */
function divergedAdvice(history: History, lr: number): string {
  const where = oneLine(history.message ?? 'training diverged').replace(/\.?\s*Try a lower learning rate.*$/, '');
  const [at, why] = where.split(/:\s(.+)/);
  return `${at}${why ? ` (${why})` : ''}; try a lower --lr than ${short(lr)}, e.g. --lr ${short(lr / 10)}, or let simdescent lr-find suggest one`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function printSummary(s: any, history: History, paths: Record<string, string>, notes: string[], epochs: number): void {
  const w = (line = '') => process.stdout.write(line + '\n');
  const f: EpochEntry | undefined = history.epochs[history.epochs.length - 1];
  const reason: Record<string, string> = {
    completed: `completed ${s.epochs}/${epochs} epochs`,
    earlyStopping: `stopped early after ${plural(s.epochs, 'epoch')} (no better validation loss)`,
    diverged: `diverged after ${plural(s.epochs, 'epoch')}`,
    aborted: `interrupted after ${plural(s.epochs, 'epoch')}`,
    callback: `stopped after ${plural(s.epochs, 'epoch')}`,
  };
  w();
  // A divergence's message and advice go to stderr as the run's one error line.
  const why = history.message && history.stopReason !== 'diverged' ? ` — ${oneLine(history.message)}` : '';
  w(`${reason[history.stopReason] ?? history.stopReason} in ${s.seconds.toFixed(1)}s (${s.steps} steps${s.workers > 1 ? `, ${s.workers} workers` : ''})${why}`);
  if (s.restoredEpoch !== undefined) w(s.restoredEpoch > 0 ? `  restored the params of epoch ${s.restoredEpoch}` : '  restored the initial params');
  // The metrics of the params the model holds now: the restored epoch's where there is one.
  const held = s.restoredEpoch > 0 ? history.epochs.find((e) => e.epoch === s.restoredEpoch) ?? f : s.restoredEpoch === 0 ? undefined : f;
  if (held) {
    const parts = [`${held === f ? '' : `epoch ${held.epoch}: `}train loss ${formatNumber(held.loss)}`];
    if (held.valLoss !== undefined) parts.push(`val loss ${formatNumber(held.valLoss)}`);
    if (held.valAccuracy !== undefined) parts.push(`val accuracy ${(held.valAccuracy * 100).toFixed(2)}%`);
    w(`  ${parts.join('   ')}${s.data?.task === 'regression' ? ' (on the standardised target)' : ''}`);
  }
  if (s.test) {
    const acc = s.test.accuracy !== undefined ? `test accuracy ${(s.test.accuracy * 100).toFixed(2)}%   ` : '';
    // Regression on a CSV: the loss (mean squared error), R² and MAE are in the target's units.
    const reg = s.test.r2 !== undefined ? `test R² ${s.test.r2.toFixed(3)}   MAE ${formatNumber(s.test.mae)}   ` : '';
    w(`  ${acc}${reg}test loss ${formatNumber(s.test.loss)}${reg ? ' (MSE in target units)' : ''} (${s.test.count} held-out rows)`);
  }
  const losses = history.iterations.length > 8 ? history.iterations.map((i) => i.loss) : history.epochs.map((e) => e.loss);
  const chart = brailleChart(losses, { width: 50, height: 4, log: losses.every((v) => v > 0) });
  if (chart.length) {
    w(`  training loss${history.iterations.length > 8 ? ' per step' : ' per epoch'}${losses.every((v) => v > 0) ? ' (log scale)' : ''}:`);
    for (const line of chart) w(`  ${line}`);
  }
  w('  files:');
  for (const p of Object.values(paths)) w(`    ${relative(process.cwd(), p) || p}`);
  for (const n of notes) w(`  note: ${n}`);
}

/** The run's data settings; a CSV's path is stored absolute, with its fingerprint, so --resume works from anywhere. */
function dataConfig(o: Record<string, any>, standardizeGiven: boolean): RunConfig['data'] {
  const file = isFileData(o.data);
  const d: RunConfig['data'] = {
    data: file ? absolute(o.data) : o.data,
    label: o.label,
    samples: o.samples,
    // CSV tables are standardised unless --no-standardize; built-in data only with --standardize.
    standardize: standardizeGiven ? o.standardize : file,
    test: o.test,
    validation: o.validation,
  };
  if (o.header !== undefined) d.header = o.header;
  if (o.task !== undefined) d.task = o.task;
  if (o.id !== undefined) d.id = o.id;
  if (file) {
    d.fingerprint = fingerprint(o.data);
  } else if (o.task !== undefined || o.id !== undefined) throw new UsageError(`--${o.task !== undefined ? 'task' : 'id'} applies to CSV files, not to the built-in dataset '${o.data}'`);
  return d;
}

/** The run's fitted preprocessor (runs saved before there was one: undefined, refitted). */
export function readPreprocessor(dir: string): Preprocessor | undefined {
  const path = join(dir, PREPROCESSOR_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return Preprocessor.fromJSON(JSON.parse(readText(path, 'preprocessor file')));
  } catch (err) {
    throw new UsageError(`--resume ${dir}: ${path}: ${oneLine((err as Error).message)}`);
  }
}

export function readRunConfig(dir: string): RunConfig {
  const path = join(dir, RUN_FILE);
  if (!existsSync(dir)) throw new UsageError(`--resume ${dir}: no such directory`);
  let c: any;
  try {
    c = JSON.parse(readText(path, 'run file'));
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`--resume ${dir}: ${err.message} (is it a simdescent train --out directory?)`);
    throw new UsageError(`--resume ${dir}: ${path} is not valid JSON`);
  }
  if (c?.format !== 'simdescent-run/1') throw new UsageError(`--resume ${dir}: ${path} is not a simdescent run file`);
  return c as RunConfig;
}

export function readCheckpoint(dir: string): Checkpoint {
  const path = join(dir, CHECKPOINT_FILE);
  const bytes = readBytes(path, 'checkpoint');
  try {
    return decodeCheckpoint(bytes);
  } catch (err) {
    throw new UsageError(`--resume ${dir}: ${oneLine((err as Error).message)}`);
  }
}

function checkResumeModel(c: Checkpoint, config: RunConfig): void {
  const m = c.model as Record<string, unknown>;
  const layers = m.layers as number[] | undefined;
  if (layers && layers.join(',') !== config.model.layers.join(',')) {
    throw new UsageError(`--resume: the checkpoint's layers ${layers.join(',')} differ from run.json's ${config.model.layers.join(',')}`);
  }
  if (c.optimizerName !== config.optimizer.name) {
    throw new UsageError(`--resume: the checkpoint's optimizer ${c.optimizerName} differs from run.json's ${config.optimizer.name}`);
  }
}
