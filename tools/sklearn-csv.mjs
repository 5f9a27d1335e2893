// Turns scikit-learn's shipped CSVs (a first line of counts and class names, then rows whose
// last value is a class id) into plain header + rows files under data/tables/, with the class
// names written out so a model's predictions read as the original labels. Needs Debian's
// python3-sklearn (apt-get install -y python3-sklearn) only to regenerate; the outputs are committed.
// Usage: node tools/sklearn-csv.mjs [sklearn data dir]
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = process.argv[2] ?? '/usr/lib/python3/dist-packages/sklearn/datasets/data';
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'tables');

// Column names as scikit-learn's load_* functions give them (feature_names), spaces as '_'.
const IRIS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const WINE = ['alcohol', 'malic_acid', 'ash', 'alcalinity_of_ash', 'magnesium', 'total_phenols', 'flavanoids', 'nonflavanoid_phenols', 'proanthocyanins', 'color_intensity', 'hue', 'od280_od315_of_diluted_wines', 'proline'];
const CANCER = ['radius', 'texture', 'perimeter', 'area', 'smoothness', 'compactness', 'concavity', 'concave_points', 'symmetry', 'fractal_dimension'];
const BREAST = ['mean', 'error', 'worst'].flatMap((p) => CANCER.map((c) => `${p}_${c}`));
const DIABETES = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];

function counted(file, features, label) {
  const lines = readFileSync(join(src, file), 'utf8').trim().split(/\r?\n/);
  const head = lines[0].split(',');
  const [rows, width] = [Number(head[0]), Number(head[1])];
  const names = head.slice(2);
  if (width !== features.length || lines.length - 1 !== rows) throw new Error(`${file}: expected ${rows} rows of ${width} features`);
  const body = lines.slice(1).map((l) => {
    const v = l.split(',');
    return [...v.slice(0, width), names[Number(v[width])]].join(',');
  });
  return [[...features, label].join(','), ...body].join('\n') + '\n';
}

const write = (name, text) => {
  writeFileSync(join(out, name), text);
  console.log(`${name}: ${text.trim().split('\n').length - 1} rows`);
};
write('iris.csv', counted('iris.csv', IRIS, 'species'));
write('wine.csv', counted('wine_data.csv', WINE, 'cultivar'));
write('breast_cancer.csv', counted('breast_cancer.csv', BREAST, 'diagnosis'));

// Diabetes: raw (unscaled) features, space-separated, and the target in a second file.
const x = gunzipSync(readFileSync(join(src, 'diabetes_data_raw.csv.gz'))).toString('utf8').trim().split(/\r?\n/);
const y = gunzipSync(readFileSync(join(src, 'diabetes_target.csv.gz'))).toString('utf8').trim().split(/\r?\n/);
if (x.length !== y.length) throw new Error('diabetes: feature and target files differ in length');
write('diabetes.csv', [[...DIABETES, 'progression'].join(','), ...x.map((l, i) => [...l.trim().split(/\s+/), String(Number(y[i]))].join(','))].join('\n') + '\n');

// A 30-row table: every fifth iris row (10 of each species), for the small-table path.
const iris = readFileSync(join(out, 'iris.csv'), 'utf8').trim().split('\n');
write('iris30.csv', [iris[0], ...iris.slice(1).filter((_, i) => i % 5 === 0)].join('\n') + '\n');
