/** `labops status --from-record`: what the last apply left, read without AWS (no credentials, zero calls). */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../../reconciler/src/cli/run-cli.js';
import { loadCatalog } from '../../reconciler/src/environments/catalog.js';
import { fileRecordStore } from '../../reconciler/src/record/file-store.js';
import { appliedOf, run } from '../../reconciler/src/engine/pipeline.js';
import { captureIo } from '../support/io.js';
import { REPO, startReconcile, workstationYaml } from './reconcile-harness.js';
import type { ReconcileHarness } from './reconcile-harness.js';

let h: ReconcileHarness;
afterEach(async () => {
  await h.close();
});

describe('labops status --from-record', () => {
  it('shows the instances the last apply left, from the run record, with no AWS call at all', async () => {
    h = await startReconcile({
      'workstations/ann.yaml': workstationYaml('ann'),
      'workstations/ben.yaml': workstationYaml('ben', { state: 'stopped' }, 'ben'),
    });
    const applied = await run(
      { dir: h.dir, mode: 'apply', now: await h.now(), repo: () => Promise.resolve(REPO) },
      {
        catalog: loadCatalog().environments,
        ports: () => h.ports,
        sleep: (ms) => h.sim.control.advance(`${Math.ceil(ms / 1000)}s`).then(() => undefined),
        record: fileRecordStore(join(h.dir, '.labops', 'record.json')),
      },
    );
    const [ann] = await h.instances('ann');
    await h.sim.control.resetCalls();
    const io = captureIo(h.dir, { NO_COLOR: '1' });

    const code = await runCli(['status', '--from-record', '--format', 'json', '--repo', REPO], io);

    expect(appliedOf(applied)?.ok).toBe(true);
    expect(code).toBe(0);
    expect(await h.sim.control.calls()).toEqual({});
    const status = JSON.parse(io.out) as { workstations: { name: string; instanceId?: string; state?: string }[] };
    expect(status.workstations.map((w) => [w.name, w.instanceId, w.state])).toEqual([
      ['ann', ann!.instanceId, 'running'],
      ['ben', expect.stringMatching(/^i-/), 'stopped'],
    ]);
  });
});
