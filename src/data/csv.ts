// CSV → Dataset. Fields follow RFC 4180 (quoted fields, "" for a quote, line breaks inside
// quotes); every other column must hold finite decimal numbers. The whole text is parsed and
// checked before anything is returned, so a malformed row throws an Error naming its line
// (the header is line 1) and column, and nothing is half-loaded.
import { didYouMean, parseOptions, show } from '../options.js';
import { type HeaderGuess, guessHeader } from './csv-header.js';
import type { Dataset } from './dataset.js';
import { readBytes } from './digits.js';

export interface CsvOptions {
  /** The label column: a header name or a 0-based index (negative counts from the end). Default: the last column. */
  label?: string | number;
  /**
   * Whether line 1 names the columns. Default: detected (csv-header.ts) — yes, unless line 1 is
   * all numbers (then it is data) or scikit-learn's count line (skipped); either is said in a
   * one-line notice (console.info).
   */
  header?: boolean;
  /** One character; default: ',' or, when line 1 has none of them outside quotes, tab or ';'. */
  delimiter?: string;
  /**
   * true: labels are class ids (non-negative integers) or class names (mapped to ids in sorted
   * order, returned as `names`); false: numeric regression targets. Default: class names when any
   * label is not a number, class ids when all are integers in [0, 1000), else regression.
   */
  classification?: boolean;
}

const SPEC = {
  label: { type: 'any' as const },
  header: { type: 'boolean' as const },
  delimiter: {
    type: 'string' as const,
    check: (v: string) => (v.length === 1 && v !== '"' && v !== '\n' && v !== '\r' ? undefined : 'must be one character other than a quote or a line break'),
  },
  classification: { type: 'boolean' as const },
};

/** Auto-detected class ids stay below this; larger integers are taken as regression targets. */
const AUTO_MAX_CLASSES = 1000;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

/**
 * A dataset from CSV text, or (in Node) from a file path or file: URL; a URL is fetched in browsers.
 * A string with a line break is text; one without is a path, unless no such file exists and it
 * contains the delimiter (a one-line text).
 */
export async function fromCSV(source: string | URL, options: CsvOptions = {}): Promise<Dataset> {
  const o = checkOptions(options);
  let text: string;
  if (source instanceof URL) text = await readText(source);
  else if (typeof source !== 'string') throw new TypeError(`fromCSV: source must be CSV text, a file path or a URL, got ${show(source)}`);
  else if (/[\r\n]/.test(source)) text = source;
  else text = await readPathOrText(source, o.delimiter ?? ',');
  return parseCSV(text, o as CsvOptions);
}

function checkOptions(options: CsvOptions): Record<string, any> {
  const o = parseOptions('fromCSV', SPEC, options);
  if (o.label !== undefined && typeof o.label !== 'string' && typeof o.label !== 'number') {
    throw new TypeError(`fromCSV: label must be a column name or a 0-based column index, got ${show(o.label)}`);
  }
  if (typeof o.label === 'number' && !Number.isInteger(o.label)) {
    throw new RangeError(`fromCSV: label must be an integer column index, got ${o.label}`);
  }
  if (typeof o.label === 'string' && o.header === false) throw new TypeError(`fromCSV: label '${o.label}' is a column name, but header is false; give a 0-based index`);
  return o;
}

async function readText(url: URL): Promise<string> {
  try {
    return new TextDecoder().decode(await readBytes(url));
  } catch (err) {
    throw new Error(`fromCSV: could not read ${url} (${err instanceof Error ? err.message : String(err)})`);
  }
}

async function readPathOrText(s: string, delimiter: string): Promise<string> {
  if (!isNode) {
    if (s.includes(delimiter)) return s;
    throw new TypeError(`fromCSV: '${s}' looks like a file path; outside Node pass the CSV text or a URL`);
  }
  const fsModule = ['node:fs', 'promises'].join('/'); // not constant-foldable: Vite's optimizer would externalize it with a warning
  const { readFile } = await import(/* @vite-ignore */ fsModule);
  try {
    return (await readFile(s, 'utf8')) as string;
  } catch (err: any) {
    if (err?.code === 'ENOENT' && s.includes(delimiter)) return s;
    throw new Error(`fromCSV: could not read '${s}' (${err?.code === 'ENOENT' ? 'no such file' : err?.message ?? String(err)})`);
  }
}

interface Row {
  line: number;
  fields: string[];
}

class QuoteError extends Error {
  /** The records before the broken one. */
  rows: Row[] = [];
  constructor(readonly line: number, readonly column: number, readonly reason: string) {
    super(`fromCSV: line ${line}, column ${column}: ${reason}`);
  }
}

/** Splits text into records; blank lines are skipped. Throws a QuoteError on broken quoting. */
function records(text: string, delimiter: string): Row[] {
  const rows: Row[] = [];
  try {
    scan(text, delimiter, rows);
  } catch (err) {
    if (err instanceof QuoteError) err.rows = rows;
    throw err;
  }
  return rows;
}

