// A CSV file for `train`: read as a table of strings, split into train / validation / test rows
// (the seeded splits the built-in data gets), a Preprocessor fitted on the training rows only (or
// the run's saved one, on resume) and applied to all three; plus the file's fingerprint, so a
// resumed run notices that its data changed.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { Preprocessor, type Task, type Transformed } from '../data/preprocess.js';
import type { Table } from '../data/table.js';
import { splitIndices } from '../data/transform.js';
import { UsageError, oneLine } from './errors.js';
import { readBytes } from './files.js';
import { BUILTIN, readTable, splitSeed } from './data.js';

export { readTable };

export const PREPROCESSOR_FILE = 'preprocessor.json';
export const MODEL_FILE = 'model.safetensors';

/** Train's flags for tables (beside addDataFlags' --data, --label and --standardize). */
export function addTableFlags(cmd: Command): Command {
  return cmd
    .option('--no-standardize', 'CSV: keep numeric features as they are (CSV tables are standardised unless this is given)')
    .addOption(new Option('--task <task>', 'CSV: what the label is (default: detected — text or few distinct integers: classification, else regression)').choices(['classification', 'regression']))
    .option('--id <column>', 'CSV: a column naming the rows (kept out of the features; predict copies it to its output)');
}

/** Whether --data names a file (not a built-in dataset): the test loadData uses. */
export function isFileData(name: string): boolean {
  return !BUILTIN.includes(name) && (/\.(csv|txt|tsv)$/i.test(name) || existsSync(name) || /[\\/]/.test(name));
}

export interface Fingerprint {
  size: number;
  sha256: string;
}

export function fingerprint(path: string): Fingerprint {
  const bytes = readBytes(path, 'data file');
  return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export interface TableSplit {
  train: Transformed;
  validation?: Transformed;
  test?: Transformed;
  preprocessor: Preprocessor;
  rows: number;
}

export interface TableFlags {
  data: string;
  label?: string;
  header?: boolean;
  task?: Task;
  id?: string;
  standardize: boolean;
  test: number;
  validation: number;
}

/**
 * Splits the table's rows (test with seed k = 1, then validation of the rest with k = 2, as
 * holdOut does for built-in data), fits the preprocessor on the training rows (or uses `saved`)
 * and transforms each part.
 */
export function prepareTable(f: TableFlags, seed: number, saved?: Preprocessor): TableSplit {
  const table = readTable(f.data, f.header);
  const n = table.rows.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const cut = (rows: number[], fraction: number, k: number, flag: string): [number[], number[]] => {
    if (!fraction) return [rows, []];
    const s = splitIndices(rows.length, fraction, splitSeed(seed, k));
    if (s.train.length === 0 || s.validation.length === 0) throw new UsageError(`--${flag} ${fraction} leaves no rows on one side of the split (${rows.length} rows)`);
    return [Array.from(s.train, (i) => rows[i]), Array.from(s.validation, (i) => rows[i])];
  };
  let pre = saved;
  try {
    let rest: number[], testRows: number[], trainRows: number[], valRows: number[];
    try {
      [rest, testRows] = cut(all, f.test, 1, 'test');
      [trainRows, valRows] = cut(rest, f.validation, 2, 'validation');
    } catch (err) {
      // A malformed table is the first thing to fix, even when it is also too small to split.
      if (!saved) Preprocessor.fit(table, { label: labelOf(f.label, table), task: f.task, standardize: f.standardize, id: f.id });
      throw err;
    }
    if (!pre) pre = Preprocessor.fit(table, { label: labelOf(f.label, table), task: f.task, standardize: f.standardize, id: f.id, rows: trainRows });
    const part = (rows: number[]) => (rows.length ? pre!.transform(table, { rows, labels: 'required' }) : undefined);
    return { train: part(trainRows)!, validation: part(valRows), test: part(testRows), preprocessor: pre, rows: n };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const msg = oneLine((err as Error).message).replace(/^Preprocessor\.fit: /, '');
    if (/^unknown label column/.test(msg)) throw new UsageError(`--label: ${msg}`);
    if (/^unknown id column/.test(msg)) throw new UsageError(`--id: ${msg}`);
    throw new UsageError(`${f.data}: ${msg}`);
  }
}

/** --label as a name, or as a 0-based index when it is digits and no column has that name. */
function labelOf(label: string | undefined, table: Table): string | number | undefined {
  return label !== undefined && /^-?\d+$/.test(label) && !table.names.includes(label) ? Number(label) : label;
}

/** The data line train prints: file, rows, inputs, task and what the preprocessing did. */
export function describeTable(path: string, s: TableSplit, task?: string): string {
  const p = s.preprocessor;
  const cols = p.columns.length;
  const other = p.task === 'classification' ? 'regression' : 'classification';
  const why = task ? ' (--task)' : ` (detected; --task ${other} to override)`;
  return `data: ${basename(path)}: ${s.rows} rows, ${cols} feature column${cols === 1 ? '' : 's'} → ${p.features} inputs; ${p.taskSummary()}${why}${p.summary() ? `; ${p.summary()}` : ''}`;
}

export function absolute(path: string): string {
  return resolve(path);
}
