// Flat minima on the digits: SGD + SGDR and Adam, with SWA, EMA, Lookahead and a snapshot
// ensemble on top; test accuracy and sharpness side by side, fixed seeds.
//   npm run build && node examples/flat-minima.mjs [--seeds 5] [--json]
// Each configuration trains the same MLP (64-64-10, ReLU) from the same init on the same
// 80 % training split; the other 20 % is the test set, also used as fit()'s validation data
// (for the per-epoch SWA/EMA/snapshot metrics in the history; nothing is selected with it).
// SWA, EMA and snapshots do not change the training trajectory, so one fit gives the base
// model and its SWA/EMA/snapshot versions; Lookahead changes the trajectory and is its own fit.
// Sharpness: sd.sharpness on the training set at radius 0.05 and 0.2 (each weight row moved by
// 5 % / 20 % of its norm along a random filter-normalised direction), 20 probes each: the
// largest training-loss rise found.
import { init, datasets, split, schedule } from '../dist/index.js';

const args = process.argv.slice(2);
const seeds = Number(args[args.indexOf('--seeds') + 1] ?? 5) || 5;
const json = args.includes('--json');

const sd = await init();
const all = await datasets.digits();
const { train, validation: test } = split(all, { validation: 0.2, seed: 0 });
const EPOCHS = 40;
const BATCH = 32;
const RADII = [0.05, 0.2];
const SAMPLES = 20;

const sgdr = () => schedule('cosineWarmRestarts', { lr: 0.05, lrMin: 0, t0: 10 }); // 4 cycles of 10 epochs
const SGD = { name: 'sgd', lr: 0.05, momentum: 0.9 };
const ADAM = { name: 'adam', lr: 1e-3 };

const configs = [
  { name: 'SGD + SGDR', fit: { optimizer: SGD, schedule: sgdr(), swa: { start: 11 }, ema: { decay: 0.998 }, snapshots: true }, variants: ['base', 'swa', 'ema', 'snapshots'], labels: ['SGD + SGDR', 'SGD + SGDR + SWA (cycle ends from epoch 11)', 'SGD + SGDR + EMA (0.998)', 'SGD + SGDR snapshot ensemble (4 cycle ends)'] },
  { name: 'SGD + SGDR + Lookahead', fit: { optimizer: SGD, schedule: sgdr(), lookahead: { k: 5, alpha: 0.5 } }, variants: ['base'], labels: ['SGD + SGDR + Lookahead (k 5, α 0.5)'] },
  { name: 'Adam', fit: { optimizer: ADAM, swa: { start: 21, every: 'epoch' }, ema: { decay: 0.998 } }, variants: ['base', 'swa', 'ema'], labels: ['Adam', 'Adam + SWA (each epoch from 21)', 'Adam + EMA (0.998)'] },
  { name: 'Adam + Lookahead', fit: { optimizer: ADAM, lookahead: { k: 5, alpha: 0.5 } }, variants: ['base'], labels: ['Adam + Lookahead (k 5, α 0.5)'] },
];

const rows = new Map(); // label → { acc: [], sharp: [[] per radius], loss: [] }
const record = (label, acc, sharp, loss) => {
  if (!rows.has(label)) rows.set(label, { acc: [], sharp: RADII.map(() => []), loss: [] });
  const r = rows.get(label);
  r.acc.push(acc);
  if (sharp !== undefined) sharp.forEach((v, i) => r.sharp[i].push(v));
  if (loss !== undefined) r.loss.push(loss);
};

const t0 = performance.now();
for (let seed = 0; seed < seeds; seed++) {
  for (const c of configs) {
    const model = sd.mlp({ layers: [64, 64, 10], activation: 'relu', seed });
    const history = await sd.fit(model, train, { epochs: EPOCHS, batchSize: BATCH, seed, validation: test, ...c.fit, schedule: c.fit.schedule ? sgdr() : undefined });
    const final = Float32Array.from(model.buffer.params);
    const measure = (params) => {
      model.buffer.params.set(params);
      const acc = model.evaluate(test.x, test.y, test.count).accuracy;
      const s = RADII.map((radius) => sd.sharpness(model, train, { radius, samples: SAMPLES, seed: 100 + seed }));
      return [acc, s.map((x) => x.maxRise), s[0].center];
    };
    c.variants.forEach((v, i) => {
      if (v === 'base') record(c.labels[i], ...measure(final));
      if (v === 'swa') record(c.labels[i], ...measure(history.averages.swa.params));
      if (v === 'ema') record(c.labels[i], ...measure(history.averages.ema.params));
      if (v === 'snapshots') record(c.labels[i], history.epochs.at(-1).snapshotValAccuracy);
    });
    model.dispose();
  }
}
const seconds = (performance.now() - t0) / 1000;

const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const sdev = (a) => Math.sqrt(a.reduce((x, y) => x + (y - mean(a)) ** 2, 0) / Math.max(1, a.length - 1));
const fmt = (a, d, scale = 1) => (a.length ? `${(mean(a) * scale).toFixed(d)} ± ${(sdev(a) * scale).toFixed(d)}` : '—');
if (json) {
  console.log(JSON.stringify({ seeds, epochs: EPOCHS, seconds, rows: Object.fromEntries(rows) }, null, 1));
} else {
  console.log(`digits: ${train.count} train / ${test.count} test rows, MLP 64-64-10, ${EPOCHS} epochs, batch ${BATCH}, ${seeds} seeds (mean ± sd), ${sd.simd ? 'SIMD' : 'scalar'} core, ${seconds.toFixed(1)} s`);
  console.log(`sharpness: largest training-loss rise over ${SAMPLES} filter-normalised probes at radius r\n`);
  console.log(`| run | test accuracy (%) | ${RADII.map((r) => `sharpness r = ${r}`).join(' | ')} | training loss |`);
  console.log(`|---|---|${RADII.map(() => '---|').join('')}---|`);
  for (const [label, r] of rows) console.log(`| ${label} | ${fmt(r.acc, 2, 100)} | ${r.sharp.map((a) => fmt(a, 4)).join(' | ')} | ${fmt(r.loss, 4)} |`);
}