function scan(text: string, delimiter: string, rows: Row[]): void {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  const D = delimiter.charCodeAt(0);
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let blank = true;
    for (;;) {
      // One field.
      let c = text.charCodeAt(i);
      let value: string;
      // Skip spaces before a quote so ` "a,b"` still reads as quoted.
      let k = i;
      while (k < n && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9) && text.charCodeAt(k) !== D) k++;
      if (k < n && text.charCodeAt(k) === 34) {
        i = k;
        c = 34;
      }
      if (c === 34) {
        blank = false;
        const col = fields.length + 1;
        const opened = line;
        let out = '';
        let from = ++i;
        for (;;) {
          const j = text.indexOf('"', from);
          if (j < 0) throw new QuoteError(opened, col, 'quoted field is never closed');
          out += text.slice(from, j);
          if (text.charCodeAt(j + 1) === 34) {
            out += '"';
            from = j + 2;
          } else {
            i = j + 1;
            break;
          }
        }
        // Line breaks inside the quotes (\n, \r\n or \r) advance the physical line number.
        for (let p = 0; p < out.length; p++) {
          const cp = out.charCodeAt(p);
          if (cp === 10 || (cp === 13 && out.charCodeAt(p + 1) !== 10)) line++;
        }
        value = out;
        // Only spaces may follow the closing quote before the delimiter or the line end.
        while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) && text.charCodeAt(i) !== D) i++;
        const after = text.charCodeAt(i);
        if (i < n && after !== D && after !== 10 && after !== 13) {
          throw new QuoteError(line, col, `unexpected ${show(text[i])} after a closing quote`);
        }
      } else {
        let j = i;
        while (j < n) {
          const cj = text.charCodeAt(j);
          if (cj === D || cj === 10 || cj === 13) break;
          if (cj === 34) throw new QuoteError(line, fields.length + 1, 'a quote inside an unquoted field (quote the whole field and double inner quotes)');
          j++;
        }
        value = text.slice(i, j).trim();
        if (value !== '' || j < n && text.charCodeAt(j) === D) blank = false;
        i = j;
      }
      fields.push(value);
      if (i < n && text.charCodeAt(i) === D) {
        i++;
        continue;
      }
      // End of record: \n, \r\n, \r or the end of the text.
      if (i < n && text.charCodeAt(i) === 13) i++;
      if (i < n && text.charCodeAt(i) === 10) i++;
      line++;
      break;
    }
    if (!blank) rows.push({ line: start, fields });
  }
}

/** The delimiter of line 1 when none is given: ',' unless line 1 has no comma outside quotes but tabs or semicolons. */
function sniff(text: string): string {
  const counts: Record<string, number> = { ',': 0, '\t': 0, ';': 0 };
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && (c === '\n' || c === '\r')) break;
    else if (!inQuote && c in counts) counts[c]++;
  }
  if (counts[','] > 0) return ',';
  if (counts['\t'] >= counts[';'] && counts['\t'] > 0) return '\t';
  return counts[';'] > 0 ? ';' : ',';
}

