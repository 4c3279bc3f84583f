#!/usr/bin/env node
// Lists every name exported under a source folder (default reconciler/src) with the files exporting it,
// and finds the names two files export as different things (issue 15: "no two exports with one name
// doing different things"): a reader who meets `parseDuration` or `renderStatusMarkdown` should not
// have to check which folder it came from.
//
// A name exported by several files is fine only when every file but the one declaring it re-exports that
// same declaration, and either the re-exporting file is a folder's index.ts (`export … from`, the folder's
// public face) or what it re-exports is a type. In generated files (a first comment saying "Generated" and
// "Do not edit"), a type declared word for word alike is one declaration: the spec types generated from
// schemas/ each carry `Labels` from schemas/common.schema.json. Hand-written copies are reported. Anything
// else is reported: two declarations under one name (rename one by what it does), or a value re-exported
// outside an index.ts (import it from where it is declared).
//
// Uses the TypeScript compiler API (the checker follows `export … from` and `export *` to the declaration).
//   node scripts/duplicate-exports.mjs [DIR]          duplicates, one line each; exit 1 when there is one
//   node scripts/duplicate-exports.mjs --json [DIR]   every exported name and who exports it, as JSON
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every .ts file (not .d.ts) under `dir`, sorted. */
function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

/**
 * The module options of this repository's tsconfig.json when `dir` is in it, else NodeNext. Only exports
 * are read, never types checked: no default library or `@types` (loading them would take most of the time).
 */
function compilerOptions(dir) {
  const only = { noEmit: true, noLib: true, types: [] };
  const config = ts.findConfigFile(dir, (path) => existsSync(path));
  if (config === undefined || relative(root, config).startsWith('..'))
    return { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, ...only };
  const parsed = ts.getParsedCommandLineOfConfigFile(
    config,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} },
  );
  return { ...parsed?.options, ...only };
}

/** True for a file a generator wrote: its first comment says so and asks not to edit it. */
function generated(source) {
  const first = /^\s*\/\*[\s\S]*?\*\//.exec(source.text)?.[0] ?? '';
  return /\bGenerated\b/.test(first) && /Do not edit/i.test(first);
}

/** Where a declaration is, or for a generated type, its text: one type generated alike into two files is one thing. */
function identity(declaration, file) {
  const type = ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration);
  if (type && generated(declaration.getSourceFile())) return `type ${declaration.getText().replace(/\s+/g, ' ')}`;
  return `${file}:${declaration.getStart()}`;
}

/** True when the export is written `export type { … }` / `export type { … } from` (a type whatever it names). */
function typeOnlyAlias(symbol) {
  return (symbol.declarations ?? []).some(
    (d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly),
  );
}

/**
 * Every exported name under `dir`, each with the files that export it.
 * @returns {Map<string, {file: string, declaredIn: string, declaration: string, reexport: boolean, type: boolean}[]>}
 *   per name, one entry per exporting file (paths relative to `dir`'s repository root when inside it, else to `dir`);
 *   `declaration` identifies what the name resolves to, so two entries with one `declaration` are the same thing
 */
export function exportsUnder(dir) {
  const files = sourceFiles(dir);
  const base = relative(root, dir).startsWith('..') ? dir : root;
  const name = (file) => relative(base, file).split('\\').join('/');
  const options = compilerOptions(dir);
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  // Packages are read as empty: what they export is theirs, and parsing the AWS SDK's types would take most of the time.
  host.getSourceFile = (file, version, ...rest) =>
    file.includes('/node_modules/') ? ts.createSourceFile(file, '', version) : read(file, version, ...rest);
  const program = ts.createProgram(files, options, host);
  const checker = program.getTypeChecker();
  const found = new Map();
  for (const file of files) {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) continue; // no import or export: not a module, exports nothing
    for (const exported of checker.getExportsOfModule(module)) {
      const alias = (exported.flags & ts.SymbolFlags.Alias) !== 0;
      const target = alias ? checker.getAliasedSymbol(exported) : exported;
      const declaration = target.declarations?.[0] ?? exported.declarations?.[0];
      if (!declaration) continue;
      const declaredFile = declaration.getSourceFile().fileName;
      const entry = {
        file: name(file),
        declaredIn: name(declaredFile),
        declaration: identity(declaration, name(declaredFile)),
        reexport: resolve(declaredFile) !== resolve(file),
        type: typeOnlyAlias(exported) || (target.flags & ts.SymbolFlags.Value) === 0,
      };
      const list = found.get(exported.name) ?? [];
      list.push(entry);
      found.set(exported.name, list);
    }
  }
  return new Map([...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** An allowed second export of a name: the same declaration, re-exported by a folder's index.ts or as a type. */
function allowed(entry) {
  return entry.reexport && (basename(entry.file) === 'index.ts' || entry.type);
}

/**
 * The names exported under `dir` by more than one file other than as allowed (see the file comment).
 * @returns {{name: string, why: string, files: string[]}[]}
 */
export function duplicateExports(dir) {
  const out = [];
  for (const [name, entries] of exportsUnder(dir)) {
    if (entries.length < 2) continue;
    const declarations = [...new Set(entries.map((e) => e.declaration))];
    const files = entries.map((e) => (e.reexport ? `${e.file} (re-exports ${e.declaredIn})` : e.file));
    if (declarations.length > 1) out.push({ name, why: `${declarations.length} different declarations`, files });
    else if (entries.some((e) => e.reexport && !allowed(e)))
      out.push({ name, why: 'a value re-exported outside an index.ts', files });
  }
  return out;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const dir = resolve(args.find((a) => !a.startsWith('--')) ?? join(root, 'reconciler/src'));
  if (json) {
    process.stdout.write(`${JSON.stringify(Object.fromEntries(exportsUnder(dir)), null, 2)}\n`);
  } else {
    const duplicates = duplicateExports(dir);
    for (const d of duplicates) process.stdout.write(`${d.name}: ${d.why}: ${d.files.join(', ')}\n`);
    process.stdout.write(`${duplicates.length} name(s) exported by two files as different things\n`);
    process.exitCode = duplicates.length ? 1 : 0;
  }
}
