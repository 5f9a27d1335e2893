// The UCI "Optical Recognition of Handwritten Digits" test set (1797 8×8 images, pixels 0..16),
// bundled as two raw uint8 files (data/digits/, CC BY 4.0, E. Alpaydin and C. Kaynak; see
// data/README.md). Loaded lazily: the file system in Node, fetch() in browsers.
import type { Dataset } from './dataset.js';

const COUNT = 1797;
const FEATURES = 64;
const CLASSES = 10;
const MAX_PIXEL = 16;

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

// Literal URLs so bundlers see and copy both files. src/data and dist/data are both two levels
// below the package root.
function imagesUrl(): URL {
  return new URL('../../data/digits/digits-images.u8', import.meta.url);
}
function labelsUrl(): URL {
  return new URL('../../data/digits/digits-labels.u8', import.meta.url);
}

export async function readBytes(url: URL): Promise<Uint8Array> {
  if (url.protocol === 'file:' && isNode) {
    // A computed specifier, so bundlers building for browsers don't try to resolve Node's fs.
    const fsModule = ['node:fs', 'promises'].join('/'); // not constant-foldable: Vite's optimizer would externalize it with a warning
    const { readFile } = await import(/* @vite-ignore */ fsModule);
    const buf: Uint8Array = await readFile(url);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function load(file: string, url: URL): Promise<Uint8Array> {
  try {
    return await readBytes(url);
  } catch (err) {
    throw new Error(`datasets.digits: could not load ${file} from ${url} (${err instanceof Error ? err.message : String(err)})`);
  }
}

interface Parsed {
  x: Float32Array;
  y: Int32Array;
}

async function parse(): Promise<Parsed> {
  const [images, labels] = await Promise.all([load('digits-images.u8', imagesUrl()), load('digits-labels.u8', labelsUrl())]);
  return decodeDigits(images, labels);
}

/** Checks the two raw files (lengths, value ranges) and converts them: pixels/16, Int32 labels. */
export function decodeDigits(images: Uint8Array, labels: Uint8Array): Parsed {
  for (const [file, data, bytes] of [['digits-images.u8', images, COUNT * FEATURES], ['digits-labels.u8', labels, COUNT]] as const) {
    if (data.byteLength !== bytes) {
      throw new Error(`datasets.digits: ${file} has ${data.byteLength} bytes, expected ${bytes} (incomplete or corrupt copy)`);
    }
  }
  const x = new Float32Array(COUNT * FEATURES);
  for (let i = 0; i < x.length; i++) {
    const v = images[i];
    if (v > MAX_PIXEL) throw new Error(`datasets.digits: pixel ${i} is ${v}, outside 0..${MAX_PIXEL} (corrupt digits-images.u8)`);
    x[i] = v / MAX_PIXEL;
  }
  const y = new Int32Array(COUNT);
  for (let i = 0; i < COUNT; i++) {
    const v = labels[i];
    if (v >= CLASSES) throw new Error(`datasets.digits: label ${i} is ${v}, outside 0..9 (corrupt digits-labels.u8)`);
    y[i] = v;
  }
  return { x, y };
}

// One parse per process; a failed load is not cached, so a later call can retry.
let cache: Promise<Parsed> | undefined;

/**
 * 1797 digits as { x: pixels/16 in [0, 1] (1797·64, row-major 8×8), y: Int32Array 0..9 }, in
 * scikit-learn's load_digits order. Each call returns fresh arrays the caller may modify.
 */
export async function digits(): Promise<Dataset> {
  if (arguments.length > 0) throw new TypeError(`datasets.digits takes no arguments, got ${arguments.length}`);
  const pending = (cache ??= parse());
  let parsed: Parsed;
  try {
    parsed = await pending;
  } catch (err) {
    if (cache === pending) cache = undefined;
    throw err;
  }
  return { x: parsed.x.slice(), y: parsed.y.slice(), count: COUNT, features: FEATURES, classes: CLASSES };
}
