// Your own CSV, as a new user meets it: the real binary (bin/simdescent.js) on real tables
// (scikit-learn's iris, wine, breast cancer and diabetes, data/tables/), a table with text
// columns and missing cells, a 30-row table; predict, evaluate, resume from elsewhere, and
// every bad input as one line, exit 2, nothing written.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeCheckpoint, init, loadRun } from '../../src/index.js';
import { type Result, built, root, sd as spawn, userError as oneLineError } from './_spawn.js';

const tables = join(root, 'data/tables');
const tmp = mkdtempSync(join(tmpdir(), 'simdescent-csv-'));

const sd = (args: string[], cwd = tmp): Result => spawn(args, cwd);

function json(r: Result): any {
  assert.is(r.code, 0, `exit 0 (stderr: ${r.stderr})`);
  return JSON.parse(r.stdout);
}

/** Exit 2, exactly one stderr line matching `re`, no stack, nothing on stdout. */
function userError(r: Result, re: RegExp): void {
  oneLineError(r, re);
  assert.is(r.stdout, '');
}

const T = suite('cli: your own CSV');

T.before(built);
T.after(() => rmSync(tmp, { recursive: true, force: true }));

T('iris, wine and breast cancer reach >= 93% test accuracy with default flags', () => {
  for (const [name, classes] of [
    ['iris', ['setosa', 'versicolor', 'virginica']],
    ['wine', ['class_0', 'class_1', 'class_2']],
    ['breast_cancer', ['benign', 'malignant']],
  ] as const) {
    const doc = json(sd(['train', '--data', join(tables, `${name}.csv`), '--json', '--out', join(tmp, name)]));
    assert.ok(doc.test.accuracy >= 0.93, `${name}: test accuracy ${doc.test.accuracy}`);
    assert.is(doc.data.task, 'classification');
    assert.equal(doc.data.classes, classes);
    assert.is(doc.config.data.standardize, true, 'CSV tables are standardised by default');
    const n = doc.test.confusion.flat().reduce((a: number, b: number) => a + b, 0);
    assert.is(n, doc.test.count);
    for (const f of ['run.json', 'preprocessor.json', 'model.safetensors', 'checkpoint.sdck']) assert.ok(existsSync(join(tmp, name, f)), `${name}/${f}`);
  }
  // The text output: the data line says what was detected and done, before the progress.
  const r = sd(['train', '--data', join(tables, 'iris.csv'), '--out', join(tmp, 'iris-text')]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^data: iris\.csv: 150 rows, 4 feature columns → 4 inputs; classification of 'species', 3 classes \(setosa, versicolor, virginica\) \(detected; --task regression to override\); 4 numeric standardised\n/);
  assert.match(r.stdout, /test accuracy 9\d\.\d\d%/);
});

T('a table with text columns and missing cells trains, predicts (unseen category) and evaluates', () => {
  const data = join(tables, 'passengers.csv');
  const run = join(tmp, 'passengers');
  const r = sd(['train', '--data', data, '--id', 'passenger_id', '--out', run]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /data: passengers\.csv: 400 rows, 5 feature columns → 11 inputs; classification of 'survived', 2 classes \(no, yes\) .*3 numeric standardised, 2 text one-hot \(6 categories\), \d+ missing cells filled \(\+2 indicators\)/);
  const pre = JSON.parse(readFileSync(join(run, 'preprocessor.json'), 'utf8'));
  assert.is(pre.format, 'simdescent-preprocessor/1');
  assert.is(pre.id, 'passenger_id');
  assert.equal(pre.inputs, ['class', 'sex=female', 'sex=male', 'age', 'age (missing)', 'fare', 'fare (missing)', 'embarked=(missing)', 'embarked=C', 'embarked=Q', 'embarked=S']);

  // New rows: no label column, an unseen port 'X', a missing age and a missing port.
  const rows = join(tmp, 'new-passengers.csv');
  writeFileSync(rows, 'passenger_id,class,sex,age,fare,embarked\n901,1,female,29,80.5,C\n902,3,male,,7.25,X\n903,2,male,40,13,\n');
  const out = join(tmp, 'predictions.csv');
  const p = sd(['predict', '--run', run, '--data', rows, '--out', out]);
  assert.is(p.code, 0, p.stderr);
  assert.match(p.stderr, /note: column 'embarked': 1 row with a category not seen in training \('X'\) taken as "other"/);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  assert.is(lines[0], 'passenger_id,predicted_survived,p_no,p_yes');
  assert.is(lines.length, 4);
  lines.slice(1).forEach((l, i) => {
    const [id, label, pNo, pYes] = l.split(',');
    assert.is(id, String(901 + i));
    assert.ok(label === 'no' || label === 'yes');
    assert.ok(Math.abs(Number(pNo) + Number(pYes) - 1) < 1e-5, 'probabilities sum to 1');
    assert.is(label, Number(pYes) > Number(pNo) ? 'yes' : 'no');
  });
  // A first-class woman survives in this table's generating model; a third-class man rarely does.
  assert.is(lines[1].split(',')[1], 'yes');
  // stdout without --out, --json with the same numbers.
  const j = json(sd(['predict', '--run', run, '--data', rows, '--json']));
  assert.equal(j.classes, ['no', 'yes']);
  assert.is(j.rows.length, 3);
  assert.ok(Math.abs(j.rows[1].probabilities[1] - Number(lines[2].split(',')[3])) < 1e-6);

  const e = json(sd(['evaluate', '--run', run, '--data', data, '--json']));
  assert.is(e.count, 400);
  assert.ok(e.accuracy > 0.7, `accuracy ${e.accuracy} (majority class: 0.65)`);
  assert.ok(e.loss > 0 && Number.isFinite(e.loss));
  assert.is(e.confusion.flat().reduce((a: number, b: number) => a + b, 0), 400);
  const text = sd(['evaluate', '--run', run, '--data', data]);
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, /accuracy \d+\.\d\d%   loss [\d.]+\n  confusion matrix \(rows: actual, columns: predicted\):\n\s+no\s+yes\n\s+no\s+\d+\s+\d+\n\s+yes\s+\d+\s+\d+\n/);
});

