// simdescent/plot: each tool's result as a standalone SVG string, drawn with Observable Plot.
// In Node the DOM comes from linkedom (loaded only when there is no `document`); in browsers
// the page's document is used. Kept out of the core entry so `simdescent` stays free of
// plotting dependencies.
import * as Plot from '@observablehq/plot';
import { isPlateau, isSchedule, schedule as makeSchedule } from '../schedules/index.js';
import { SURFACES, isSurfaceName } from '../tools/surfaces.js';
import type { EpochEntry, IterationEntry } from '../train/types.js';
import type { SurfaceRaceResult } from '../tools/race.js';
import type { DataRaceResult } from '../tools/data-race.js';
import type { StudyPoint } from '../tools/batch-study.js';

/** What learningCurves reads of an epoch entry (sd.fit's, or one read back from JSON). */
export type CurveEpoch = Pick<EpochEntry, 'epoch' | 'loss'> & Partial<Pick<EpochEntry, 'valLoss' | 'valAccuracy'>>;
/** sd.fit's history (or anything with its epochs and iterations), or just its epochs. */
export type LearningCurvesInput = { epochs: readonly CurveEpoch[]; iterations?: readonly IterationEntry[] } | readonly CurveEpoch[];

export interface PlotOptions {
  /** Width of the whole figure in px (default 640). */
  width?: number;
  /** Height of each panel in px (default 320). */
  height?: number;
  /** Heading drawn above the plot; each function has its own default. */
  title?: string;
  /** A DOM Document to draw with (default: the global one, else linkedom's). */
  document?: Document;
}

// Plot needs a Document to create elements in; Node has none.
const linkedom: typeof import('linkedom') | undefined = typeof document === 'undefined' ? await import('linkedom') : undefined;

function getDocument(o: PlotOptions): Document {
  if (o.document) return o.document;
  if (typeof document !== 'undefined') return document;
  return linkedom!.parseHTML('<!DOCTYPE html><html><body></body></html>').document as unknown as Document;
}

/** Colours of the series (Observable's categorical palette). */
export const PALETTE = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5', '#9c6b4e', '#9498a0'];

const FONT = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';
const TITLE_H = 30;
const LEGEND_ROW = 18;

interface Panel {
  plot?: Record<string, any>;
  /** A colour-ramp legend (Plot.legend's color options) instead of a plot. */
  ramp?: Record<string, any>;
  /** Height of this panel (default: options.height). */
  height?: number;
  /** Width share: panels with the same row number sit side by side. */
  row?: number;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plot each panel, stack rows (panels of a row side by side), add title and legend. */
function figure(o: PlotOptions, title: string, panels: Panel[], legend: { label: string; color: string; dash?: string; symbol?: string }[] = []): string {
  const doc = getDocument(o);
  const width = o.width ?? 640;
  const rows = new Map<number, Panel[]>();
  panels.forEach((p, i) => {
    const r = p.row ?? i;
    rows.set(r, [...(rows.get(r) ?? []), p]);
  });
  const head = (o.title ?? title) ? TITLE_H : 8;
  // Legend items flow left to right, wrapping at the figure width.
  const items: { x: number; y: number; it: (typeof legend)[number] }[] = [];
  let lx = 12, ly = head + 4;
  for (const it of legend) {
    const w = 30 + it.label.length * 7;
    if (lx + w > width - 8 && lx > 12) {
      lx = 12;
      ly += LEGEND_ROW;
    }
    items.push({ x: lx, y: ly, it });
    lx += w + 10;
  }
  let y = legend.length ? ly + LEGEND_ROW + 2 : head;
  const parts: string[] = [];
  for (const row of rows.values()) {
    const w = Math.floor(width / row.length);
    let x = 0;
    let rowH = 0;
    for (const p of row) {
      const h = p.ramp ? 50 : p.height ?? o.height ?? 320;
      const el = (p.ramp
        ? Plot.legend({ color: p.ramp, width: Math.min(w - 24, 440), marginLeft: 12, document: doc, style: { fontFamily: FONT, fontSize: '11px' } } as any)
        : Plot.plot({ ...p.plot, width: w, height: h, document: doc, style: { fontFamily: FONT, fontSize: '11px', background: 'white', overflow: 'visible' } } as any)) as unknown as Element;
      // Geometry to 0.1 px: contour paths otherwise carry 15 digits per coordinate.
      let svg = el.outerHTML.replace(/ (d|transform|points|x|y|x1|x2|y1|y2|cx|cy)="([^"]*)"/g, (_m, k, v) => ` ${k}="${v.replace(/(\.\d)\d+/g, '$1')}"`);
      svg = svg.replace(/^<svg /, `<svg x="${x}" y="${y}" `);
      parts.push(svg);
      x += w;
      rowH = Math.max(rowH, h);
    }
    y += rowH;
  }
  const height = y + 6;
  const t = o.title ?? title;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    t ? `<text x="12" y="21" font-size="15" font-weight="600" fill="#1b1e23">${esc(t)}</text>` : '',
    ...items.map(({ x, y, it }) => {
      const mark = it.symbol
        ? `<text x="${x + 11}" y="${y + 10}" font-size="13" text-anchor="middle" fill="${it.color}">${it.symbol}</text>`
        : `<line x1="${x}" x2="${x + 22}" y1="${y + 6}" y2="${y + 6}" stroke="${it.color}" stroke-width="2.5"${it.dash ? ` stroke-dasharray="${it.dash}"` : ''}/>`;
      return `${mark}<text x="${x + 28}" y="${y + 10}" font-size="12" fill="#1b1e23">${esc(it.label)}</text>`;
    }),
    ...parts,
    '</svg>',
  ];
  return out.join('');
}

