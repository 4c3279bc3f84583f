import { describe, expect, it } from 'vitest';

import {
  mergeEnvironments,
  parseEnvironmentRef,
  resolveEnvironment,
  type EnvironmentCandidate,
  type EnvironmentOrigin,
} from '../../../reconciler/src/environments/index.js';
import type { EnvironmentSpec } from '../../../reconciler/src/specs/types.js';

function env(
  name: string,
  version: string,
  spec: EnvironmentSpec,
  origin: EnvironmentOrigin = 'catalog',
): EnvironmentCandidate {
  return { environment: { apiVersion: 'labops/v1', kind: 'Environment', metadata: { name, version }, spec }, origin };
}

const CANDIDATES = [
  env('base', '1.0.0', { os: 'ubuntu-22.04', packages: { apt: ['git'] } }),
  env('base', '1.2.0', { os: 'ubuntu-22.04', packages: { apt: ['git', 'curl'] } }),
  env('base', '1.2.5', { os: 'ubuntu-22.04' }),
  env('base', '2.0.0', { os: 'ubuntu-24.04' }),
  env('base', '2.1.0-beta.1', { os: 'ubuntu-24.04' }),
  env('neuroimaging', '1.0.0', { inherits: 'base@^1.0', packages: { pip: ['nibabel==5.2.1'] } }),
];

describe('parseEnvironmentRef', () => {
  it.each([
    ['neuroimaging', { ok: true, name: 'neuroimaging', range: undefined }],
    ['neuroimaging@^1.2', { ok: true, name: 'neuroimaging', range: '^1.2' }],
    ['base-ubuntu@1.0.3', { ok: true, name: 'base-ubuntu', range: '1.0.3' }],
    ['base-ubuntu@~1.0.3', { ok: true, name: 'base-ubuntu', range: '~1.0.3' }],
    ['base-ubuntu@1.x', { ok: true, name: 'base-ubuntu', range: '1.x' }],
  ])('parses %s', (ref, expected) => {
    expect(parseEnvironmentRef(ref)).toEqual(expected);
  });

  it.each([
    ['Neuro', 'invalid environment reference "Neuro": "Neuro" is not a valid environment name'],
    ['neuro@', 'invalid environment reference "neuro@": "" is not a semver range'],
    ['neuro@banana', 'invalid environment reference "neuro@banana": "banana" is not a semver range'],
  ])('rejects %s', (ref, message) => {
    expect(parseEnvironmentRef(ref)).toEqual({ ok: false, message });
  });
});

describe('resolveEnvironment: version selection', () => {
  it.each([
    ['base', '2.0.0'],
    ['base@^1', '1.2.5'],
    ['base@^1.2', '1.2.5'],
    ['base@~1.2.0', '1.2.5'],
    ['base@1.x', '1.2.5'],
    ['base@1.0.0', '1.0.0'],
    ['base@>=1.0.0 <1.2.0', '1.0.0'],
    ['base@2.1.0-beta.1', '2.1.0-beta.1'],
  ])('%s picks %s', (ref, version) => {
    const result = resolveEnvironment(ref, CANDIDATES);

    expect(result.ok && result.env.version).toBe(version);
  });

  it.each([
    ['bsae', 'no environment named bsae (did you mean base?)'],
    ['neuroimagin@^1', 'no environment named neuroimagin (did you mean neuroimaging?)'],
    ['astrophysics', 'no environment named astrophysics'],
    ['base@^3', 'no version of base satisfies ^3 (available: 1.0.0, 1.2.0, 1.2.5, 2.0.0, 2.1.0-beta.1)'],
    ['base@NOPE', 'invalid environment reference "base@NOPE": "NOPE" is not a semver range'],
  ])('%s fails with a clear message', (ref, message) => {
    expect(resolveEnvironment(ref, CANDIDATES)).toEqual({ ok: false, message });
  });
});

