// Preprocessor and parseTable: statistics from the training rows only, one-hot with an
// explicit "other", missing cells with indicators, task detection, regression target scaling,
// the JSON round trip, and hostile JSON rejected (property-based).
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Preprocessor, checkDataset, datasets, parseTable } from '../../src/data/index.js';
import { close, throwsWith } from '../_helpers.js';

const P = suite('data/preprocess');

const PEOPLE = `age,city,income,label
30,Oslo,100,yes
40,Rome,,no
,Oslo,300,yes
50,Paris,400,no
NA,Rome,500,yes
`;

P('parseTable: names, trimmed rows, line numbers; width and header errors name the line', () => {
  const t = parseTable('a, b ,c\n1,"x, y",3\n\n4,5,6\n');
  assert.equal(t.names, ['a', 'b', 'c']);
  assert.equal(t.rows, [['1', 'x, y', '3'], ['4', '5', '6']]);
  assert.equal(t.lines, [2, 4]);
  throwsWith(() => parseTable('a,b\n1,2\n3\n'), Error, 'line 3 has 1 field, expected 2');
  throwsWith(() => parseTable('a,a\n1,2\n'), Error, "line 1: the header names 'a' twice (columns 1 and 2)");
  throwsWith(() => parseTable('a,b\n'), Error, 'no data rows after the header');
});

P('numeric columns: median fill, indicator, mean/std of the training rows only', () => {
  const t = parseTable(PEOPLE);
  const pre = Preprocessor.fit(t, { rows: [0, 1, 2, 3] });
  const j = pre.toJSON();
  assert.is(j.task, 'classification');
  assert.equal(j.classes, ['no', 'yes']);
  // age on rows 0..3: 30, 40, missing, 50 → median 40 → filled [30, 40, 40, 50].
  const age = j.columns[0] as any;
  assert.is(age.kind, 'numeric');
  assert.is(age.median, 40);
  close(age.mean, 40, { atol: 1e-12 });
  close(age.std, Math.sqrt(50), { rtol: 1e-12 });
  assert.is(age.indicator, true);
  assert.equal(j.inputs, ['age', 'age (missing)', 'city=Oslo', 'city=Paris', 'city=Rome', 'income', 'income (missing)']);
  const d = pre.transform(t, { labels: 'required' });
  checkDataset(d, 'transformed');
  assert.is(d.features, 7);
  // Row 4 (not a training row): age NA → median, indicator 1; city Rome; income 500 scaled with training stats.
  const row4 = Array.from(d.x.subarray(4 * 7, 5 * 7));
  const inc = j.columns[2] as any;
  close(row4, [0, 1, 0, 0, 1, (500 - inc.mean) / inc.std, 0], { atol: 1e-6 });
  assert.equal(Array.from(d.y), [1, 0, 1, 0, 1]);
  assert.match(pre.summary(), /^2 numeric standardised, 1 text one-hot \(3 categories\), 2 missing cells filled \(\+2 indicators\)$/);
});

P('text columns: unseen categories are "other" (all zeros) with a notice; missing is a category', () => {
  const pre = Preprocessor.fit(parseTable('c,y\nred,a\n,b\nblue,a\n'));
  assert.equal(pre.toJSON().inputs, ['c=(missing)', 'c=blue', 'c=red']);
  // A one-column row holding an empty cell is written "" (an empty line is skipped).
  const t = pre.transform(parseTable('c\ngreen\nred\n""\n'));
  assert.is(t.labelled, false);
  assert.equal(Array.from(t.x), [0, 0, 0, 0, 0, 1, 1, 0, 0]);
  assert.equal(t.notices, [`column 'c': 1 row with a category not seen in training ('green') taken as "other" (all its one-hot inputs 0)`]);
});