function fmtLr(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const e = Math.floor(Math.log10(Math.abs(v)));
  if (Math.abs(e) < 3) return Number(v.toPrecision(2)).toString();
  const m = Number((v / 10 ** e).toPrecision(2));
  return `${m === 1 ? '' : `${m}×`}1e${e}`.replace('×1e', 'e');
}

/** Compact tick labels: 0.5, 120, 3e-4 — never SI prefixes (m, µ) that read as units. */
function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  const t = a >= 1e5 || a < 1e-3 ? v.toExponential(Number(v.toExponential(0)) === v ? 0 : 1).replace('e+', 'e') : Number(v.toPrecision(3)).toString();
  return t.replace(/^-/, '−');
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function need(where: string, cond: unknown, what: string): asserts cond {
  if (!cond) throw new TypeError(`${where}: expected ${what}`);
}

/** A y (or x) axis: log when the values span decades, labels without SI prefixes. */
function axis(label: string, values: number[], extra: Record<string, any> = {}): Record<string, any> {
  const log = wantsLog(values);
  // On a log axis label 1, 2 and 5 of each decade only; the other ticks stay as grid lines.
  const tickFormat = log
    ? (d: number) => {
        const m = Number((d / 10 ** Math.floor(Math.log10(d) + 1e-9)).toPrecision(2));
        return m === 1 || m === 2 || m === 5 ? fmtNum(d) : '';
      }
    : fmtNum;
  const out: Record<string, any> = { label, grid: true, type: log ? 'log' : 'linear', tickFormat, ...extra };
  if (log) delete out.zero;
  return out;
}

/** Whether a positive series spans enough decades to want a log axis. */
function wantsLog(values: number[]): boolean {
  const v = values.filter((x) => finite(x) && x > 0);
  return v.length > 1 && v.length === values.filter(finite).length && Math.max(...v) / Math.min(...v) > 30;
}

// ---------------------------------------------------------------- learning curves

/**
 * Training and validation loss per epoch (and validation accuracy in a second panel when the
 * history has it). Takes sd.fit's history (or its `epochs` array).
 */
