// Every place an `any` reaches a user of the package: walks what the entry points export (types,
// values, classes, functions) through properties, signatures, type arguments and constraints,
// as the type checker resolves them, and lists the paths that end in `any`. Types from
// TypeScript's own libraries (Float32Array, Promise, …) are entered only through their type
// arguments; private members and members stripped as @internal are not part of the API.
import ts from 'typescript';
import { consumerOptions } from './_package.js';

export function anyPaths(entries: string[], pkgDir: string): string[] {
  const program = ts.createProgram(entries, consumerOptions);
  const checker = program.getTypeChecker();
  const found = new Set<string>();
  const seen = new Set<ts.Type>();
  const ours = (s: ts.Symbol | undefined) => !!s?.declarations?.some((d) => d.getSourceFile().fileName.startsWith(pkgDir));
  const hidden = (s: ts.Symbol) =>
    !!s.declarations?.some((d) => ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Private) || s.name.startsWith('#') || s.name.startsWith('__@');

  function visitSignature(sig: ts.Signature, path: string): void {
    for (const tp of sig.typeParameters ?? []) {
      const c = tp.getConstraint();
      if (c) visit(c, `${path}<${tp.symbol.name}>`);
    }
    for (const p of sig.parameters) visit(checker.getTypeOfSymbol(p), `${path}(${p.name})`);
    visit(sig.getReturnType(), `${path}()`);
  }

  function visit(t: ts.Type, path: string): void {
    if (t.flags & ts.TypeFlags.Any) {
      found.add(path);
      return;
    }
    if (seen.has(t)) return;
    seen.add(t);
    if (t.flags & (ts.TypeFlags.TypeParameter | ts.TypeFlags.IndexedAccess | ts.TypeFlags.Conditional | ts.TypeFlags.Substitution)) {
      const c = checker.getBaseConstraintOfType(t);
      if (c && c !== t) visit(c, path);
      return;
    }
    for (const a of t.aliasTypeArguments ?? []) visit(a, `${path}<>`);
    if (t.isUnionOrIntersection()) {
      for (const u of t.types) visit(u, path);
      return;
    }
    if (!(t.flags & ts.TypeFlags.Object)) return;
    const obj = t as ts.ObjectType;
    if (obj.objectFlags & ts.ObjectFlags.Reference) {
      for (const a of checker.getTypeArguments(t as ts.TypeReference)) visit(a, `${path}<>`);
    }
    const sym = t.getSymbol() ?? t.aliasSymbol;
    if (sym && !ours(sym) && !(obj.objectFlags & ts.ObjectFlags.Anonymous && ours(t.aliasSymbol))) {
      // A library type (Float32Array, Promise, AbortSignal…): only its type arguments are ours.
      if (sym.declarations?.length) return;
    }
    for (const p of checker.getPropertiesOfType(t)) {
      if (hidden(p)) continue;
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      visit(decl ? checker.getTypeOfSymbolAtLocation(p, decl) : checker.getTypeOfSymbol(p), `${path}.${p.name}`);
    }
    for (const sig of t.getCallSignatures()) visitSignature(sig, path);
    for (const sig of t.getConstructSignatures()) visitSignature(sig, `new ${path}`);
    for (const info of checker.getIndexInfosOfType(t)) visit(info.type, `${path}[]`);
  }

  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    const mod = source && checker.getSymbolAtLocation(source);
    if (!mod) throw new Error(`${entry}: not a module`);
    for (let sym of checker.getExportsOfModule(mod)) {
      const name = sym.name;
      if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
      if (sym.flags & ts.SymbolFlags.Type) visit(checker.getDeclaredTypeOfSymbol(sym), name);
      if (sym.flags & ts.SymbolFlags.Value) visit(checker.getTypeOfSymbol(sym), name);
    }
  }
  return [...found].sort();
}
