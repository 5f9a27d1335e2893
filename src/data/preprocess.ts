// Tabular preprocessing: a table of strings (./table.ts) → a Dataset a model trains on, and the
// same mapping again for new rows at predict time. What fastai's tabular learner does by default
// (fill missing, categorify, normalize) and a Keras user writes as a Normalization layer:
//   numeric column → (v − mean) / std, mean and (population) std of the training rows after filling;
//                     a missing cell takes the training median and, if the column had any missing
//                     cell in training, an indicator feature `name (missing)` is 1 on that row;
//   text column    → one-hot over the categories seen in the training rows ('(missing)' is a
//                     category of its own); an unseen category is "other": all its columns 0;
//   label          → class ids over the distinct values of the whole table (names kept in order),
//                     or, for regression, (y − mean) / std with the training rows' statistics.
// The fitted state is plain JSON (toJSON / fromJSON, format below) so a run directory can keep
// it and the PyTorch export can apply the same formulas. fromJSON treats the JSON as untrusted.
//
// JSON format 'simdescent-preprocessor/1' (kept stable; extend with new optional keys only):
//   { format, label, task: 'classification'|'regression', classes?: string[] (id order),
//     target?: { mean, std } (regression), standardize: boolean, id?: string,
//     columns: [{ name, kind: 'numeric', mean, std, median, indicator: boolean }
//              | { name, kind: 'text', categories: string[] }],  (input order, label/id excluded)
//     inputs: string[] (the model's input names in order), fitted: { rows, filled } }
// Input order: for each column in `columns`, numeric → [value, (missing) if indicator]; text →
// one column per category in `categories` order. With standardize false, mean 0 and std 1.
import { didYouMean, parseOptions, show } from '../options.js';
import type { Dataset } from './dataset.js';
import type { Table } from './table.js';

export type Task = 'classification' | 'regression';

export interface NumericColumn {
  name: string;
  kind: 'numeric';
  mean: number;
  std: number;
  median: number;
  indicator: boolean;
}

export interface TextColumn {
  name: string;
  kind: 'text';
  categories: string[];
}

export type ColumnState = NumericColumn | TextColumn;

export interface PreprocessorJSON {
  format: 'simdescent-preprocessor/1';
  label: string;
  task: Task;
  classes?: string[];
  target?: { mean: number; std: number };
  standardize: boolean;
  id?: string;
  columns: ColumnState[];
  inputs: string[];
  fitted: { rows: number; filled: number };
}

export interface PreprocessOptions {
  /** The label column: a name or a 0-based index (negative counts from the end). Default: the last column. */
  label?: string | number;
  /** Default: classification for text labels and integer labels with at most 20 distinct values, else regression. */
  task?: Task;
  /** Standardise numeric features (default true). */
  standardize?: boolean;
  /** A column that identifies rows (kept out of the features; predict can copy it to its output). */
  id?: string;
  /** Rows whose statistics are used (default: all); the kinds of columns and the classes come from every row. */
  rows?: ArrayLike<number>;
}

/** Integer labels with more distinct values than this are a regression target (diabetes progression: 214). */
export const MAX_AUTO_CLASSES = 20;
export const MISSING_CATEGORY = '(missing)';
/** Cells read as missing, as pandas reads them by default (plus '?', the UCI convention). */
const MISSING = new Set(['', 'NA', 'N/A', 'NaN', 'nan', '-NaN', 'null', 'NULL', 'None', '#N/A', '?']);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export const isMissing = (s: string): boolean => MISSING.has(s);
const isNumber = (s: string): boolean => NUMBER.test(s) && Number.isFinite(Math.fround(Number(s)));

const FIT_SPEC = {
  label: { type: 'any' as const },
  task: { type: 'string' as const, values: ['classification', 'regression'] as const },
  standardize: { type: 'boolean' as const, default: true },
  id: { type: 'string' as const },
  rows: { type: 'any' as const },
};

/** What transform returns: a Dataset (y when the labels were there), unseen-category notices and how many numeric cells took the median. */
export type Transformed = Dataset & { labelled: boolean; notices: string[]; filled: number; rowIds?: string[] };