export function learningCurves(input: LearningCurvesInput, options: PlotOptions = {}): string {
  // Read as plain data: the input may come back from JSON, so every field is checked below.
  const history = input as { epochs: any[]; iterations?: any[] } | any[];
  const epochs: any[] = Array.isArray(history) ? history : history?.epochs;
  need('learningCurves', Array.isArray(epochs) && epochs.length > 0, 'a history from sd.fit (with at least one epoch)');
  const rows: { epoch: number; value: number; series: string }[] = [];
  for (const e of epochs) {
    if (finite(e.loss)) rows.push({ epoch: e.epoch, value: e.loss, series: 'training loss' });
    if (finite(e.valLoss)) rows.push({ epoch: e.epoch, value: e.valLoss, series: 'validation loss' });
  }
  // Per-batch losses (history.iterations) at their fractional epoch, faint behind the means:
  // epoch entries sit at the end of their epoch (x = 1 is the end of the first).
  const its: any[] = (!Array.isArray(history) && Array.isArray(history?.iterations) ? history.iterations : []).filter((it: any) => finite(it.loss) && finite(it.epoch));
  const batches = its.map((it) => ({ epoch: it.epoch, value: it.loss, series: 'loss per batch' }));
  const series = ['training loss', 'validation loss'].filter((s) => rows.some((r) => r.series === s));
  const all = [...series, ...(batches.length ? ['loss per batch'] : [])];
  const color = { domain: all, range: [...PALETTE.slice(0, series.length), ...(batches.length ? ['#c3c8d2'] : [])] };
  // One epoch axis for both panels, so they line up.
  const xs = [...rows, ...batches].map((r) => r.epoch).concat(epochs.map((e) => e.epoch)).filter(finite);
  const xAxis = { label: 'epoch', grid: true, domain: [Math.min(...xs), Math.max(...xs)] };
  const panels: Panel[] = [
    {
      plot: {
        x: xAxis,
        y: axis('loss', [...rows, ...batches].map((r) => r.value), { zero: true }),
        color,
        marginLeft: 50,
        marks: [
          Plot.line(batches, { x: 'epoch', y: 'value', stroke: 'series', strokeWidth: 1 }),
          Plot.line(rows, { x: 'epoch', y: 'value', stroke: 'series', strokeWidth: 2 }),
          Plot.dot(rows, { x: 'epoch', y: 'value', fill: 'series', r: epochs.length > 40 ? 0 : 2.5 }),
        ],
      },
    },
  ];
  const acc = epochs.filter((e) => finite(e.valAccuracy)).map((e) => ({ epoch: e.epoch, value: 100 * e.valAccuracy }));
  if (acc.length) {
    panels.push({
      height: Math.round((options.height ?? 320) * 0.6),
      plot: {
        x: xAxis,
        y: { label: 'validation accuracy (%)', grid: true },
        marginLeft: 50,
        marks: [Plot.line(acc, { x: 'epoch', y: 'value', stroke: PALETTE[2], strokeWidth: 2 }), Plot.dot(acc, { x: 'epoch', y: 'value', fill: PALETTE[2], r: 2.5 })],
      },
    });
  }
  const legend = series.map((s, i) => ({ label: s, color: PALETTE[i] }));
  if (batches.length) legend.push({ label: 'loss per batch', color: '#c3c8d2' });
  if (acc.length) legend.push({ label: 'validation accuracy', color: PALETTE[2] });
  return figure(options, 'Learning curves', panels, legend);
}

// ---------------------------------------------------------------- schedule

/** The lr a schedule (or its toJSON()) gives for each step 0..steps−1. */
export function schedulePlot(schedule: unknown, steps: number, options: PlotOptions = {}): string {
  let s = schedule as { lrAt(t: number): number; name: string };
  if (!isSchedule(schedule)) {
    need('schedulePlot', schedule !== null && typeof schedule === 'object' && ('name' in schedule || 'schedule' in schedule), 'a schedule (from schedule()) or its toJSON()');
    try {
      s = makeSchedule.fromJSON(schedule);
    } catch (e) {
      const E = e instanceof RangeError ? RangeError : TypeError;
      throw new E(`schedulePlot: ${(e as Error).message}`);
    }
  }
  if (isPlateau(s)) {
    throw new TypeError('schedulePlot: plateau schedules move with observed metrics, not with the step; there is no curve to preview');
  }
  if (typeof steps !== 'number') throw new TypeError(`schedulePlot: steps must be a number, got ${String(steps)}`);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`schedulePlot: steps must be a positive integer, got ${steps}`);
  // At most ~2000 samples, each step's own lr (integers), so steps and restarts stay sharp.
  const stride = Math.max(1, Math.ceil(steps / 2000));
  const rows: { step: number; lr: number }[] = [];
  for (let t = 0; t < steps; t += stride) rows.push({ step: t, lr: s.lrAt(t) });
  if (rows[rows.length - 1].step !== steps - 1) rows.push({ step: steps - 1, lr: s.lrAt(steps - 1) });
  const name = s.name;
  return figure(options, name ? `Schedule: ${name}` : 'Learning-rate schedule', [
    {
      plot: {
        x: { label: 'step', grid: true },
        // Linear: decays to 0 and warm-ups read as they act; a log axis exaggerates the tails.
        y: { label: 'learning rate', grid: true, tickFormat: fmtNum },
        marginLeft: 60,
        marks: [Plot.lineY(rows, { x: 'step', y: 'lr', stroke: PALETTE[0], strokeWidth: 2, curve: 'step-after' }), Plot.ruleY([0])],
      },
    },
  ]);
}

