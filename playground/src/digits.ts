// Digits panel: controls, live curves, schedule preview, LR finder, draw-a-digit. All the
// training happens in ./worker.ts; this side only draws.
import * as lib from 'simdescent';
import { OPTIMIZER_NAMES } from 'simdescent';
import { Chart, fmt, type Series } from './chart.js';
import { parseOptionsText } from './options-text.js';
import type { TrainConfig } from './worker.js';

// Default options per schedule, in epochs (the trainer's iteration unit makes t a fractional
// epoch). plateau is metric-driven and sequential takes a list: both are for code, not this form.
const SCHEDULES: Record<string, (epochs: number, lr: number) => string> = {
  none: () => '',
  constant: () => '',
  step: () => 'stepSize: 3, gamma: 0.5',
  multiStep: (e) => `milestones: [${Math.round(e * 0.4)}, ${Math.round(e * 0.7)}], gamma: 0.3`,
  exponential: () => 'gamma: 0.8',
  inverseTime: () => 'decayRate: 0.5, decaySteps: 1',
  polynomial: (e) => `totalIters: ${e}, power: 2`,
  linear: () => 'startFactor: 0.1, endFactor: 1, totalIters: 2',
  cosine: (e) => `tMax: ${e}, lrMin: 0`,
  cosineWarmRestarts: () => 't0: 2, tMult: 2, lrMin: 0',
  cyclic: (e, lr) => `lrMin: ${+(lr / 10).toPrecision(3)}, lrMax: ${+(lr * 3).toPrecision(3)}, stepSizeUp: 1, stepSizeDown: 1`,
  oneCycle: (e, lr) => `lrMax: ${+(lr * 3).toPrecision(3)}, totalSteps: ${e}, pctStart: 0.3`,
  warmup: (e) => `warmupSteps: 1, startFactor: 0.1, schedule: { schedule: "cosine", options: { tMax: ${Math.max(1, e - 1)} } }`,
};

export interface DigitsState {
  ready: boolean;
  simd?: boolean;
  /** The worker engine's sd.core ('simd', 'relaxed', 'scalar'; '+threads' on shared memory). */
  core?: string;
  /** Threads fit may use in the worker (1 unless the page is cross-origin isolated). */
  threads?: number;
  /** Threads the last training run used (batches of 128 rows or more are sharded over them). */
  workers?: number;
  status: string;
  batches: number;
  firstLoss?: number;
  lastLoss?: number;
  epochs: { epoch: number; loss: number; valLoss: number; valAccuracy: number; lr: number }[];
  lrFinder?: { points: number; suggestions: Record<string, { lr: number } | null> };
  prediction?: number;
  error?: string;
  /** What the schedule preview shows: lr at the start, middle and end of the run. */
  preview?: { schedule: string; lrs: [number, number, number] };
}

