// SVG plots through simdescent/plot (src/plot), loaded lazily so the commands that draw
// nothing never pay for the plotting library; PNG copies where a renderer is installed.
import { join } from 'node:path';
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
export async function writePlot(dir: string, file: string, name: string, ...args: unknown[]): Promise<{ path?: string; note?: string }> {
  const plot = await loadPlot();
  const fn = plot?.[name];
  if (typeof fn !== 'function') return { note: `${file}.svg skipped: simdescent/plot has no ${name}()` };
  let svg: unknown;
  try {
    svg = await fn(...args);
  } catch (err) {
    return { note: `${file}.svg skipped: ${(err as Error).message.split('\n')[0]}` };
  }
  if (typeof svg !== 'string' || !svg.includes('<svg')) return { note: `${file}.svg skipped: ${name}() did not return SVG` };
  const path = writeAtomic(join(dir, `${file}.svg`), svg);
  return { path };
}
