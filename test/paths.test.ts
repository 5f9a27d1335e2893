// Comments cite only files that exist: every repository path named in a comment under src/,
// assembly/, test/, bench/ and tools/ (`src/optimizers/groups.ts`, `docs/schedules.md`, or one
// starting with a dot) resolves from the repository root or from the citing file's folder.
// Generated folders (dist/, build/, node_modules/) and URLs are not citations of sources.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = ['src', 'assembly', 'test', 'bench', 'tools'];
const SKIP = new Set(['node_modules', 'fixtures', 'artifacts', 'results']);
const SOURCE = /\.(ts|mts|mjs|js|c)$/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return SKIP.has(name) ? [] : sources(p);
    return SOURCE.test(name) ? [p] : [];
  });
}

/** The text of every comment in a JS/TS/C source (strings and regexes are not read as comments). */
export function comments(text: string): string[] {
  const out: string[] = [];
  const re = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g;
  for (const m of text.matchAll(re)) if (m[0].startsWith('/')) out.push(m[0]);
  return out;
}

// a path: optional ./ or ../ prefixes, folders, then a file name with a source or doc extension
const EXT = '\\.(?:ts|mjs|js|json|md|c|py|wat|csv|txt|sh)';
const PATH = new RegExp(`(?<![\\w./@-])((?:\\.{1,2}/)+(?:[\\w-]+/)*[\\w.-]+${EXT}|(?:[\\w-]+/)+[\\w.-]+${EXT})(?![\\w/])`, 'g');
const GENERATED = /^(?:\.{1,2}\/)*(?:dist|build|node_modules)\//;
// DIR/run.json: a placeholder for a folder the user names, not a file of the repository
const PLACEHOLDER = /^[A-Z_]+\//;
// a file of another project, named by its package (sklearn/datasets/data/iris.csv)
const FOREIGN = /^(?:sklearn|torch|tensorflow|keras|optax|numpy|jax)\//;

test('every repository path cited in a comment exists', () => {
  const missing: string[] = [];
  let cited = 0;
  for (const folder of FOLDERS) {
    for (const file of sources(join(root, folder))) {
      for (const c of comments(readFileSync(file, 'utf8'))) {
        for (const m of c.matchAll(PATH)) {
          const path = m[1];
          if (GENERATED.test(path) || PLACEHOLDER.test(path) || FOREIGN.test(path) || /:\/\//.test(c.slice(Math.max(0, (m.index ?? 0) - 80), m.index))) continue;
          cited++;
          const found = path.startsWith('.') ? existsSync(join(dirname(file), path)) : existsSync(join(root, path)) || existsSync(join(dirname(file), path));
          if (!found) missing.push(`${relative(root, file)}: ${path}`);
        }
      }
    }
  }
  assert.ok(cited > 50, `${cited} citations found`);
  assert.equal(missing, []);
});

test.run();
