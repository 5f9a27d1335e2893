// simdescent export-torch / import-torch: a run directory handed to PyTorch (train.py, one
// process or DDP under torchrun) and back (src/interop/torch.ts does the work). Both check
// everything before writing anything.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { type TorchData, type TorchDatasets, type TorchFiles } from '../interop/torch.js';
import type { Checkpoint } from '../train/types.js';
import { saveSafetensors } from '../interop/safetensors.js';
import { records, sniff } from '../data/csv.js';
import { decodeState } from '../optimizers/state.js';
import { splitIndices } from '../data/transform.js';
import { encodeCheckpoint } from '../train/checkpoint.js';
import { type Dataset, holdOut, loadData, splitSeed, standardizeAll } from './data.js';
import { UsageError, oneLine } from './errors.js';
import { ensureDir, readBytes, readText, writeAtomic } from './files.js';
import { closeEngine, engine } from './setup.js';
import { MODEL_FILE, PREPROCESSOR_FILE, isFileData, readTable } from './tabular.js';
import { CHECKPOINT_FILE, RUN_FILE, type RunConfig, readCheckpoint, readPreprocessor, readRunConfig } from './train.js';

export function exportTorchCommand(): Command {
  return new Command('export-torch')
    .description('write a PyTorch continuation of a run: model.safetensors, data.json and train.py (1 process or DDP under torchrun)')
    .requiredOption('--run <dir>', 'the run directory (simdescent train --out DIR)')
    .requiredOption('--out <dir>', 'directory for model.safetensors, data.json and train.py')
    .option('--quiet', 'print nothing but errors')
    .action(async (o) => {
      const { files, checkpoint } = await exportRun(o.run);
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

/**
 * The run directory that continues run `dir` from train.py's output `bytes` (named `file` in
 * messages), as file name → contents: checkpoint.sdck and run.json, and beside a preprocessor
 * (a CSV run) preprocessor.json and model.safetensors as train writes them. Nothing written.
 */
export async function importRun(bytes: Uint8Array, dir: string, file: string): Promise<{ next: Checkpoint; files: Record<string, string | Uint8Array> }> {
  const { config, checkpoint } = readRun(dir);
  const pre = readPreprocessor(dir);
  const sd = await engine({});
  try {
    const next = sd.importTorch(bytes, { checkpoint });
    const run: RunConfig = { ...config, epochs: Math.max(config.epochs, next.epoch) };
    const files: Record<string, string | Uint8Array> = { [RUN_FILE]: JSON.stringify(run, null, 2) + '\n', [CHECKPOINT_FILE]: encodeCheckpoint(next) };
    if (pre) {
      files[PREPROCESSOR_FILE] = JSON.stringify(pre.toJSON(), null, 1) + '\n';
      // model.safetensors as train writes it, for predict and evaluate on the new run.
      const { kind: _k, ...mlp } = next.model as Record<string, unknown>;
      void _k;
      const model = sd.mlp(mlp as any);
      try {
        const opt = sd.optimizer(next.optimizerName, { ...decodeState(next.optimizerState).options, buffer: model.buffer });
        opt.loadState(next.optimizerState);
        opt.dispose();
        files[MODEL_FILE] = saveSafetensors(model, undefined, { 'simdescent.run': RUN_FILE, 'simdescent.preprocessor': PREPROCESSOR_FILE });
      } finally {
        model.dispose();
      }
    }
    return { next, files };
  } catch (err) {
    throw new UsageError(`import-torch ${file}: ${oneLine((err as Error).message)}`);
  } finally {
    await closeEngine(sd);
  }
}

/** The files of run directory `dir`'s PyTorch continuation (nothing written); user errors as UsageError. */
export async function exportRun(dir: string): Promise<{ files: TorchFiles; checkpoint: Checkpoint }> {
  const { config, checkpoint } = readRun(dir);
  const spec = isFileData(config.data.data) ? torchData(dir, config) : await builtinData(config);
  const sd = await engine({});
  try {
    const files = sd.exportTorch({
      checkpoint,
      data: spec,
      batchSize: config.batchSize,
      scheduleUnit: config.scheduleUnit,
      ...(config.earlyStopping ? { earlyStopping: { patience: config.earlyStopping, restoreBest: true, ...(config.monitor ? { monitor: config.monitor } : {}) } } : {}),
    });
    return { files, checkpoint };
  } catch (err) {
    throw new UsageError(`export-torch --run ${dir}: ${oneLine((err as Error).message)}`);
  } finally {
    await closeEngine(sd);
  }
}

export function importTorchCommand(): Command {
  return new Command('import-torch')
    .description("make a run directory at PyTorch's epoch from the safetensors file train.py wrote")
    .argument('<file>', "train.py's output (F.safetensors)")
    .requiredOption('--run <dir>', 'the run that was exported (simdescent export-torch --run DIR)')
    .requiredOption('--out <dir>', 'the new run directory (continue with simdescent train --resume DIR)')
    .option('--quiet', 'print nothing but errors')
    .action(async (file: string, o) => {
      const bytes = readBytes(file, 'safetensors file');
      if (resolve(o.out) === resolve(o.run)) throw new UsageError(`import-torch: --out must be a new directory, not the run ${o.run} itself`);
      const { next, files } = await importRun(bytes, o.run, file);
      const out = ensureDir(o.out);
      // The checkpoint last: a directory with it is a whole run.
      for (const [name, data] of Object.entries(files)) if (name !== CHECKPOINT_FILE) writeAtomic(join(out, name), data);
      writeAtomic(join(out, CHECKPOINT_FILE), files[CHECKPOINT_FILE]);
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
 * data.json for train.py: the CSV, the run's fitted preprocessor (preprocessor.json, applied by
 * train.py's preprocess()) and the rows of each split in simdescent's order, drawn as
 * prepareTable draws them (test with split seed 1, then validation of the rest with seed 2).
 */
function torchData(dir: string, config: RunConfig): TorchData {
  const csv = config.data.data;
  const pre = readPreprocessor(dir);
  if (!pre) throw new UsageError(`export-torch --run ${dir}: no ${PREPROCESSOR_FILE} (a run saved before simdescent kept its preprocessing); train it again to export it`);
  const text = readText(csv, 'data file').replace(/^\ufeff/, '');
  const table = readTable(csv, config.data.header);
  const n = table.rows.length;
  const delimiter = sniff(text);
  // The table is the file's last n records (line 1 may be a header, or scikit-learn's count line
  // then a header); a last column of class ids that parseTable named from the count line travels
  // as that mapping.
  const raw = records(text, delimiter).slice(-n);
  const width = table.names.length;
  let idNames: string[] | undefined;
  if (raw.length && raw[0].fields[width - 1]?.trim() !== table.rows[0][width - 1]) {
    idNames = [];
    raw.forEach((r, i) => (idNames![Number(r.fields[width - 1])] = table.rows[i][width - 1]));
  }
  const cut = (rows: number[], fraction: number, k: number): [number[], number[]] => {
    if (!fraction) return [rows, []];
    const s = splitIndices(rows.length, fraction, splitSeed(config.seed, k));
    return [Array.from(s.train, (i) => rows[i]), Array.from(s.validation, (i) => rows[i])];
  };
  const [rest, test] = cut(Array.from({ length: n }, (_, i) => i), config.data.test, 1);
  const [train, validation] = cut(rest, config.data.validation, 2);
  return {
    csv,
    delimiter,
    names: table.names,
    ...(idNames ? { idNames } : {}),
    rows: n,
    preprocessor: pre.toJSON(),
    split: { train, ...(validation.length ? { validation } : {}), ...(test.length ? { test } : {}) },
  };
}

/** A built-in dataset's parts exactly as train made them; they travel in data.safetensors. */
async function builtinData(config: RunConfig): Promise<TorchDatasets> {
  const all = await loadData({ ...config.data, seed: config.seed });
  const { train: rest, test } = holdOut(all, config.data.test, splitSeed(config.seed, 1));
  const { train, test: validation } = holdOut(rest, config.data.validation, splitSeed(config.seed, 2));
  let parts = [train, validation, test] as (Dataset | undefined)[];
  if (config.data.standardize) parts = standardizeAll(parts);
  return { train: parts[0]!, ...(parts[1] ? { validation: parts[1] } : {}), ...(parts[2] ? { test: parts[2] } : {}) };
}
