/** The committed bundle is what its sources build to (like actions/checkout's check-dist). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../reconciler/src/package-root.js';

const root = packageRoot();
const out = mkdtempSync(join(tmpdir(), 'labops-dist-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('action/dist', () => {
  it('is fresh: a rebuild of action/src is byte-equal to the committed bundle (run `npm run build:action`)', () => {
    const built = join(out, 'index.js');

    const result = spawnSync(process.execPath, [join(root, 'scripts/build-action.mjs'), built], {
      cwd: root,
      encoding: 'utf8',
    });

    expect(result.status, result.stderr).toBe(0);
    const fresh = readFileSync(built);
    const committed = readFileSync(join(root, 'action/dist/index.js'));
    expect(fresh.equals(committed), 'action/dist/index.js is stale: run `npm run build:action` and commit it').toBe(
      true,
    );
  }, 60_000);

  it('declares the node24 runtime and the bundle as its entry', () => {
    const yml = readFileSync(join(root, 'action.yml'), 'utf8');

    expect(yml).toMatch(/^runs:\n {2}using: node24\n {2}main: action\/dist\/index\.js$/m);
  });
});