T('the tools read a table as train does: lr-find on text columns and missing cells', () => {
  const doc = json(sd(['lr-find', '--data', join(tables, 'passengers.csv'), '--steps', '20', '--json', '--out', join(tmp, 'lr-passengers')]));
  // passenger_id, class, age (+missing), fare (+missing), sex ×2, embarked ×4 → 12 inputs; 2 classes.
  assert.equal(doc.model.layers, [12, 128, 2]);
});

T('a 30-row CSV trains with defaults: the batch is the rows there are, with one notice', () => {
  const r = sd(['train', '--data', join(tables, 'iris30.csv'), '--out', join(tmp, 'iris30')]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /note: --batch-size 32 is larger than the 22 training rows; using 22 \(one step per epoch\)\n/);
  const doc = JSON.parse(readFileSync(join(tmp, 'iris30', 'history.json'), 'utf8'));
  assert.is(doc.config.batchSize, 32, 'run.json keeps the flag as given');
  assert.is(doc.stopReason, 'completed');
  assert.ok(doc.test.accuracy >= 0.8, `test accuracy ${doc.test.accuracy} on 6 rows`);
});

T('regression: detected for diabetes, R² and MAE in the target units, evaluate --json at top level', () => {
  const data = join(tables, 'diabetes.csv');
  const run = join(tmp, 'diabetes');
  const doc = json(sd(['train', '--data', data, '--json', '--out', run]));
  assert.is(doc.data.task, 'regression');
  assert.is(doc.config.model.loss, 'mse');
  assert.equal(doc.config.model.layers, [10, 128, 1]);
  assert.ok(doc.test.r2 > 0.3 && doc.test.r2 < 1, `R² ${doc.test.r2}`);
  // MAE in the target's units (progression spans 25..346, std 77): not standardised units.
  assert.ok(doc.test.mae > 20 && doc.test.mae < 77, `MAE ${doc.test.mae}`);
  assert.ok(doc.test.loss > 400, `test loss (MSE) ${doc.test.loss} in target units`);
  const e = json(sd(['evaluate', '--run', run, '--data', data, '--json']));
  for (const k of ['loss', 'r2', 'mae']) assert.is(typeof e[k], 'number', k);
  assert.is(e.accuracy, undefined);
  const p = sd(['predict', '--run', run, '--data', data]);
  assert.is(p.code, 0, p.stderr);
  const values = p.stdout.trim().split('\n').slice(1).map(Number);
  assert.is(values.length, 442);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(mean > 100 && mean < 200, `predictions in the target's units (mean ${mean})`);
});

