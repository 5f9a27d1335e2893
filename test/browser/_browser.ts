// Shared machinery of the real-browser suites: find Debian's Chromium, launch it offline with
// a fresh profile, serve a folder on 127.0.0.1, collect console errors, save screenshots.
// Never downloads a browser: without /usr/bin/chromium the suites report themselves skipped.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const artifacts = join(root, 'test/artifacts');

// SIMDESCENT_CHROMIUM, when set, is the only candidate (set it to a missing path to see the skip).
const CANDIDATES = process.env.SIMDESCENT_CHROMIUM !== undefined ? [process.env.SIMDESCENT_CHROMIUM] : ['/usr/bin/chromium'];
export const chromiumPath = CANDIDATES.find((p) => !!p && existsSync(p));
export const ENABLE_HINT = 'apt-get install -y chromium';

let warned = false;

/**
 * How a browser suite registers its tests: normally, or — without Chromium — as uvu skips
 * (counted as skipped in npm test's summary), after printing once why and how to enable them.
 */
export function browserTest<T extends { skip: (...args: any[]) => void }>(s: T & ((...args: any[]) => void)): T['skip'] {
  if (chromiumPath) return s;
  if (!warned) {
    warned = true;
    console.log(`\n  browser tests skipped: no Chromium at /usr/bin/chromium. Enable them with: ${ENABLE_HINT}\n`);
  }
  return s.skip;
}

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'simdescent-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  // Only our own 127.0.0.1 server is reachable.
  await context.route(/^(?!http:\/\/127\.0\.0\.1[:/]).*/, (route) => route.abort('blockedbyclient'));
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serve `dir` as static files on 127.0.0.1 at a random port. */
export function serve(dir: string, headers: Record<string, string> = {}, mime: Record<string, string> = {}): Promise<Served> {
  const base = normalize(dir + sep);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(base, path));
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': mime[extname(file)] ?? MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...headers });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

/** Console errors, page errors and failed requests of a page, as lines. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `simdescent-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