// ---------------------------------------------------------------- LR finder

const SUGGESTION_COLORS: Record<string, string> = { steepest: PALETTE[2], valley: PALETTE[4], minimum: PALETTE[6] };

/** Loss against lr (log axis): raw losses, the smoothed curve, and the suggestions marked. */
export function lrFinderPlot(result: { lrs: number[]; losses: number[]; smoothed: number[]; suggestions?: Record<string, { lr: number; reason?: string } | null> }, options: PlotOptions = {}): string {
  need('lrFinderPlot', result && Array.isArray(result.lrs) && Array.isArray(result.smoothed) && Array.isArray(result.losses), 'a result from sd.lrFinder');
  const raw = result.lrs.map((lr, i) => ({ lr, loss: result.losses[i] })).filter((r) => finite(r.loss));
  const smooth = result.lrs.map((lr, i) => ({ lr, loss: result.smoothed[i] })).filter((r) => finite(r.loss));
  if (!smooth.length) {
    // The very first loss was not finite: say so instead of drawing empty axes.
    return figure(options, 'Learning-rate range test', [
      { height: 120, plot: { x: { axis: null }, y: { axis: null }, marks: [Plot.frame({ stroke: '#d0d4dc' }), Plot.text(['no finite loss was recorded: lower start (or check the data)'], { frameAnchor: 'middle', fontSize: 13 })] } },
    ]);
  }
  // Keep the picture on the interesting part: from the lowest point to a little above where the
  // smoothed curve started (the final blow-up is clipped, as fastai's plot does).
  const s = smooth.map((r) => r.loss);
  const lo = Math.min(...s, ...raw.map((r) => r.loss));
  const hi = Math.max(...s.slice(0, Math.max(1, s.length - Math.min(5, Math.floor(s.length / 20)))));
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
  const marks: any[] = [
    Plot.line(raw, { x: 'lr', y: 'loss', stroke: '#9aa4b5', strokeWidth: 1 }),
    Plot.line(smooth, { x: 'lr', y: 'loss', stroke: PALETTE[0], strokeWidth: 2.5 }),
  ];
  const legend: { label: string; color: string; dash?: string; symbol?: string }[] = [
    { label: 'loss per batch', color: '#9aa4b5' },
    { label: 'smoothed', color: PALETTE[0] },
  ];
  const interp = (lr: number) => {
    // The smoothed loss at lr (log-linear between recorded points).
    let k = smooth.findIndex((r) => r.lr >= lr);
    if (k <= 0) return smooth[Math.max(0, k)]?.loss ?? lo;
    const a = smooth[k - 1], b = smooth[k];
    const t = (Math.log(lr) - Math.log(a.lr)) / (Math.log(b.lr) - Math.log(a.lr));
    return a.loss + t * (b.loss - a.loss);
  };
  const sugg = Object.entries(result.suggestions ?? {}).filter((e): e is [string, { lr: number; reason?: string }] => !!e[1] && finite(e[1].lr));
  sugg.forEach(([name, sg], i) => {
    const color = SUGGESTION_COLORS[name] ?? PALETTE[(i + 3) % PALETTE.length];
    const y = Math.min(Math.max(interp(sg.lr), lo), hi + pad);
    marks.push(Plot.ruleX([sg.lr], { stroke: color, strokeDasharray: '4,3', strokeWidth: 1.5 }));
    marks.push(Plot.dot([{ lr: sg.lr, loss: y }], { x: 'lr', y: 'loss', fill: color, stroke: 'white', r: 5 }));
    legend.push({ label: `${name} ${fmtLr(sg.lr)}`, color, dash: '4,3' });
  });
  const none = Object.entries(result.suggestions ?? {}).filter(([, v]) => !v).map(([k]) => k);
  if (none.length) legend.push({ label: `no ${none.join('/')} suggestion`, color: '#9498a0', symbol: '∅' });
  return figure(options, 'Learning-rate range test', [
    {
      plot: {
        x: { type: 'log', label: 'learning rate', grid: true, tickFormat: fmtLr },
        y: { label: 'loss', grid: true, domain: [lo - pad, hi + pad], tickFormat: fmtNum },
        clip: true,
        marginLeft: 50,
        marks,
      },
    },
  ], legend);
}