T('task detection: classes from the distinct values seen; --task overrides', () => {
  const make = (name: string, labels: (string | number)[]) => {
    const path = join(tmp, name);
    const rows = ['a,b,y'];
    for (let i = 0; i < 60; i++) {
      const y = labels[i % labels.length];
      rows.push(`${(i * 7) % 11},${labels.indexOf(y) + ((i * 3) % 5) / 10},${y}`);
    }
    writeFileSync(path, rows.join('\n') + '\n');
    return path;
  };
  const classesOf = (path: string, extra: string[] = []) => json(sd(['train', '--data', path, '--epochs', '1', '--json', '--out', join(tmp, 'task'), ...extra])).data;
  assert.equal(classesOf(make('one-to-k.csv', [1, 2, 3])).classes, ['1', '2', '3']);
  assert.equal(classesOf(make('sparse.csv', [0, 1, 2, 7])).classes, ['0', '1', '2', '7']);
  assert.equal(classesOf(make('signs.csv', [-1, 0, 1])).classes, ['-1', '0', '1']);
  assert.equal(classesOf(make('words.csv', ['low', 'high'])).classes, ['high', 'low']);
  const many = make('many.csv', Array.from({ length: 30 }, (_, i) => i * 3));
  assert.is(classesOf(many).task, 'regression');
  assert.is(classesOf(many, ['--task', 'classification']).classes.length, 30);
  assert.is(classesOf(make('floats.csv', [0.5, 1.25, 2])).task, 'regression');
  const r = sd(['train', '--data', make('words2.csv', ['low', 'high']), '--task', 'regression', '--out', join(tmp, 'nope')]);
  userError(r, /^simdescent: .*words2\.csv: line 2, column 3 \('y'\): "low" is not a number \(a regression target; use task classification for class names\)$/);
  assert.not.ok(existsSync(join(tmp, 'nope')));
});

