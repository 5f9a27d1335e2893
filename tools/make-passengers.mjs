// data/tables/passengers.csv: a synthetic, titanic-like table (made up here, so no license
// strings attached) with what real tables have and the sklearn ones lack: text feature columns
// (sex, embarked), missing cells (age, embarked, fare) and an id column. Survival is drawn from a
// logistic model of the features, so the best possible accuracy is about 75% (the mean of
// max(p, 1 − p) over the rows), not 100%. Seeded: the same file on every run.  Usage: node tools/make-passengers.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// mulberry32: a small seeded generator, enough for a fixture.
let s = 20261204;
const rand = () => {
  s = (s + 0x6d2b79f5) | 0;
  let t = Math.imul(s ^ (s >>> 15), 1 | s);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (items, weights) => {
  let u = rand() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) if ((u -= weights[i]) < 0) return items[i];
  return items[items.length - 1];
};
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

const HEADER = 'passenger_id,class,sex,age,fare,embarked,survived';
function passenger(id) {
  const cls = pick([1, 2, 3], [0.25, 0.2, 0.55]);
  const sex = pick(['female', 'male'], [0.36, 0.64]);
  const age = Math.max(1, Math.round(30 + 14 * normal() - 4 * (cls - 2)));
  const fare = Math.max(4, (cls === 1 ? 85 : cls === 2 ? 22 : 12) * Math.exp(0.45 * normal()));
  const embarked = pick(['S', 'C', 'Q'], cls === 1 ? [0.55, 0.4, 0.05] : [0.75, 0.12, 0.13]);
  const z = 1.1 + 2.6 * (sex === 'female') - 1.0 * (cls - 1) - 0.035 * (age - 30) + 0.4 * (embarked === 'C');
  const survived = rand() < 1 / (1 + Math.exp(-z)) ? 'yes' : 'no';
  const cells = [id, cls, sex, rand() < 0.2 ? '' : age, rand() < 0.02 ? '' : fare.toFixed(2), rand() < 0.03 ? '' : embarked, survived];
  return cells.join(',');
}

// 400 rows to train on, then 100 more from the same generator for evaluate (passengers-test.csv).
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'tables');
for (const [name, from, to] of [['passengers.csv', 1, 400], ['passengers-test.csv', 401, 500]]) {
  const rows = [HEADER];
  for (let id = from; id <= to; id++) rows.push(passenger(id));
  writeFileSync(join(dir, name), rows.join('\n') + '\n');
  console.log(`${name}: ${rows.length - 1} rows`);
}