export function mountDigits(root: HTMLElement, worker: Worker, onReady: (simd: boolean, threads: number, core: string) => void): { state: DigitsState } {
  root.innerHTML = `
    <h2>Digits MLP <small>(trained in a Web Worker)</small></h2>
    <div class="controls">
      <label>optimizer <select data-testid="optimizer">${OPTIMIZER_NAMES().map((o) => `<option${o === 'adam' ? ' selected' : ''}>${o}</option>`).join('')}</select></label>
      <input data-testid="optimizer-options" class="opts" value="lr: 0.003">
      <label>schedule <select data-testid="schedule">${Object.keys(SCHEDULES).map((s) => `<option${s === 'cosine' ? ' selected' : ''}>${s}</option>`).join('')}</select></label>
      <input data-testid="schedule-options" class="opts">
    </div>
    <div class="controls">
      <label>hidden <input data-testid="hidden" value="64" style="width:5em"></label>
      <label>epochs <input data-testid="epochs" type="number" min="1" max="200" value="10" style="width:4em"></label>
      <label title="batches of 128 rows or more are split over the worker's threads">batch <input data-testid="batch" type="number" min="1" max="1437" value="32" style="width:4em"></label>
      <label>seed <input data-testid="seed" type="number" value="1" style="width:4em"></label>
      <button data-testid="train">Train</button>
      <button data-testid="stop" disabled>Stop</button>
      <button data-testid="lr-finder">LR finder</button>
      <span data-testid="train-status" class="status">loading digits…</span>
    </div>
    <p class="error" data-testid="digits-error"></p>
    <div class="charts"></div>
    <div class="draw">
      <div><canvas class="pad" width="224" height="224" data-testid="draw"></canvas><br>
      <button data-testid="clear">Clear</button> <span class="hint">draw a digit (train first)</span></div>
      <div class="bars" data-testid="prediction"></div>
    </div>`;
  const q = <T extends Element>(sel: string) => root.querySelector(sel) as T;
  const charts = q<HTMLElement>('.charts');
  const lossChart = new Chart(charts, { title: 'loss (batches, epochs)', logY: true, xLabel: 'epoch' });
  const accChart = new Chart(charts, { title: 'validation accuracy and lr', logRight: false, xLabel: 'epoch' });
  const schedChart = new Chart(charts, { title: 'lr schedule preview', xLabel: 'epoch' });
  const finderChart = new Chart(charts, { title: 'LR finder', logX: true, xLabel: 'lr' });
  const status = q<HTMLElement>('[data-testid=train-status]');
  const errorEl = q<HTMLElement>('[data-testid=digits-error]');
  const trainBtn = q<HTMLButtonElement>('[data-testid=train]');
  const stopBtn = q<HTMLButtonElement>('[data-testid=stop]');
  const finderBtn = q<HTMLButtonElement>('[data-testid=lr-finder]');
  const optSel = q<HTMLSelectElement>('[data-testid=optimizer]');
  const optText = q<HTMLInputElement>('[data-testid=optimizer-options]');
  const schedSel = q<HTMLSelectElement>('[data-testid=schedule]');
  const schedText = q<HTMLInputElement>('[data-testid=schedule-options]');
  const epochsIn = q<HTMLInputElement>('[data-testid=epochs]');
  const state: DigitsState = { ready: false, status: 'loading', batches: 0, epochs: [] };

  let batchPts: [number, number][] = [];
  let ema = NaN;

  function config(): TrainConfig {
    const optimizer = { name: optSel.value, ...parseOptionsText(optText.value) };
    const epochs = Number(epochsIn.value);
    const hidden = q<HTMLInputElement>('[data-testid=hidden]').value.split(/[ ,]+/).filter(Boolean).map(Number);
    let schedule: TrainConfig['schedule'] = null;
    if (schedSel.value !== 'none') {
      const options = parseOptionsText(schedText.value);
      if (!('lr' in options) && !('lrMax' in options)) options.lr = (optimizer as any).lr ?? 1e-3;
      schedule = { name: schedSel.value, options };
    }
    return {
      optimizer,
      schedule,
      epochs,
      batchSize: Number(q<HTMLInputElement>('[data-testid=batch]').value),
      hidden,
      activation: 'relu',
      seed: Number(q<HTMLInputElement>('[data-testid=seed]').value),
    };
  }

  function showError(msg: string): void {
    errorEl.textContent = msg;
    state.error = msg;
  }

  function preview(): void {
    errorEl.textContent = '';
    state.error = undefined;
    try {
      const c = config();
      if (!c.schedule) {
        const lr = Number((c.optimizer as any).lr ?? 1e-3);
        schedChart.set([{ label: 'lr (constant)', color: '#4363d8', points: [[0, lr], [c.epochs, lr]] }]);
        state.preview = { schedule: 'none', lrs: [lr, lr, lr] };
        return;
      }
      const s = lib.schedule(c.schedule.name as any, c.schedule.options);
      const pts: [number, number][] = [];
      for (let i = 0; i <= 400; i++) {
        const t = (i / 400) * c.epochs;
        pts.push([t, s.lrAt(t)]);
      }
      schedChart.set([{ label: `lr (${c.schedule.name})`, color: '#4363d8', points: pts }]);
      state.preview = { schedule: c.schedule.name, lrs: [pts[0][1], pts[200][1], pts[400][1]] };
    } catch (err) {
      showError((err as Error).message);
    }
  }

  function drawCurves(): void {
    const ep = state.epochs;
    lossChart.set([
      { label: 'batch (EMA)', color: '#9ab', points: batchPts },
      { label: 'train', color: '#e6194b', points: ep.map((e) => [e.epoch, e.loss]) },
      { label: 'validation', color: '#3cb44b', points: ep.map((e) => [e.epoch, e.valLoss]), dashed: true },
    ]);
    accChart.set([
      { label: 'val accuracy', color: '#3cb44b', points: ep.map((e) => [e.epoch, e.valAccuracy]) },
      { label: 'lr', color: '#4363d8', points: ep.map((e) => [e.epoch, e.lr]), right: true, dashed: true },
    ]);
  }

  function busy(on: boolean): void {
    trainBtn.disabled = on;
    finderBtn.disabled = on;
    stopBtn.disabled = !on;
  }

  trainBtn.addEventListener('click', () => {
    let c: TrainConfig;
    try {
      c = config();
    } catch (err) {
      return showError((err as Error).message);
    }
    errorEl.textContent = '';
    state.error = undefined;
    state.epochs = [];
    state.batches = 0;
    state.firstLoss = state.lastLoss = undefined;
    batchPts = [];
    ema = NaN;
    drawCurves();
    busy(true);
    status.textContent = 'training…';
    state.status = 'training';
    worker.postMessage({ type: 'train', config: c });
  });
  stopBtn.addEventListener('click', () => worker.postMessage({ type: 'stop' }));
  finderBtn.addEventListener('click', () => {
    let c: TrainConfig;
    try {
      c = config();
    } catch (err) {
      return showError((err as Error).message);
    }
    busy(true);
    status.textContent = 'LR finder running…';
    state.status = 'lrFinder';
    worker.postMessage({ type: 'lrFinder', config: c });
  });
  for (const el of [optSel, optText, schedText]) el.addEventListener('change', preview);
  // Schedule options that were the defaults follow the epoch count (cosine's tMax, oneCycle's totalSteps).
  let shownEpochs = Number(epochsIn.value);
  epochsIn.addEventListener('input', () => {
    const lr = Number(parseOptionsText(optText.value).lr ?? 1e-3);
    if (schedText.value === SCHEDULES[schedSel.value](shownEpochs, lr)) schedText.value = SCHEDULES[schedSel.value](Number(epochsIn.value), lr);
    shownEpochs = Number(epochsIn.value);
    preview();
  });
  schedSel.addEventListener('change', () => {
    const lr = Number(parseOptionsText(optText.value).lr ?? 1e-3);
    schedText.value = SCHEDULES[schedSel.value](Number(epochsIn.value), lr);
    preview();
  });
  schedText.value = SCHEDULES[schedSel.value](Number(epochsIn.value), Number(parseOptionsText(optText.value).lr));

  let lastDraw = 0;
  worker.addEventListener('message', (e) => {
    const m = e.data;
    switch (m.type) {
      case 'ready':
        state.ready = true;
        state.simd = m.simd;
        state.core = m.core;
        state.threads = m.threads;
        state.status = 'ready';
        status.textContent = `${m.count} digits loaded`;
        onReady(m.simd, m.threads, m.core);
        break;
      case 'batch':
        state.batches++;
        state.firstLoss ??= m.loss;
        state.lastLoss = m.loss;
        ema = Number.isNaN(ema) ? m.loss : 0.9 * ema + 0.1 * m.loss;
        batchPts.push([m.epoch, ema]);
        if (performance.now() - lastDraw > 100) {
          lastDraw = performance.now();
          drawCurves();
        }
        break;
      case 'epoch':
        state.epochs.push(m.entry);
        status.textContent = `epoch ${m.entry.epoch}: loss ${fmt(m.entry.loss)}, val loss ${fmt(m.entry.valLoss)}, val accuracy ${(100 * m.entry.valAccuracy).toFixed(1)}% (${m.entry.ms.toFixed(0)} ms)`;
        drawCurves();
        break;
      case 'done':
        busy(false);
        state.status = `done: ${m.stopReason}`;
        state.workers = m.workers;
        status.textContent += ` — ${m.stopReason}${m.workers > 1 ? ` (${m.workers} threads)` : ''}`;
        drawCurves();
        break;
      case 'lrFinder': {
        busy(false);
        const colors: Record<string, string> = { steepest: '#e6194b', valley: '#3cb44b', minimum: '#f58231' };
        const marks = Object.entries(m.suggestions as Record<string, { lr: number } | null>)
          .filter(([, s]) => s)
          .map(([k, s]) => ({ x: s!.lr, label: `${k} ${fmt(s!.lr)}`, color: colors[k] ?? '#000' }));
        finderChart.set(
          [
            { label: 'loss', color: '#bbb', points: m.lrs.map((lr: number, i: number) => [lr, m.losses[i]]) },
            { label: 'smoothed', color: '#4363d8', points: m.lrs.map((lr: number, i: number) => [lr, m.smoothed[i]]) },
          ],
          marks,
          // Show the descent, not the blow-up that ends the ramp.
          1.5 * Math.max(m.smoothed[0], m.losses[0]),
        );
        state.lrFinder = { points: m.lrs.length, suggestions: m.suggestions };
        state.status = 'lrFinder done';
        status.textContent = `LR finder: ${marks.map((k) => k.label).join(', ') || 'no suggestion'}`;
        break;
      }
      case 'prediction':
        showPrediction(m.probs);
        break;
      case 'error':
        busy(false);
        state.status = 'error';
        showError(m.message);
        break;
    }
  });

  // Draw-a-digit: ink on a 224² pad → the dataset's encoding (32×32 bitmap of the
  // bounding box, 4×4 blocks counted → 8×8 values in [0, 16], divided by 16).
  const pad = q<HTMLCanvasElement>('canvas.pad');
  const pc = pad.getContext('2d')!;
  const bars = q<HTMLElement>('.bars');
  const clearPad = () => {
    pc.fillStyle = '#fff';
    pc.fillRect(0, 0, pad.width, pad.height);
    bars.innerHTML = '';
  };
  clearPad();
  let drawing = false;
  let last: [number, number] | null = null;
  const at = (e: PointerEvent): [number, number] => {
    const r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * pad.width, ((e.clientY - r.top) / r.height) * pad.height];
  };
  pad.addEventListener('pointerdown', (e) => {
    drawing = true;
    last = at(e);
    pad.setPointerCapture(e.pointerId);
  });
  pad.addEventListener('pointermove', (e) => {
    if (!drawing || !last) return;
    const p = at(e);
    pc.strokeStyle = '#000';
    pc.lineWidth = 18;
    pc.lineCap = 'round';
    pc.beginPath();
    pc.moveTo(...last);
    pc.lineTo(...p);
    pc.stroke();
    last = p;
  });
  pad.addEventListener('pointerup', () => {
    drawing = false;
    last = null;
    const x = encodePad(pad);
    if (x) worker.postMessage({ type: 'predict', x });
  });
  q<HTMLButtonElement>('[data-testid=clear]').addEventListener('click', clearPad);

  function showPrediction(probs: number[] | null): void {
    if (!probs) {
      bars.textContent = 'train a model first';
      return;
    }
    const best = probs.indexOf(Math.max(...probs));
    state.prediction = best;
    bars.innerHTML =
      `<div class="guess">${best}</div>` +
      probs.map((p, d) => `<div class="bar"><span>${d}</span><i style="width:${(p * 100).toFixed(1)}%"></i><em>${(100 * p).toFixed(1)}%</em></div>`).join('');
  }

  preview();
  drawCurves();
  return { state };
}

