/**
 * One state vocabulary across status, cost and STATUS.md (issue 16 item 7): a workstation that
 * AWS stopped by hibernating it is `hibernated` in all three, and a plain stop `stopped` in all
 * three. model/workstation-inventory.ts `workstationState` owns the mapping from EC2's state.
 */
import { describe, expect, it } from 'vitest';
import { projectCosts } from '../../../reconciler/src/kinds/budget/cost-report.js';
import { recordResources } from '../../../reconciler/src/kinds/workstation/record.js';
import { buildStatus } from '../../../reconciler/src/kinds/workstation/status-rows.js';
import { emptyRecord } from '../../../reconciler/src/model/record.js';
import { renderStatusFile } from '../../../reconciler/src/record/status-md.js';
import { desired, instanceOf, NIGHT, observed, schedule, workstation } from '../kinds/workstation/plan-fixtures.js';

const ws = workstation({
  instanceType: 'r7i.large',
  hibernation: true,
  schedule: schedule('Mon-Fri 08:00-19:00', 'hibernate'),
});

describe('one state vocabulary', () => {
  it.each([
    ['a hibernate stop', 'Client.UserInitiatedHibernate', 'hibernated'],
    ['a plain stop', 'Client.UserInitiatedShutdown', 'stopped'],
  ])('%s reads %s in status, cost and STATUS.md', (_name, stateReason, word) => {
    // Arrange
    const instance = instanceOf(ws, { state: 'stopped', stateReason });
    const seen = observed([instance]);
    const lab = desired([ws]);

    // Act
    const status = buildStatus(lab, seen, NIGHT).workstations.find((w) => w.name === ws.name)?.state;
    const spender = projectCosts(lab, seen, NIGHT)
      .flatMap((p) => p.top)
      .find((s) => s.name === ws.name);
    const cost = spender?.kind === 'workstation' ? spender.state : undefined;
    const markdown = renderStatusFile(recordResources([instance], NIGHT)(emptyRecord()));

    // Assert
    expect([status, cost]).toEqual([word, word]);
    expect(markdown).toMatch(
      new RegExp(`\\| ${ws.name} \\| ${ws.owner} \\| ${word} \\| .* \\| ${instance.instanceId} \\(`),
    );
  });
});