describe('resolveEnvironment: shadowing', () => {
  it('a lab-local environment with the same name and version replaces the catalog one', () => {
    const labCopy = env('base', '1.2.5', { os: 'rocky-9' }, 'lab');

    const result = resolveEnvironment('base@^1', [labCopy, ...CANDIDATES]);

    expect(result.ok && [result.env.os, result.env.origin]).toEqual(['rocky-9', 'lab']);
  });

  it('a lab-local environment with a new version joins the catalog versions', () => {
    const labNewer = env('base', '1.3.0', { os: 'rocky-9' }, 'lab');

    const result = resolveEnvironment('base@^1', [...CANDIDATES, labNewer]);

    expect(result.ok && result.env.version).toBe('1.3.0');
  });
});

describe('resolveEnvironment: inheritance', () => {
  it('merges the whole chain, root first, and records the lineage', () => {
    const candidates = [
      ...CANDIDATES,
      env('fmri', '1.1.0', { inherits: 'neuroimaging@^1', packages: { pip: ['nibabel==5.3.0', 'nilearn==0.10.3'] } }),
    ];

    const result = resolveEnvironment('fmri', candidates);

    expect(result.ok && result.env.lineage).toEqual(['base@1.2.5', 'neuroimaging@1.0.0', 'fmri@1.1.0']);
    expect(result.ok && result.env.spec.packages?.pip).toEqual(['nibabel==5.3.0', 'nilearn==0.10.3']);
    expect(result.ok && result.env.architecture).toBe('x86_64');
  });

  it('reports a cycle with its path', () => {
    const candidates = [
      env('a', '1.0.0', { os: 'ubuntu-22.04', inherits: 'b@^1' }),
      env('b', '1.0.0', { inherits: 'c' }),
      env('c', '1.0.0', { inherits: 'a@1.0.0' }),
    ];

    expect(resolveEnvironment('a', candidates)).toEqual({
      ok: false,
      message: 'inheritance cycle: a@1.0.0 → b@1.0.0 → c@1.0.0 → a@1.0.0',
    });
  });

  it('reports a self-inheritance as a cycle', () => {
    expect(resolveEnvironment('a', [env('a', '1.0.0', { inherits: 'a' })])).toEqual({
      ok: false,
      message: 'inheritance cycle: a@1.0.0 → a@1.0.0',
    });
  });

  it.each([
    ['missing', { inherits: 'nothing@^1' }, 'child@1.0.0 inherits nothing@^1: no environment named nothing'],
    [
      'unsatisfied',
      { inherits: 'base@^5' },
      'child@1.0.0 inherits base@^5: no version of base satisfies ^5 (available: 1.0.0, 1.2.0, 1.2.5, 2.0.0, 2.1.0-beta.1)',
    ],
  ])('reports a %s parent', (_case, spec: EnvironmentSpec, message) => {
    expect(resolveEnvironment('child', [...CANDIDATES, env('child', '1.0.0', spec)])).toEqual({ ok: false, message });
  });

  it('requires an os somewhere in the chain', () => {
    const result = resolveEnvironment('lonely', [env('lonely', '1.0.0', {})]);

    expect(result).toEqual({
      ok: false,
      message: 'lonely@1.0.0 names no os, and neither does any environment it inherits (lonely@1.0.0)',
    });
  });

  it.each([
    [
      [{ name: 'viewer', port: 9000 }],
      'x@1.0.0: service viewer has no command and is not a well-known service (code-server, jupyterlab, mlflow, rstudio, tensorboard)',
    ],
    [
      [
        { name: 'jupyterlab', port: 8888 },
        { name: 'rstudio', port: 8888 },
      ],
      'x@1.0.0: services jupyterlab and rstudio both listen on port 8888',
    ],
  ])('rejects unusable services %#', (services, message) => {
    expect(resolveEnvironment('x', [env('x', '1.0.0', { os: 'ubuntu-22.04', services })])).toEqual({
      ok: false,
      message,
    });
  });
});

