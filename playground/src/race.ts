// Optimizer race: each contender is one sd.race run (the library's tool, real optimizers on a
// 2-float buffer, the library's surfaces), computed when the settings change and revealed a
// few steps per frame, so the animation is exactly what sd.race returns in Node too.
import { OPTIMIZER_NAMES, SURFACES, SURFACE_NAMES, type Engine, type Surface, type SurfaceName } from 'simdescent';
import { fmt } from './chart.js';
import { parseOptionsText } from './options-text.js';

const COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324'];
export const RACE_DEFAULTS: [string, string][] = [
  ['sgd', 'lr: 0.001'],
  ['sgd', 'lr: 0.001, momentum: 0.9'],
  ['sgd', 'lr: 0.001, momentum: 0.9, nesterov: true'],
  ['adagrad', 'lr: 0.5'],
  ['rmsprop', 'lr: 0.01'],
  ['adam', 'lr: 0.05'],
];
export const RACE_STEPS = 1000;
const W = 560;
const H = 420;

interface Run {
  name: string;
  text: string;
  color: string;
  path: number[][];
  losses: number[];
  error: string;
  row: HTMLTableRowElement;
}

export interface RaceState {
  step: number;
  running: boolean;
  surface: string;
  start: number[];
  runs: { name: string; options: string; x: number; y: number; loss: number; status: string }[];
}

