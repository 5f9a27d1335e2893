// Optimizer race: every contender is a real simdescent optimizer on a 2-float buffer,
// stepped live from the surface's gradient, so what you see is what the kernels do.
import { OPTIMIZER_NAMES, type Engine, type Optimizer } from 'simdescent';
import { fmt } from './chart.js';
import { parseOptionsText } from './options-text.js';
import { SURFACES, type Surface } from './surfaces.js';

const COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324'];
const OPTIMIZERS = OPTIMIZER_NAMES();
const DEFAULTS: [string, string][] = [
  ['sgd', 'lr: 0.001'],
  ['sgd', 'lr: 0.001, momentum: 0.9'],
  ['sgd', 'lr: 0.001, momentum: 0.9, nesterov: true'],
  ['adagrad', 'lr: 0.5'],
  ['rmsprop', 'lr: 0.01'],
  ['adam', 'lr: 0.05'],
];
const MAX_STEPS = 1000;
const W = 560;
const H = 420;

interface Run {
  name: string;
  text: string;
  color: string;
  opt?: Optimizer;
  path: [number, number][];
  loss: number;
  status: string;
  row: HTMLTableRowElement;
}

export interface RaceState {
  step: number;
  running: boolean;
  surface: string;
  runs: { name: string; options: string; x: number; y: number; loss: number; status: string }[];
}

