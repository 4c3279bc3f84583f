import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { runEnvCommand } from '../../../reconciler/src/cli/commands/env.js';
import { packageRoot } from '../../../reconciler/src/package-root.js';
import { makeLab } from '../../support/lab-fixture.js';

/** Runs `labops env` in `cwd` (default: a folder that is not a lab, so only the catalog shows). */
function run(...argv: string[]): { code: number; stdout: string; stderr: string } {
  return runIn(packageRoot(), ...argv);
}

function runIn(cwd: string, ...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = runEnvCommand(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) }, cwd);
  return { code, stdout, stderr };
}

const EXAMPLE_LAB = join(packageRoot(), 'examples', 'lab');

describe('labops env list', () => {
  it('prints an aligned table sorted by name', () => {
    const { code, stdout, stderr } = run('list');

    const lines = stdout.trimEnd().split('\n');
    expect([code, stderr]).toEqual([0, '']);
    expect(lines[0]).toMatch(/^NAME +VERSION +OS\/ARCH +SOURCE +DESCRIPTION$/);
    expect(lines.slice(1).every((line) => / built-in {2}/.test(line))).toBe(true);
    expect(lines).toHaveLength(17);
    expect(lines[1]).toMatch(/^astronomy +1\.0\.0 +ubuntu-22\.04\/x86_64 +built-in +Astropy/);
    expect(lines.find((line) => line.startsWith('base-amazonlinux '))).toMatch(/amazonlinux-2023\/arm64/);
    const versionColumn = lines[0]?.indexOf('VERSION');
    expect(
      lines.every((line) => /^\S+ +\S/.test(line) && line.indexOf(line.split(/ +/)[1] ?? '') === versionColumn),
    ).toBe(true);
  });

  it('prints JSON rows with the resolved os', () => {
    const { code, stdout } = run('list', '--format', 'json');

    const rows = JSON.parse(stdout) as { name: string; os: string; inherits: string | null }[];
    expect(code).toBe(0);
    expect(rows.find((row) => row.name === 'ml-gpu')).toMatchObject({
      os: 'ubuntu-22.04',
      inherits: 'data-science-python@^1',
    });
  });
});

describe("the lab's own environments", () => {
  it('env list in a lab folder lists its Environment specs beside the catalog, marked lab with their file', () => {
    const inLab = runIn(EXAMPLE_LAB, 'list');
    const byDir = run('list', '--dir', EXAMPLE_LAB);

    expect(inLab.code).toBe(0);
    expect(inLab.stdout).toMatch(
      /^neuro-lab-fmri +1\.0\.0 +ubuntu-22\.04\/x86_64 +lab \(environments\/neuro-lab-fmri\.yaml\) +neuroimaging \+/m,
    );
    expect(inLab.stdout.trimEnd().split('\n')).toHaveLength(18);
    expect(byDir).toEqual(inLab);
  });

  it('env list --format json marks each row with its origin', () => {
    const rows = JSON.parse(run('list', '--dir', EXAMPLE_LAB, '--format', 'json').stdout) as {
      name: string;
      origin: string;
      file: string | null;
    }[];

    expect(rows.find((r) => r.name === 'neuro-lab-fmri')).toMatchObject({
      origin: 'lab',
      file: 'environments/neuro-lab-fmri.yaml',
    });
    expect(rows.filter((r) => r.origin === 'catalog')).toHaveLength(16);
  });

  it("env show resolves a lab environment through the catalog's, and says where it comes from", () => {
    const { code, stdout } = runIn(EXAMPLE_LAB, 'show', 'neuro-lab-fmri@^1');

    expect(code).toBe(0);
    expect(stdout).toContain("source:          lab (the lab's own Environment spec)\n");
    expect(stdout).toContain('lineage:         base-ubuntu@1.0.0 → neuroimaging@1.2.0 → neuro-lab-fmri@1.0.0\n');
  });

  it('a lab environment outside spec.paths is not the lab’s (as in a plan)', () => {
    const lab = makeLab(
      {
        'labops.yaml': readFileSync(join(EXAMPLE_LAB, 'labops.yaml'), 'utf8'),
        'elsewhere/env.yaml': readFileSync(join(EXAMPLE_LAB, 'environments', 'neuro-lab-fmri.yaml'), 'utf8'),
      },
      null,
    );
    try {
      const { code, stderr } = runIn(lab.dir, 'show', 'neuro-lab-fmri');

      expect([code, stderr]).toEqual([1, 'labops env show: no environment named neuro-lab-fmri\n']);
    } finally {
      lab.cleanup();
    }
  });
});

describe('labops env show', () => {
  it('prints the merged environment', () => {
    const { code, stdout } = run('show', 'ml-gpu@^1');

    expect(code).toBe(0);
    expect(stdout).toContain('lineage:         base-ubuntu@1.0.0 → data-science-python@1.2.0 → ml-gpu@1.3.0\n');
    expect(stdout).toContain('services:        jupyterlab:8888 code-server:8080 tensorboard:6006\n');
  });

  it('prints JSON', () => {
    const { stdout } = run('show', 'neuroimaging', '--format=json');

    expect(JSON.parse(stdout)).toMatchObject({ name: 'neuroimaging', version: '1.2.0', os: 'ubuntu-22.04' });
  });

  it('--user-data prints exactly the rendered cloud-init', () => {
    const { code, stdout } = run('show', 'genomics', '--user-data');

    expect(code).toBe(0);
    expect(stdout).toBe(
      readFileSync(join(import.meta.dirname, '..', '..', 'golden', 'environments', 'genomics.user-data'), 'utf8'),
    );
  });

  it.each([
    [['show', 'nueroimaging'], 'labops env show: no environment named nueroimaging (did you mean neuroimaging?)\n'],
    [['show', 'neuroimaging@^3'], 'labops env show: no version of neuroimaging satisfies ^3 (available: 1.2.0)\n'],
    [['show'], expect.stringMatching(/^labops env: show needs an environment name, e\.g\. neuroimaging@\^1\nusage: /)],
    [['list', '--format', 'yaml'], expect.stringMatching(/^labops env: --format must be text or json \(got yaml\)\n/)],
    [['frobnicate'], expect.stringMatching(/^labops env: unknown subcommand frobnicate\n/)],
    [['list', '--verbose'], expect.stringMatching(/^labops env: unknown option --verbose\n/)],
  ])('%j fails with one clear message and exit 1', (argv, message) => {
    const { code, stdout, stderr } = run(...argv);

    expect([code, stdout, stderr]).toEqual([1, '', message]);
  });
});
