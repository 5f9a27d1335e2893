// CSV text → a table of strings (header names, rows, their line numbers), for data whose columns
// are not all numbers: the preprocessor (./preprocess.ts) decides per column what the text
// means. Quoting and delimiters follow ./csv.ts (the same scanner); rows must all have the
// header's width, and a malformed row throws naming its line (the header is line 1).
import { parseOptions, show } from '../options.js';
import { QuoteError, type Row, records, sniff } from './csv.js';
import { guessHeader } from './csv-header.js';

export interface Table {
  /** Column names: the header, or `column 1`, `column 2`, … without one. */
  names: string[];
  /** Data rows, each `names.length` trimmed strings. */
  rows: string[][];
  /** The line (1-based, in the text) where each row starts. */
  lines: number[];
  /** What was decided about line 1 when it was not an ordinary header (see ./csv-header.ts). */
  note?: string;
}

export interface TableOptions {
  /**
   * Whether line 1 names the columns. Default: detected as fromCSV does (./csv-header.ts): yes,
   * unless line 1 is all numbers (data) or scikit-learn's count line (skipped; its class names
   * replace the label ids 0…k−1 of the last column). The decision is returned as `note`.
   */
  header?: boolean;
  /** One character; default: ',' or, when line 1 has none outside quotes, tab or ';'. */
  delimiter?: string;
}

const SPEC = {
  header: { type: 'boolean' as const },
  delimiter: {
    type: 'string' as const,
    check: (v: string) => (v.length === 1 && v !== '"' && v !== '\n' && v !== '\r' ? undefined : 'must be one character other than a quote or a line break'),
  },
};

/** Parses CSV text into a Table; every row is checked before anything is returned. */
export function parseTable(text: string, options: TableOptions = {}): Table {
  const o = parseOptions('parseTable', SPEC, options);
  if (typeof text !== 'string') throw new TypeError(`parseTable: text must be a string, got ${show(text)}`);
  const delimiter: string = o.delimiter ?? sniff(text);
  let all: Row[];
  try {
    all = records(text, delimiter);
  } catch (err) {
    if (!(err instanceof QuoteError) || o.header === false || err.rows.length === 0) throw err;
    const name = err.rows[0].fields[err.column - 1];
    throw new Error(`fromCSV: line ${err.line}, column ${err.column}${name !== undefined ? ` ('${name}')` : ''}: ${err.reason}`);
  }
  if (all.length === 0) throw new Error('fromCSV: the CSV is empty');
  const guess = o.header === undefined ? guessHeader(all[0].fields, all[1]?.fields, all.length) : { skip: o.header ? 1 : 0, named: o.header as boolean };
  const head = guess.named ? all[guess.skip - 1] : undefined;
  const data = all.slice(guess.skip);
  if (data.length === 0) throw new Error(`fromCSV: no data rows${head ? ` after the header (line ${head.line})` : ''}`);
  const width = (head ?? data[0]).fields.length;
  const names = head ? head.fields.map((s) => s.trim()) : Array.from({ length: width }, (_, j) => `column ${j + 1}`);
  if (head) {
    names.forEach((n, j) => {
      if (n === '') throw new Error(`fromCSV: line 1, column ${j + 1}: the header names no column there (every column needs a name)`);
      const again = names.indexOf(n, j + 1);
      if (again >= 0) throw new Error(`fromCSV: line 1: the header names '${n}' twice (columns ${j + 1} and ${again + 1})`);
    });
  }
  const rows: string[][] = new Array(data.length);
  const lines: number[] = new Array(data.length);
  for (let r = 0; r < data.length; r++) {
    const f = data[r].fields;
    if (f.length !== width) {
      throw new Error(`fromCSV: line ${data[r].line} has ${f.length} field${f.length === 1 ? '' : 's'}, expected ${width} (${head ? 'the header has' : 'line ' + data[0].line + ' has'} ${width})`);
    }
    rows[r] = f.map((s) => s.trim());
    lines[r] = data[r].line;
  }
  // scikit-learn's layout: the last column holds ids 0…k−1 of the count line's class names.
  const classes = 'classNames' in guess ? guess.classNames : undefined;
  if (classes && rows.every((row) => /^\d+$/.test(row[width - 1]) && Number(row[width - 1]) < classes.length)) {
    for (const row of rows) row[width - 1] = classes[Number(row[width - 1])];
  }
  const out: Table = { names, rows, lines };
  if ('note' in guess && guess.note) out.note = guess.note;
  return out;
}
