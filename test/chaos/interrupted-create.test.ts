/**
 * Found by the chaos suite: a create that fails after RunInstances (its later calls throttled past
 * the SDK's retries, or the process killed) left an instance that no later reconcile finished —
 * launched tagged with the power state it was yet to reach, so its real state read as drift
 * ("started outside labops", left alone without selfHeal), and its volumes unnamed, so its data
 * volumes read as "in the spec but not attached". Reconciling again must finish the job.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TAG } from '../../reconciler/src/model/tags.js';
import type { Ec2Volume } from '../../reconciler/src/sim/ec2/model.js';
import { actionsOf, startReconcile, workstationYaml } from '../integration/reconcile-harness.js';
import type { ReconcileHarness } from '../integration/reconcile-harness.js';

let h: ReconcileHarness;
afterEach(async () => {
  await h.close();
});

/** `device name` of every data volume in the account ('-' for one without `labops:volume`); the root is known by its device. */
async function volumeNames(): Promise<string[]> {
  const state = (await h.sim.control.state()) as unknown as { ec2: { volumes: Record<string, Ec2Volume> } };
  const device = (v: Ec2Volume): string => v.attachment?.device ?? 'detached';
  return Object.values(state.ec2.volumes)
    .map((v) => (device(v) === '/dev/sda1' ? 'root' : `${device(v)} ${v.tags[TAG.volume] ?? '-'}`))
    .sort();
}

describe('a create interrupted after its launch', () => {
  it.each([
    // Naming the volumes and the power change run side by side: the hibernate or stop still
    // happens when the CreateTags fail, so the next reconcile only retags.
    [
      'hibernated, CreateTags throttled',
      { hibernation: true, state: 'hibernated' },
      'EC2.CreateTags',
      ['retag alice-ws'],
      'stopped',
    ],
    ['stopped, CreateTags throttled', { state: 'stopped' }, 'EC2.CreateTags', ['retag alice-ws'], 'stopped'],
    ['stopped, StopInstances throttled', { state: 'stopped' }, 'EC2.StopInstances', ['stop alice-ws'], 'stopped'],
    ['running, CreateTags throttled', {}, 'EC2.CreateTags', ['retag alice-ws'], 'running'],
  ])('is finished by the next reconcile: %s', async (_name, spec, operation, next, state) => {
    const volumes = {
      storage: {
        rootGiB: 40,
        volumes: [
          { name: 'data', sizeGiB: 20, type: 'gp3' },
          { name: 'scratch', sizeGiB: 30, type: 'gp3' },
        ],
      },
    };
    h = await startReconcile(
      { 'workstations/alice.yaml': workstationYaml('alice-ws', { ...volumes, ...spec }) },
      {},
      { start: '2026-09-02T15:00:00Z' },
    );
    await h.sim.control.faults({ rules: [{ operation, kind: 'throttle' }] });
    const interrupted = await h.run('apply');
    await h.sim.control.faults({ rules: [] });
    await h.sim.control.advance('3m');

    const finished = await h.run('apply');
    const after = await h.run('plan');

    expect(interrupted.applied?.results.map((r) => [r.actionId, r.status, r.error?.code])).toEqual([
      ['Workstation/alice-ws/create', 'failed', 'RequestLimitExceeded'],
    ]);
    expect(actionsOf(finished)).toEqual(next);
    expect(finished.applied?.ok).toBe(true);
    expect(actionsOf(after)).toEqual([]);
    const [instance] = await h.instances('alice-ws');
    expect(instance?.state).toBe(state);
    expect(await volumeNames()).toEqual(['/dev/sdf data', '/dev/sdg scratch', 'root']);
  });
});