// ---------------------------------------------------------------- race

interface SurfaceRaceLike {
  surface: string;
  runs: { name: string; options?: Record<string, any>; path: number[][]; losses: number[] }[];
  domain?: { x: [number, number]; y: [number, number] };
}

/** A run's legend label: its name, plus its lr when names repeat. */
function runLabels(runs: { name: string; options?: Record<string, any>; lr?: number }[]): string[] {
  return runs.map((r) => {
    const lr = r.options?.lr ?? r.lr;
    const extra = r.options?.momentum ? ` m=${r.options.momentum}` : '';
    return `${r.name}${finite(lr) ? ` lr=${fmtLr(lr)}` : ''}${extra}`;
  });
}

/**
 * An optimizer race: on a surface, each trajectory over the surface's contour lines (minima
 * ★, saddles ✕, start ●) with the loss per step below; on a dataset, validation loss against
 * epochs and against training seconds.
 */
export function raceplot(input: SurfaceRaceResult | DataRaceResult, options: PlotOptions = {}): string {
  const result = input as any;
  need('raceplot', result && Array.isArray(result.runs) && result.runs.length > 0, 'a result from sd.race');
  if (typeof result.surface === 'string') return surfaceRace(result, options);
  return dataRace(result, options);
}

/** Alias with the library's camelCase (the CLI looks for either). */
export const racePlot = raceplot;

