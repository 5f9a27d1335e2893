// The import graph of src/ (every `import`, `import type`, `export … from` and dynamic
// import with a literal specifier, read by the TypeScript compiler's pre-processor): no cycle
// among files, none among folders, and no import that points up the layer order. The order
// is written here once and in the README's Layout section.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

/**
 * Layers, bottom up (kernels, assembly/, sit below them all). A module is in the layer of
 * its folder (a file at the top of src/ is named by its file name); it may import its own
 * layer and the layers below, never one above. Within a layer, folders must not form a cycle.
 */
export const LAYERS: string[][] = [
  ['core', 'kernels.generated.ts', 'wasm.ts', 'core-choice.ts', 'memory.ts', 'buffer.ts', 'options.ts', 'synonyms.ts', 'random.ts'],
  ['optimizers', 'schedules', 'models', 'data', 'averaging', 'reference'],
  ['train', 'interop'],
  ['threads'],
  ['tools'],
  ['engine.ts', 'init.ts', 'index.ts'],
  ['cli', 'plot'],
];

const unit = (file: string) => relative(src, file).split('/')[0];
const layerOf = (file: string) => LAYERS.findIndex((l) => l.includes(unit(file)));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined; // packages and node: builtins
  const base = resolve(dirname(from), spec);
  for (const c of [base.replace(/\.js$/, '.ts'), base + '.ts', join(base, 'index.ts')]) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {}
  }
  throw new Error(`${relative(root, from)}: cannot resolve '${spec}'`);
}

const files = sources(src);
const graph = new Map<string, string[]>();
for (const f of files) {
  const info = ts.preProcessFile(readFileSync(f, 'utf8'), true, true);
  const deps = info.importedFiles.map((i) => resolveImport(f, i.fileName)).filter((d): d is string => !!d);
  graph.set(f, [...new Set(deps)]);
}

/** Every cycle's members, one list per strongly connected component of more than one node (or a self-loop). */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (g.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

const Layers = suite('layers');

Layers('the graph was read (every src/ folder and top-level file has a layer)', () => {
  assert.ok(files.length > 50, `${files.length} files`);
  const unplaced = [...new Set(files.map(unit))].filter((u) => !LAYERS.some((l) => l.includes(u)));
  assert.equal(unplaced, [], `src/ entries without a layer in test/layers.test.ts: ${unplaced.join(', ')}`);
  // `import type` and `export … from` are edges too.
  const fit = [...graph.entries()].find(([f]) => f.endsWith(join('train', 'types.ts')));
  assert.ok(fit && fit[1].length > 0);
});

Layers('no cycle among files (type-only imports included)', () => {
  const found = cycles(graph).map((c) => c.map((f) => relative(src, f)).join(' <-> '));
  assert.equal(found, []);
});

Layers('no cycle among folders', () => {
  const g = new Map<string, string[]>();
  for (const [f, deps] of graph) {
    const u = unit(f);
    const set = new Set(g.get(u) ?? []);
    for (const d of deps) if (unit(d) !== u) set.add(unit(d));
    g.set(u, [...set]);
  }
  assert.equal(cycles(g).map((c) => c.join(' <-> ')), []);
});

Layers('no import points up the layer order', () => {
  const up: string[] = [];
  for (const [f, deps] of graph) {
    for (const d of deps) {
      if (layerOf(d) > layerOf(f)) up.push(`${relative(src, f)} -> ${relative(src, d)} (${unit(f)} is below ${unit(d)})`);
    }
  }
  assert.equal(up, []);
});

Layers.run();
