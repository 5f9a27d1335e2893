// The package as a user installs it: the declarations tsc emits for dist/ (stripInternal, as
// `npm run build` makes them) under <tmp>/node_modules/simdescent with the real package.json, so
// `import … from 'simdescent'` resolves through the package's `exports` map exactly as in a
// user's project. Emitted once per process, from src/, so it is never stale.
import ts from 'typescript';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let made: { dir: string; pkg: string; entries: string[] } | undefined;

/** Emits the declarations once; returns the temp project dir and the package's entry .d.ts files. */
export function packageDir(): { dir: string; pkg: string; entries: string[] } {
  if (made) return made;
  const dir = mkdtempSync(join(tmpdir(), 'simdescent-types-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const pkg = join(dir, 'node_modules', 'simdescent');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!config) throw new Error('tsconfig.json did not parse');
  const options = { ...config.options, declaration: true, emitDeclarationOnly: true, sourceMap: false, declarationMap: false, outDir: join(pkg, 'dist') };
  const program = ts.createProgram(config.fileNames, options);
  const result = program.emit();
  const errors = ts.getPreEmitDiagnostics(program).concat(result.diagnostics).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) throw new Error(format(errors));
  made = { dir, pkg, entries: [join(pkg, 'dist', 'index.d.ts'), join(pkg, 'dist', 'plot', 'index.d.ts')] };
  return made;
}

/** Strict options a user's project would have (module resolution through `exports`). */
export const consumerOptions: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
  skipLibCheck: false,
};

/** Compiles files (name → source) placed in the temp project; returns the error messages. `extra` adds options (a Node user's @types/node). */
export function compile(files: Record<string, string>, extra: ts.CompilerOptions = {}): string[] {
  const { dir } = packageDir();
  const names = Object.entries(files).map(([name, text]) => {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  });
  const program = ts.createProgram(names, { ...consumerOptions, ...extra });
  const diags = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
  return diags.length ? format(diags).split('\n').filter(Boolean) : [];
}

export function format(diags: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diags, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' });
}
