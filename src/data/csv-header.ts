// Is line 1 of a CSV a header? Usually yes; two cases say otherwise and both are read the way
// their writers meant, with a one-line note:
//   - scikit-learn's shipped CSVs (sklearn/datasets/data/iris.csv) open with a count line,
//     `n_samples,n_features[,class names…]`: skipped, its class names kept for the label ids;
//     a header may follow on line 2 (boston_house_prices.csv).
//   - a line of numbers only is data (a headerless file), unless it numbers the columns
//     0…n−1 or 1…n (pandas' to_csv of an unnamed frame), which is a header; so is a line with
//     decimals where line 2 has numbers and text where it has text (5.1,3.5,setosa).

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const COUNT = /^\d+$/;

export interface HeaderGuess {
  /** Records before the data: 0 (no header), 1 or 2 (count line, then a header). */
  skip: number;
  /** Whether the last skipped record names the columns. */
  named: boolean;
  /** Names of label ids 0…k−1, from a count line. */
  classNames?: string[];
  /** What was decided, when line 1 was not an ordinary header (one line, for a notice). */
  note?: string;
}

const isNumber = (s: string) => NUMBER.test(s.trim());
const shown = (fields: string[]) => (fields.length > 6 ? [...fields.slice(0, 5), '…'] : fields).join(',');

/** first, second: the fields of the first two records; rows: the number of records. */
export function guessHeader(first: string[], second: string[] | undefined, rows: number): HeaderGuess {
  const numbers = first.filter((f) => isNumber(f)).length;
  if (numbers === 0) return { skip: 1, named: true };
  // scikit-learn's count line: the row and feature counts, then the class names (or nothing).
  if (
    first.length >= 2 &&
    COUNT.test(first[0].trim()) &&
    COUNT.test(first[1].trim()) &&
    first.slice(2).every((f) => !isNumber(f)) &&
    second !== undefined &&
    second.length === Number(first[1]) + 1
  ) {
    const header = second.every((f) => !isNumber(f));
    const classes = first.slice(2).map((f) => f.trim()).filter(Boolean);
    const data = rows - (header ? 2 : 1);
    const counted = Number(first[0]) === data ? '' : `; the file has ${data}`;
    const named = header ? 'line 2 is the header' : `columns named column 1 … column ${second.length}`;
    return {
      skip: header ? 2 : 1,
      named: header,
      ...(classes.length ? { classNames: classes } : {}),
      note: `line 1 (${shown(first)}) is a scikit-learn count line (${first[0]} rows, ${first[1]} features${classes.length ? `, classes ${classes.join(', ')}` : ''}${counted}): skipped; ${named}`,
    };
  }
  if (numbers < first.length) {
    // A headerless file with a text label ("5.1,3.5,setosa"): decimals no header would hold,
    // in the columns where line 2 has numbers too.
    const shaped = second !== undefined && second.length === first.length && first.every((f, j) => isNumber(f) === isNumber(second[j]));
    if (!shaped || !first.some((f) => isNumber(f) && !COUNT.test(f.trim()))) return { skip: 1, named: true };
    return {
      skip: 0,
      named: false,
      note: `line 1 (${shown(first)}) has numbers where the rows do: read as data, not a header; columns named column 1 … column ${first.length} (pass header: true to read line 1 as names)`,
    };
  }
  const v = first.map((f) => Number(f));
  if (v.every((x, j) => x === j) || v.every((x, j) => x === j + 1)) {
    return { skip: 1, named: true, note: `line 1 (${shown(first)}) numbers the columns: read as the header` };
  }
  return {
    skip: 0,
    named: false,
    note: `line 1 (${shown(first)}) is all numbers: read as data, not a header; columns named column 1 … column ${first.length} (pass header: true to read line 1 as names)`,
  };
}
