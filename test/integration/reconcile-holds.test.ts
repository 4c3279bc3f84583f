/**
 * The scheduled container (`labops reconcile --record PATH`) reads held files at their last
 * approved version, as the Action does: a change apply on merge refused is never applied by a
 * later reconcile that does not look at GitHub at all.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyRecord } from '../../reconciler/src/model/record.js';
import { startReconcile, workstationYaml } from './reconcile-harness.js';
import type { ReconcileHarness } from './reconcile-harness.js';

let h: ReconcileHarness;
afterEach(async () => {
  await h.close();
});

describe('labops reconcile with held files in the run record', () => {
  const cases = [
    { name: 'a resize merged without approval is not applied', file: 'workstations/ann.yaml', tree: workstationYaml('ann', { instanceType: 'm6i.xlarge' }), approved: workstationYaml('ann') as string | null, expectType: 'm6i.large', expectLive: 1 },
    { name: 'a workstation added without approval is not launched', file: 'workstations/eve.yaml', tree: workstationYaml('eve', {}, 'eve'), approved: null, expectType: undefined, expectLive: 0 },
  ];
  it.each(cases)('$name, and a revert releases the hold', async ({ file, tree, approved, expectType, expectLive }) => {
    // Arrange: ann exists (applied earlier); the tree now has the unapproved change; the record holds it.
    h = await startReconcile({ 'workstations/ann.yaml': workstationYaml('ann') });
    const record = join(h.dir, '.labops', 'record.json');
    expect((await h.run('apply')).applied?.ok).toBe(true);
    const name = /name: (\w+)/.exec(tree)![1]!;
    mkdirSync(join(h.dir, 'workstations'), { recursive: true });
    h.write(file, tree);
    mkdirSync(join(h.dir, '.labops'), { recursive: true });
    const held = emptyRecord();
    held.holds = { [file]: { baseContent: approved, sha: 'a'.repeat(40), since: '2026-09-01T12:00:00.000Z', updatedAt: '2026-09-01T12:00:00.000Z', reasons: ['needs its owner or a Lab admin (pi)'] } };
    writeFileSync(record, JSON.stringify(held));

    // Act
    const reconciled = await h.cli('reconcile', '--record', record);
    const live = await h.instances(name);
    if (approved === null) h.remove(file);
    else h.write(file, approved);
    const afterRevert = await h.cli('plan', '--record', record, '--format', 'json');

    // Assert
    expect(reconciled.code, reconciled.err).toBe(0);
    expect(reconciled.out).toContain(`held: ${file} — merged in aaaaaaaaaaaa without the approval it needs (needs its owner or a Lab admin (pi)); its last approved version is used`);
    expect(live).toHaveLength(expectLive);
    if (expectType) expect(live[0]!.instanceType).toBe(expectType);
    expect(JSON.parse(afterRevert.out).held).toEqual([]);
    expect(JSON.parse(readFileSync(record, 'utf8')).holds[file]).toMatchObject({ clearedBy: 'reverted' });
  });
});
