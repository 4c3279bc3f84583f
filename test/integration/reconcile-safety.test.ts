/**
 * Issue 4 end to end, the safety rules: orphans vs prune, drift reported vs self-healed,
 * lookalikes never touched, the wrong account refused, and an invalid spec leaving its instance
 * alone — through the whole pipeline (and the CLI) against the simulator.
 */
import { DescribeImagesCommand, RunInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ec2Volume } from '../../reconciler/src/sim/ec2/model.js';
import { actionsOf, labYaml, startReconcile, workstationYaml } from './reconcile-harness.js';
import type { ReconcileHarness } from './reconcile-harness.js';

let h: ReconcileHarness;
afterEach(async () => {
  await h.close();
});

const TWO = {
  'workstations/alice.yaml': workstationYaml('alice-ws'),
  'workstations/bob.yaml': workstationYaml('bob-ws', {}, 'bob'),
};

async function stateOf(instanceId: string): Promise<string> {
  const state = (await h.sim.control.state()).ec2 as { instances: Record<string, { state: string }> };
  return state.instances[instanceId]?.state ?? 'gone';
}

async function volume(volumeId: string): Promise<Ec2Volume | undefined> {
  return ((await h.sim.control.state()).ec2 as { volumes: Record<string, Ec2Volume> }).volumes[volumeId];
}

describe('orphans and prune', () => {
  it('reports a workstation whose file was deleted as an orphan (prune: false), then destroys it with prune: true, keeping its data volume', async () => {
    h = await startReconcile(TWO);
    await h.run('apply');
    const [bob] = await h.instances('bob-ws');
    const data = bob!.attachments.find((a) => a.name === 'data')!;
    h.remove('workstations/bob.yaml');
    const settled = await h.mutations();

    const reported = await h.run('apply');
    const untouched = await h.mutations();
    h.write('labops.yaml', labYaml({ prune: true }));
    const pruned = await h.run('apply');

    expect(actionsOf(reported)).toEqual(['orphan bob-ws']);
    expect(reported.plan?.actions[0]).toMatchObject({
      rule: 'orphan: no spec',
      reason: expect.stringMatching(/prune is off, so labops leaves it$/),
    });
    expect(untouched).toEqual(settled);
    expect(actionsOf(pruned)).toEqual(['destroy bob-ws']);
    expect(pruned.plan?.actions[0]?.rule).toBe('prune');
    expect(pruned.applied?.ok).toBe(true);
    expect(await stateOf(bob!.instanceId)).toMatch(/^(terminated|gone)$/);
    expect(await volume(data.volumeId)).toMatchObject({ state: 'available' });
    expect((await h.instances('alice-ws')).map((i) => i.state)).toEqual(['running']);
    const status = JSON.parse(
      (await h.cli('status', '--format', 'json', '--now', (await h.now()).toISOString())).out,
    ) as { keptVolumes: { name: string; volumeId: string }[] };
    expect(status.keptVolumes.filter((v) => v.name === 'bob-ws').map((v) => v.volumeId)).toContain(data.volumeId);
  });
});

describe('drift', () => {
  it.each([
    ['selfHeal: false reports it and leaves the instance stopped', false, ['drift alice-ws'], 'stopped'],
    ['selfHeal: true starts it again', true, ['start alice-ws'], 'running'],
  ])('an instance stopped outside labops: %s', async (_name, selfHeal, expected, finalState) => {
    h = await startReconcile(TWO, { selfHeal });
    await h.run('apply');
    const [alice] = await h.instances('alice-ws');
    await h.sim.ec2().send(new StopInstancesCommand({ InstanceIds: [alice!.instanceId] }));
    await h.sim.control.advance('1m');
    const before = await h.mutations();

    const result = await h.run('apply');
    const after = await h.mutations();

    expect(actionsOf(result)).toEqual(expected);
    expect(result.plan?.actions[0]?.rule).toBe('drift: stopped outside labops');
    expect(await stateOf(alice!.instanceId)).toBe(finalState);
    if (!selfHeal) expect(after).toEqual(before);
  });
});

