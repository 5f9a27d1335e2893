// simdescent/plot: every function returns one well-formed standalone SVG document holding
// the series it was given (one line per run, one point per step, one rule per suggestion),
// and rejects input that is not a tool result.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { datasets, schedule, type Engine } from '../../src/index.js';
import * as P from '../../src/plot/index.js';
import { bothEngines, throwsWith } from '../_helpers.js';

const T = suite('plot');
let sd: Engine;
T.before(async () => {
  [sd] = await bothEngines();
});

/**
 * Well-formed XML as far as our output goes: balanced, properly nested tags, quoted
 * attributes, known entities only, one root <svg> in the SVG namespace.
 */
function wellFormed(svg: string): void {
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), svg.slice(0, 80));
  const stack: string[] = [];
  const re = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  let roots = 0;
  while ((m = re.exec(svg))) {
    if (m[6]) throw new Error(`stray '<' at ${m.index}: ${svg.slice(m.index, m.index + 60)}`);
    if (m[5] !== undefined) {
      const text = m[5];
      for (const e of text.match(/&[^;\s]*;?/g) ?? []) {
        if (!/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(e)) throw new Error(`bad entity ${e}`);
      }
      if (!stack.length && text.trim()) throw new Error(`text outside the root: ${text.slice(0, 40)}`);
      continue;
    }
    if (m[0].startsWith('<!--')) continue;
    const [, close, name, , self] = m;
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!self) {
      if (!stack.length) roots++;
      stack.push(name);
    }
  }
  assert.equal(stack, [], 'unclosed tags');
  assert.is(roots, 1);
  const [, w, h] = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg) ?? [];
  assert.ok(Number(w) > 0 && Number(h) > 0, 'width and height');
}

