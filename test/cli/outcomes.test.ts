// What train reports is what happened: binary cross-entropy on two classes trains one output
// and its test accuracy agrees with validation; a diverged run exits 3 with one line of advice
// and --json keeps final and stopReason; a CSV whose line 1 is numbers or scikit-learn's count
// line is read as meant, said in one line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { built, lines, sd, userError } from './_spawn.js';

const tmp = mkdtempSync(join(tmpdir(), 'simdescent-outcomes-'));
const Out = suite('cli/outcomes');
Out.before(built);
Out.after(() => rmSync(tmp, { recursive: true, force: true }));

/** n rows of two features; class by a linear rule with a margin, from a fixed LCG (no Math.random). */
function table(n: number, label: (a: number, b: number) => string | number): string[] {
  let s = 12345;
  const u = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 4 - 2;
  const rows: string[] = [];
  while (rows.length < n) {
    const [a, b] = [u(), u()];
    if (Math.abs(a + b) < 0.2) continue;
    rows.push(`${a.toFixed(3)},${b.toFixed(3)},${label(a, b)}`);
  }
  return rows;
}

Out('--loss sigmoidBinaryCrossEntropy on two classes: one output, fit and test agree', () => {
  const csv = join(tmp, 'binary.csv');
  writeFileSync(csv, ['x1,x2,diagnosis', ...table(300, (a, b) => (a + b > 0 ? 'malignant' : 'benign'))].join('\n') + '\n');
  for (const loss of ['sigmoidBinaryCrossEntropy', 'BCEWithLogitsLoss']) {
    const r = sd(['train', '--data', csv, '--loss', loss, '--epochs', '15', '--lr', '0.01', '--json', '--out', join(tmp, `bce-${loss}`)], tmp);
    assert.is(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.is(doc.config.model.loss, 'sigmoidBinaryCrossEntropy');
    assert.equal(doc.config.model.layers, [2, 128, 1], 'one output per binary label');
    assert.ok(doc.test.accuracy > 0.9, `test accuracy ${doc.test.accuracy}`);
    assert.ok(doc.final.valAccuracy > 0.9, `validation accuracy ${doc.final.valAccuracy}`);
    assert.ok(Math.abs(doc.test.accuracy - doc.final.valAccuracy) < 0.1, `test ${doc.test.accuracy} vs validation ${doc.final.valAccuracy}`);
  }
  const text = sd(['train', '--data', csv, '--loss', 'sigmoidBinaryCrossEntropy', '--epochs', '15', '--lr', '0.01', '--out', join(tmp, 'bce-text')], tmp);
  assert.is(text.code, 0, text.stderr);
  assert.not.match(text.stdout, /test accuracy 0\.00%/);
  userError(sd(['train', '--data', csv, '--loss', 'sigmoidBinaryCrossEntropy', '--layers', '2,8,2'], tmp), /^simdescent: --layers 2,8,2: the last width must be 1 for --loss sigmoidBinaryCrossEntropy/);
  userError(sd(['train', '--data', 'blobs', '--loss', 'bce'], tmp), /^simdescent: --loss sigmoidBinaryCrossEntropy takes two classes \(one output\); this data has 3 classes: use --loss softmaxCrossEntropy$/);
  // mse on class labels trains on one-hot rows: its validation and test losses are alike.
  const mse = sd(['train', '--data', 'blobs', '--samples', '300', '--loss', 'mse', '--epochs', '5', '--lr', '0.01', '--json', '--out', join(tmp, 'mse')], tmp);
  assert.is(mse.code, 0, mse.stderr);
  const m = JSON.parse(mse.stdout);
  assert.equal(m.config.model.layers, [2, 128, 3]);
  assert.ok(m.test.loss < 0.2 && m.final.valLoss < 0.2, `test ${m.test.loss}, validation ${m.final.valLoss}`);
});

Out('a diverged run exits 3 with one line advising a lower --lr; --json keeps final and stopReason', () => {
  const args = ['train', '--data', 'blobs', '--optimizer', 'sgd', '--lr', '1e6', '--epochs', '3'];
  const r = sd([...args, '--out', join(tmp, 'div')], tmp);
  assert.is(r.code, 3, r.stderr);
  const err = lines(r.stderr);
  assert.is(err.length, 1, r.stderr);
  assert.match(err[0], /^simdescent: diverged at epoch 1, batch \d+ \(the smoothed training loss .+\); try a lower --lr than 1000000, e\.g\. --lr 100000, or let simdescent lr-find suggest one$/);
  assert.match(r.stdout, /^diverged after 0 epochs/m);
  assert.not.match(r.stdout, /skipped|expected a history|learningCurves/);
  const j = sd([...args, '--json', '--out', join(tmp, 'div-json')], tmp);
  assert.is(j.code, 3, j.stderr);
  assert.is(lines(j.stderr).length, 1);
  const doc = JSON.parse(j.stdout);
  assert.is(doc.stopReason, 'diverged');
  assert.ok('final' in doc, 'final is there');
  assert.is(doc.final.epoch, 0);
  assert.ok(doc.final.loss === null || doc.final.loss > 1e3, `final loss ${doc.final.loss}`);
  assert.is(doc.final.lr, 1e6);
  assert.equal(doc.notes, []);
  assert.is(JSON.parse(readFileSync(join(tmp, 'div-json', 'history.json'), 'utf8')).stopReason, 'diverged');
});

Out("scikit-learn's count line and a line 1 of numbers: read as meant, said in one line", () => {
  const rows = table(90, (a, b) => (a + b > 0 ? (a > 0 ? 2 : 1) : 0));
  const counted = join(tmp, 'sk.csv');
  writeFileSync(counted, ['90,2,setosa,versicolor,virginica', ...rows].join('\n') + '\n');
  const r = sd(['train', '--data', counted, '--epochs', '2', '--json', '--out', join(tmp, 'sk')], tmp);
  assert.is(r.code, 0, r.stderr);
  assert.equal(lines(r.stderr), [
    `${counted}: line 1 (90,2,setosa,versicolor,virginica) is a scikit-learn count line (90 rows, 2 features, classes setosa, versicolor, virginica): skipped; columns named column 1 … column 3`,
  ]);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.config.model.layers, [2, 128, 3], 'three classes, not a label column called virginica');
  assert.is(doc.rows.train + doc.rows.validation + doc.rows.test, 90);
  // A count line followed by a header (boston_house_prices.csv): the header is line 2.
  const boston = join(tmp, 'boston.csv');
  writeFileSync(boston, ['90,2,,', '"A","B","MEDV"', ...table(90, (a, b) => (3 * a - b).toFixed(2))].join('\n') + '\n');
  const b = sd(['train', '--data', boston, '--label', 'MEDV', '--epochs', '1', '--json', '--out', join(tmp, 'boston')], tmp);
  assert.is(b.code, 0, b.stderr);
  assert.match(lines(b.stderr)[0], /boston\.csv: line 1 \(90,2,,\) is a scikit-learn count line \(90 rows, 2 features\): skipped; line 2 is the header$/);
  assert.is(JSON.parse(b.stdout).config.model.loss, 'mse');
  // No header at all: line 1 is data; --header reads it as names anyway, --quiet keeps quiet.
  const bare = join(tmp, 'bare.csv');
  writeFileSync(bare, rows.join('\n') + '\n');
  const n = sd(['train', '--data', bare, '--epochs', '1', '--json', '--out', join(tmp, 'bare')], tmp);
  assert.is(n.code, 0, n.stderr);
  assert.equal(lines(n.stderr), [`${bare}: line 1 (${rows[0]}) is all numbers: read as data, not a header; columns named column 1 … column 3 (pass --header to read line 1 as names)`]);
  const nd = JSON.parse(n.stdout);
  assert.is(nd.rows.train + nd.rows.validation + nd.rows.test, 90);
  const h = sd(['train', '--data', bare, '--header', '--epochs', '1', '--json', '--out', join(tmp, 'bare-h')], tmp);
  assert.is(h.code, 0, h.stderr);
  assert.is(h.stderr, '');
  const hd = JSON.parse(h.stdout);
  assert.is(hd.rows.train + hd.rows.validation + hd.rows.test, 89);
  assert.is(hd.config.data.header, true);
  const q = sd(['train', '--data', bare, '--epochs', '1', '--quiet', '--out', join(tmp, 'bare-q')], tmp);
  assert.is(q.code, 0, q.stderr);
  assert.is(q.stderr + q.stdout, '');
  userError(sd(['train', '--data', 'moons', '--no-header'], tmp), /^simdescent: --no-header applies to CSV files, not to the built-in dataset 'moons'$/);
});

Out.run();
