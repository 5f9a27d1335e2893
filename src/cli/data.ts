// Loading the data a command names: a bundled or synthetic dataset, or a CSV file; then the
// held-out test split and standardisation (statistics from the training rows only).
import { existsSync } from 'node:fs';
import * as data from '../data/index.js';
import { didYouMean } from '../options.js';
import { resolveName } from '../synonyms.js';
import { UsageError, oneLine } from './errors.js';
import { readText } from './files.js';

export interface Dataset {
  x: Float32Array;
  y: Int32Array | Float32Array;
  count: number;
  features: number;
  classes?: number;
  outputs?: number;
}

const lib = data as any;
export const BUILTIN = ['digits', 'blobs', 'moons', 'spirals'];

export interface DataFlags {
  data: string;
  label?: string;
  /** CSV: --header / --no-header; undefined lets fromCSV detect it. */
  header?: boolean;
  samples: number;
  seed: number;
  standardize?: boolean;
}

export async function loadData(f: DataFlags): Promise<Dataset> {
  // Built-in names in any case (Digits, MOONS); a file of that name wins.
  const name = existsSync(f.data) ? f.data : resolveName(f.data, BUILTIN) ?? f.data;
  let ds: Dataset;
  if (BUILTIN.includes(name)) {
    if (f.label !== undefined) throw new UsageError(`--label applies to CSV files, not to the built-in dataset '${name}'`);
    if (f.header !== undefined) throw new UsageError(`--${f.header ? '' : 'no-'}header applies to CSV files, not to the built-in dataset '${name}'`);
    const make = lib.datasets?.[name];
    if (typeof make !== 'function') throw new Error(`datasets.${name} is not available in this build`);
    try {
      ds = name === 'digits' ? await make() : await make({ count: f.samples, seed: f.seed });
    } catch (err) {
      if (err instanceof TypeError || err instanceof RangeError) throw new UsageError(`--data ${name}: ${oneLine(err.message)}`);
      throw err;
    }
  } else if (/\.(csv|txt|tsv)$/i.test(name) || existsSync(name) || /[\\/]/.test(name)) {
    const text = readText(name, 'data file');
    let label: string | number | undefined = f.label;
    if (label !== undefined && /^\d+$/.test(label)) label = Number(label);
    if (typeof lib.datasets?.fromCSV !== 'function') throw new Error('datasets.fromCSV is not available in this build');
    // fromCSV's notice about line 1 (all numbers, a count line), in the file's and the flags' names.
    const info = console.info;
    console.info = (msg: unknown, ...rest: unknown[]) =>
      info(typeof msg === 'string' ? msg.replace(/^fromCSV: /, `${name}: `).replace('pass header: true', 'pass --header') : msg, ...rest);
    try {
      ds = await lib.datasets.fromCSV(/[\r\n]/.test(text) ? text : `${text}\n`, {
        ...(label === undefined ? {} : { label }),
        ...(f.header === undefined ? {} : { header: f.header }),
      });
    } catch (err) {
      // fromCSV names the line and column; the file name completes the message.
      throw new UsageError(`${name}: ${oneLine((err as Error).message)}`);
    } finally {
      console.info = info;
    }
  } else {
    const hint = didYouMean(name, BUILTIN);
    throw new UsageError(`--data '${name}' is neither a built-in dataset nor an existing file${hint ? ` (did you mean '${hint}'?)` : ''}; built-in: ${BUILTIN.join(', ')}`);
  }
  return ds;
}

export function isClassification(ds: Dataset): boolean {
  return ds.y instanceof Int32Array && (ds.classes ?? 0) > 0;
}

/** Width of the model's output for this data. */
export function outputsOf(ds: Dataset): number {
  if (isClassification(ds)) return ds.classes as number;
  return ds.outputs ?? Math.max(1, Math.round(ds.y.length / ds.count));
}

/**
 * A seed for split number `k` drawn from --seed. The synthetic generators draw their labels
 * from Random(seed) too, and a split seeded with the same number permutes in lockstep with that
 * label shuffle (moons, seed 1: a 20% split held out class 0 only), so splits get seeds of their own.
 */
export function splitSeed(seed: number, k: number): number {
  let h = Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 13)) & 0x7fffffff;
}

/** Set aside a seeded fraction of the rows: { train, test } (test undefined for 0). */
export function holdOut(ds: Dataset, fractionOut: number, seed: number): { train: Dataset; test?: Dataset } {
  if (!fractionOut) return { train: ds };
  const s = lib.split(ds, { validation: fractionOut, seed });
  const train = s.train;
  const test = s.validation ?? s.test;
  if (!train?.count || !test?.count) throw new UsageError(`--test ${fractionOut} leaves no rows on one side of the split (${ds.count} rows)`);
  return { train, test };
}

/** Standardise with the first dataset's statistics; returns the datasets in the same order. */
export function standardizeAll(sets: (Dataset | undefined)[]): (Dataset | undefined)[] {
  const present = sets.filter((d): d is Dataset => d !== undefined);
  const out = lib.standardize(...present);
  const list: Dataset[] = Array.isArray(out) ? out : Array.isArray(out?.datasets) ? out.datasets : present;
  let i = 0;
  return sets.map((d) => (d === undefined ? undefined : list[i++]));
}