function surfaceRace(result: SurfaceRaceLike, options: PlotOptions): string {
  need('raceplot', isSurfaceName(result.surface), `a known surface name, got ${JSON.stringify(result.surface)}`);
  const s = SURFACES[result.surface];
  const [x1, x2] = result.domain?.x ?? s.domain.x;
  const [y1, y2] = result.domain?.y ?? s.domain.y;
  const floor = s.minima.length ? s.minima[0].value : 0;
  // Levels of log(f − f* + 0.05): evenly spaced in log they ring the minima as densely as the walls
  // (Rosenbrock, Beale, Himmelblau span decades); the other surfaces read linearly.
  const level = s.logScale ? (x: number, y: number) => Math.log(Math.max(0, s.value(x, y) - floor) + 0.05) : (x: number, y: number) => s.value(x, y);
  const labels = runLabels(result.runs);
  const color = { domain: labels, range: PALETTE.slice(0, labels.length) };
  const paths = result.runs.flatMap((r, i) => r.path.filter((p) => finite(p[0]) && finite(p[1])).map(([x, y], step) => ({ x, y, step, run: labels[i] })));
  const ends = result.runs.map((r, i) => {
    const ok = r.path.filter((p) => finite(p[0]) && finite(p[1]));
    const [x, y] = ok[ok.length - 1];
    return { x, y, run: labels[i] };
  });
  const start = result.runs[0].path[0];
  const size = options.width ?? 640;
  const mapH = Math.round(Math.min(size * 0.78, size * ((y2 - y1) / (x2 - x1)) * 0.78 + 40));
  const marks: any[] = [
    // Contour lines in grey: the trajectories carry the colour.
    Plot.contour({ x1, x2, y1, y2, value: level, stroke: '#aab2c0', thresholds: 24, pixelSize: 4, strokeWidth: 0.8 } as any),
    Plot.line(paths, { x: 'x', y: 'y', z: 'run', stroke: 'run', strokeWidth: 2, curve: 'linear' }),
    Plot.dot(ends, { x: 'x', y: 'y', fill: 'run', stroke: 'white', r: 4.5 }),
    Plot.dot([{ x: start[0], y: start[1] }], { x: 'x', y: 'y', fill: '#1b1e23', stroke: 'white', r: 5 }),
  ];
  const legend: { label: string; color: string; dash?: string; symbol?: string }[] = labels.map((l, i) => ({ label: l, color: PALETTE[i % PALETTE.length] }));
  // Landmarks go under the trajectories, so a run ending on a minimum shows its own dot.
  const landmarks: any[] = [];
  if (s.minima.length) {
    landmarks.push(Plot.dot(s.minima.map((m) => ({ x: m.point[0], y: m.point[1] })), { x: 'x', y: 'y', symbol: 'star', r: 7, fill: '#e8c547', stroke: '#1b1e23', strokeWidth: 1 }));
    legend.push({ label: s.minima.length > 1 ? 'minima' : 'minimum', color: '#c9a227', symbol: '★' });
  }
  if (s.localMinima.length) {
    landmarks.push(Plot.dot(s.localMinima.map((p) => ({ x: p[0], y: p[1] })), { x: 'x', y: 'y', r: 5, stroke: '#1b1e23', strokeWidth: 1.5, fill: 'white' }));
    legend.push({ label: 'local minima', color: '#1b1e23', symbol: '○' });
  }
  if (s.saddles.length) {
    landmarks.push(Plot.dot(s.saddles.map((p) => ({ x: p[0], y: p[1] })), { x: 'x', y: 'y', symbol: 'times', r: 5, stroke: '#1b1e23', strokeWidth: 2 }));
    legend.push({ label: s.saddles.length > 1 ? 'saddle points' : 'saddle point', color: '#1b1e23', symbol: '✕' });
  }
  legend.push({ label: 'start', color: '#1b1e23', symbol: '●' });
  // The loss panel's y range covers the steps taken inside the plotted domain: a run that
  // leaves it (diverges, or falls off a saddle forever) is clipped rather than squashing the rest.
  const inside = (p: number[]) => p[0] >= x1 && p[0] <= x2 && p[1] >= y1 && p[1] <= y2;
  const losses = result.runs.flatMap((r, i) => r.losses.map((loss, step) => ({ step, loss, run: labels[i], inside: inside(r.path[step]) })).filter((d) => finite(d.loss)));
  const shown = losses.filter((d) => d.inside).map((d) => d.loss);
  const ys = shown.length ? shown : losses.map((d) => d.loss);
  const yAxis = axis('f(x, y)', ys.every((v) => v > 0) ? ys : []);
  const lo = Math.min(...ys), hi = Math.max(...ys);
  yAxis.domain = yAxis.type === 'log' ? [lo, hi] : [lo - 0.05 * (hi - lo || 1), hi + 0.05 * (hi - lo || 1)];
  const lossPanel: Panel = {
    height: Math.round((options.height ?? 320) * 0.7),
    plot: {
      x: { label: 'step', grid: true },
      y: yAxis,
      color,
      marginLeft: 55,
      clip: true,
      marks: [Plot.line(losses, { x: 'step', y: 'loss', z: 'run', stroke: 'run', strokeWidth: 1.8 })],
    },
  };
  return figure(options, `Optimizer race on ${s.label}`, [
    {
      height: mapH,
      plot: {
        x: { domain: [x1, x2], label: 'x', tickFormat: fmtNum },
        y: { domain: [y1, y2], label: 'y', tickFormat: fmtNum },
        color,
        marks: [marks[0], ...landmarks, ...marks.slice(1)],
        clip: true,
        marginLeft: 45,
      },
    },
    lossPanel,
  ], legend);
}

