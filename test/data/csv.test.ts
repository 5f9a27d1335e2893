// datasets.fromCSV / parseCSV: happy paths, RFC 4180 quoting, and every error with its line and column.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDataset, datasets, parseCSV } from '../../src/data/index.js';
import { rejectsWith, throwsWith } from '../_helpers.js';

const Csv = suite('data/csv');

const IRIS = `sepal,petal,species
5.1,1.4,setosa
7.0,4.7,versicolor
6.3,6.0,virginica
4.9,1.4,setosa
`;

Csv('header, label by default the last column, string classes mapped in sorted order with names', () => {
  const d = parseCSV(IRIS);
  assert.is(d.count, 4);
  assert.is(d.features, 2);
  assert.equal(Array.from(d.x), [5.1, 1.4, 7.0, 4.7, 6.3, 6.0, 4.9, 1.4].map(Math.fround));
  assert.ok(d.y instanceof Int32Array);
  assert.equal(Array.from(d.y), [0, 1, 2, 0]);
  assert.is(d.classes, 3);
  assert.equal(d.names, ['setosa', 'versicolor', 'virginica']);
  checkDataset(d, 'iris');
});

Csv('label by name or by 0-based index (negative from the end); the other columns keep their order', () => {
  const text = 'a,y,b\n1,0,2\n3,1,4\n5,2,6\n';
  for (const label of ['y', 1, -2]) {
    const d = parseCSV(text, { label });
    assert.equal(Array.from(d.x), [1, 2, 3, 4, 5, 6], String(label));
    assert.equal(Array.from(d.y), [0, 1, 2]);
    assert.is(d.classes, 3);
    assert.is(d.names, undefined);
  }
  const first = parseCSV(text, { label: 0 });
  assert.equal(Array.from(first.x), [0, 2, 1, 4, 2, 6]);
});

Csv('integer labels are class ids; other numbers regression targets; classification forces either', () => {
  const ids = parseCSV('x,y\n0.5,3\n1.5,0\n');
  assert.ok(ids.y instanceof Int32Array);
  assert.equal(Array.from(ids.y), [3, 0]);
  assert.is(ids.classes, 4);
  const reg = parseCSV('x,y\n0.5,3.25\n1.5,-2\n');
  assert.ok(reg.y instanceof Float32Array);
  assert.equal(Array.from(reg.y), [3.25, -2]);
  assert.is(reg.outputs, 1);
  assert.is(reg.classes, undefined);
  checkDataset(reg, 'reg');
  const forcedReg = parseCSV('x,y\n0.5,3\n1.5,0\n', { classification: false });
  assert.ok(forcedReg.y instanceof Float32Array);
  assert.equal(Array.from(forcedReg.y), [3, 0]);
  // Large integers (years, prices) are taken as targets unless classification says otherwise.
  const years = parseCSV('x,year\n1,1999\n2,2024\n');
  assert.ok(years.y instanceof Float32Array);
  assert.is(parseCSV('x,y\n1,1999\n', { classification: true }).classes, 2000);
  // "1.0" is the integer class 1; numeric classes are never mapped to names.
  assert.equal(Array.from(parseCSV('x,y\n1,1.0\n2,0e0\n').y), [1, 0]);
});

Csv('RFC 4180 quoting: delimiters, doubled quotes and line breaks inside quotes; CRLF; BOM; blank lines', () => {
  const text = '\ufeff"a,1",b,"the ""label"""\r\n" 1.5 ",2,"x, y"\r\n\r\n3,"4","say ""hi""\nthere"\r\n  \n5,6,"x, y"';
  const d = parseCSV(text);
  assert.equal(Array.from(d.x), [1.5, 2, 3, 4, 5, 6]);
  assert.equal(d.names, ['say "hi"\nthere', 'x, y']);
  assert.equal(Array.from(d.y), [1, 0, 1]);
  assert.is(parseCSV(text, { label: 'the "label"' }).count, 3);
  throwsWith(() => parseCSV(text, { label: 'a,1' }), Error, "fromCSV: line 2, column 3 ('the \"label\"'): \"x, y\" is not a number");
  // Spaces around fields and around quoted fields are ignored; an empty quoted label is still a name.
  assert.equal(Array.from(parseCSV('p , q\n 1 ,  "2" \n').x), [1]);
});

Csv('delimiter: given, or tab / semicolon when line 1 has no comma', () => {
  const tsv = parseCSV('a\tb\tc\n1\t2\t0\n3\t4\t1\n');
  assert.equal(Array.from(tsv.x), [1, 2, 3, 4]);
  const semi = parseCSV('a;b;c\n1.5;2;0\n');
  assert.equal(Array.from(semi.x), [1.5, 2]);
  const pipe = parseCSV('a|b\n1|0\n', { delimiter: '|' });
  assert.equal(Array.from(pipe.x), [1]);
  // A tab inside quotes of a comma file does not fool the guess.
  assert.equal(parseCSV('"a\tb",c\n1,0\n').features, 1);
});

