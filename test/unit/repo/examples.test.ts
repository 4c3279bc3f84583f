/** Every shipped spec validates: the example lab clean (no errors, no warnings), the catalog with no problem. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../reconciler/src/environments/catalog.js';
import { packageRoot } from '../../../reconciler/src/package-root.js';
import { validateLab } from '../../../reconciler/src/specs/validate.js';

const root = packageRoot();

function yamlFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path, base);
    return /\.ya?ml$/.test(name) ? [relative(base, path)] : [];
  });
}

describe('examples/lab', () => {
  const result = validateLab(join(root, 'examples/lab'), { catalog: loadCatalog().environments });

  it('validates with no problems at all', () => {
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('reads every YAML file in the example', () => {
    expect(result.files).toEqual(
      yamlFiles(join(root, 'examples/lab'))
        .map((f) => f.split('\\').join('/'))
        .sort(),
    );
  });

  it('is a complete lab: 6+ workstations across owners and projects, 2 budgets, 2 schedules, 3 jobs with an array and a dependency, a local environment', () => {
    const { specs } = result;

    expect(specs.workstations.length).toBeGreaterThanOrEqual(6);
    expect(new Set(specs.workstations.map((w) => w.spec.metadata.owner)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(specs.workstations.map((w) => w.spec.metadata.project)).size).toBeGreaterThanOrEqual(2);
    expect(specs.budgets).toHaveLength(2);
    expect(specs.schedules).toHaveLength(2);
    expect(specs.jobs.length).toBeGreaterThanOrEqual(3);
    expect(specs.jobs.some((j) => j.spec.spec.array !== undefined)).toBe(true);
    expect(specs.jobs.some((j) => (j.spec.spec.dependsOn ?? []).length > 0)).toBe(true);
    expect(specs.environments.map((e) => e.spec.spec.inherits)).toEqual([expect.stringMatching(/^[a-z-]+@/)]);
  });

  it.each(yamlFiles(join(root, 'examples/lab')))('%s names its schema in a yaml-language-server modeline', (file) => {
    const path = join(root, 'examples/lab', file);
    const first = readFileSync(path, 'utf8').split('\n')[0]!;
    const schemaPath = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
    const kind = /^kind: (\w+)$/m.exec(readFileSync(path, 'utf8'))?.[1];

    expect(schemaPath).toBeDefined();
    expect((JSON.parse(readFileSync(resolve(dirname(path), schemaPath!), 'utf8')) as { title: string }).title).toBe(
      kind,
    );
  });
});

describe('built-in environment catalog', () => {
  const catalog = loadCatalog();

  it('loads with no problem', () => {
    expect(catalog.problems).toEqual([]);
  });

  it.each([
    'base-ubuntu',
    'base-amazonlinux',
    'data-science-python',
    'r-statistics',
    'ml-gpu',
    'neuroimaging',
    'genomics',
    'single-cell',
    'structural-biology',
    'climate-modeling',
    'geospatial',
    'computational-chemistry',
    'materials-science',
    'astronomy',
    'scientific-visualization',
    'digital-humanities',
  ])('has %s', (name) => {
    expect(catalog.environments.map((c) => c.environment.metadata.name)).toContain(name);
  });
});
