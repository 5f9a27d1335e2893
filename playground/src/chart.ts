// A small canvas line chart: enough for learning curves, an lr schedule preview and the
// LR-finder curve (log x, vertical markers), without a plotting dependency in the worker path.
export interface Series {
  label: string;
  color: string;
  points: [number, number][];
  dashed?: boolean;
  /** Plot against the right-hand axis (e.g. accuracy or lr beside a loss). */
  right?: boolean;
}

export interface Marker {
  x: number;
  label: string;
  color: string;
}

export interface ChartOptions {
  title: string;
  logX?: boolean;
  logY?: boolean;
  logRight?: boolean;
  xLabel?: string;
}

const PAD = { l: 52, r: 52, t: 26, b: 30 };

export class Chart {
  readonly canvas: HTMLCanvasElement;
  private series: Series[] = [];
  private markers: Marker[] = [];
  private yMax = Infinity;

  constructor(parent: HTMLElement, private opts: ChartOptions, width = 440, height = 220) {
    this.canvas = document.createElement('canvas');
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = width * dpr;
    this.canvas.height = height * dpr;
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.canvas.className = 'chart';
    parent.append(this.canvas);
    this.draw();
  }

  /** yMax clips the left axis (e.g. the LR finder's blow-up at the end of the ramp). */
  set(series: Series[], markers: Marker[] = [], yMax = Infinity): void {
    this.series = series;
    this.markers = markers;
    this.yMax = yMax;
    this.draw();
  }

  draw(): void {
    const c = this.canvas.getContext('2d')!;
    const dpr = window.devicePixelRatio || 1;
    const W = this.canvas.width / dpr;
    const H = this.canvas.height / dpr;
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    c.clearRect(0, 0, W, H);
    c.font = '11px system-ui, sans-serif';
    c.fillStyle = '#222';
    c.fillText(this.opts.title, PAD.l, 14);

    if (!this.series.some((s) => s.points.length)) {
      c.fillStyle = '#999';
      c.textAlign = 'center';
      c.fillText('no data yet', W / 2, H / 2);
      c.textAlign = 'left';
      return;
    }
    const tx = (v: number) => (this.opts.logX ? Math.log10(v) : v);
    const left = this.series.filter((s) => !s.right);
    const right = this.series.filter((s) => s.right);
    const xr = range(this.series.flatMap((s) => s.points.map((p) => tx(p[0]))).concat(this.markers.map((m) => tx(m.x))));
    const yl = axis(left, !!this.opts.logY, this.yMax);
    const yr = axis(right, !!this.opts.logRight);
    const pw = W - PAD.l - PAD.r;
    const ph = H - PAD.t - PAD.b;
    const X = (v: number) => PAD.l + ((tx(v) - xr[0]) / (xr[1] - xr[0] || 1)) * pw;

    c.strokeStyle = '#ccc';
    c.strokeRect(PAD.l, PAD.t, pw, ph);
    c.fillStyle = '#555';
    c.textAlign = 'center';
    for (const t of ticks(xr, 5)) {
      const px = PAD.l + ((t - xr[0]) / (xr[1] - xr[0] || 1)) * pw;
      c.fillText(this.opts.logX ? fmt(10 ** t) : fmt(t), px, H - PAD.b + 14);
    }
    if (this.opts.xLabel) c.fillText(this.opts.xLabel, PAD.l + pw / 2, H - 3);
    for (const [ax, side] of [[yl, 'left'], [yr, 'right']] as const) {
      if (!ax) continue;
      c.textAlign = side === 'left' ? 'right' : 'left';
      for (const t of ticks(ax.r, 4)) {
        const py = PAD.t + ph - ((t - ax.r[0]) / (ax.r[1] - ax.r[0] || 1)) * ph;
        c.fillText(ax.log ? fmt(10 ** t) : fmt(t), side === 'left' ? PAD.l - 4 : W - PAD.r + 4, py + 4);
      }
    }
    c.save();
    c.beginPath();
    c.rect(PAD.l, PAD.t, pw, ph);
    c.clip();
    for (const m of this.markers) {
      c.strokeStyle = m.color;
      c.setLineDash([4, 3]);
      c.beginPath();
      c.moveTo(X(m.x), PAD.t);
      c.lineTo(X(m.x), PAD.t + ph);
      c.stroke();
    }
    c.setLineDash([]);
    for (const s of this.series) {
      const ax = s.right ? yr! : yl!;
      const Y = (v: number) => PAD.t + ph - (((ax.log ? Math.log10(v) : v) - ax.r[0]) / (ax.r[1] - ax.r[0] || 1)) * ph;
      c.strokeStyle = s.color;
      c.lineWidth = 1.6;
      c.setLineDash(s.dashed ? [5, 3] : []);
      c.beginPath();
      let pen = false;
      for (const [x, y] of s.points) {
        if (!Number.isFinite(y) || (ax.log && y <= 0)) {
          pen = false;
          continue;
        }
        if (pen) c.lineTo(X(x), Y(y));
        else c.moveTo(X(x), Y(y));
        pen = true;
      }
      c.stroke();
    }
    c.restore();
    c.setLineDash([]);
    let lx = PAD.l + 4;
    let ly = PAD.t + 12;
    c.textAlign = 'left';
    for (const item of [...this.series, ...this.markers]) {
      c.fillStyle = item.color;
      const text = `■ ${item.label}`;
      const w = c.measureText(text).width;
      if (lx + w > W - PAD.r && lx > PAD.l + 4) {
        lx = PAD.l + 4;
        ly += 13;
      }
      c.fillText(text, lx, ly);
      lx += w + 10;
    }
  }
}

function axis(series: Series[], log: boolean, max = Infinity): { r: [number, number]; log: boolean } | null {
  if (!series.length) return null;
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter((v) => Number.isFinite(v) && v <= max && (!log || v > 0));
  return { r: range(log ? ys.map(Math.log10) : ys), log };
}

function range(v: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

function ticks([lo, hi]: [number, number], n: number): number[] {
  const step = niceStep((hi - lo) / n);
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-12; t += step) out.push(+t.toPrecision(12));
  return out;
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw || 1));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

export function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  return String(+v.toPrecision(3));
}
