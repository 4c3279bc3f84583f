import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import {
  USER_DATA_LIMIT_BYTES,
  loadCatalog,
  renderUserData,
  resolveEnvironment,
  type ResolvedEnvironment,
} from '../../reconciler/src/environments/index.js';

const GOLDEN_DIR = join(import.meta.dirname, '..', 'golden', 'environments');
const catalog = loadCatalog();
const names = catalog.environments.map((candidate) => candidate.environment.metadata.name);

function resolved(ref: string): ResolvedEnvironment {
  const result = resolveEnvironment(ref, catalog.environments);
  if (!result.ok) {
    throw new Error(result.message);
  }
  return result.env;
}

describe('renderUserData for the built-in catalog', () => {
  it.each(names)('%s renders byte-identically twice and matches its golden file', (name) => {
    const env = resolved(name);

    const first = renderUserData(env);
    const second = renderUserData(resolved(name));

    expect(second).toBe(first);
    const golden = join(GOLDEN_DIR, `${name}.user-data`);
    if (process.env.UPDATE_GOLDEN === '1') {
      writeFileSync(golden, first);
    }
    expect(first).toBe(readFileSync(golden, 'utf8'));
  });

  it.each(names)('%s fits in the EC2 user-data limit uncompressed', (name) => {
    const bytes = Buffer.byteLength(renderUserData(resolved(name), { workstationName: 'a'.repeat(63), owner: 'b'.repeat(39) }));

    expect(bytes).toBeLessThan(USER_DATA_LIMIT_BYTES);
  });
});
