#!/usr/bin/env node
// Generates reconciler/src/specs/generated/*.ts from schemas/*.schema.json.
// `--check` regenerates in memory and exits 1 if any committed file differs.
// The run record's maps (schedules, holds, …) are read with `Object.entries`, so its index
// signatures stay `T`; tsconfig's noUncheckedIndexedAccess already makes `map[key]` `T | undefined`.
import { compileFromFile } from 'json-schema-to-typescript';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = join(root, 'schemas');
const outDir = join(root, 'reconciler/src/specs/generated');
const banner = '/* Generated from schemas/ by `npm run gen:types` (json-schema-to-typescript). Do not edit. */';

export async function generate() {
  const files = (await readdir(schemaDir))
    .filter((f) => f.endsWith('.schema.json') && f !== 'common.schema.json')
    .sort();
  const out = new Map();
  for (const file of files) {
    const ts = await compileFromFile(join(schemaDir, file), {
      cwd: schemaDir,
      bannerComment: banner,
      additionalProperties: false,
      strictIndexSignatures: file !== 'run-record.schema.json',
      unreachableDefinitions: false,
      maxItems: -1,
      format: true,
      style: { singleQuote: true, printWidth: 100 },
    });
    out.set(file.replace('.schema.json', '.ts'), ts);
  }
  return out;
}

const check = process.argv.includes('--check');
const generated = await generate();
let stale = 0;
for (const [name, ts] of generated) {
  const path = join(outDir, name);
  if (check) {
    const current = await readFile(path, 'utf8').catch(() => '');
    if (current !== ts) {
      console.error(`stale: ${path}`);
      stale++;
    }
  } else {
    await writeFile(path, ts);
  }
}
if (check && stale) process.exit(1);
console.log(
  check ? `generated types are fresh (${generated.size} files)` : `wrote ${generated.size} files to ${outDir}`,
);
