// simdescent export-torch / import-torch: a run directory handed to PyTorch (train.py, one
// process or DDP under torchrun) and back (src/interop/torch.ts does the work). Both check
// everything before writing anything.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { type TorchData, exportTorch, importTorch } from '../interop/torch.js';
import * as data from '../data/index.js';
import { encodeCheckpoint } from '../train/checkpoint.js';
import { type Dataset, holdOut, loadData, splitSeed } from './data.js';
import { UsageError, oneLine } from './errors.js';
import { ensureDir, readBytes, readText, writeAtomic } from './files.js';
import { closeEngine, engine } from './setup.js';
import { CHECKPOINT_FILE, RUN_FILE, type RunConfig, readCheckpoint, readRunConfig } from './train.js';

export function exportTorchCommand(): Command {
  return new Command('export-torch')
    .description('write a PyTorch continuation of a run: model.safetensors, data.json and train.py (1 process or DDP under torchrun)')
    .requiredOption('--run <dir>', 'the run directory (simdescent train --out DIR)')
    .requiredOption('--out <dir>', 'directory for model.safetensors, data.json and train.py')
    .option('--quiet', 'print nothing but errors')
    .action(async (o) => {
      const { config, checkpoint } = readRun(o.run);
      const spec = await torchData(config);
      const sd = await engine({});
      let files;
      try {
        files = exportTorch(sd, {
          checkpoint,
          data: spec,
          batchSize: config.batchSize,
          scheduleUnit: config.scheduleUnit,
          ...(config.earlyStopping ? { earlyStopping: { patience: config.earlyStopping, restoreBest: true } } : {}),
        });
      } catch (err) {
        throw new UsageError(`export-torch --run ${o.run}: ${oneLine((err as Error).message)}`);
      } finally {
        await closeEngine(sd);
      }
      const out = ensureDir(o.out);
      for (const [name, bytes] of Object.entries(files)) writeAtomic(join(out, name), bytes);
      if (!o.quiet) {
        const py = join(o.out, 'train.py');
        process.stdout.write(
          `wrote ${Object.keys(files).map((f) => join(o.out, f)).join(', ')} (epoch ${checkpoint.epoch}, step ${checkpoint.history.steps})\n` +
            `continue in PyTorch:  python3 ${py} --epochs N --out F.safetensors\n` +
            `             or DDP:  torchrun --standalone --nproc_per_node K ${py} --epochs N --out F.safetensors\n` +
            `come back with:       simdescent import-torch F.safetensors --run ${o.run} --out DIR\n`,
        );
      }
    });
}

export function importTorchCommand(): Command {
  return new Command('import-torch')
    .description("make a run directory at PyTorch's epoch from the safetensors file train.py wrote")
    .argument('<file>', "train.py's output (F.safetensors)")
    .requiredOption('--run <dir>', 'the run that was exported (simdescent export-torch --run DIR)')
    .requiredOption('--out <dir>', 'the new run directory (continue with simdescent train --resume DIR)')
    .option('--quiet', 'print nothing but errors')
    .action(async (file: string, o) => {
      const { config, checkpoint } = readRun(o.run);
      const bytes = readBytes(file, 'safetensors file');
      if (resolve(o.out) === resolve(o.run)) throw new UsageError(`import-torch: --out must be a new directory, not the run ${o.run} itself`);
      const sd = await engine({});
      let next;
      try {
        next = importTorch(sd, bytes, { checkpoint });
      } catch (err) {
        throw new UsageError(`import-torch ${file}: ${oneLine((err as Error).message)}`);
      } finally {
        await closeEngine(sd);
      }
      const out = ensureDir(o.out);
      const run: RunConfig = { ...config, epochs: Math.max(config.epochs, next.epoch) };
      writeAtomic(join(out, RUN_FILE), JSON.stringify(run, null, 2) + '\n');
      writeAtomic(join(out, CHECKPOINT_FILE), encodeCheckpoint(next));
      if (!o.quiet) {
        const last = next.history.epochs[next.history.epochs.length - 1];
        process.stdout.write(
          `wrote ${join(o.out, CHECKPOINT_FILE)} at epoch ${next.epoch}, step ${next.history.steps}` +
            (last ? ` (loss ${last.loss.toPrecision(6)}${last.valLoss !== undefined ? `, validation loss ${last.valLoss.toPrecision(6)}` : ''})` : '') +
            `\ncontinue with: simdescent train --resume ${o.out} --epochs ${next.epoch + 1}\n`,
        );
      }
    });
}

