// Datasets: the bundled digits, seeded synthetic generators and CSV loading, plus the splits,
// standardisation and batch gathering the trainer uses.
import { fromCSV } from './from-csv.js';
import { digits } from './digits.js';
import { blobs, linear, moons, spirals } from './synthetic.js';

export type { Dataset, DatasetShape } from './dataset.js';
export { batchBytes, checkBatchFits, checkDataset, gatherRows, subset } from './dataset.js';
export type { CsvOptions } from './csv.js';
export { parseCSV } from './csv.js';
export type { TabularDataset, TabularOptions } from './from-csv.js';
export { Preprocessor, type PreprocessOptions, type PreprocessorJSON, type Task, type ColumnState } from './preprocess.js';
export { parseTable, type Table, type TableOptions } from './table.js';
export type { LinearDataset } from './synthetic.js';
export { split, splitIndices, standardize, standardizeWith } from './transform.js';

export const datasets = { digits, blobs, moons, spirals, linear, fromCSV };