T('--resume: the same flags are fine, from any directory; changes are named; a changed file is refused', () => {
  const data = join(tmp, 'iris-copy.csv');
  copyFileSync(join(tables, 'iris.csv'), data);
  const common = ['--data', data, '--lr', '0.01', '--batch-size', '16', '--quiet'];
  const full = join(tmp, 'iris-full');
  const part = join(tmp, 'iris-part');
  assert.is(sd(['train', ...common, '--epochs', '4', '--out', full]).code, 0);
  assert.is(sd(['train', ...common, '--epochs', '2', '--out', part]).code, 0);
  // From another working directory, repeating the command with relative paths.
  const elsewhere = join(tmp, 'elsewhere', 'deeper');
  mkdirSync(elsewhere, { recursive: true });
  const rel = (p: string) => relative(elsewhere, p);
  userError(sd(['train', '--data', rel(data), '--lr', '0.1', '--optimizer', 'sgd', '--resume', rel(part), '--epochs', '4'], elsewhere), /^simdescent: 2 flags cannot be changed when resuming: --optimizer \(run\.json has adam, given sgd\), --lr \(run\.json has 0\.01, given 0\.1\); the run's settings come from /);
  userError(sd(['train', '--no-standardize', '--resume', rel(part), '--epochs', '4'], elsewhere), /^simdescent: --no-standardize cannot be changed when resuming \(run\.json has true, given false\)/);
  const r = sd(['train', '--data', rel(data), '--lr', '0.01', '--batch-size', '16', '--standardize', '--resume', rel(part), '--epochs', '4', '--quiet'], elsewhere);
  assert.is(r.code, 0, r.stderr);
  const a = decodeCheckpoint(new Uint8Array(readFileSync(join(full, 'checkpoint.sdck'))));
  const b = decodeCheckpoint(new Uint8Array(readFileSync(join(part, 'checkpoint.sdck'))));
  assert.is(b.epoch, 4);
  assert.ok(Buffer.from(a.optimizerState).equals(Buffer.from(b.optimizerState)), 'resumed CSV run is bit-identical to an uninterrupted one');
  assert.equal(JSON.parse(readFileSync(join(part, 'preprocessor.json'), 'utf8')), JSON.parse(readFileSync(join(full, 'preprocessor.json'), 'utf8')));
  // The data file changed: refused without --data, accepted with it.
  appendFileSync(data, '5.0,3.4,1.5,0.2,setosa\n');
  userError(sd(['train', '--resume', rel(part), '--epochs', '5'], elsewhere), /^simdescent: the data file .*iris-copy\.csv changed since the run was saved \(\d+ → \d+ bytes\); to continue on it as it is now, pass --data .*iris-copy\.csv$/);
  const c = sd(['train', '--resume', rel(part), '--epochs', '5', '--data', rel(data)], elsewhere);
  assert.is(c.code, 0, c.stderr);
  assert.match(c.stdout, /note: continuing on .*iris-copy\.csv \(\d+ bytes, sha256 [0-9a-f]{12}…\) with the run's preprocessor/);
  const saved = JSON.parse(readFileSync(join(part, 'run.json'), 'utf8'));
  assert.is(saved.data.data, data);
  assert.is(saved.data.fingerprint.size, readFileSync(data).length);
});

T('bad inputs: one line naming the problem, exit 2, nothing written', () => {
  const run = join(tmp, 'iris');
  const iris = join(tables, 'iris.csv');
  const before = readdirSync(tmp).sort();
  // A predict file with different columns.
  const other = join(tmp, 'other-columns.csv');
  writeFileSync(other, 'sepal_length,sepal_width,petal_len,petal_width\n5.1,3.5,1.4,0.2\n');
  const out = join(tmp, 'never.csv');
  userError(sd(['predict', '--run', run, '--data', other, '--out', out]), /^simdescent: .*other-columns\.csv: the table lacks column 'petal_length' and has column the model was not trained on: 'petal_len' \(expected: sepal_length, sepal_width, petal_length, petal_width, species\)$/);
  assert.not.ok(existsSync(out));
  // A cell that is not a number where training had numbers.
  const word = join(tmp, 'word.csv');
  writeFileSync(word, 'sepal_length,sepal_width,petal_length,petal_width\n5.1,wide,1.4,0.2\n');
  userError(sd(['predict', '--run', run, '--data', word, '--out', out]), /word\.csv: line 2, column 2 \('sepal_width'\): "wide" is not a number \(the column was numeric in training\)$/);
  // Not a run directory; a run without a preprocessor (built-in data).
  userError(sd(['predict', '--run', tmp, '--data', iris]), /^simdescent: --run .*: .* is not a trained run: run\.json is missing$/);
  userError(sd(['evaluate', '--run', join(tmp, 'no-such-dir'), '--data', iris]), /^simdescent: --run .*no-such-dir: .*no-such-dir is not a directory$/);
  const digits = join(tmp, 'digits-run');
  assert.is(sd(['train', '--data', 'blobs', '--samples', '100', '--epochs', '1', '--quiet', '--out', digits]).code, 0);
  userError(sd(['predict', '--run', digits, '--data', iris]), /preprocessor\.json is missing \(predict and evaluate need a run trained on a CSV file\)$/);
  // A label column that does not exist; evaluate without labels.
  userError(sd(['train', '--data', iris, '--label', 'specie', '--out', join(tmp, 'never-run')]), /^simdescent: --label: unknown label column 'specie' \(did you mean 'species'\?\); columns: sepal_length, sepal_width, petal_length, petal_width, species$/);
  assert.not.ok(existsSync(join(tmp, 'never-run')));
  const unlabelled = join(tmp, 'unlabelled.csv');
  writeFileSync(unlabelled, 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n');
  userError(sd(['evaluate', '--run', run, '--data', unlabelled]), /unlabelled\.csv: the table has no label column 'species'$/);
  userError(sd(['train', '--data', 'digits', '--task', 'regression']), /^simdescent: --task applies to CSV files, not to the built-in dataset 'digits'$/);
  // Tampered run files: each a one-line error naming the file.
  const broken = join(tmp, 'broken-run');
  mkdirSync(broken);
  for (const f of ['run.json', 'preprocessor.json', 'model.safetensors']) copyFileSync(join(run, f), join(broken, f));
  const pre = JSON.parse(readFileSync(join(run, 'preprocessor.json'), 'utf8'));
  writeFileSync(join(broken, 'preprocessor.json'), JSON.stringify({ ...pre, columns: pre.columns.slice(1) }));
  userError(sd(['predict', '--run', broken, '--data', iris]), /^simdescent: --run .*broken-run: Preprocessor\.fromJSON: inputs do not match the columns$/);
  writeFileSync(join(broken, 'preprocessor.json'), JSON.stringify(pre));
  writeFileSync(join(broken, 'model.safetensors'), readFileSync(join(run, 'model.safetensors')).subarray(0, 100));
  userError(sd(['evaluate', '--run', broken, '--data', iris]), /^simdescent: --run .*broken-run: model\.safetensors: /);
  writeFileSync(join(broken, 'run.json'), '{"format":"simdescent-run/1"');
  userError(sd(['evaluate', '--run', broken, '--data', iris]), /^simdescent: --run .*broken-run: .*run\.json is not valid JSON$/);
  assert.equal(readdirSync(tmp).sort(), [...before, 'broken-run', 'digits-run', 'other-columns.csv', 'unlabelled.csv', 'word.csv'].sort());
});

T('the library reloads the run: loadRun(engine, dir) predicts and evaluates as the CLI does', async () => {
  const run = join(tmp, 'passengers');
  const sdk = await init();
  const saved = await loadRun(sdk, run);
  const text = readFileSync(join(tmp, 'new-passengers.csv'), 'utf8');
  const p = saved.predict(text);
  const cli = readFileSync(join(tmp, 'predictions.csv'), 'utf8').trim().split('\n').slice(1);
  p.rows.forEach((r, i) => {
    const [id, label, , pYes] = cli[i].split(',');
    assert.is(r.id, id);
    assert.is(r.label, label);
    assert.ok(Math.abs(r.probabilities![1] - Number(pYes)) < 1e-6);
  });
  assert.is(p.notices.length, 2);
  const e = saved.evaluate(readFileSync(join(tables, 'passengers.csv'), 'utf8'));
  const cliE = json(sd(['evaluate', '--run', run, '--data', join(tables, 'passengers.csv'), '--json']));
  assert.is(e.accuracy, cliE.accuracy);
  assert.equal(e.confusion, cliE.confusion);
  saved.dispose();
});

T.run();