function readRun(dir: string): { config: RunConfig; checkpoint: ReturnType<typeof readCheckpoint> } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--run ${dir}: no such directory`);
  try {
    return { config: readRunConfig(dir), checkpoint: readCheckpoint(dir) };
  } catch (err) {
    throw new UsageError(oneLine((err as Error).message).replace(/^--resume /, '--run '));
  }
}

/**
 * data.json for train.py: the CSV's layout, the label mapping and standardisation statistics
 * simdescent used, and the rows of each split in simdescent's order. The splits are found by
 * running the run's own holdOut calls on a dataset whose features are the row numbers (split
 * by hi/lo 16 bits, exact in float32) and whose labels are the CSV's, so any split rule that
 * looks only at the labels yields its rows.
 */
async function torchData(config: RunConfig): Promise<TorchData> {
  const csv = config.data.data;
  if (!/\.(csv|txt|tsv)$/i.test(csv) && !existsSync(csv)) {
    throw new UsageError(`export-torch: the run trained on the built-in dataset '${csv}'; only runs on a CSV file can move to PyTorch (train.py reads the same file)`);
  }
  const all = (await loadData({ ...config.data, seed: config.seed })) as Dataset;
  const n = all.count;
  const ids = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    ids[2 * i] = Math.floor(i / 65536);
    ids[2 * i + 1] = i % 65536;
  }
  const index: Dataset = { ...all, x: ids, features: 2 };
  const rowsOf = (d?: Dataset) => (d ? Array.from({ length: d.count }, (_, r) => d.x[2 * r] * 65536 + d.x[2 * r + 1]) : undefined);
  const { train: rest, test } = holdOut(index, config.data.test, splitSeed(config.seed, 1));
  const { train, test: val } = holdOut(rest, config.data.validation, splitSeed(config.seed, 2));
  const split = { train: rowsOf(train)!, ...(val ? { validation: rowsOf(val) } : {}), ...(test ? { test: rowsOf(test) } : {}) };

  const text = readText(csv, 'data file');
  const delimiter = /\.tsv$/i.test(csv) ? '\t' : ',';
  const head = firstRecord(text.replace(/^\ufeff/, ''), delimiter);
  const columns = head.length;
  let label = columns - 1;
  const l = config.data.label;
  if (l !== undefined) {
    if (/^-?\d+$/.test(l)) label = Number(l) < 0 ? columns + Number(l) : Number(l);
    else label = head.indexOf(l);
  }
  const features = Array.from({ length: columns }, (_, j) => j).filter((j) => j !== label);
  const spec: TorchData = {
    csv: resolve(csv),
    delimiter,
    header: true,
    columns,
    label,
    features,
    task: all.y instanceof Int32Array ? 'classification' : 'regression',
    ...((all as { names?: string[] }).names ? { classes: (all as { names?: string[] }).names } : {}),
    rows: n,
    split,
  };
  if (config.data.standardize) {
    const trainRows = Float32Array.from(split.train.flatMap((r) => Array.from(all.x.subarray(r * all.features, (r + 1) * all.features))));
    const st = (data as any).standardize({ ...all, x: trainRows, count: split.train.length, y: all.y.slice(0, split.train.length) });
    spec.standardize = { mean: Array.from(st.mean as Float32Array), std: Array.from(st.std as Float32Array) };
  }
  return spec;
}

/** The first line's fields (quotes as RFC 4180), enough to count the columns and find the label. */
function firstRecord(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let f = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (f += '"'), i++;
      else if (ch === '"') quoted = false;
      else f += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) fields.push(f), (f = '');
    else if (ch === '\n' || ch === '\r') break;
    else f += ch;
  }
  fields.push(f);
  return fields.map((s) => s.trim());
}
