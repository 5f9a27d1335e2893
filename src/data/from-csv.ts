// datasets.fromCSV: numeric CSVs as before (./csv.ts), and with `preprocess` any table —
// text feature columns, missing cells, class names or a regression target — through a fitted
// Preprocessor (./preprocess.ts) that the result carries, so new rows get the same mapping.
import { show } from '../options.js';
import { type CsvOptions, fromCSV as numericCSV, readPathOrText, readText } from './csv.js';
import type { Dataset } from './dataset.js';
import { type PreprocessorJSON, type Task, Preprocessor } from './preprocess.js';
import { parseTable } from './table.js';

export interface TabularOptions {
  /**
   * true: fit a Preprocessor (on `fitRows`, default every row) and apply it; a Preprocessor or its
   * toJSON(): apply that one (new rows for a trained model; the label column may be absent).
   */
  preprocess: true | Preprocessor | PreprocessorJSON;
  label?: string | number;
  header?: boolean;
  delimiter?: string;
  /** Override the detected task (see Preprocessor.fit). */
  task?: Task;
  /** Standardise numeric features (default true). */
  standardize?: boolean;
  /** A column that names rows: kept out of the features, returned as `rowIds`. */
  id?: string;
  /** The rows whose statistics the preprocessor uses (training rows; default all). */
  fitRows?: ArrayLike<number>;
}

/** A preprocessed dataset: y is empty when the label column is absent (`labelled` false). */
export type TabularDataset = Dataset & { preprocessor: Preprocessor; labelled: boolean; notices: string[]; filled: number; rowIds?: string[] };

export function fromCSV(source: string | URL, options: TabularOptions): Promise<TabularDataset>;
export function fromCSV(source: string | URL, options?: CsvOptions): Promise<Dataset>;
export async function fromCSV(source: string | URL, options: CsvOptions | TabularOptions = {}): Promise<Dataset | TabularDataset> {
  if (options === null || typeof options !== 'object' || !('preprocess' in options) || options.preprocess === undefined) {
    return numericCSV(source, options as CsvOptions);
  }
  const { preprocess, label, header, delimiter, task, standardize, id, fitRows, ...rest } = options as TabularOptions;
  const unknown = Object.keys(rest);
  if (unknown.length) throw new TypeError(`fromCSV: unknown option '${unknown[0]}' with preprocess; known options: preprocess, label, header, delimiter, task, standardize, id, fitRows`);
  let text: string;
  if (source instanceof URL) text = await readText(source);
  else if (typeof source !== 'string') throw new TypeError(`fromCSV: source must be CSV text, a file path or a URL, got ${show(source)}`);
  else if (/[\r\n]/.test(source)) text = source;
  else text = await readPathOrText(source, delimiter ?? ',');
  const table = parseTable(text, { ...(header !== undefined ? { header } : {}), ...(delimiter !== undefined ? { delimiter } : {}) });
  if (table.note) console.info(`fromCSV: ${table.note}`);
  let pre: Preprocessor;
  if (preprocess === true) {
    pre = Preprocessor.fit(table, { label, task, standardize, id, rows: fitRows });
  } else {
    if (label !== undefined || task !== undefined || standardize !== undefined || id !== undefined || fitRows !== undefined) {
      throw new TypeError('fromCSV: label, task, standardize, id and fitRows belong to fitting; a given preprocessor already fixes them');
    }
    pre = preprocess instanceof Preprocessor ? preprocess : Preprocessor.fromJSON(preprocess);
  }
  const t = pre.transform(table, { labels: 'optional' });
  return { ...t, preprocessor: pre };
}
