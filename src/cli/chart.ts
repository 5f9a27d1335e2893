// A compact terminal line chart drawn with braille dots (2×4 dots per character), for the
// loss curve in the summary. Values are resampled to the width; non-finite values are skipped.

const BRAILLE = 0x2800;
// Dot bit for (column 0|1, row 0..3 from the top).
const DOT = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
];

export function brailleChart(values: readonly number[], opts: { width?: number; height?: number; log?: boolean } = {}): string[] {
  const width = opts.width ?? 60;
  const height = opts.height ?? 4;
  const tf = (v: number) => (opts.log ? Math.log10(v) : v);
  const pts = values.map(tf).filter((v) => Number.isFinite(v));
  if (pts.length === 0) return [];
  const cols = width * 2;
  const rows = height * 4;
  // Resample to the full width: the mean of the values in each dot column, or a linear
  // interpolation when there are fewer values than columns.
  const ys: number[] = [];
  const n = cols;
  for (let c = 0; c < n; c++) {
    if (pts.length < n) {
      const at = pts.length === 1 ? 0 : (c * (pts.length - 1)) / (n - 1);
      const i = Math.floor(at);
      const f = at - i;
      ys.push(i + 1 < pts.length ? pts[i] * (1 - f) + pts[i + 1] * f : pts[i]);
      continue;
    }
    const a = Math.floor((c * pts.length) / n);
    const b = Math.max(a + 1, Math.floor(((c + 1) * pts.length) / n));
    let s = 0;
    for (let i = a; i < b; i++) s += pts[i];
    ys.push(s / (b - a));
  }
  let lo = Math.min(...ys);
  let hi = Math.max(...ys);
  if (hi - lo < 1e-12) {
    hi += 0.5;
    lo -= 0.5;
  }
  const grid = Array.from({ length: height }, () => new Array<number>(Math.ceil(n / 2)).fill(0));
  const rowOf = (y: number) => Math.round(((hi - y) / (hi - lo)) * (rows - 1));
  for (let c = 0; c < n; c++) {
    const r = rowOf(ys[c]);
    // Join consecutive points with a vertical run so steep drops stay visible.
    const prev = c > 0 ? rowOf(ys[c - 1]) : r;
    const [r0, r1] = prev < r ? [prev + (prev === r ? 0 : 1), r] : [r, prev - (prev === r ? 0 : 1)];
    for (let rr = Math.min(r0, r1); rr <= Math.max(r0, r1); rr++) {
      grid[rr >> 2][c >> 1] |= DOT[c & 1][rr & 3];
    }
    grid[r >> 2][c >> 1] |= DOT[c & 1][r & 3];
  }
  const fmt = (v: number) => formatNumber(opts.log ? 10 ** v : v);
  const labels = [fmt(hi), fmt(lo)];
  const pad = Math.max(...labels.map((l) => l.length));
  return grid.map((row, i) => {
    const label = i === 0 ? labels[0] : i === height - 1 ? labels[1] : '';
    return `${label.padStart(pad)} ┤${row.map((b) => String.fromCharCode(BRAILLE + b)).join('')}`;
  });
}

/** 4 significant digits, exponent form for very small or large magnitudes. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

export function formatLr(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return v === 0 ? '0' : v.toExponential(2);
}

export function formatCount(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}
