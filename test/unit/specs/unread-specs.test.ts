/**
 * Nothing skipped without a word: a labops spec labops does not read (outside spec.paths, or in a
 * spec folder under a name that does not end in .yaml/.yml) is a warning naming the file, the
 * paths that are read and how to include it — from a folder and from a commit's git tree alike.
 */
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../reconciler/src/environments/catalog.js';
import type { Problem } from '../../../reconciler/src/model/problem.js';
import { UNREAD_SCAN_LIMIT } from '../../../reconciler/src/specs/lab-files.js';
import { gitTree } from '../../../reconciler/src/specs/lab-tree.js';
import { validateLab } from '../../../reconciler/src/specs/validate.js';
import { packageRoot } from '../../../reconciler/src/package-root.js';
import { BASE_LAB, makeLab } from '../../support/lab-fixture.js';

const catalog = loadCatalog().environments;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

const WS = readFileSync(join(BASE_LAB, 'workstations', 'base.yaml'), 'utf8').replace('base-ws', 'bob-atmos');
const JOB = readFileSync(join(BASE_LAB, 'jobs', 'base.yaml'), 'utf8').replace('base-job', 'other-job');
const LAB = readFileSync(join(BASE_LAB, 'labops.yaml'), 'utf8');
const DEFAULT_READ =
  'labops reads only the folders in spec.paths, by default workstations, budgets, snapshots, jobs, queues, environments, images';
const DEFAULT_SET =
  'set spec.paths in labops.yaml to [workstations, budgets, snapshots, jobs, queues, environments, images';

