/**
 * The lab's identity through the built CLI against `labops sim`: an id derived from the folder is
 * warned about; once labops.yaml declares another id, the workstations made under the old one are
 * named in one warning line and never duplicated; `labops adopt --from OLD-ID` shows, then applies
 * the retagging, and a second run changes nothing; `labops adopt --instance` brings a hand-made
 * instance under labops.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeImagesCommand, DescribeInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeComputeEnvironmentsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-batch';
import type { _InstanceType } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { makeLab } from '../support/lab-fixture.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const bin = join(packageRoot(), 'dist/reconciler/src/cli/main.js');
const LAB = `apiVersion: labops/v1
kind: Lab
metadata: { name: hartley-lab }
spec:
  aws: { accountId: "123456789012", defaultRegion: us-east-1 }
  policy: { requireBudget: false }
`;
const ws = (name: string, type = 't3.large'): string =>
  `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ${name}, owner: ann, project: lab }\nspec:\n  environment: base-ubuntu@^1\n  instanceType: ${type}\n  storage: { volumes: [{ name: data, sizeGiB: 10 }] }\n`;

interface Ran {
  code: number;
  out: string;
  err: string;
}

let sim: TestSim;
let lab: ReturnType<typeof makeLab>;

/** The built CLI in a child process (the sim serves from this one, so never spawnSync). */
function cli(...argv: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...argv],
      { cwd: lab.dir, env: { ...process.env, ...sim.env('us-east-1'), NO_COLOR: '1', GITHUB_REPOSITORY: '' } },
      (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}

/** `labops:repo` of every live instance, by `labops:name` (or the id for untagged ones). */
async function owners(): Promise<Record<string, string>> {
  const out = await sim.ec2('us-east-1').send(new DescribeInstancesCommand({}));
  const result: Record<string, string> = {};
  for (const i of (out.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
    if (i.State?.Name === 'terminated') continue;
    const tags = Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value]));
    result[tags['labops:name'] ?? i.InstanceId!] = tags['labops:repo'] ?? '(none)';
  }
  return result;
}

/** A hand-made instance (no tags) of `type`, from a public image the sim has. */
async function handMade(type: _InstanceType): Promise<string> {
  const images = await sim
    .ec2('us-east-1')
    .send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'architecture', Values: ['x86_64'] }] }));
  const made = await sim
    .ec2('us-east-1')
    .send(
      new RunInstancesCommand({ ImageId: images.Images![0]!.ImageId!, InstanceType: type, MinCount: 1, MaxCount: 1 }),
    );
  return made.Instances![0]!.InstanceId!;
}

const mutations = async (): Promise<number> =>
  Object.entries(await sim.control.calls())
    .filter(([op]) => /^EC2\.(CreateTags|RunInstances)$/.test(op))
    .reduce((n, [, count]) => n + count, 0);

beforeAll(async () => {
  sim = await startTestSim({ log: () => {}, clock: { speed: 600 } });
  lab = makeLab({ 'labops.yaml': LAB, 'workstations/ann.yaml': ws('ann'), 'workstations/bea.yaml': ws('bea') }, null);
});
afterAll(async () => {
  await sim.close();
  lab.cleanup();
});