export class Preprocessor {
  private constructor(private readonly s: PreprocessorJSON) {}

  /** Learns the columns' kinds from every row and their statistics from `options.rows`. */
  static fit(table: Table, options: PreprocessOptions = {}): Preprocessor {
    checkTable(table, 'Preprocessor.fit');
    const o = parseOptions('Preprocessor.fit', FIT_SPEC, options);
    const { names, rows } = table;
    const lc = labelIndex(names, o.label);
    let idc = -1;
    if (o.id !== undefined) {
      idc = names.indexOf(o.id);
      if (idc < 0) throw new RangeError(`Preprocessor.fit: unknown id column '${o.id}'${hint(o.id, names)}; columns: ${names.join(', ')}`);
      if (idc === lc) throw new RangeError(`Preprocessor.fit: the id column '${o.id}' is the label column`);
    }
    if (names.length - (idc >= 0 ? 2 : 1) < 1) throw new RangeError(`Preprocessor.fit: the table has no feature columns beside the label '${names[lc]}'`);
    const fitRows = rowList(o.rows, rows.length);
    const where = (r: number, j: number) => `line ${table.lines[r]}, column ${j + 1} ('${names[j]}')`;

    // Label: task and classes from all rows (a class seen only in held-out rows still gets an id).
    for (let r = 0; r < rows.length; r++) if (isMissing(rows[r][lc])) throw new RangeError(`Preprocessor.fit: ${where(r, lc)}: the label is missing (${show(rows[r][lc])})`);
    const labels = rows.map((row) => row[lc]);
    const numeric = labels.every(isNumber);
    let task: Task = o.task;
    if (task === undefined) {
      const ints = numeric && labels.every((s) => Number.isInteger(Number(s)));
      task = !numeric || (ints && new Set(labels.map(Number)).size <= MAX_AUTO_CLASSES) ? 'classification' : 'regression';
    }
    const state: PreprocessorJSON = {
      format: 'simdescent-preprocessor/1',
      label: names[lc],
      task,
      standardize: o.standardize,
      columns: [],
      inputs: [],
      fitted: { rows: fitRows.length, filled: 0 },
    };
    if (idc >= 0) state.id = names[idc];
    if (task === 'classification') {
      state.classes = numeric
        ? [...new Set(labels.map((s) => Number(s)))].sort((a, b) => a - b).map(String)
        : [...new Set(labels)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (state.classes.length < 2) throw new RangeError(`Preprocessor.fit: the label '${names[lc]}' has one value (${show(labels[0])}); classification needs at least two classes`);
    } else {
      const bad = labels.findIndex((s) => !isNumber(s));
      if (bad >= 0) throw new RangeError(`Preprocessor.fit: ${where(bad, lc)}: ${show(labels[bad])} is not a number (a regression target; use task classification for class names)`);
      const ys = fitRows.map((r) => Number(labels[r]));
      const { mean, std } = moments(ys);
      state.target = { mean, std };
    }

    // Features.
    for (let j = 0; j < names.length; j++) {
      if (j === lc || j === idc) continue;
      const cells = rows.map((row) => row[j]);
      const present = cells.filter((s) => !isMissing(s));
      if (present.length === 0) throw new RangeError(`Preprocessor.fit: column '${names[j]}' has no values (every cell is empty or missing); drop it`);
      const fitCells = fitRows.map((r) => cells[r]);
      const missingInFit = fitCells.filter(isMissing).length;
      state.fitted.filled += missingInFit;
      // Mostly numbers with a few words is a typo, not a text column: say where.
      const words = present.filter((v) => !isNumber(v));
      if (words.length > 0 && words.length <= present.length / 2) {
        const r = cells.findIndex((v) => !isMissing(v) && !isNumber(v));
        throw new RangeError(`${where(r, j)}: ${show(cells[r])} is not a number (${present.length - words.length} of the column's ${present.length} values are; leave the cell empty or write NA for a missing value)`);
      }
      if (words.length === 0) {
        const known = fitCells.filter((s) => !isMissing(s)).map(Number);
        if (known.length === 0) throw new RangeError(`Preprocessor.fit: column '${names[j]}' has no values in the training rows`);
        const median = medianOf(known);
        const filled = fitCells.map((s) => (isMissing(s) ? median : Number(s)));
        const m = o.standardize ? moments(filled) : { mean: 0, std: 1 };
        state.columns.push({ name: names[j], kind: 'numeric', mean: m.mean, std: m.std, median, indicator: missingInFit > 0 });
        state.inputs.push(names[j]);
        if (missingInFit > 0) state.inputs.push(`${names[j]} (missing)`);
      } else {
        const cats = [...new Set(fitCells.map((s) => (isMissing(s) ? MISSING_CATEGORY : s)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        state.columns.push({ name: names[j], kind: 'text', categories: cats });
        for (const c of cats) state.inputs.push(`${names[j]}=${c}`);
      }
    }
    return new Preprocessor(state);
  }

  /** Rebuilds a fitted preprocessor from toJSON()'s output; every field is checked. */
  static fromJSON(json: unknown): Preprocessor {
    return new Preprocessor(checkJSON(json));
  }

  toJSON(): PreprocessorJSON {
    return JSON.parse(JSON.stringify(this.s));
  }

  get task(): Task {
    return this.s.task;
  }
  get label(): string {
    return this.s.label;
  }
  get id(): string | undefined {
    return this.s.id;
  }
  /** Class names in id order (classification). */
  get classes(): string[] | undefined {
    return this.s.classes?.slice();
  }
  /** The model's input width. */
  get features(): number {
    return this.s.inputs.length;
  }
  /** The model's output width: classes, or 1 for regression. */
  get outputs(): number {
    return this.s.classes?.length ?? 1;
  }
  /** The feature columns the table must have (label and id excluded). */
  get columns(): string[] {
    return this.s.columns.map((c) => c.name);
  }

  /** A regression prediction (standardised units) in the target's units. */
  targetValue(scaled: number): number {
    const t = this.s.target;
    return t ? scaled * t.std + t.mean : scaled;
  }

  /**
   * Applies the fitted mapping to `table` (columns matched by name, in any order). `labels`:
   * 'required' (train, evaluate), 'optional' (predict: used when the column is there) or 'ignore'.
   */
  transform(table: Table, options: { rows?: ArrayLike<number>; labels?: 'required' | 'optional' | 'ignore' } = {}): Transformed {
    checkTable(table, 'Preprocessor.transform');
    const s = this.s;
    const names = table.names;
    const index = new Map(names.map((n, j) => [n, j]));
    const missingCols = s.columns.filter((c) => !index.has(c.name)).map((c) => c.name);
    const known = new Set([...s.columns.map((c) => c.name), s.label, ...(s.id ? [s.id] : [])]);
    const extra = names.filter((n) => !known.has(n));
    if (missingCols.length || extra.length) {
      const parts: string[] = [];
      if (missingCols.length) parts.push(`lacks column${missingCols.length > 1 ? 's' : ''} ${missingCols.map((n) => `'${n}'`).join(', ')}`);
      if (extra.length) parts.push(`has column${extra.length > 1 ? 's' : ''} the model was not trained on: ${extra.map((n) => `'${n}'`).join(', ')}`);
      throw new RangeError(`the table ${parts.join(' and ')} (expected: ${[...s.columns.map((c) => c.name), s.label].join(', ')})`);
    }
    const want = options.labels ?? 'optional';
    const lc = index.get(s.label);
    if (want === 'required' && lc === undefined) throw new RangeError(`the table has no label column '${s.label}'${hint(s.label, names)}`);
    const labelled = want !== 'ignore' && lc !== undefined;
    const rows = rowList(options.rows, table.rows.length);
    const n = rows.length;
    const f = s.inputs.length;
    const x = new Float32Array(n * f);
    const where = (r: number, j: number) => `line ${table.lines[r]}, column ${j + 1} ('${names[j]}')`;
    const unseen = new Map<string, { rows: number; values: Set<string> }>();
    // Category → position, once per column (a table can have many rows and categories).
    const slots = new Map(s.columns.filter((c): c is TextColumn => c.kind === 'text').map((c) => [c.name, new Map(c.categories.map((v, k) => [v, k]))]));
    const cols = s.columns.map((c) => ({ c, j: index.get(c.name)!, slot: slots.get(c.name) }));
    let filled = 0;
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      const row = table.rows[r];
      let k = i * f;
      for (const { c, j, slot } of cols) {
        const cell = row[j];
        if (c.kind === 'numeric') {
          const miss = isMissing(cell);
          if (!miss && !isNumber(cell)) throw new RangeError(`${where(r, j)}: ${show(cell)} is not a number (the column was numeric in training)`);
          if (miss) filled++;
          const v = miss ? c.median : Number(cell);
          x[k++] = (v - c.mean) / c.std;
          if (c.indicator) x[k++] = miss ? 1 : 0;
        } else {
          const cat = isMissing(cell) ? MISSING_CATEGORY : cell;
          const at = slot!.get(cat);
          if (at !== undefined) x[k + at] = 1;
          else {
            const u = unseen.get(c.name) ?? { rows: 0, values: new Set<string>() };
            u.rows++;
            u.values.add(cat);
            unseen.set(c.name, u);
          }
          k += c.categories.length;
        }
      }
    }
    const notices: string[] = [];
    for (const [col, u] of unseen) {
      const vals = [...u.values].slice(0, 3).map((v) => `'${v}'`).join(', ');
      notices.push(`column '${col}': ${u.rows} row${u.rows === 1 ? '' : 's'} with a category not seen in training (${vals}${u.values.size > 3 ? ', …' : ''}) taken as "other" (all its one-hot inputs 0)`);
    }
    const out: Transformed = { x, y: new Float32Array(0), count: n, features: f, labelled, notices, filled };
    if (s.id !== undefined && index.has(s.id)) {
      const idc = index.get(s.id)!;
      out.rowIds = rows.map((r) => table.rows[r][idc]);
    }
    if (s.classes) {
      out.classes = s.classes.length;
      out.names = s.classes.slice();
    } else out.outputs = 1;
    if (!labelled) {
      out.y = s.classes ? new Int32Array(0) : new Float32Array(0);
      return out;
    }
    if (s.classes) {
      const numeric = s.classes.every(isNumber);
      const id = new Map(s.classes.map((c, k) => [c, k]));
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const r = rows[i];
        const raw = table.rows[r][lc!];
        const key = numeric && isNumber(raw) ? String(Number(raw)) : raw;
        const k = id.get(key);
        if (k === undefined) {
          throw new RangeError(`${where(r, lc!)}: ${isMissing(raw) ? 'the label is missing' : `label ${show(raw)} is not one of the classes the model knows (${s.classes.join(', ')})`}`);
        }
        y[i] = k;
      }
      out.y = y;
    } else {
      const t = s.target!;
      const y = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const r = rows[i];
        const raw = table.rows[r][lc!];
        if (!isNumber(raw)) throw new RangeError(`${where(r, lc!)}: ${isMissing(raw) ? 'the label is missing' : `${show(raw)} is not a number`}`);
        y[i] = (Number(raw) - t.mean) / t.std;
      }
      out.y = y;
    }
    return out;
  }

  /** Columns that are probably not features: a text column with a category for most training rows (an id, free text). */
  advice(): string[] {
    const rows = this.s.fitted.rows;
    return this.s.columns
      .filter((c): c is TextColumn => c.kind === 'text' && c.categories.length > Math.max(20, rows / 2))
      .map((c) => `column '${c.name}' has ${c.categories.length} categories in ${rows} training rows: an identifier or free text? (--id ${c.name} keeps it out of the features)`);
  }

  /** One line: what the preprocessor does, e.g. "4 numeric standardised, 1 text one-hot (3 categories), 2 cells filled". */
  summary(): string {
    const s = this.s;
    const num = s.columns.filter((c): c is NumericColumn => c.kind === 'numeric');
    const text = s.columns.filter((c): c is TextColumn => c.kind === 'text');
    const parts: string[] = [];
    if (num.length) parts.push(`${num.length} numeric${s.standardize ? ' standardised' : ' as is'}`);
    if (text.length) {
      const cats = text.reduce((a, c) => a + c.categories.length, 0);
      parts.push(`${text.length} text one-hot (${cats} categor${cats === 1 ? 'y' : 'ies'})`);
    }
    if (s.fitted.filled) {
      const ind = num.filter((c) => c.indicator).length;
      parts.push(`${s.fitted.filled} missing cell${s.fitted.filled === 1 ? '' : 's'} filled${ind ? ` (+${ind} indicator${ind === 1 ? '' : 's'})` : ''}`);
    }
    if (s.target) parts.push(`target '${s.label}' standardised for training (mean ${fmt(s.target.mean)}, std ${fmt(s.target.std)})`);
    return parts.join(', ');
  }

  /** One line for the task: "classification, 3 classes (setosa, versicolor, virginica)" or "regression". */
  taskSummary(): string {
    const c = this.s.classes;
    if (!c) return `regression of '${this.s.label}'`;
    const list = c.length <= 6 ? c.join(', ') : `${c.slice(0, 5).join(', ')}, …`;
    return `classification of '${this.s.label}', ${c.length} classes (${list})`;
  }
}

function fmt(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

function hint(word: string, names: readonly string[]): string {
  const h = didYouMean(word, names);
  return h ? ` (did you mean '${h}'?)` : '';
}

function labelIndex(names: string[], label: unknown): number {
  const width = names.length;
  if (label === undefined) return width - 1;
  if (typeof label === 'number') {
    if (!Number.isInteger(label) || label < -width || label >= width) throw new RangeError(`Preprocessor.fit: label column ${label} is out of range: the table has ${width} columns (0-based index in [${-width}, ${width - 1}])`);
    return label < 0 ? width + label : label;
  }
  if (typeof label !== 'string') throw new TypeError(`Preprocessor.fit: label must be a column name or a 0-based index, got ${show(label)}`);
  const j = names.indexOf(label);
  if (j < 0) throw new RangeError(`unknown label column '${label}'${hint(label, names)}; columns: ${names.join(', ')}`);
  return j;
}

function rowList(rows: unknown, count: number): number[] {
  if (rows === undefined) return Array.from({ length: count }, (_, i) => i);
  if (rows === null || typeof rows !== 'object' || typeof (rows as ArrayLike<number>).length !== 'number') throw new TypeError(`rows must be an array of row numbers, got ${show(rows)}`);
  const list = Array.from(rows as ArrayLike<number>);
  if (list.length === 0) throw new RangeError('rows must name at least one row');
  list.forEach((r, i) => {
    if (!Number.isInteger(r) || r < 0 || r >= count) throw new RangeError(`rows[${i}] must be a row number in [0, ${count}), got ${show(r)}`);
  });
  return list;
}

function checkTable(t: unknown, where: string): asserts t is Table {
  const tb = t as Table;
  if (tb === null || typeof tb !== 'object' || !Array.isArray(tb.names) || !Array.isArray(tb.rows) || !Array.isArray(tb.lines) || tb.lines.length !== tb.rows.length) {
    throw new TypeError(`${where}: expected a table { names, rows, lines } (from parseTable), got ${show(t)}`);
  }
  if (tb.rows.length === 0) throw new RangeError(`${where}: the table has no rows`);
}

/** Mean and population std in float64; a constant column gets std 1 (only centred). */
function moments(v: number[]): { mean: number; std: number } {
  let mean = 0;
  for (const x of v) mean += x;
  mean /= v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) * (x - mean);
  const std = Math.sqrt(ss / v.length);
  return { mean, std: std > 1e-12 * Math.max(1, Math.abs(mean)) ? std : 1 };
}

function medianOf(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const str = (v: unknown): v is string => typeof v === 'string';

/** Validates untrusted preprocessor JSON; the message names the first bad field. */
function checkJSON(json: unknown): PreprocessorJSON {
  const bad = (field: string, why: string): never => {
    throw new RangeError(`Preprocessor.fromJSON: ${field} ${why}`);
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new TypeError(`Preprocessor.fromJSON: expected an object, got ${show(json)}`);
  const j = json as Record<string, any>;
  if (j.format !== 'simdescent-preprocessor/1') bad('format', `must be 'simdescent-preprocessor/1', got ${show(j.format)}`);
  if (!str(j.label)) bad('label', 'must be a string');
  if (j.task !== 'classification' && j.task !== 'regression') bad('task', `must be 'classification' or 'regression', got ${show(j.task)}`);
  if (typeof j.standardize !== 'boolean') bad('standardize', 'must be a boolean');
  if (j.id !== undefined && !str(j.id)) bad('id', 'must be a string');
  if (j.task === 'classification') {
    if (!Array.isArray(j.classes) || j.classes.length < 2 || !j.classes.every(str) || new Set(j.classes).size !== j.classes.length) bad('classes', 'must be at least two distinct strings');
  } else if (j.target === null || typeof j.target !== 'object' || !finite(j.target.mean) || !finite(j.target.std) || !(j.target.std > 0)) bad('target', 'must be { mean, std } with finite numbers, std > 0');
  if (!Array.isArray(j.columns) || j.columns.length === 0) bad('columns', 'must be a non-empty array');
  const inputs: string[] = [];
  const seen = new Set<string>([j.label, ...(j.id !== undefined ? [j.id] : [])]);
  j.columns.forEach((c: any, i: number) => {
    const at = `columns[${i}]`;
    if (c === null || typeof c !== 'object' || !str(c.name)) bad(`${at}.name`, 'must be a string');
    if (seen.has(c.name)) bad(`${at}.name`, `repeats '${c.name}'`);
    seen.add(c.name);
    if (c.kind === 'numeric') {
      for (const k of ['mean', 'std', 'median']) if (!finite(c[k])) bad(`${at}.${k}`, `must be a finite number, got ${show(c[k])}`);
      if (!(c.std > 0)) bad(`${at}.std`, `must be > 0, got ${c.std}`);
      if (typeof c.indicator !== 'boolean') bad(`${at}.indicator`, 'must be a boolean');
      inputs.push(c.name);
      if (c.indicator) inputs.push(`${c.name} (missing)`);
    } else if (c.kind === 'text') {
      if (!Array.isArray(c.categories) || c.categories.length === 0 || !c.categories.every(str) || new Set(c.categories).size !== c.categories.length) bad(`${at}.categories`, 'must be distinct strings');
      for (const cat of c.categories) inputs.push(`${c.name}=${cat}`);
    } else bad(`${at}.kind`, `must be 'numeric' or 'text', got ${show(c.kind)}`);
  });
  if (!Array.isArray(j.inputs) || j.inputs.length !== inputs.length || j.inputs.some((n: unknown, i: number) => n !== inputs[i])) bad('inputs', 'do not match the columns');
  if (j.fitted === null || typeof j.fitted !== 'object' || !Number.isInteger(j.fitted.rows) || !Number.isInteger(j.fitted.filled)) bad('fitted', 'must be { rows, filled } integers');
  const out: PreprocessorJSON = {
    format: 'simdescent-preprocessor/1',
    label: j.label,
    task: j.task,
    standardize: j.standardize,
    columns: j.columns.map((c: any) =>
      c.kind === 'numeric'
        ? { name: c.name, kind: 'numeric', mean: c.mean, std: c.std, median: c.median, indicator: c.indicator }
        : { name: c.name, kind: 'text', categories: c.categories.slice() },
    ),
    inputs,
    fitted: { rows: j.fitted.rows, filled: j.fitted.filled },
  };
  if (j.classes) out.classes = j.classes.slice();
  if (j.target) out.target = { mean: j.target.mean, std: j.target.std };
  if (j.id !== undefined) out.id = j.id;
  return out;
}
