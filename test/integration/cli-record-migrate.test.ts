/**
 * A run record that cannot be lost by moving it, through the built CLI against `labops sim`: a run
 * pointed at an empty record while the lab has live resources withholds its Job (Batch is not
 * asked again) and says so in one line; `labops record migrate` copies the record from the file to
 * the status branch and back, verified by reading it back, and refuses to overwrite a record.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { makeLab } from '../support/lab-fixture.js';
import { labQueues, startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const bin = join(packageRoot(), 'dist/reconciler/src/cli/main.js');
const FILES = {
  'labops.yaml': `apiVersion: labops/v1
kind: Lab
metadata: { name: record-lab }
spec:
  id: lab/record-lab
  aws: { accountId: "123456789012", defaultRegion: us-east-1 }
  policy: { requireBudget: false }
`,
  'workstations/ann.yaml': `apiVersion: labops/v1
kind: Workstation
metadata: { name: ann, owner: ann, project: lab }
spec:
  environment: base-ubuntu@^1
  instanceType: t3.large
`,
  'jobs/train.yaml': `apiVersion: labops/v1
kind: Job
metadata: { name: train, owner: ann, project: lab }
spec:
  queue: research-spot
  definition:
    image: public.ecr.aws/lab/model:1
    vcpus: 2
    memoryMiB: 4096
`,
};
const MISSING =
  'labops apply: the run record is missing but the lab has live resources: Jobs, snapshot schedules and budget alerts are withheld until the record is restored, migrated (labops record migrate), or --accept-empty-record is passed; workstations are managed as usual\n';

let sim: TestSim;
let lab: ReturnType<typeof makeLab>;
let root: string;

function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...argv],
      {
        cwd: lab.dir,
        env: { ...process.env, ...sim.env('us-east-1'), NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1', HOME: root },
      },
      (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}

const submitted = async (): Promise<number> => (await sim.control.calls())['Batch.SubmitJob'] ?? 0;

beforeAll(async () => {
  sim = await startTestSim({ log: () => {}, clock: { speed: 600 }, queues: labQueues('us-east-1') });
  lab = makeLab(FILES, null);
  root = mkdtempSync(join(tmpdir(), 'labops-migrate-'));
  const bare = join(root, 'origin.git');
  execFileSync('git', ['init', '-q', '--bare', '--initial-branch=main', bare]);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: lab.dir, env: { ...process.env, HOME: root } });
  git('init', '-q', '--initial-branch=main');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'lab');
  git('remote', 'add', 'origin', bare);
  git('push', '-q', 'origin', 'main');
});
afterAll(async () => {
  await sim.close();
  lab.cleanup();
  rmSync(root, { recursive: true, force: true });
});

describe('the run record when it moves (built CLI against the sim)', { timeout: 180_000 }, () => {
  it('a run with an empty record while the lab has live resources submits no Job and says so', async () => {
    // Arrange: the lab applied once with its file record
    const first = await cli('apply', lab.dir);
    expect(first.code, first.err + first.out).toBe(0);
    expect(await submitted()).toBe(1);

    // Act: pointed at a new, empty record
    const moved = await cli('apply', lab.dir, '--record', join(root, 'empty.json'));
    const again = await cli('apply', lab.dir, '--record', join(root, 'empty.json'));

    // Assert
    expect(moved.code, moved.err).toBe(0);
    expect(moved.err).toContain(MISSING);
    expect(again.err).toContain(MISSING);
    expect(await submitted()).toBe(1);
  });

  it('record migrate copies file → git → file with a verified read-back, and the moved record is used', async () => {
    // Act
    const toGit = await cli('record', 'migrate', lab.dir, '--from', 'file', '--to', 'git');
    const onGit = await cli('apply', lab.dir, '--record', 'git');
    const back = await cli('record', 'migrate', lab.dir, '--from', 'git', '--to', `file:${join(root, 'back.json')}`);
    const overwrite = await cli(
      'record',
      'migrate',
      lab.dir,
      '--from',
      'git',
      '--to',
      `file:${join(root, 'back.json')}`,
    );
    const onBack = await cli('apply', lab.dir, '--record', join(root, 'back.json'));

    // Assert
    expect(toGit.code, toGit.err).toBe(0);
    expect(toGit.out).toMatch(
      /^labops record migrate: copied the run record \(1 job\(s\), 0 alert\(s\), 0 snapshot schedule\(s\)\) from .*record\.json to git:labops-status and read it back: identical\n/,
    );
    expect(onGit.code, onGit.err).toBe(0);
    expect(onGit.err).not.toContain('run record is missing');
    expect(back.code, back.err).toBe(0);
    expect(overwrite.code).toBe(1);
    expect(overwrite.err).toMatch(
      /already holds a run record .*; nothing was copied \(pass --force to overwrite it\)\n$/,
    );
    expect(onBack.err).not.toContain('run record is missing');
    expect(await submitted()).toBe(1);
  });

  it('record migrate refuses a place with nothing in it and bad places', async () => {
    // Act
    const nothing = await cli(
      'record',
      'migrate',
      lab.dir,
      '--from',
      `file:${join(root, 'none.json')}`,
      '--to',
      'git:x',
    );
    const bad = await cli('record', 'migrate', lab.dir, '--from', 'off', '--to', 'git');
    const same = await cli('record', 'migrate', lab.dir, '--from', 'git', '--to', 'git');

    // Assert
    expect(nothing.code).toBe(1);
    expect(nothing.err).toMatch(/no run record at .*none\.json; nothing was copied/);
    expect(bad.err).toBe('labops record migrate: --from must be file, file:PATH, git or git:BRANCH (got off)\n');
    expect(same.err).toBe('labops record migrate: --from and --to are the same place (git:labops-status)\n');
  });
});