/** Parses CSV text synchronously (fromCSV without the file reading). */
export function parseCSV(text: string, options: CsvOptions = {}): Dataset {
  const o = checkOptions(options);
  if (typeof text !== 'string') throw new TypeError(`fromCSV: text must be a string, got ${show(text)}`);
  const delimiter: string = o.delimiter ?? sniff(text);
  let rows: Row[];
  try {
    rows = records(text, delimiter);
  } catch (err) {
    if (!(err instanceof QuoteError) || o.header === false || err.rows.length === 0) throw err;
    // The header parsed: name the column.
    const name = err.rows[0].fields[err.column - 1];
    throw new Error(`fromCSV: line ${err.line}, column ${err.column}${name !== undefined ? ` ('${name}')` : ''}: ${err.reason}`);
  }
  if (rows.length === 0) throw new Error('fromCSV: the CSV is empty');
  const guess: HeaderGuess =
    o.header === undefined ? guessHeader(rows[0].fields, rows[1]?.fields, rows.length) : { skip: o.header ? 1 : 0, named: o.header };
  if (guess.note) console.info(`fromCSV: ${guess.note}`);
  const header = guess.named ? rows[guess.skip - 1] : undefined;
  const data = rows.slice(guess.skip);
  const width = (header ?? data[0]).fields.length;
  const names = header ? header.fields : Array.from({ length: width }, (_, j) => `column ${j + 1}`);
  if (data.length === 0) throw new Error(`fromCSV: no data rows${header ? ` after the header (line ${header.line})` : ''}`);
  if (width < 2) throw new Error(`fromCSV: line ${(header ?? data[0]).line} has ${width} column; need at least one feature column and the label column${delimiter === ',' ? " (is the delimiter something other than ','?)" : ''}`);

  // Which column is the label.
  let lc: number;
  if (o.label === undefined) lc = width - 1;
  else if (typeof o.label === 'number') {
    if (o.label < -width || o.label >= width) throw new RangeError(`fromCSV: label column ${o.label} is out of range: the CSV has ${width} columns (0-based index in [${-width}, ${width - 1}])`);
    lc = o.label < 0 ? width + o.label : o.label;
  } else {
    lc = names.indexOf(o.label);
    if (lc < 0) {
      const hint = didYouMean(o.label, names);
      throw new RangeError(`fromCSV: unknown label column '${o.label}'${hint ? ` (did you mean '${hint}'?)` : ''}; columns: ${names.join(', ')}`);
    }
    if (names.indexOf(o.label, lc + 1) >= 0) throw new RangeError(`fromCSV: label column '${o.label}' is ambiguous: the header names it twice`);
  }
  const where = (row: Row, j: number) =>
    `fromCSV: line ${row.line}, column ${j + 1}${header ? ` ('${names[j]}')` : ''}`;

  const features = width - 1;
  const count = data.length;
  const x = new Float32Array(count * features);
  const raw: string[] = new Array(count);
  for (let r = 0; r < count; r++) {
    const row = data[r];
    const fields = row.fields;
    if (fields.length !== width) {
      const j = Math.min(fields.length, width);
      const what = fields.length < width ? `is missing (the row has ${fields.length} field${fields.length === 1 ? '' : 's'}, expected ${width})` : `is extra (the row has ${fields.length} fields, expected ${width})`;
      const col = fields.length < width ? where(row, j) : `fromCSV: line ${row.line}, column ${j + 1}`;
      throw new Error(`${col} ${what}`);
    }
    let c = r * features;
    for (let j = 0; j < width; j++) {
      if (j === lc) {
        raw[r] = fields[j];
        continue;
      }
      x[c++] = number(fields[j], () => where(row, j));
    }
  }

  // Labels.
  const labelRow = (r: number) => where(data[r], lc);
  let numeric = true;
  // Labels that spell NaN or Infinity count as numbers, so they fail as non-finite, not become class names.
  for (let r = 0; r < count && numeric; r++) if (!NUMBER.test(raw[r]) && !NON_FINITE.test(raw[r])) numeric = false;
  let kind: 'ids' | 'names' | 'regression';
  if (o.classification === false) kind = 'regression';
  else if (!numeric) kind = 'names';
  else if (o.classification === true) kind = 'ids';
  else {
    kind = 'ids';
    for (let r = 0; r < count; r++) {
      const v = Number(raw[r]);
      if (!Number.isInteger(v) || v < 0 || v >= AUTO_MAX_CLASSES) {
        kind = 'regression';
        break;
      }
    }
  }
  const base = { x, count, features };
  if (kind === 'regression') {
    const y = new Float32Array(count);
    for (let r = 0; r < count; r++) y[r] = number(raw[r], () => labelRow(r), ' (a regression target; pass classification: true for class names)');
    return { ...base, y, outputs: 1 };
  }
  const y = new Int32Array(count);
  if (kind === 'names') {
    for (let r = 0; r < count; r++) if (raw[r] === '') throw new Error(`${labelRow(r)}: the label is empty`);
    const classNames = [...new Set(raw)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const id = new Map(classNames.map((s, k) => [s, k]));
    for (let r = 0; r < count; r++) y[r] = id.get(raw[r])!;
    return { ...base, y, classes: classNames.length, names: classNames };
  }
  let max = 0;
  for (let r = 0; r < count; r++) {
    const v = Number(raw[r]);
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new Error(`${labelRow(r)}: class id ${show(raw[r])} is not a non-negative integer`);
    y[r] = v;
    if (v > max) max = v;
  }
  // A count line's class names label the ids of the last column (scikit-learn's layout).
  const named = guess.classNames;
  if (named && lc === width - 1 && max < named.length) return { ...base, y, classes: named.length, names: named };
  return { ...base, y, classes: max + 1 };
}

function number(field: string, where: () => string, hint = ''): number {
  // Spaces around a number (possible inside quotes) carry no meaning.
  const s = field.trim();
  if (NUMBER.test(s)) {
    const v = Number(s);
    // Values are stored as float32: 1e39 is finite in float64 but not here.
    if (Number.isFinite(Math.fround(v))) return v;
    throw new Error(`${where()}: ${s} is too large for float32 (not finite)`);
  }
  if (s === '') throw new Error(`${where()}: the value is empty`);
  if (NON_FINITE.test(s)) throw new Error(`${where()}: ${show(s)} is not finite`);
  throw new Error(`${where()}: ${show(s)} is not a number${hint}`);
}
