// SVG plots through simdescent/plot (src/plot), loaded lazily so the commands that draw
// nothing never pay for the plotting library; PNG copies where a renderer is available.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { delimiter, dirname, join } from 'node:path';
import { writeAtomic } from './files.js';

let plotModule: Promise<any> | undefined;

export function loadPlot(): Promise<any> {
  // A computed specifier: the plot module is optional at build time.
  const spec = new URL('../plot/index.js', import.meta.url).href;
  plotModule ??= import(spec).catch(() => undefined);
  return plotModule;
}

export interface Written {
  svg: string;
  png?: string;
}

/**
 * Draw with `name` from simdescent/plot and write DIR/file.svg. Returns the path, or
 * undefined with a reason when the plot function is missing or fails on this data.
 */
export async function writePlot(dir: string, file: string, name: string, ...args: unknown[]): Promise<{ path?: string; png?: string; note?: string }> {
  const plot = await loadPlot();
  const fn = plot?.[name];
  if (typeof fn !== 'function') return { note: `${file}.svg skipped: simdescent/plot has no ${name}()` };
  let svg: unknown;
  // Observable Plot reports rendering hints with console.warn; they are not the user's concern
  // and stderr is kept for errors.
  const warn = console.warn;
  console.warn = () => {};
  try {
    svg = await fn(...args);
  } catch (err) {
    return { note: `${file}.svg skipped: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    console.warn = warn;
  }
  if (typeof svg !== 'string' || !svg.includes('<svg')) return { note: `${file}.svg skipped: ${name}() did not return SVG` };
  const path = writeAtomic(join(dir, `${file}.svg`), svg);
  return { path, png: renderPng(path) };
}

/** --png: render PNG copies even if that takes a headless browser (default: rsvg-convert only). */
export const png = { wanted: false, note: undefined as string | undefined };

function onPath(names: string[]): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const n of names) if (dir && existsSync(join(dir, n))) return join(dir, n);
  }
  return undefined;
}

let rsvg: string | null | undefined;
let browser: string | null | undefined;

/**
 * A PNG beside the SVG: rsvg-convert (librsvg) whenever it is installed; with --png, otherwise a
 * headless Chromium screenshot sized from the SVG's width and height.
 */
function renderPng(svgPath: string): string | undefined {
  rsvg ??= onPath(['rsvg-convert']) ?? null;
  if (!rsvg && png.wanted) browser ??= onPath(['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) ?? null;
  if (!rsvg && !(png.wanted && browser)) {
    if (png.wanted) png.note = 'PNG copies skipped: no renderer found (install rsvg-convert, e.g. apt-get install librsvg2-bin, or Chromium)';
    return undefined;
  }
  const out = svgPath.replace(/\.svg$/, '.png');
  const tmp = join(dirname(out), `.${process.pid}-${Date.now().toString(36)}.png`);
  let r;
  if (rsvg) {
    r = spawnSync(rsvg, ['-b', 'white', '-o', tmp, svgPath], { timeout: 20_000, stdio: 'ignore' });
  } else {
    const head = readFileSync(svgPath, 'utf8').slice(0, 2000);
    const w = Math.ceil(Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(head)?.[1] ?? 640));
    const h = Math.ceil(Number(/<svg[^>]*\sheight="([\d.]+)"/.exec(head)?.[1] ?? 400));
    r = spawnSync(
      browser!,
      ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--window-size=${w},${h}`, `--screenshot=${tmp}`, pathToFileURL(svgPath).href],
      { timeout: 30_000, stdio: 'ignore' },
    );
  }
  if (r.status !== 0 || !existsSync(tmp)) {
    rmSync(tmp, { force: true });
    png.note = `PNG copies skipped: ${rsvg ? 'rsvg-convert' : 'the headless browser'} failed`;
    return undefined;
  }
  try {
    renameSync(tmp, out);
  } catch {
    rmSync(tmp, { force: true });
    return undefined;
  }
  return out;
}
