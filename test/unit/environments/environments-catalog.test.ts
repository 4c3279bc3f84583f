import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import {
  defaultCatalogDir,
  loadCatalog,
  mergeEnvironments,
  resolveEnvironment,
} from '../../../reconciler/src/environments/index.js';
import { instanceTypeInfo } from '../../../reconciler/src/cost/prices/index.js';
import type { EnvironmentSpec } from '../../../reconciler/src/specs/types.js';

const REQUIRED = [
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
];

describe('the built-in catalog', () => {
  const catalog = loadCatalog();

  it('loads without problems and holds every required environment', () => {
    const names = catalog.environments.map((candidate) => candidate.environment.metadata.name);

    expect(catalog.problems).toEqual([]);
    expect([...names].sort()).toEqual([...REQUIRED].sort());
  });

  it.each(REQUIRED)(
    '%s resolves, and its recommended instance types exist with its architecture and gpu need',
    (name) => {
      const result = resolveEnvironment(name, catalog.environments);
      if (!result.ok) throw new Error(result.message);

      const types = result.env.spec.recommended?.instanceTypes ?? [];
      expect(types.length).toBeGreaterThan(0);
      for (const type of types) {
        const info = instanceTypeInfo(type);
        expect(info, type).toBeDefined();
        expect(info?.architecture, type).toBe(result.env.architecture);
        expect((info?.gpus ?? 0) > 0, type).toBe(result.env.spec.recommended?.gpu ?? false);
      }
    },
  );

  it.each(readdirSync(defaultCatalogDir()))('%s starts with the schema comment', (file) => {
    const firstLine = readFileSync(join(defaultCatalogDir(), file), 'utf8').split('\n')[0];

    expect(firstLine).toBe('# yaml-language-server: $schema=../schemas/environment.schema.json');
  });
});

describe('loadCatalog on a broken folder', () => {
  function folder(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'labops-env-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }
  const header = 'apiVersion: labops/v1\nkind: Environment\n';

  it('reports schema errors, duplicates and broken inheritance with their places', () => {
    const dir = folder({
      'a.yaml': `${header}metadata: { name: a, version: 1.0.0 }\nspec: { os: ubuntu-22.04, colour: blue }\n`,
      'b.yaml': `${header}metadata: { name: b, version: 1.0.0 }\nspec: { inherits: nope@^1 }\n---\n${header}metadata: { name: b, version: 1.0.0 }\nspec: { os: rocky-9 }\n`,
    });

    const { environments, problems } = loadCatalog(dir);

    expect(environments.map((e) => e.environment.metadata.name)).toEqual(['b']);
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([
      expect.stringMatching(/^environments\/a\.yaml:4: .*colour/),
      'environments/b.yaml:4: b@1.0.0 inherits nope@^1: no environment named nope',
      'environments/b.yaml:8: b@1.0.0 is already defined in environments/b.yaml',
    ]);
  });

  it('reports a missing folder instead of an empty catalog', () => {
    const { environments, problems } = loadCatalog('/nonexistent/labops-environments');

    expect(environments).toEqual([]);
    expect(problems[0]?.message).toBe('cannot read environment catalog: ENOENT');
  });
});

describe('no EnvironmentSpec field is dropped by a merge', () => {
  interface SchemaNode {
    properties?: Record<string, SchemaNode>;
    type?: string;
  }
  const schema = JSON.parse(
    readFileSync(join(defaultCatalogDir(), '..', 'schemas', 'environment.schema.json'), 'utf8'),
  ) as SchemaNode;
  const specSchema = schema.properties?.spec ?? {};

  function leafPaths(node: SchemaNode, prefix: string[]): string[][] {
    if (node.type !== 'object' || node.properties === undefined) return [prefix];
    return Object.entries(node.properties).flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
  }
  const SAMPLES: Record<string, unknown> = {
    inherits: 'base@^1',
    os: 'rocky-9',
    architecture: 'arm64',
    'packages.apt': ['git'],
    'packages.conda.channels': ['conda-forge'],
    'packages.conda.packages': ['numpy=1.26.4'],
    'packages.spack': ['fftw@3.3.10'],
    'packages.pip': ['nibabel==5.2.1'],
    'packages.containers': ['docker.io/x/y:1'],
    services: [{ name: 'jupyterlab', port: 8888 }],
    'recommended.instanceTypes': ['m6i.large'],
    'recommended.minRootGiB': 40,
    'recommended.gpu': true,
    images: { 'us-west-2': 'ami-0123456789abcdef0' },
  };
  function withValue(path: string[], value: unknown): EnvironmentSpec {
    const root: Record<string, unknown> = {};
    let node = root;
    path.slice(0, -1).forEach((key) => {
      node = node[key] = {};
    });
    node[path[path.length - 1] ?? ''] = value;
    return root;
  }
  function valueAt(spec: EnvironmentSpec, path: string[]): unknown {
    return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], spec);
  }
  const paths = leafPaths(specSchema, []);

  it('the sample table covers every schema field', () => {
    expect(paths.map((path) => path.join('.')).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it.each(paths.filter((path) => path[0] !== 'inherits').map((path) => [path.join('.'), path]))(
    '%s set by the child survives',
    (key, path) => {
      const merged = mergeEnvironments({ os: 'ubuntu-22.04' }, withValue(path, SAMPLES[key]));

      expect(valueAt(merged, path)).toEqual(SAMPLES[key]);
    },
  );

  it.each(
    paths.filter((path) => !['inherits', 'images'].includes(path[0] ?? '')).map((path) => [path.join('.'), path]),
  )('%s set by the parent survives', (key, path) => {
    const merged = mergeEnvironments(withValue(path, SAMPLES[key]), {});

    expect(valueAt(merged, path)).toEqual(SAMPLES[key]);
  });

  it('inherits survives as the lineage, and images stay with their own version', () => {
    const parent = {
      environment: {
        apiVersion: 'labops/v1' as const,
        kind: 'Environment' as const,
        metadata: { name: 'p', version: '1.0.0' },
        spec: { os: 'rocky-9' as const, images: { 'us-west-2': 'ami-0123456789abcdef0' } },
      },
      origin: 'catalog' as const,
    };
    const child = {
      ...parent,
      environment: { ...parent.environment, metadata: { name: 'c', version: '1.0.0' }, spec: { inherits: 'p@^1' } },
    };

    const result = resolveEnvironment('c', [parent, child]);

    expect(result.ok && [result.env.lineage, result.env.spec.images]).toEqual([['p@1.0.0', 'c@1.0.0'], undefined]);
  });
});