describe('lab identity (built CLI against the sim)', { timeout: 120_000 }, () => {
  it('warns when the id is derived, and applies under it', async () => {
    // Act
    const applied = await cli('apply', lab.dir);

    // Assert
    expect(applied.code, applied.err + applied.out).toBe(0);
    expect(applied.err).toContain(
      'warning: labops.yaml declares no spec.id; this run uses the derived id local/hartley-lab',
    );
    expect(await owners()).toEqual({ ann: 'local/hartley-lab', bea: 'local/hartley-lab' });
  });

  it('names the workstations of the old id in one line and creates no duplicate', async () => {
    // Arrange: the lab now declares its id
    writeFileSync(join(lab.dir, 'labops.yaml'), LAB.replace('spec:\n', 'spec:\n  id: hartley/lab\n'));

    // Act
    const plan = await cli('plan', lab.dir, '--format', 'json');
    const applied = await cli('apply', lab.dir);

    // Assert
    expect(plan.code, plan.err).toBe(0);
    const warnings = plan.err.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toEqual([
      'warning: 2 workstation(s) named like this lab\'s (ann, bea) run under another lab id "local/hartley-lab", not hartley/lab: creating them again is refused; `labops adopt --from "local/hartley-lab"` moves them to this lab',
    ]);
    const body = JSON.parse(plan.out) as { plan: { actions: unknown[]; refusals: { code: string }[] } };
    expect(body.plan.actions).toEqual([]);
    expect(body.plan.refusals.map((r) => r.code)).toEqual(['foreign-duplicate', 'foreign-duplicate']);
    expect(applied.code, applied.err).toBe(0);
    expect(await owners()).toEqual({ ann: 'local/hartley-lab', bea: 'local/hartley-lab' });
  });

  it('adopt --from shows the retagging, --apply does it, and a second run changes nothing', async () => {
    // Arrange: a JobQueue's compute environment and queue made under the old id (Batch tags).
    const batch = sim.batch('us-east-1');
    const oldTags = { 'labops:repo': 'local/hartley-lab', 'labops:kind': 'JobQueue', 'labops:name': 'spot' };
    const ce = await batch.send(
      new CreateComputeEnvironmentCommand({
        computeEnvironmentName: 'labops-spot-ce',
        type: 'MANAGED',
        state: 'ENABLED',
        computeResources: {
          type: 'SPOT',
          maxvCpus: 16,
          minvCpus: 0,
          instanceTypes: ['optimal'],
          subnets: ['subnet-0a1b2c3d4e5f60718'],
          securityGroupIds: ['sg-0a1b2c3d4e5f60718'],
          allocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
        },
        tags: oldTags,
      }),
    );
    // At 600× a CE is VALID (30 simulated seconds) within moments; a queue may only use a VALID one.
    for (let i = 0; i < 100; i++) {
      const [env] = (
        await batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: ['labops-spot-ce'] }))
      ).computeEnvironments!;
      if (env?.status === 'VALID') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const queue = await batch.send(
      new CreateJobQueueCommand({
        jobQueueName: 'labops-spot',
        priority: 1,
        state: 'ENABLED',
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: ce.computeEnvironmentArn! }],
        tags: oldTags,
      }),
    );
    const batchRepo = async (arn: string): Promise<string | undefined> =>
      (await batch.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags?.['labops:repo'];
    const before = await mutations();

    // Act
    const shown = await cli('adopt', lab.dir, '--from', 'local/hartley-lab');
    const afterShow = await mutations();
    const done = await cli('adopt', lab.dir, '--from', 'local/hartley-lab', '--apply');
    const again = await cli('adopt', lab.dir, '--from', 'local/hartley-lab', '--apply');
    const plan = await cli('plan', lab.dir, '--detailed-exitcode');

    // Assert
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toMatch(
      /~ instance i-[0-9a-f]+ \(ann, us-east-1\): labops:repo local\/hartley-lab → hartley\/lab/,
    );
    expect(shown.out, shown.out).toMatch(/~ volume vol-[0-9a-f]+ \(ann, us-east-1\)/);
    expect(shown.out).toContain(
      '~ compute environment labops-spot-ce (spot, us-east-1): labops:repo local/hartley-lab → hartley/lab',
    );
    expect(shown.out).toContain(
      '~ job queue labops-spot (spot, us-east-1): labops:repo local/hartley-lab → hartley/lab',
    );
    expect(afterShow).toBe(before);
    expect(done.code, done.err).toBe(0);
    expect(done.out).toMatch(/retagged \d+ resource\(s\) from local\/hartley-lab to hartley\/lab/);
    expect(again.out).toBe(
      'labops adopt: nothing is tagged labops:repo=local/hartley-lab in us-east-1; nothing to do\n',
    );
    expect(await mutations()).toBe(afterShow + 1);
    expect(await owners()).toEqual({ ann: 'hartley/lab', bea: 'hartley/lab' });
    expect([await batchRepo(ce.computeEnvironmentArn!), await batchRepo(queue.jobQueueArn!)]).toEqual([
      'hartley/lab',
      'hartley/lab',
    ]);
    expect(plan.code, plan.out + plan.err).toBe(0);
    expect(plan.err).not.toContain('warning:');
  });

  it('adopt --instance makes a hand-made instance a workstation; a second run changes nothing', async () => {
    // Arrange
    writeFileSync(join(lab.dir, 'workstations/cy.yaml'), ws('cy', 'm6i.large'));
    const id = await handMade('m6i.large');

    // Act
    const wrongName = await cli('adopt', lab.dir, '--instance', id, 'nobody', '--apply');
    const adopted = await cli('adopt', lab.dir, '--instance', id, 'cy', '--apply');
    const again = await cli('adopt', lab.dir, '--instance', id, 'cy', '--apply');
    const plan = await cli('plan', lab.dir, '--format', 'json');

    // Assert
    expect(wrongName.code).toBe(1);
    expect(wrongName.err).toBe(
      'labops adopt: no Workstation spec named "nobody" in the lab (write its spec first); nothing was changed\n',
    );
    expect(adopted.code, adopted.err).toBe(0);
    expect(adopted.out).toContain(`labops adopt: ${id} is now workstation cy of hartley/lab\n`);
    expect(again.out).toBe(`labops adopt: ${id} is already workstation cy of hartley/lab; nothing to do\n`);
    expect((await owners()).cy).toBe('hartley/lab');
    const body = JSON.parse(plan.out) as { plan: { actions: { kind: string; resource: { name: string } }[] } };
    expect(body.plan.actions.filter((a) => a.resource.name === 'cy').map((a) => a.kind)).not.toContain('create');
  });

  it('adopt --instance refuses an instance of the wrong type', async () => {
    // Arrange
    const id = await handMade('m6i.xlarge');
    writeFileSync(join(lab.dir, 'workstations/dee.yaml'), ws('dee', 't3.large'));

    // Act
    const refused = await cli('adopt', lab.dir, '--instance', id, 'dee', '--apply');

    // Assert
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      `labops adopt: ${id} is a m6i.xlarge, but workstation dee asks for t3.large (change the spec or the instance first); nothing was changed\n`,
    );
    expect(readFileSync(join(lab.dir, 'labops.yaml'), 'utf8')).toContain('id: hartley/lab');
  });
});