export function mountRace(root: HTMLElement, sd: Engine): { state: RaceState } {
  root.innerHTML = `
    <h2>Optimizer race</h2>
    <div class="controls">
      <label>surface <select data-testid="surface">${SURFACE_NAMES.map((s) => `<option value="${s}">${SURFACES[s].label}</option>`).join('')}</select></label>
      <button data-testid="race-run">Run</button>
      <button data-testid="race-reset">Reset</button>
      <label>steps per frame <input data-testid="race-speed" type="number" min="1" max="50" value="3" style="width:4em"></label>
      <span class="hint">click the plot to move the start · ★ minimum · ✕ saddle</span>
    </div>
    <div class="race-body">
      <canvas class="surface" width="${W}" height="${H}"></canvas>
      <div>
        <div class="counter">step <b data-testid="race-step">0</b> / ${RACE_STEPS}</div>
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

  let surface: Surface = SURFACES[SURFACE_NAMES[0]];
  let start: [number, number] = [...surface.start];
  let background: ImageData | undefined;
  let step = 0;
  let running = false;
  const runs: Run[] = [];
  const state: RaceState = { step: 0, running: false, surface: surface.name, start, runs: [] };

  const toPx = (x: number, y: number): [number, number] => {
    const [x0, x1] = surface.domain.x;
    const [y0, y1] = surface.domain.y;
    return [((x - x0) / (x1 - x0)) * W, H - ((y - y0) / (y1 - y0)) * H];
  };
  const fromPx = (px: number, py: number): [number, number] => {
    const [x0, x1] = surface.domain.x;
    const [y0, y1] = surface.domain.y;
    return [x0 + (px / W) * (x1 - x0), y0 + ((H - py) / H) * (y1 - y0)];
  };

  function addRun(name: string, text: string): void {
    const row = document.createElement('tr');
    const run: Run = { name, text, color: COLORS[runs.length % COLORS.length], path: [], losses: [], error: '', row };
    row.innerHTML = `<td><span class="swatch" style="background:${run.color}"></span></td>
      <td><select>${OPTIMIZER_NAMES().map((o) => `<option${o === name ? ' selected' : ''}>${o}</option>`).join('')}</select></td>
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
        z[py * W + px] = surface.value(x, y);
        if (z[py * W + px] < lo) lo = z[py * W + px];
      }
    }
    // log(f − floor + 1) for surfaces spanning decades (the surfaces' own advice).
    if (surface.logScale) for (let i = 0; i < z.length; i++) z[i] = Math.log(z[i] - lo + 1);
    for (const v of z) if (v > hi) hi = v;
    if (surface.logScale) lo = 0;
    const LEVELS = 24;
    const band = (v: number) => Math.min(LEVELS - 1, Math.floor(((v - lo) / (hi - lo || 1)) * LEVELS));
    for (let py = 0; py < H; py++) {
      for (let px = 0; px < W; px++) {
        const b = band(z[py * W + px]);
        const edge = (px + 1 < W && band(z[py * W + px + 1]) !== b) || (py + 1 < H && band(z[(py + 1) * W + px]) !== b);
        const t = b / (LEVELS - 1);
        const k = (py * W + px) * 4;
        const shade = edge ? 0.7 : 1;
        // dark violet (low) → yellow (high)
        img.data[k] = (68 + t * 185) * shade;
        img.data[k + 1] = (21 + t * 207) * shade;
        img.data[k + 2] = (84 + Math.sin(t * Math.PI) * 90 - t * 50) * shade;
        img.data[k + 3] = 255;
      }
    }
    background = img;
  }

  /** One sd.race call per contender, so a bad option marks only its own row. */
  function reset(): void {
    running = false;
    runButton.textContent = 'Run';
    step = 0;
    const errors: string[] = [];
    for (const run of runs) {
      run.error = '';
      run.path = [start];
      run.losses = [surface.value(...start)];
      try {
        const result = sd.race({ surface: surface.name, start, steps: RACE_STEPS, optimizers: [{ name: run.name, ...parseOptionsText(run.text) }] });
        run.path = result.runs[0].path;
        run.losses = result.runs[0].losses;
      } catch (err) {
        // The library's own messages, e.g. "race: optimizers[0]: adam: unknown option 'momentum'".
        run.error = (err as Error).message;
        errors.push(`${run.name}: ${run.error}`);
      }
    }
    errorEl.textContent = errors.join('\n');
    draw();
  }

  function draw(): void {
    if (background) ctx.putImageData(background, 0, 0);
    ctx.font = '16px sans-serif';
    ctx.fillStyle = '#fff';
    for (const m of surface.minima) {
      const [mx, my] = toPx(...m.point);
      ctx.fillText('★', mx - 6, my + 6);
    }
    for (const p of surface.saddles) {
      const [sx, sy] = toPx(...p);
      ctx.fillText('✕', sx - 5, sy + 6);
    }
    state.runs = [];
    for (const run of runs) {
      const upto = Math.min(step, run.path.length - 1);
      ctx.strokeStyle = run.color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      let pen = false;
      let last: number[] | undefined;
      for (let i = 0; i <= upto; i++) {
        const [x, y] = run.path[i];
        if (!Number.isFinite(x) || !Number.isFinite(y)) break;
        const [px, py] = toPx(x, y);
        if (pen) ctx.lineTo(px, py);
        else ctx.moveTo(px, py);
        pen = true;
        last = run.path[i];
      }
      ctx.stroke();
      const loss = run.losses[upto];
      const [x, y] = run.path[upto] ?? [NaN, NaN];
      const diverged = !Number.isFinite(loss) || Math.abs(x) > 1e6 || Math.abs(y) > 1e6;
      if (last) {
        const [px, py] = toPx(last[0], last[1]);
        ctx.fillStyle = run.color;
        ctx.beginPath();
        ctx.arc(px, py, 5, 0, 2 * Math.PI);
        ctx.fill();
        ctx.strokeStyle = '#fff';
        ctx.lineWidth = 1;
        ctx.stroke();
      }
      const status = run.error ? 'invalid' : diverged ? 'diverged' : '';
      (run.row.querySelector('.loss') as HTMLElement).textContent = status || fmt(loss);
      state.runs.push({ name: run.name, options: run.text, x, y, loss, status });
    }
    const [sx, sy] = toPx(...start);
    ctx.strokeStyle = '#fff';
    ctx.strokeRect(sx - 4, sy - 4, 8, 8);
    stepEl.textContent = String(step);
    state.step = step;
    state.running = running;
    state.surface = surface.name;
    state.start = start;
  }

  function frame(): void {
    if (running) {
      step = Math.min(RACE_STEPS, step + Math.max(1, Math.min(50, Number(speedInput.value) || 1)));
      if (step >= RACE_STEPS) {
        running = false;
        runButton.textContent = 'Run';
      }
      draw();
    }
    requestAnimationFrame(frame);
  }

  surfaceSelect.addEventListener('change', () => {
    surface = SURFACES[surfaceSelect.value as SurfaceName];
    start = [...surface.start];
    renderBackground();
    reset();
  });
  runButton.addEventListener('click', () => {
    if (step >= RACE_STEPS) {
      step = 0;
      draw();
    }
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

  for (const [name, text] of RACE_DEFAULTS) addRun(name, text);
  renderBackground();
  reset();
  requestAnimationFrame(frame);
  return { state };
}