/** The pad's ink as 64 features like the dataset's, or null when the pad is blank. */
export function encodePad(pad: HTMLCanvasElement): Float32Array | null {
  const { width: W, height: H } = pad;
  const px = pad.getContext('2d')!.getImageData(0, 0, W, H).data;
  let x0 = W;
  let x1 = -1;
  let y0 = H;
  let y1 = -1;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (px[(y * W + x) * 4] < 128) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) return null;
  // Square box around the ink, centred, with a small margin (the NIST digits fill ~the box).
  const side = Math.max(x1 - x0, y1 - y0) * 1.15 + 2;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const bits = new Uint8Array(32 * 32);
  for (let j = 0; j < 32; j++) {
    for (let i = 0; i < 32; i++) {
      const sx = Math.floor(cx - side / 2 + ((i + 0.5) / 32) * side);
      const sy = Math.floor(cy - side / 2 + ((j + 0.5) / 32) * side);
      bits[j * 32 + i] = sx >= 0 && sy >= 0 && sx < W && sy < H && px[(sy * W + sx) * 4] < 128 ? 1 : 0;
    }
  }
  const out = new Float32Array(64);
  for (let r = 0; r < 8; r++) {
    for (let c = 0; c < 8; c++) {
      let n = 0;
      for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) n += bits[(4 * r + j) * 32 + 4 * c + i];
      out[r * 8 + c] = n / 16;
    }
  }
  return out;
}