/** The `d` of each path inside Plot's groups labelled `label` (aria-label="line", "rule"…). */
function paths(svg: string, label: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<g[^>]*aria-label="${label}"[^>]*>([\\s\\S]*?)</g>`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(svg))) for (const d of m[1].matchAll(/<path[^>]* d="([^"]*)"/g)) out.push(d[1]);
  return out;
}
/** Elements `tag` inside Plot's groups labelled `label`. */
function elements(svg: string, label: string, tag: string): number {
  let n = 0;
  const re = new RegExp(`<g[^>]*aria-label="${label}"[^>]*>([\\s\\S]*?)</g>`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(svg))) n += count(m[1], `<${tag} `);
  return n;
}
const vertices = (d: string) => (d.match(/[ML]/g) ?? []).length;
const count = (svg: string, s: string) => svg.split(s).length - 1;

T('raceplot on a surface: one trajectory per run with steps + 1 vertices, contours, landmarks, legend', () => {
  const r = sd.race({ surface: 'himmelblau', steps: 60, optimizers: [{ name: 'sgd', lr: 0.01 }, { name: 'adam', lr: 0.05 }, { name: 'rmsprop', lr: 0.01 }] });
  const svg = P.raceplot(r);
  wellFormed(svg);
  assert.is(P.racePlot, P.raceplot);
  const lines = paths(svg, 'line');
  // 3 trajectories in the map + 3 loss curves below, each with 61 points.
  assert.is(lines.length, 6);
  for (const d of lines) assert.is(vertices(d), 61);
  assert.ok(paths(svg, 'contour').length >= 10, 'contour lines');
  for (const label of ['sgd lr=0.01', 'adam lr=0.05', 'rmsprop lr=0.01', 'minima', 'saddle points', 'start']) assert.ok(svg.includes(`>${label}<`), label);
  assert.ok(svg.includes('Optimizer race on Himmelblau'));
  // 4 minima as stars and 4 saddles as crosses (symbol paths); 3 run ends and the start (circles).
  assert.is(elements(svg, 'dot', 'path'), 8);
  assert.is(elements(svg, 'dot', 'circle'), 4);
});

T('raceplot keeps going when a run diverges (non-finite points dropped)', () => {
  const r = sd.race({ surface: 'rosenbrock', steps: 40, optimizers: [{ name: 'sgd', lr: 1 }, { name: 'adam', lr: 0.01 }] });
  const svg = P.raceplot(r);
  wellFormed(svg);
  assert.not.ok(svg.includes('NaN'));
});

T('raceplot on a dataset race: validation loss per run against epochs and seconds, accuracy panel', async () => {
  const data = datasets.blobs({ count: 300, features: 2, classes: 3, box: 3, spread: 1.2, seed: 1 });
  const r = await sd.race({ data, model: { layers: [2, 8, 3], seed: 1 }, optimizers: [{ name: 'sgd', lr: 0.1 }, { name: 'adam', lr: 0.01 }], epochs: 3 });
  const svg = P.raceplot(r);
  wellFormed(svg);
  const lines = paths(svg, 'line');
  assert.is(lines.length, 6); // 2 runs × (vs epoch, vs seconds, accuracy)
  for (const d of lines) assert.is(vertices(d), 4);
  assert.ok(svg.includes('training time (s)'));
  assert.ok(svg.includes('validation accuracy (%)'));
});

T('lrFinderPlot: raw and smoothed curves with every point, one rule and label per suggestion', async () => {
  const data = datasets.blobs({ count: 600, features: 2, classes: 3, box: 3, spread: 1.5, seed: 1 });
  const f = await sd.lrFinder(sd.mlp({ layers: [2, 3], seed: 1 }), data, { seed: 1, optimizer: { name: 'sgd', momentum: 0.9 } });
  const svg = P.lrFinderPlot(f);
  wellFormed(svg);
  const lines = paths(svg, 'line');
  assert.is(lines.length, 2);
  for (const d of lines) assert.is(vertices(d), f.lrs.length);
  assert.is(elements(svg, 'rule', 'line'), 3);
  for (const k of ['steepest', 'valley', 'minimum']) assert.ok(svg.includes(`>${k} `), k);
  // A flat curve: no suggestions, and the figure says so.
  const flat = await sd.lrFinder(sd.mlp({ layers: [2, 3], seed: 1 }), data, { start: 1e-9, end: 1e-8, batchSize: 600 });
  const svg2 = P.lrFinderPlot(flat);
  wellFormed(svg2);
  assert.is(elements(svg2, 'rule', 'line'), 0);
  assert.ok(svg2.includes('no steepest/valley/minimum suggestion'));
  // Nothing finite recorded (the first loss blew up): a note, not empty axes.
  const none = P.lrFinderPlot({ lrs: [], losses: [], smoothed: [], suggestions: { steepest: null, valley: null, minimum: null } });
  wellFormed(none);
  assert.ok(none.includes('no finite loss was recorded'));
});

T('schedulePlot: one point per step (up to 2000 samples), the schedule named', () => {
  const svg = P.schedulePlot(schedule('cosineWarmRestarts', { lr: 0.1, t0: 10, tMult: 2 }), 150);
  wellFormed(svg);
  const [line] = paths(svg, 'line');
  // step-after curve: two vertices per step but the first.
  assert.is(vertices(line), 2 * 150 - 1);
  assert.ok(svg.includes('cosineWarmRestarts'));
  const long = P.schedulePlot(schedule('cosine', { lr: 0.1, tMax: 100000 }), 100000);
  assert.ok(vertices(paths(long, 'line')[0]) <= 2 * 2001);
  throwsWith(() => P.schedulePlot(schedule('plateau', { lr: 0.1 }) as any, 10), TypeError, 'schedulePlot: plateau schedules move with observed metrics');
  throwsWith(() => P.schedulePlot({} as any, 10), TypeError, 'schedulePlot: expected a schedule (from schedule()) or its toJSON()');
  throwsWith(() => P.schedulePlot({ name: 'cosin' }, 10), TypeError, "schedulePlot: ", "'cosin'");
  // toJSON() data draws the same curve as the schedule.
  const s = schedule('oneCycle', { lrMax: 0.1, totalSteps: 300 });
  assert.is(P.schedulePlot(JSON.parse(JSON.stringify(s.toJSON())), 300), P.schedulePlot(s, 300));
  throwsWith(() => P.schedulePlot(schedule('cosine', { lr: 0.1, tMax: 10 }), 0), RangeError, 'schedulePlot: steps must be a positive integer, got 0');
});

T('learningCurves: training and validation loss per epoch, accuracy panel', () => {
  const epochs = [1, 2, 3, 4].map((epoch) => ({ epoch, loss: 1 / epoch, valLoss: 1.2 / epoch, valAccuracy: 0.5 + epoch / 10, lr: 0.1, ms: 5 }));
  const svg = P.learningCurves({ epochs });
  wellFormed(svg);
  const lines = paths(svg, 'line');
  assert.is(lines.length, 3);
  for (const d of lines) assert.is(vertices(d), 4);
  for (const s of ['training loss', 'validation loss', 'validation accuracy']) assert.ok(svg.includes(`>${s}<`), s);
  // history.iterations: the per-batch losses as one more (faint) line, at their fractional epoch.
  const iterations = Array.from({ length: 40 }, (_, step) => ({ step, epoch: step / 10, loss: 1.5 / (1 + step / 10), lr: 0.1 }));
  const withIts = P.learningCurves({ epochs, iterations });
  wellFormed(withIts);
  assert.equal(paths(withIts, 'line').map(vertices), [40, 4, 4, 4]);
  assert.ok(withIts.includes('>loss per batch<'));
  const noVal = P.learningCurves(epochs.map(({ epoch, loss }) => ({ epoch, loss })));
  assert.is(paths(noVal, 'line').length, 1);
  throwsWith(() => P.learningCurves({ epochs: [] }), TypeError, 'learningCurves: expected a history from sd.fit');
});

T('learningCurves on a real sd.fit history: epoch means, per-batch losses, accuracy', async () => {
  const data = datasets.blobs({ count: 300, features: 2, classes: 3, box: 3, spread: 1.2, seed: 1 });
  const model = sd.mlp({ layers: [2, 8, 3], seed: 1 });
  const history = await sd.fit(model, data, { optimizer: { name: 'adam', lr: 0.01 }, epochs: 4, batchSize: 30, validation: 0.2, seed: 1 });
  const svg = P.learningCurves(history);
  wellFormed(svg);
  const lines = paths(svg, 'line');
  assert.is(lines.length, 4); // per batch, training, validation, accuracy
  assert.is(vertices(lines[0]), history.iterations.length);
  for (const d of lines.slice(1)) assert.is(vertices(d), 4);
});

T('batchStudyPlot: one curve per batch size in each panel, target rule', async () => {
  const data = datasets.blobs({ count: 300, features: 2, classes: 3, box: 3, spread: 1.2, seed: 1 });
  const r = await sd.batchStudy(sd.mlp({ layers: [2, 8, 3], seed: 1 }), data, { batchSizes: [8, 32, 128], epochs: 2 });
  const svg = P.batchStudyPlot(r);
  wellFormed(svg);
  const lines = paths(svg, 'line');
  assert.is(lines.length, 6);
  for (const d of lines) assert.is(vertices(d), 3);
  assert.is(elements(svg, 'rule', 'line'), 2); // the target in both panels
  for (const b of [8, 32, 128]) assert.ok(svg.includes(`>b=${b} lr=`), `b=${b}`);
  assert.ok(svg.includes('linear lr scaling'));
});

T('landscapePlot: 1-D line through every grid point; 2-D filled contours with the colour legend', async () => {
  const data = datasets.blobs({ count: 200, features: 2, classes: 3, box: 3, spread: 1.2, seed: 1 });
  const model = sd.mlp({ layers: [2, 8, 3], seed: 1 });
  const one = P.landscapePlot(sd.landscape(model, data, { dims: 1, steps: 15 }));
  wellFormed(one);
  assert.is(vertices(paths(one, 'line')[0]), 15);
  const two = P.landscapePlot(sd.landscape(model, data, { dims: 2, steps: 9 }));
  wellFormed(two);
  assert.ok(paths(two, 'contour').length >= 5);
  assert.ok(two.includes('loss (log colour scale, dark = low)'));
  // span 0: a flat slice still draws (no contours to find).
  const zero = P.landscapePlot(sd.landscape(model, data, { dims: 2, steps: 3, span: 0 }));
  wellFormed(zero);
});

T('options: width, height and title', () => {
  const r = sd.race({ surface: 'saddle', steps: 5, optimizers: ['adam'] });
  const svg = P.raceplot(r, { width: 500, title: 'My & race' });
  wellFormed(svg);
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="500"'));
  assert.ok(svg.includes('>My &amp; race<'));
});

T('bad input is a TypeError naming the function', () => {
  throwsWith(() => P.raceplot({} as any), TypeError, 'raceplot: expected a result from sd.race');
  throwsWith(() => P.raceplot({ surface: 'bowl', runs: [{ name: 'sgd', path: [[0, 0]], losses: [0] }] } as any), TypeError, 'raceplot: expected a known surface name, got "bowl"');
  throwsWith(() => P.lrFinderPlot({} as any), TypeError, 'lrFinderPlot: expected a result from sd.lrFinder');
  throwsWith(() => P.batchStudyPlot({ runs: [] } as any), TypeError, 'batchStudyPlot: expected a result from sd.batchStudy');
  throwsWith(() => P.landscapePlot(null as any), TypeError, 'landscapePlot: expected a result from sd.landscape');
});

T.run();