P('task detection: text, few integers → classes in value order; floats or many integers → regression; override', () => {
  const table = (labels: string[]) => parseTable(['x,y', ...labels.map((l, i) => `${i},${l}`)].join('\n'));
  assert.equal(Preprocessor.fit(table(['1', '2', '3', '2'])).classes, ['1', '2', '3']);
  assert.equal(Preprocessor.fit(table(['7', '0', '2', '1'])).classes, ['0', '1', '2', '7']);
  assert.equal(Preprocessor.fit(table(['-1', '0', '1'])).classes, ['-1', '0', '1']);
  assert.equal(Preprocessor.fit(table(['1.0', '1', '2'])).classes, ['1', '2']);
  assert.is(Preprocessor.fit(table(['0.5', '1', '2'])).task, 'regression');
  const many = Array.from({ length: 21 }, (_, i) => String(i));
  assert.is(Preprocessor.fit(table(many)).task, 'regression');
  assert.is(Preprocessor.fit(table(many), { task: 'classification' }).outputs, 21);
  throwsWith(() => Preprocessor.fit(table(['a', 'b']), { task: 'regression' }), RangeError, `line 2, column 2 ('y'): "a" is not a number`);
  throwsWith(() => Preprocessor.fit(table(['a', 'a'])), RangeError, 'has one value ("a"); classification needs at least two classes');
  throwsWith(() => Preprocessor.fit(table(['a', ''])), RangeError, "line 3, column 2 ('y'): the label is missing");
});

P('regression targets: standardised with the training rows, targetValue maps back', () => {
  const t = parseTable('x,y\n1,10\n2,20\n3,30\n4,1000\n');
  const pre = Preprocessor.fit(t, { rows: [0, 1, 2], task: 'regression' });
  const j = pre.toJSON();
  close(j.target!.mean, 20, { atol: 1e-12 });
  const d = pre.transform(t);
  close(pre.targetValue(d.y[3]), 1000, { rtol: 1e-6 });
  assert.is(pre.outputs, 1);
});

P('advice: a text column with a category for most rows is probably an id', () => {
  const rows = Array.from({ length: 30 }, (_, i) => `name${i},${i % 3},${i % 2 ? 'a' : 'b'}`);
  const pre = Preprocessor.fit(parseTable(['name,x,y', ...rows].join('\n')));
  assert.equal(pre.advice(), [`column 'name' has 30 categories in 30 training rows: an identifier or free text? (--id name keeps it out of the features)`]);
  assert.equal(Preprocessor.fit(parseTable(PEOPLE)).advice(), []);
});

P('standardize false keeps numbers as they are; id columns stay out of the features', () => {
  const t = parseTable('id,x,y\nA,5,a\nB,7,b\n');
  const pre = Preprocessor.fit(t, { standardize: false, id: 'id' });
  assert.equal(pre.columns, ['x']);
  const d = pre.transform(t);
  assert.equal(Array.from(d.x), [5, 7]);
  assert.equal(d.rowIds, ['A', 'B']);
});

P('transform errors: missing and extra columns named; a word in a numeric column names its line', () => {
  const pre = Preprocessor.fit(parseTable(PEOPLE));
  throwsWith(() => pre.transform(parseTable('age,town,income\n1,x,2\n')), RangeError, "the table lacks column 'city' and has column the model was not trained on: 'town'");
  throwsWith(() => pre.transform(parseTable('age,city,income\n1,Oslo,lots\n')), RangeError, `line 2, column 3 ('income'): "lots" is not a number`);
  throwsWith(() => pre.transform(parseTable('age,city,income\n1,Oslo,2\n'), { labels: 'required' }), RangeError, "no label column 'label'");
  throwsWith(() => pre.transform(parseTable('age,city,income,label\n1,Oslo,2,maybe\n')), RangeError, 'label "maybe" is not one of the classes the model knows (no, yes)');
  throwsWith(() => Preprocessor.fit(parseTable('a,b,y\n1,2,0\n3,x,1\n5,6,0\n')), RangeError, `line 3, column 2 ('b'): "x" is not a number (2 of the column's 3 values are`);
});

P('toJSON → JSON text → fromJSON transforms to the same bits', () => {
  const t = parseTable(PEOPLE);
  const pre = Preprocessor.fit(t, { rows: [0, 2, 3, 4] });
  const back = Preprocessor.fromJSON(JSON.parse(JSON.stringify(pre)));
  assert.equal(back.toJSON(), pre.toJSON());
  assert.equal(Array.from(back.transform(t).x), Array.from(pre.transform(t).x));
});