describe('mergeEnvironments', () => {
  it.each<[string, EnvironmentSpec, EnvironmentSpec, EnvironmentSpec]>([
    [
      'child wins on scalars',
      { os: 'ubuntu-22.04', architecture: 'x86_64' },
      { architecture: 'arm64' },
      { os: 'ubuntu-22.04', architecture: 'arm64' },
    ],
    [
      'lists append, parent first, de-duplicated',
      { packages: { apt: ['git', 'curl'] } },
      { packages: { apt: ['curl', 'tmux'] } },
      { packages: { apt: ['git', 'curl', 'tmux'] } },
    ],
    [
      'a child pin replaces the parent pin in place',
      { packages: { pip: ['numpy==1.26.4', 'scipy'] } },
      { packages: { pip: ['numpy==2.0.1'] } },
      { packages: { pip: ['numpy==2.0.1', 'scipy'] } },
    ],
    [
      'pip names compare per PEP 503 and extras keep identity',
      { packages: { pip: ['Scikit_Learn==1.4.0'] } },
      { packages: { pip: ['scikit-learn[all]>=1.5'] } },
      { packages: { pip: ['scikit-learn[all]>=1.5'] } },
    ],
    [
      'an unpinned child entry keeps the parent pin',
      { packages: { pip: ['numpy==1.26.4'] } },
      { packages: { pip: ['numpy'] } },
      { packages: { pip: ['numpy==1.26.4'] } },
    ],
    [
      'apt pins',
      { packages: { apt: ['r-base=4.3.3-1'] } },
      { packages: { apt: ['r-base=4.4.1-1'] } },
      { packages: { apt: ['r-base=4.4.1-1'] } },
    ],
    [
      'conda pins and channels',
      { packages: { conda: { channels: ['conda-forge'], packages: ['numpy=1.26.4'] } } },
      { packages: { conda: { channels: ['conda-forge', 'bioconda'], packages: ['numpy>=2.0'] } } },
      { packages: { conda: { channels: ['conda-forge', 'bioconda'], packages: ['numpy>=2.0'] } } },
    ],
    [
      'spack specs by package name',
      { packages: { spack: ['gromacs@2023.3', 'fftw'] } },
      { packages: { spack: ['gromacs@2024.2 +cuda'] } },
      { packages: { spack: ['gromacs@2024.2 +cuda', 'fftw'] } },
    ],
    [
      'container tags by repository, registry ports kept',
      { packages: { containers: ['reg:5000/lab/tool:1.0', 'docker.io/x/y:2'] } },
      { packages: { containers: ['reg:5000/lab/tool:1.1'] } },
      { packages: { containers: ['reg:5000/lab/tool:1.1', 'docker.io/x/y:2'] } },
    ],
    [
      'services merge by name, field by field',
      { services: [{ name: 'jupyterlab', port: 8888, description: 'notebooks' }] },
      {
        services: [
          { name: 'jupyterlab', port: 8890 },
          { name: 'rstudio', port: 8787 },
        ],
      },
      {
        services: [
          { name: 'jupyterlab', port: 8890, description: 'notebooks' },
          { name: 'rstudio', port: 8787 },
        ],
      },
    ],
    [
      'recommendation fields merge, instance types taken whole',
      { recommended: { instanceTypes: ['t3.large'], minRootGiB: 30, gpu: false } },
      { recommended: { instanceTypes: ['g5.xlarge'], gpu: true } },
      { recommended: { instanceTypes: ['g5.xlarge'], minRootGiB: 30, gpu: true } },
    ],
    [
      'images belong to one version and are not inherited',
      { images: { 'us-west-2': 'ami-0123456789abcdef0' } },
      { os: 'ubuntu-22.04' },
      { os: 'ubuntu-22.04' },
    ],
    ['inherits is consumed', { os: 'rocky-9' }, { inherits: 'base@^1' }, { os: 'rocky-9' }],
  ])('%s', (_name, parent, child, expected) => {
    expect(mergeEnvironments(parent, child)).toEqual(expected);
  });

  it('does not modify its inputs', () => {
    const parent: EnvironmentSpec = { packages: { apt: ['git'] }, services: [{ name: 'jupyterlab', port: 8888 }] };
    const child: EnvironmentSpec = { packages: { apt: ['curl'] }, services: [{ name: 'jupyterlab', port: 9999 }] };
    const before = structuredClone([parent, child]);

    mergeEnvironments(parent, child);

    expect([parent, child]).toEqual(before);
  });
});
