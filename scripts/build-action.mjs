/**
 * Bundles the Action (action/src/main.ts) into one ESM file with esbuild. Deterministic: no
 * timestamps, no absolute paths, no source map, so a rebuild of unchanged sources is byte-equal
 * to the committed action/dist/index.js (test/unit/action-dist.test.ts checks that).
 *
 * Usage: node scripts/build-action.mjs [OUTFILE]   (default action/dist/index.js)
 */
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = resolve(process.argv[2] ?? join(root, 'action/dist/index.js'));

await build({
  absWorkingDir: root,
  entryPoints: ['action/src/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  legalComments: 'none',
  sourcemap: false,
  charset: 'utf8',
  logLevel: 'warning',
  // @actions/core and its dependencies are CommonJS and call require() for Node built-ins.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
});
