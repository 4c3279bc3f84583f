/** The CLI when another run holds the lease: reconcile skips the round (exit 0), apply refuses (exit 1); neither changes AWS. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileLeaseRegister } from '../../reconciler/src/record/file-store.js';
import { acquireLease } from '../../reconciler/src/record/lease.js';
import { startReconcile, workstationYaml } from './reconcile-harness.js';
import type { ReconcileHarness } from './reconcile-harness.js';

let h: ReconcileHarness;
afterEach(async () => {
  await h.close();
});

describe('labops apply/reconcile with the lease held elsewhere', () => {
  it.each([
    {
      command: 'reconcile',
      code: 0,
      message:
        /^labops reconcile: skipped: another labops run holds the lease on .*record\.json\.lease: action apply by action-42 on .*; the next run will try again$/m,
    },
    {
      command: 'apply',
      code: 1,
      message:
        /^labops apply: another labops run holds the lease on .*record\.json\.lease: action apply by action-42 .*; nothing was changed$/m,
    },
  ])('$command exits $code and makes no change', async ({ command, code, message }) => {
    h = await startReconcile({ 'workstations/ann.yaml': workstationYaml('ann') });
    const held = await acquireLease(fileLeaseRegister(join(h.dir, '.labops', 'record.json.lease')), {
      kind: 'action apply',
      holder: 'action-42',
    });

    const result = await h.cli(command, '--lease-wait', '1s');
    await held.release();

    expect(result.code).toBe(code);
    expect(result.err).toMatch(message);
    expect(await h.mutations()).toEqual({});
  });
});