function warnings(problems: readonly Problem[]): string[] {
  return problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.severity}: ${p.message}`);
}

describe('specs labops does not read are warned, never skipped silently', () => {
  it.each([
    [
      'a singular folder name (workstation/)',
      { 'workstation/bob.yaml': WS },
      [
        `workstation/bob.yaml:1:1 warning: this file holds a labops Workstation but is not read: ${DEFAULT_READ}; ${DEFAULT_SET}, workstation], or move it to workstations/`,
      ],
    ],
    [
      'the repository root',
      { 'bob.yaml': WS },
      [
        `bob.yaml:1:1 warning: this file holds a labops Workstation but is not read: ${DEFAULT_READ}; move it to workstations/`,
      ],
    ],
    [
      'a nested folder nobody listed, as .yml',
      { 'projects/atmos/run.yml': JOB },
      [
        `projects/atmos/run.yml:1:1 warning: this file holds a labops Job but is not read: ${DEFAULT_READ}; ${DEFAULT_SET}, projects/atmos], or move it to jobs/`,
      ],
    ],
    [
      'a folder missing from an explicit spec.paths',
      { 'labops.yaml': `${LAB}  paths: [workstations, budgets, jobs]\n`, 'snapshots/nightly.yaml': WS },
      [
        'snapshots/base.yaml:1:1 warning: this file holds a labops SnapshotSchedule but is not read: labops reads only the folders in spec.paths (workstations, budgets, jobs); add "snapshots" to spec.paths in labops.yaml',
        'snapshots/nightly.yaml:1:1 warning: this file holds a labops Workstation but is not read: labops reads only the folders in spec.paths (workstations, budgets, jobs); add "snapshots" to spec.paths in labops.yaml, or move it to workstations/',
      ],
    ],
    [
      'a spec saved as .txt at the root',
      { 'bob.txt': WS },
      [
        `bob.txt:1:1 warning: this file holds a labops Workstation but is not read: ${DEFAULT_READ}; move it to workstations/, and name it bob.yaml`,
      ],
    ],
    [
      'a spec saved as .txt in a spec folder',
      { 'workstations/bob.txt': WS },
      [
        'workstations/bob.txt:1:1 warning: this file holds a labops Workstation but is not read: only files ending in .yaml or .yml are read; rename it to workstations/bob.yaml',
      ],
    ],
    [
      'a near-miss name in a spec folder (*.yml.txt)',
      { 'workstations/bob.yml.txt': WS },
      [
        'workstations/bob.yml.txt:1:1 warning: this file holds a labops Workstation but is not read: only files ending in .yaml or .yml are read; rename it to workstations/bob.yml',
      ],
    ],
    [
      "an editor's backup beside the spec (*.yaml~)",
      { 'workstations/base.yaml~': 'half an edit\n' },
      [
        'workstations/base.yaml~:1:1 warning: not read: only files ending in .yaml or .yml are read; delete it if it is an old copy of workstations/base.yaml',
      ],
    ],
    [
      'a near-miss name that is not yet a spec (*.yaml.bak)',
      { 'jobs/draft.yaml.bak': 'notes\n' },
      [
        'jobs/draft.yaml.bak:1:1 warning: not read: only files ending in .yaml or .yml are read; rename it to jobs/draft.yaml if it is a spec',
      ],
    ],
    [
      'a JSON spec in a spec folder',
      { 'workstations/bob.json': JSON.stringify({ apiVersion: 'labops/v1', kind: 'Workstation' }) },
      [
        'workstations/bob.json:1:1 warning: this file holds a labops Workstation but is not read: only files ending in .yaml or .yml are read; rename it to workstations/bob.yaml',
      ],
    ],
    [
      'a second Lab file in a folder',
      { 'old/lab.yaml': LAB },
      [
        `old/lab.yaml:1:1 warning: this file holds a labops Lab but is not read: ${DEFAULT_READ}; a lab has one Lab file, labops.yaml at its root`,
      ],
    ],
  ])('%s', (_name, files, expected) => {
    const lab = makeLab(files);
    cleanups.push(lab.cleanup);

    const result = validateLab(lab.dir, { catalog });

    expect(warnings(result.problems)).toEqual(expected);
    expect(result.unread).toEqual(expected.map((line) => line.split(':')[0]));
    expect(result.valid).toBe(true);
  });

  it.each([
    [
      'a README in a spec folder quoting a spec in a code block',
      { 'workstations/README.md': `# Ours\n\n\`\`\`yaml\n${WS}\`\`\`\n` },
    ],
    [
      'YAML that is not labops (mkdocs, compose) at the root',
      { 'mkdocs.yml': 'site_name: lab\n', 'compose.yaml': 'services: {}\n' },
    ],
    ['notes in a spec folder', { 'workstations/NOTES.txt': 'who has which workstation\n' }],
    ['a hidden folder outside spec.paths', { '.github/workflows/lab.yml': WS, '.archive/bob.yaml': WS }],
    ['node_modules', { 'node_modules/pkg/spec.yaml': WS }],
    [
      'another lab nested in this one (its own labops.yaml)',
      { 'old-lab/labops.yaml': LAB, 'old-lab/workstations/bob.yaml': WS },
    ],
    ['a binary file named like a spec', { 'data/blob.yaml': new Uint8Array([0x61, 0x70, 0, 0x69]) }],
  ])('stays quiet about %s', (_name, files) => {
    const lab = makeLab(files);
    cleanups.push(lab.cleanup);

    const result = validateLab(lab.dir, { catalog });

    expect(result.problems).toEqual([]);
    expect(result.unread).toEqual([]);
  });

  it('never follows a symlink outside spec.paths (a link to a spec elsewhere is neither read nor warned)', () => {
    const outside = makeLab({ 'bob.yaml': WS }, null);
    const lab = makeLab({});
    cleanups.push(outside.cleanup, lab.cleanup);
    symlinkSync(join(outside.dir, 'bob.yaml'), join(lab.dir, 'bob.yaml'));
    mkdirSync(join(lab.dir, 'linked'));
    symlinkSync(outside.dir, join(lab.dir, 'linked', 'dir'));

    const result = validateLab(lab.dir, { catalog });

    expect(result.problems).toEqual([]);
  });

  it('the example lab has nothing unread', () => {
    const result = validateLab(join(packageRoot(), 'examples', 'lab'), { catalog });

    expect(result.problems).toEqual([]);
  });

  it('says so when it stops looking: a lab folder of more files than the search reads', () => {
    const files = new Map<string, string>([['labops.yaml', LAB]]);
    for (let i = 0; i <= UNREAD_SCAN_LIMIT; i++) files.set(`data/${i}.csv`, '');
    const tree = gitTree({
      where: 'big',
      entries: new Map([...files.keys()].map((path) => [path, { mode: '100644', id: path }])),
      blob: (id) => Buffer.from(files.get(id) ?? ''),
    });

    const result = validateLab(tree, { catalog });

    expect(warnings(result.problems)).toEqual([
      `labops.yaml:1:1 warning: the lab folder holds more than ${UNREAD_SCAN_LIMIT} files: labops stopped looking for specs outside spec.paths there`,
    ]);
    expect(result.unread).toEqual([]);
  });

  it("warns the same from a commit's git tree (gated runs read git objects)", () => {
    const files: Record<string, string> = {
      'labops.yaml': LAB,
      'workstations/base.yaml': readFileSync(join(BASE_LAB, 'workstations', 'base.yaml'), 'utf8'),
      'budgets/base.yaml': readFileSync(join(BASE_LAB, 'budgets', 'base.yaml'), 'utf8'),
      'workstation/bob.yaml': WS,
      'workstations/carol.yml.txt': WS.replace('bob-atmos', 'carol'),
      'README.md': '# lab\n',
    };
    const tree = gitTree({
      where: 'abc123:lab',
      entries: new Map(Object.keys(files).map((path) => [path, { mode: '100644', id: path }])),
      blob: (id) => Buffer.from(files[id] ?? ''),
    });

    const result = validateLab(tree, { catalog });

    expect(warnings(result.problems)).toEqual([
      `workstation/bob.yaml:1:1 warning: this file holds a labops Workstation but is not read: ${DEFAULT_READ}; ${DEFAULT_SET}, workstation], or move it to workstations/`,
      'workstations/carol.yml.txt:1:1 warning: this file holds a labops Workstation but is not read: only files ending in .yaml or .yml are read; rename it to workstations/carol.yml',
    ]);
  });
});