export function mountRace(root: HTMLElement, sd: Engine): { state: RaceState } {
  root.innerHTML = `
    <h2>Optimizer race</h2>
    <div class="controls">
      <label>surface <select data-testid="surface">${SURFACES.map((s) => `<option value="${s.name}">${s.label}</option>`).join('')}</select></label>
      <button data-testid="race-run">Run</button>
      <button data-testid="race-reset">Reset</button>
      <label>steps per frame <input data-testid="race-speed" type="number" min="1" max="50" value="3" style="width:4em"></label>
      <span class="hint">click the plot to move the start</span>
    </div>
    <div class="race-body">
      <canvas class="surface" width="${W}" height="${H}"></canvas>
      <div>
        <div class="counter">step <b data-testid="race-step">0</b> / ${MAX_STEPS}</div>
        <table class="runs"><thead><tr><th></th><th>optimizer</th><th>options</th><th>loss</th><th></th></tr></thead><tbody></tbody></table>
        <button data-testid="race-add">+ optimizer</button>
        <p class="error" data-testid="race-error"></p>
      </div>
    </div>`;
  const q = <T extends Element>(sel: string) => root.querySelector(sel) as T;
  const canvas = q<HTMLCanvasElement>('canvas.surface');
  const ctx = canvas.getContext('2d')!;
  const tbody = q<HTMLTableSectionElement>('tbody');
  const stepEl = q<HTMLElement>('[data-testid=race-step]');
  const errorEl = q<HTMLElement>('[data-testid=race-error]');
  const runButton = q<HTMLButtonElement>('[data-testid=race-run]');
  const surfaceSelect = q<HTMLSelectElement>('[data-testid=surface]');
  const speedInput = q<HTMLInputElement>('[data-testid=race-speed]');

  let surface: Surface = SURFACES[0];
  let start: [number, number] = [...surface.start];
  let background: ImageData | undefined;
  let step = 0;
  let running = false;
  const runs: Run[] = [];
  const state: RaceState = { step: 0, running: false, surface: surface.name, runs: [] };

  const toPx = (x: number, y: number): [number, number] => {
    const [x0, x1, y0, y1] = surface.box;
    return [((x - x0) / (x1 - x0)) * W, H - ((y - y0) / (y1 - y0)) * H];
  };
  const fromPx = (px: number, py: number): [number, number] => {
    const [x0, x1, y0, y1] = surface.box;
    return [x0 + (px / W) * (x1 - x0), y0 + ((H - py) / H) * (y1 - y0)];
  };

  function addRun(name: string, text: string): void {
    const row = document.createElement('tr');
    const run: Run = { name, text, color: COLORS[runs.length % COLORS.length], path: [], loss: NaN, status: '', row };
    row.innerHTML = `<td><span class="swatch" style="background:${run.color}"></span></td>
      <td><select>${OPTIMIZERS.map((o) => `<option${o === name ? ' selected' : ''}>${o}</option>`).join('')}</select></td>
      <td><input class="opts" value="${text}"></td><td class="loss"></td><td><button title="remove">×</button></td>`;
    row.querySelector('select')!.addEventListener('change', (e) => {
      run.name = (e.target as HTMLSelectElement).value;
      reset();
    });
    row.querySelector('input')!.addEventListener('change', (e) => {
      run.text = (e.target as HTMLInputElement).value;
      reset();
    });
    row.querySelector('button')!.addEventListener('click', () => {
      run.opt?.dispose();
      runs.splice(runs.indexOf(run), 1);
      row.remove();
      reset();
    });
    tbody.append(row);
    runs.push(run);
  }

  function renderBackground(): void {
    const img = ctx.createImageData(W, H);
    const z = new Float64Array(W * H);
    let lo = Infinity;
    let hi = -Infinity;
    for (let py = 0; py < H; py++) {
      for (let px = 0; px < W; px++) {
        const [x, y] = fromPx(px + 0.5, py + 0.5);
        const f = surface.f(x, y);
        const v = surface.log ? Math.log(Math.max(f - surface.floor, 0) + 1e-3) : f;
        z[py * W + px] = v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    const LEVELS = 24;
    const band = (v: number) => Math.min(LEVELS - 1, Math.floor(((v - lo) / (hi - lo || 1)) * LEVELS));
    for (let py = 0; py < H; py++) {
      for (let px = 0; px < W; px++) {
        const b = band(z[py * W + px]);
        const edge = (px + 1 < W && band(z[py * W + px + 1]) !== b) || (py + 1 < H && band(z[(py + 1) * W + px]) !== b);
        const t = b / (LEVELS - 1);
        // viridis-like ramp: deep blue (low) → teal → yellow (high)
        const r = 68 + t * (253 - 68);
        const g = 1 + t * (231 - 1) * 0.9 + 20;
        const bl = 84 + Math.sin(t * Math.PI) * 90 - t * 50;
        const k = (py * W + px) * 4;
        const shade = edge ? 0.7 : 1;
        img.data[k] = r * shade;
        img.data[k + 1] = g * shade;
        img.data[k + 2] = bl * shade;
        img.data[k + 3] = 255;
      }
    }
    background = img;
  }

  function reset(): void {
    running = false;
    runButton.textContent = 'Run';
    step = 0;
    errorEl.textContent = '';
    for (const run of runs) {
      run.opt?.dispose();
      run.opt = undefined;
      run.path = [[start[0], start[1]]];
      run.loss = surface.f(start[0], start[1]);
      run.status = '';
      try {
        const opt = sd.optimizer(run.name, { size: 2, ...parseOptionsText(run.text) });
        opt.params.set(start);
        run.opt = opt;
      } catch (err) {
        // The library's own strict-option messages, e.g. "adam: unknown option 'momentum'".
        run.status = 'invalid';
        errorEl.textContent = `${run.name}: ${(err as Error).message}`;
      }
    }
    draw();
  }

  function advance(k: number): void {
    for (let i = 0; i < k && step < MAX_STEPS; i++) {
      step++;
      for (const run of runs) {
        if (!run.opt || run.status) continue;
        const p = run.opt.params;
        const [gx, gy] = surface.grad(p[0], p[1]);
        const g = run.opt.grads;
        g[0] = gx;
        g[1] = gy;
        run.opt.step();
        const x = run.opt.params[0];
        const y = run.opt.params[1];
        run.loss = surface.f(x, y);
        run.path.push([x, y]);
        if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 1e6 || Math.abs(y) > 1e6) run.status = 'diverged';
      }
    }
    if (step >= MAX_STEPS) {
      running = false;
      runButton.textContent = 'Run';
    }
  }

  function draw(): void {
    if (background) ctx.putImageData(background, 0, 0);
    if (surface.minimum) {
      const [mx, my] = toPx(...surface.minimum);
      ctx.fillStyle = '#fff';
      ctx.font = '16px sans-serif';
      ctx.fillText('★', mx - 6, my + 6);
    }
    for (const run of runs) {
      ctx.strokeStyle = run.color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      run.path.forEach(([x, y], i) => {
        const [px, py] = toPx(x, y);
        if (i) ctx.lineTo(px, py);
        else ctx.moveTo(px, py);
      });
      ctx.stroke();
      const last = run.path[run.path.length - 1];
      if (last) {
        const [px, py] = toPx(...last);
        ctx.fillStyle = run.color;
        ctx.beginPath();
        ctx.arc(px, py, 5, 0, 2 * Math.PI);
        ctx.fill();
        ctx.strokeStyle = '#fff';
        ctx.lineWidth = 1;
        ctx.stroke();
      }
      (run.row.querySelector('.loss') as HTMLElement).textContent = run.status || fmt(run.loss);
    }
    const [sx, sy] = toPx(...start);
    ctx.strokeStyle = '#fff';
    ctx.strokeRect(sx - 4, sy - 4, 8, 8);
    stepEl.textContent = String(step);
    state.step = step;
    state.running = running;
    state.surface = surface.name;
    state.runs = runs.map((r) => {
      const last = r.path[r.path.length - 1] ?? [NaN, NaN];
      return { name: r.name, options: r.text, x: last[0], y: last[1], loss: r.loss, status: r.status };
    });
  }

  function frame(): void {
    if (running) {
      advance(Math.max(1, Math.min(50, Number(speedInput.value) || 1)));
      draw();
    }
    requestAnimationFrame(frame);
  }

  surfaceSelect.addEventListener('change', () => {
    surface = SURFACES.find((s) => s.name === surfaceSelect.value)!;
    start = [...surface.start];
    renderBackground();
    reset();
  });
  runButton.addEventListener('click', () => {
    if (step >= MAX_STEPS) reset();
    running = !running;
    runButton.textContent = running ? 'Pause' : 'Run';
  });
  q<HTMLButtonElement>('[data-testid=race-reset]').addEventListener('click', reset);
  q<HTMLButtonElement>('[data-testid=race-add]').addEventListener('click', () => {
    addRun('adam', 'lr: 0.01');
    reset();
  });
  canvas.addEventListener('click', (e) => {
    const r = canvas.getBoundingClientRect();
    start = fromPx(((e.clientX - r.left) / r.width) * W, ((e.clientY - r.top) / r.height) * H);
    reset();
  });

  for (const [name, text] of DEFAULTS) addRun(name, text);
  renderBackground();
  reset();
  requestAnimationFrame(frame);
  return { state };
}
