// SVG plots through simdescent/plot (src/plot), loaded lazily so the commands that draw
// nothing never pay for the plotting library; PNG copies where a renderer is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
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

let renderer: string | null | undefined;

/** rsvg-convert where installed (librsvg: faithful SVG, no browser); otherwise no PNG. */
function renderPng(svgPath: string): string | undefined {
  renderer ??= (process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'rsvg-convert')).find((p) => existsSync(p)) ?? null;
  if (!renderer) return undefined;
  const png = svgPath.replace(/\.svg$/, '.png');
  const tmp = `${png}.${process.pid}.tmp`;
  const r = spawnSync(renderer, ['-o', tmp, svgPath], { timeout: 20_000, stdio: 'ignore' });
  if (r.status !== 0) return undefined;
  try {
    renameSync(tmp, png);
  } catch {
    rmSync(tmp, { force: true });
    return undefined;
  }
  return png;
}