function dataRace(result: any, options: PlotOptions): string {
  const runs: any[] = result.runs;
  need('raceplot', runs.every((r) => Array.isArray(r.epochs)), 'runs with epochs (a dataset race) or a surface');
  const labels = runLabels(runs);
  const color = { domain: labels, range: PALETTE.slice(0, labels.length) };
  const key = runs.some((r) => r.epochs.some((e: any) => finite(e.valLoss))) ? 'valLoss' : 'loss';
  const rows = runs.flatMap((r, i) => r.epochs.filter((e: any) => finite(e[key])).map((e: any) => ({ epoch: e.epoch, seconds: e.seconds, value: e[key], run: labels[i] })));
  const ylab = key === 'valLoss' ? 'validation loss' : 'training loss';
  const panel = (x: 'epoch' | 'seconds', xlab: string): Panel => ({
    row: 0,
    plot: {
      x: { label: xlab, grid: true },
      y: axis(ylab, rows.map((r) => r.value)),
      color,
      marginLeft: 50,
      marks: [Plot.line(rows, { x, y: 'value', z: 'run', stroke: 'run', strokeWidth: 2 }), Plot.dot(rows, { x, y: 'value', fill: 'run', r: 2.5 })],
    },
  });
  const panels = [panel('epoch', 'epoch'), panel('seconds', 'training time (s)')];
  const acc = runs.flatMap((r, i) => r.epochs.filter((e: any) => finite(e.valAccuracy)).map((e: any) => ({ epoch: e.epoch, value: 100 * e.valAccuracy, run: labels[i] })));
  if (acc.length) {
    panels.push({
      row: 1,
      height: Math.round((options.height ?? 320) * 0.6),
      plot: {
        x: { label: 'epoch', grid: true },
        y: { label: 'validation accuracy (%)', grid: true },
        color,
        marginLeft: 50,
        marks: [Plot.line(acc, { x: 'epoch', y: 'value', z: 'run', stroke: 'run', strokeWidth: 2 })],
      },
    });
  }
  return figure(options, 'Optimizer race', panels, labels.map((l, i) => ({ label: l, color: PALETTE[i % PALETTE.length] })));
}

// ---------------------------------------------------------------- batch study

/** Validation error per batch size against epochs and against training seconds. */
export function batchStudyPlot(result: { runs: readonly { batchSize: number; lr: number; curve: readonly StudyPoint[] }[]; errorKind?: string; target?: number; lrScaling?: string }, options: PlotOptions = {}): string {
  need('batchStudyPlot', result && Array.isArray(result.runs) && result.runs.length > 0 && result.runs.every((r) => Array.isArray(r.curve)), 'a result from sd.batchStudy');
  const labels = result.runs.map((r) => `b=${r.batchSize} lr=${fmtLr(r.lr)}`);
  // Batch sizes in order along a sequential ramp: small = light, large = dark.
  const ramp = ['#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b', '#041f47', '#02122b'];
  const colors = labels.map((_, i) => ramp[Math.round((i * (ramp.length - 1)) / Math.max(1, labels.length - 1))]);
  const range = labels.length <= 3 ? ['#6baed6', '#2171b5', '#08306b'].slice(0, labels.length) : colors;
  const color = { domain: labels, range };
  const err = result.errorKind === 'loss' ? 'validation loss' : 'validation error (%)';
  const scale = result.errorKind === 'loss' ? 1 : 100;
  const rows = result.runs.flatMap((r, i) => r.curve.filter((p: StudyPoint) => finite(p.valError)).map((p: StudyPoint) => ({ epoch: p.epoch, seconds: p.seconds, value: scale * p.valError, run: labels[i] })));
  const target = finite(result.target) ? [scale * result.target] : [];
  const panel = (x: 'epoch' | 'seconds', xlab: string): Panel => ({
    row: 0,
    plot: {
      x: { label: xlab, grid: true },
      y: { label: err, grid: true },
      color,
      marginLeft: 50,
      marks: [
        Plot.ruleY(target, { stroke: '#9498a0', strokeDasharray: '4,3' }),
        Plot.line(rows, { x, y: 'value', z: 'run', stroke: 'run', strokeWidth: 2 }),
        Plot.dot(rows, { x, y: 'value', fill: 'run', r: 2 }),
      ],
    },
  });
  const legend: { label: string; color: string; dash?: string; symbol?: string }[] = labels.map((l, i) => ({ label: l, color: range[i] }));
  if (target.length) legend.push({ label: `target ${Number(target[0].toPrecision(3))}`, color: '#9498a0', dash: '4,3' });
  const rule = result.lrScaling ? ` (${result.lrScaling} lr scaling)` : '';
  return figure(options, `Batch-size study${rule}`, [panel('epoch', 'epoch'), panel('seconds', 'training time (s)')], legend);
}