Csv('header: false names columns by number; labels by index only', () => {
  const d = parseCSV('1,2,0\n3,4,1\n', { header: false });
  assert.is(d.count, 2);
  assert.equal(Array.from(d.x), [1, 2, 3, 4]);
  throwsWith(() => parseCSV('1,x,0\n', { header: false }), Error, "fromCSV: line 1, column 2: \"x\" is not a number");
  throwsWith(() => parseCSV('1,2\n', { header: false, label: 'b' }), TypeError, "label 'b' is a column name, but header is false");
});

Csv('malformed rows: an Error naming the line (header = line 1) and the column by number and name', () => {
  const cases: [string, string][] = [
    ['a,b,c\n1,2,0\n3,x,1\n', "fromCSV: line 3, column 2 ('b'): \"x\" is not a number"],
    ['a,b,c\n1,2,0\n3,,1\n', "fromCSV: line 3, column 2 ('b'): the value is empty"],
    ['a,b,c\n1,NaN,0\n', "fromCSV: line 2, column 2 ('b'): \"NaN\" is not finite"],
    ['a,b,c\n1,-Infinity,0\n', "fromCSV: line 2, column 2 ('b'): \"-Infinity\" is not finite"],
    ['a,b,c\n1,1e39,0\n', "fromCSV: line 2, column 2 ('b'): 1e39 is too large for float32 (not finite)"],
    ['a,b,c\n1,0x10,0\n', "fromCSV: line 2, column 2 ('b'): \"0x10\" is not a number"],
    ['a,b,c\n1,2,0\n4,5\n', "fromCSV: line 3, column 3 ('c') is missing (the row has 2 fields, expected 3)"],
    ['a,b,c\n1,2,0\n4,5,6,7\n', 'fromCSV: line 3, column 4 is extra (the row has 4 fields, expected 3)'],
    ['a,b,c\n1,"2\n', "fromCSV: line 2, column 2 ('b'): quoted field is never closed"],
    ['a,b,c\n"x\ny",1,2\n4,"5"6,0\n', "fromCSV: line 4, column 2 ('b'): unexpected \"6\" after a closing quote"],
    ['a,b,c\n1,2"x,0\n', "fromCSV: line 2, column 2 ('b'): a quote inside an unquoted field"],
    ['"a,b\n1,2\n', 'fromCSV: line 1, column 1: quoted field is never closed'],
    ['a,b,c\n1,2,\n', "fromCSV: line 2, column 3 ('c'): the label is empty"],
    ['a,b,c\n1,2,inf\n', "fromCSV: line 2, column 3 ('c'): \"inf\" is not finite"],
    ['a,b,c\n1,2,NaN\n3,4,1\n', "fromCSV: line 2, column 3 ('c'): \"NaN\" is not finite"],
  ];
  for (const [text, message] of cases) throwsWith(() => parseCSV(text), Error, message);
  // Line numbers count physical lines, so a record after a quoted line break is reported where it starts.
  throwsWith(() => parseCSV('a,b\n"1\n2",0\n3,z\n'), Error, "line 2, column 1 ('a'): \"1\\n2\" is not a number");
  throwsWith(() => parseCSV('a,b\n1,"x\ny"\nz,w\n'), Error, "line 4, column 1 ('a'): \"z\" is not a number");
  throwsWith(() => parseCSV('a,b\n"1",0\n\nz,3\n'), Error, "line 4, column 1 ('a'): \"z\" is not a number");
  // Label column checks under a forced kind.
  throwsWith(() => parseCSV('a,b\n1,2.5\n', { classification: true }), Error, "fromCSV: line 2, column 2 ('b'): class id \"2.5\" is not a non-negative integer");
  throwsWith(() => parseCSV('a,b\n1,-1\n', { classification: true }), Error, "class id \"-1\" is not a non-negative integer");
  throwsWith(() => parseCSV('a,b\n1,2\n3,cat\n', { classification: false }), Error, "fromCSV: line 3, column 2 ('b'): \"cat\" is not a number (a regression target; pass classification: true for class names)");
});

Csv('empty input, no data rows, one column, unknown label columns', () => {
  throwsWith(() => parseCSV(''), Error, 'fromCSV: the CSV is empty');
  throwsWith(() => parseCSV('\n\r\n  \n'), Error, 'fromCSV: the CSV is empty');
  throwsWith(() => parseCSV('a,b,c\n'), Error, 'fromCSV: no data rows after the header (line 1)');
  throwsWith(() => parseCSV('a\n1\n'), Error, 'fromCSV: line 1 has 1 column; need at least one feature column and the label column');
  throwsWith(() => parseCSV(IRIS, { label: 'specie' }), RangeError, "fromCSV: unknown label column 'specie' (did you mean 'species'?); columns: sepal, petal, species");
  throwsWith(() => parseCSV(IRIS, { label: 3 }), RangeError, 'fromCSV: label column 3 is out of range: the CSV has 3 columns');
  throwsWith(() => parseCSV(IRIS, { label: -4 }), RangeError, 'fromCSV: label column -4 is out of range');
  throwsWith(() => parseCSV('a,a,b\n1,2,3\n', { label: 'a' }), RangeError, "label column 'a' is ambiguous");
});

