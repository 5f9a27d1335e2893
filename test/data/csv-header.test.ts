// fromCSV's reading of line 1 (src/data/csv-header.ts): a header of names as before; scikit-learn's
// count line skipped with its class names kept; a line of numbers read as data (or, when it numbers
// the columns, as the header); each unusual case said in one console.info line; header: true/false
// override the guess.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDataset, parseCSV } from '../../src/data/index.js';
import { guessHeader } from '../../src/data/csv-header.js';

const Head = suite('data/csv-header');

/** parseCSV with console.info captured. */
function parse(text: string, options = {}) {
  const notes: string[] = [];
  const info = console.info;
  console.info = (m: string) => notes.push(m);
  try {
    return { d: parseCSV(text, options), notes };
  } finally {
    console.info = info;
  }
}

const SKLEARN_IRIS = '4,2,setosa,versicolor,virginica\n5.1,3.5,0\n4.9,3.0,0\n7.0,3.2,1\n6.3,3.3,2\n';

Head("scikit-learn's count line: skipped, its class names label the ids, one note", () => {
  const { d, notes } = parse(SKLEARN_IRIS);
  assert.is(d.count, 4);
  assert.is(d.features, 2);
  assert.equal(Array.from(d.y), [0, 0, 1, 2]);
  assert.is(d.classes, 3);
  assert.equal(d.names, ['setosa', 'versicolor', 'virginica']);
  checkDataset(d, 'iris');
  assert.equal(notes, [
    'fromCSV: line 1 (4,2,setosa,versicolor,virginica) is a scikit-learn count line (4 rows, 2 features, classes setosa, versicolor, virginica): skipped; columns named column 1 … column 3',
  ]);
  // A count that disagrees with the file is said; a header on line 2 is used.
  const { d: b, notes: nb } = parse('9,2,,\n"a","b","price"\n1,2,3.5\n4,5,6.25\n', { label: 'price' });
  assert.is(b.count, 2);
  assert.equal(Array.from(b.y), [3.5, 6.25]);
  assert.match(nb[0], /line 1 \(9,2,,\) is a scikit-learn count line \(9 rows, 2 features; the file has 2\): skipped; line 2 is the header$/);
  // header: true takes line 1 at its word (and then its width disagrees with the rows).
  assert.throws(() => parse(SKLEARN_IRIS.replace('4,2,setosa,versicolor,virginica', '4,2,setosa,versicolor'), { header: true }), /line 2, column 4 \('versicolor'\) is missing/);
});

Head('a line of numbers is data; column numbers are a header; names are a header without a note', () => {
  const { d, notes } = parse('1.5,2,0\n3,4,1\n');
  assert.is(d.count, 2);
  assert.equal(Array.from(d.x), [1.5, 2, 3, 4]);
  assert.equal(notes, ['fromCSV: line 1 (1.5,2,0) is all numbers: read as data, not a header; columns named column 1 … column 3 (pass header: true to read line 1 as names)']);
  const cols = parse('0,1,2\n3,4,1\n5,6,0\n');
  assert.is(cols.d.count, 2);
  assert.match(cols.notes[0], /line 1 \(0,1,2\) numbers the columns: read as the header$/);
  assert.is(parse('0,1,y\n1,2,0\n', { label: 'y' }).d.count, 1);
  // Decimals where the rows have numbers, text where they have text: a headerless file with names as labels.
  const iris = parse('5.1,3.5,setosa\n7.0,3.2,versicolor\n');
  assert.is(iris.d.count, 2);
  assert.equal(iris.d.names, ['setosa', 'versicolor']);
  assert.match(iris.notes[0], /line 1 \(5\.1,3\.5,setosa\) has numbers where the rows do: read as data/);
  // Integers there may be names (years): still a header.
  assert.is(parse('2019,2020,label\n1,2,a\n3,4,b\n').d.count, 2);
  const named = parse('a,b,y\n1,2,0\n');
  assert.is(named.d.count, 1);
  assert.equal(named.notes, []);
  // Told explicitly, nothing is guessed or said.
  for (const header of [true, false]) {
    const r = parse('1.5,2,0\n3,4,1\n', { header });
    assert.is(r.d.count, header ? 1 : 2);
    assert.equal(r.notes, []);
  }
  assert.equal(guessHeader(['a', 'b'], ['1', '2'], 2), { skip: 1, named: true });
});

Head('property: a headerless numeric table keeps every row; the same table under a header of names loses none', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
      (features, values) => {
        const rows = values.map((v, r) => [...v.slice(0, features).map(String), String(r % 3)].join(','));
        const first = rows[0].split(',').map(Number);
        // A first row of 0,1,2,… or 1,2,3,… numbers the columns: a header by design.
        fc.pre(!first.every((x, j) => x === j) && !first.every((x, j) => x === j + 1));
        const bare = parse(rows.join('\n'));
        assert.is(bare.d.count, rows.length);
        assert.is(bare.notes.length, 1);
        const named = parse([[...Array.from({ length: features }, (_, j) => `f${j}`), 'y'].join(','), ...rows].join('\n'));
        assert.is(named.d.count, rows.length);
        assert.equal(named.notes, []);
        assert.equal(Array.from(named.d.x), Array.from(bare.d.x));
      },
    ),
    { numRuns: 200, seed: 7 },
  );
});

Head.run();