// ---------------------------------------------------------------- landscape

/** 1-D: loss along the direction; 2-D: filled contours of the loss around the params (centre ●). */
export function landscapePlot(result: { dims: number; alphas: number[]; betas?: number[]; losses: number[] | number[][]; center: number; span: number }, options: PlotOptions = {}): string {
  need('landscapePlot', result && Array.isArray(result.alphas) && Array.isArray(result.losses), 'a result from sd.landscape');
  if (result.dims === 1) {
    const rows = result.alphas.map((a, i) => ({ a, loss: (result.losses as number[])[i] })).filter((r) => finite(r.loss));
    return figure(options, 'Loss landscape (1-D slice)', [
      {
        plot: {
          x: { label: 'offset along a filter-normalised direction', grid: true },
          y: axis('loss', rows.map((r) => r.loss), { zero: true }),
          marginLeft: 50,
          marks: [
            Plot.line(rows, { x: 'a', y: 'loss', stroke: PALETTE[0], strokeWidth: 2 }),
            Plot.dot(rows, { x: 'a', y: 'loss', fill: PALETTE[0], r: 2 }),
            Plot.dot([{ a: 0, loss: result.center }], { x: 'a', y: 'loss', fill: PALETTE[2], stroke: 'white', r: 5 }),
          ],
        },
      },
    ], [{ label: 'loss', color: PALETTE[0] }, { label: `current params (${Number(result.center.toPrecision(4))})`, color: PALETTE[2], symbol: '●' }]);
  }
  const grid = result.losses as number[][];
  const n = result.alphas.length;
  const betas = result.betas ?? result.alphas;
  // Flat grid in row-major order (x fastest), as the contour mark's dense-grid form expects.
  const values = grid.flat().map((v) => (finite(v) ? Math.log10(Math.max(v, 1e-12)) : NaN));
  const span = result.span || 1;
  const dx = n > 1 ? (result.alphas[n - 1] - result.alphas[0]) / (n - 1) : 0;
  const dy = betas.length > 1 ? (betas[betas.length - 1] - betas[0]) / (betas.length - 1) : 0;
  const size = options.width ?? 640;
  const h = Math.round(size * 0.8);
  const flat = new Set(values).size <= 1;
  // A quantized scale: its legend is drawn with rects (a continuous ramp needs a canvas).
  const fin = values.filter((v) => Number.isFinite(v));
  const ramp = { type: 'quantize', n: 8, scheme: 'viridis', domain: [Math.min(...fin), Math.max(...fin)], label: 'loss (log colour scale, dark = low)', tickFormat: (d: number) => fmtNum(10 ** d) };
  const marks: any[] = flat
    ? [Plot.frame()]
    : [
        // Grid values sit at cell centres: the raster's edges are half a step outside the axes.
        Plot.contour(values, {
          width: n,
          height: betas.length,
          x1: result.alphas[0] - dx / 2,
          x2: result.alphas[n - 1] + dx / 2,
          y1: betas[0] - dy / 2,
          y2: betas[betas.length - 1] + dy / 2,
          fill: Plot.identity,
          thresholds: 16,
          stroke: 'white',
          strokeOpacity: 0.45,
          strokeWidth: 0.6,
        } as any),
      ];
  marks.push(Plot.dot([{ a: 0, b: 0 }], { x: 'a', y: 'b', fill: 'white', stroke: '#1b1e23', r: 5, strokeWidth: 1.5 }));
  return figure(options, 'Loss landscape (2-D slice)', [
    {
      height: h,
      plot: {
        x: { label: 'α (direction 1)', domain: [-span, span] },
        y: { label: 'β (direction 2)', domain: [-span, span] },
        color: ramp,
        marginLeft: 45,
        clip: true,
        marks,
      },
    },
    ...(flat ? [] : [{ ramp }]),
  ], [{ label: `current params (loss ${Number(result.center.toPrecision(4))})`, color: '#1b1e23', symbol: '●' }]);
}