describe('unowned lookalikes', () => {
  it.each([
    ['no labops:repo tag', {}],
    ["another repository's tag", { 'labops:repo': 'someone/else' }],
  ])('never plans or touches an instance named like a workstation with %s (prune: true)', async (_name, repoTag) => {
    h = await startReconcile(TWO, { prune: true });
    const images = await h.sim
      .ec2()
      .send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'architecture', Values: ['x86_64'] }] }));
    const image = images.Images![0]!.ImageId!;
    const ids: string[] = [];
    for (const name of ['alice-ws', 'carol-ws']) {
      const tags = {
        Name: name,
        'labops:name': name,
        'labops:kind': 'Workstation',
        'labops:project': 'neuro',
        'labops:owner': 'alice',
        ...repoTag,
      };
      const out = await h.sim.ec2().send(
        new RunInstancesCommand({
          ImageId: image,
          InstanceType: 'm6i.large',
          MinCount: 1,
          MaxCount: 1,
          TagSpecifications: [
            { ResourceType: 'instance', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
          ],
        }),
      );
      ids.push(out.Instances![0]!.InstanceId!);
    }
    await h.sim.control.advance('1m');

    const first = await h.run('apply');
    const second = await h.run('apply');

    // An instance of another lab id named like a spec is not duplicated silently: its create is refused
    // (`foreign-duplicate`, docs/cli.md "The lab's identity"); one with no labops:repo tag is not labops' at all.
    const foreign = Object.keys(repoTag).length > 0;
    expect(actionsOf(first)).toEqual(foreign ? ['create bob-ws'] : ['create alice-ws', 'create bob-ws']);
    expect(first.plan?.refusals.filter((r) => r.code === 'foreign-duplicate').length).toBe(foreign ? 1 : 0);
    expect(first.plan?.actions.some((a) => a.instanceId !== undefined && ids.includes(a.instanceId))).toBe(false);
    expect(actionsOf(second)).toEqual([]);
    expect([await stateOf(ids[0]!), await stateOf(ids[1]!)]).toEqual(['running', 'running']);
  });
});

describe('wrong account', () => {
  it('refuses apply with zero mutating calls and exit 1 (CLI)', async () => {
    h = await startReconcile(TWO, { accountId: '999999999999' });

    const applied = await h.cli('apply');
    const planned = await h.cli('plan', '--format', 'json');

    expect(applied.code).toBe(1);
    expect(applied.out).toMatch(/apply refused.*account 123456789012 is not the lab's account 999999999999/);
    expect(await h.mutations()).toEqual({});
    expect(
      (JSON.parse(planned.out) as { plan: { refusals: { code: string }[] } }).plan.refusals.map((r) => r.code),
    ).toEqual(['wrong-account']);
  });
});

describe('invalid spec', () => {
  it("leaves an invalid workstation's instance as is (no destroy even with prune: true), reconciles the others, exits 1 showing the error", async () => {
    h = await startReconcile(TWO, { prune: true });
    await h.run('apply');
    const [bob] = await h.instances('bob-ws');
    h.write('workstations/bob.yaml', `${workstationYaml('bob-ws', {}, 'bob')}  colour: red\n`);
    h.write('workstations/alice.yaml', workstationYaml('alice-ws', {}, 'alice', { course: 'psy101' }));

    const planned = await h.cli('plan', '--format', 'json');
    const applied = await h.cli('apply');
    const [alice] = await h.instances('alice-ws');
    const [bobAfter] = await h.instances('bob-ws');

    expect(planned.code).toBe(1);
    const plan = (JSON.parse(planned.out) as { plan: { actions: { kind: string; resource: { name: string } }[] } })
      .plan;
    expect(plan.actions.map((a) => `${a.kind} ${a.resource.name}`)).toEqual(['retag alice-ws']);
    expect(applied.code).toBe(1);
    expect(applied.out).toMatch(/workstations\/bob\.yaml:\d+:\d+: .*colour/);
    expect(alice?.tags['labops:label:course']).toBe('psy101');
    expect(bobAfter).toEqual(bob);
  });
});