P('fromJSON: hostile or corrupted JSON is a TypeError/RangeError naming the field, never anything else', () => {
  const good = Preprocessor.fit(parseTable(PEOPLE)).toJSON() as any;
  throwsWith(() => Preprocessor.fromJSON({ ...good, format: 'x' }), RangeError, "format must be 'simdescent-preprocessor/1'");
  throwsWith(() => Preprocessor.fromJSON({ ...good, inputs: good.inputs.slice(1) }), RangeError, 'inputs do not match the columns');
  throwsWith(() => Preprocessor.fromJSON({ ...good, columns: [{ ...good.columns[0], std: 0 }, ...good.columns.slice(1)] }), RangeError, 'columns[0].std must be > 0');
  throwsWith(() => Preprocessor.fromJSON(null), TypeError, 'expected an object');
  // Replace any one value anywhere in the JSON tree with an arbitrary JSON value.
  const paths: (string | number)[][] = [];
  const walk = (v: any, p: (string | number)[]) => {
    paths.push(p);
    if (v && typeof v === 'object') for (const k of Object.keys(v)) walk(v[k], [...p, Array.isArray(v) ? Number(k) : k]);
  };
  walk(good, []);
  fc.assert(
    fc.property(fc.nat(paths.length - 1), fc.jsonValue(), (i, value) => {
      const copy = JSON.parse(JSON.stringify(good));
      const p = paths[i];
      if (p.length === 0) return;
      let o = copy;
      for (const k of p.slice(0, -1)) o = o[k];
      o[p[p.length - 1]] = value;
      try {
        const pre = Preprocessor.fromJSON(copy);
        // Accepted: it must still work on a table with its columns.
        pre.transform(parseTable(`${pre.columns.join(',')}\n${pre.columns.map(() => '1').join(',')}\n`), { labels: 'ignore' });
      } catch (err) {
        if (!(err instanceof TypeError || err instanceof RangeError)) throw err;
        assert.ok(/^Preprocessor\.fromJSON: |^line \d+|^the table/.test((err as Error).message), (err as Error).message);
      }
    }),
    { numRuns: 300 },
  );
});

P('any text: parseTable + fit + transform give a consistent dataset or one Error with a message, never a crash', () => {
  const cell = fc.oneof(fc.constantFrom('', 'NA', '?', 'a', 'b', 'x y', '"q,1"', '1', '-2.5', '1e3', '7', '1e99', 'NaN'), fc.float({ noNaN: true }).map(String));
  const csv = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }).map((rows) => rows.map((r) => r.join(',')).join('\n'));
  fc.assert(
    fc.property(csv, fc.option(fc.constantFrom('classification', 'regression') as fc.Arbitrary<'classification' | 'regression'>, { nil: undefined }), (text, task) => {
      let pre: Preprocessor;
      let t;
      try {
        t = parseTable(text);
        pre = Preprocessor.fit(t, { task });
      } catch (err) {
        assert.ok(err instanceof Error && err.message.length > 0 && !/undefined|NaN/.test(err.message.replace(/"NaN"|'NaN'|NaN is/g, '')), String(err));
        return;
      }
      const d = pre.transform(t, { labels: 'required' });
      checkDataset(d, 'property');
      assert.is(d.features, pre.features);
      assert.ok(d.x.every(Number.isFinite));
      const back = Preprocessor.fromJSON(JSON.parse(JSON.stringify(pre)));
      assert.equal(Array.from(back.transform(t).x), Array.from(d.x));
    }),
    { numRuns: 400 },
  );
});

P('datasets.fromCSV with preprocess: fitted and reused; without it the numeric loader as before', async () => {
  const d = await datasets.fromCSV(PEOPLE, { preprocess: true, fitRows: [0, 1, 2] });
  assert.is(d.features, 6, 'Paris is not in the fit rows');
  assert.is(d.classes, 2);
  assert.equal(d.names, ['no', 'yes']);
  const again = await datasets.fromCSV('age,city,income\n35,Lima,\n', { preprocess: d.preprocessor.toJSON() });
  assert.is(again.labelled, false);
  assert.is(again.count, 1);
  assert.is(again.notices.length, 1);
  const plain = await datasets.fromCSV('a,b\n1,0\n2,1\n');
  assert.is(plain.features, 1);
});

P.run();