Csv('strict options', () => {
  throwsWith(() => parseCSV(IRIS, { lable: 'x' } as any), TypeError, "fromCSV: unknown option 'lable' (did you mean 'label'?)");
  throwsWith(() => parseCSV(IRIS, { label: true } as any), TypeError, 'fromCSV: label must be a column name or a 0-based column index, got true');
  throwsWith(() => parseCSV(IRIS, { label: 1.5 }), RangeError, 'fromCSV: label must be an integer column index, got 1.5');
  throwsWith(() => parseCSV(IRIS, { header: 'yes' } as any), TypeError, 'fromCSV: header must be a boolean, got "yes"');
  throwsWith(() => parseCSV(IRIS, { delimiter: '::' }), RangeError, 'fromCSV: delimiter must be one character other than a quote or a line break, got "::"');
  throwsWith(() => parseCSV(IRIS, { delimiter: '"' }), RangeError, 'fromCSV: delimiter must be one character');
  throwsWith(() => parseCSV(IRIS, { classification: 1 } as any), TypeError, 'fromCSV: classification must be a boolean, got 1');
  throwsWith(() => parseCSV(42 as any), TypeError, 'fromCSV: text must be a string, got 42');
});

Csv('property: any table written with RFC 4180 quoting (random quoting, CRLF or LF) parses back to its values', () => {
  const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'é', ';') , minLength: 1, maxLength: 6 })
    .filter((s) => s.trim() !== '');
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.tuple(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 4, maxLength: 4 }), field, fc.array(fc.boolean(), { minLength: 5, maxLength: 5 })), { minLength: 1, maxLength: 8 }),
      fc.constantFrom('\n', '\r\n'),
      fc.boolean(),
      (features, rows, eol, trailing) => {
        const header = [...Array.from({ length: features }, (_, j) => `f${j}`), 'label'];
        const lines = [header.join(',')];
        for (const [vals, label, q] of rows) {
          const cells = vals.slice(0, features).map((v, j) => (q[j] ? quote(String(v)) : String(v)));
          // Labels always need quotes when they hold a delimiter, quote or line break.
          cells.push(q[4] || /[",\r\n]/.test(label) ? quote(label) : label);
          lines.push(cells.join(','));
        }
        const d = parseCSV(lines.join(eol) + (trailing ? eol : ''), { classification: true });
        assert.is(d.count, rows.length);
        assert.is(d.features, features);
        rows.forEach(([vals, label], r) => {
          for (let j = 0; j < features; j++) assert.ok(Object.is(d.x[r * features + j], Math.fround(vals[j])) || (vals[j] === 0 && d.x[r * features + j] === 0));
          // Unquoted labels lose surrounding spaces, quoted ones keep them.
          const kept = d.names![d.y[r]];
          assert.ok(kept === label || kept === label.trim(), `${JSON.stringify(kept)} vs ${JSON.stringify(label)}`);
        });
      },
    ),
    { numRuns: 300, seed: 42 },
  );
});

Csv('fromCSV: text, a file path or a file: URL (Node); a Promise that rejects on bad input', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'simdescent-csv-'));
  try {
    const file = join(dir, 'iris.csv');
    writeFileSync(file, IRIS);
    const fromText = await datasets.fromCSV(IRIS);
    const fromPath = await datasets.fromCSV(file);
    const fromUrl = await datasets.fromCSV(pathToFileURL(file), { label: 'species' });
    for (const d of [fromPath, fromUrl]) {
      assert.equal(Array.from(d.x), Array.from(fromText.x));
      assert.equal(Array.from(d.y), Array.from(fromText.y));
      assert.equal(d.names, fromText.names);
    }
    // A one-line string with the delimiter and no such file is text.
    await rejectsWith(() => datasets.fromCSV('a,b'), Error, 'fromCSV: no data rows after the header (line 1)');
    assert.is((await datasets.fromCSV('1,0', { header: false })).count, 1);
    await rejectsWith(() => datasets.fromCSV(join(dir, 'missing.csv')), Error, `fromCSV: could not read '${join(dir, 'missing.csv')}' (no such file)`);
    await rejectsWith(() => datasets.fromCSV(pathToFileURL(join(dir, 'missing.csv'))), Error, 'fromCSV: could not read file://');
    await rejectsWith(() => datasets.fromCSV(IRIS.replace('6.0', 'six')), Error, "fromCSV: line 4, column 2 ('petal'): \"six\" is not a number");
    await rejectsWith(() => datasets.fromCSV(123 as any), TypeError, 'fromCSV: source must be CSV text, a file path or a URL, got 123');
    await rejectsWith(() => datasets.fromCSV(IRIS, { label: 'nope' }), RangeError, "unknown label column 'nope'");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Csv.run();
