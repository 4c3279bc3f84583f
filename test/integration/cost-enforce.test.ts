import { afterEach, describe, expect, it } from 'vitest';
import { TAG } from '../../reconciler/src/model/tags.js';
import { costBudget, costWorkstation, startCostHarness } from './cost-harness.js';
import type { CostHarness } from './cost-harness.js';

let harness: CostHarness | undefined;
afterEach(async () => harness?.close());

const START = Date.parse('2026-10-05T12:00:00Z');
const at = (hours: number): string => new Date(START + hours * 3_600_000).toISOString();

interface SimInstance {
  state: string;
  stateReason?: string;
  tags: Record<string, string>;
}

async function statesByName(h: CostHarness): Promise<Record<string, string>> {
  const state = (await h.h.sim.control.state()) as unknown as { ec2: { instances: Record<string, SimInstance> } };
  const out: Record<string, string> = {};
  for (const i of Object.values(state.ec2.instances))
    if (i.state !== 'terminated')
      out[i.tags[TAG.name] ?? ''] =
        i.state === 'stopped' && JSON.stringify(i.stateReason ?? '').includes('Hibernate') ? 'hibernated' : i.state;
  return out;
}

const HIBERNATE = '  hibernation: true\n';
/** Two neuro workstations (m6i.large, about $0.10/h each) and one atmos workstation. */
const FILES = {
  'workstations/ana.yaml': costWorkstation('ana', 'neuro', HIBERNATE).replace('rootGiB: 60', 'rootGiB: 70'),
  'workstations/ben.yaml': costWorkstation('ben', 'neuro', HIBERNATE).replace('rootGiB: 60', 'rootGiB: 70'),
  'workstations/cy.yaml': costWorkstation('cy', 'atmos'),
};

describe('budget enforcement', () => {
  it('hibernates exactly the project’s workstations at 100%, with the rule in the plan, and leaves others running', async () => {
    harness = await startCostHarness(
      {
        ...FILES,
        'budgets/neuro.yaml': costBudget(
          'neuro-monthly',
          'neuro',
          5,
          '  period: { every: month }\n  actions: [ { atPercent: 100, do: hibernate } ]\n',
        ),
      },
      at(0),
    );
    await harness.reconcile(at(0));

    const over = await harness.reconcile(at(40));

    const status = over.budgets!.statuses[0]!;
    const actions = over.plan!.actions.filter((a) => a.kind !== 'retag').map((a) => [a.kind, a.resource.name, a.rule]);
    const rule = `budget neuro-monthly at ${Math.floor(status.spentPercent)}% of $5`;
    expect(status.spentPercent).toBeGreaterThanOrEqual(100);
    expect(actions).toEqual([
      ['hibernate', 'ana', rule],
      ['hibernate', 'ben', rule],
    ]);
    expect(over.applied!.ok).toBe(true);
    expect(await statesByName(harness)).toEqual({ ana: 'hibernated', ben: 'hibernated', cy: 'running' });
  }, 60_000);

  it('block-launches refuses a new workstation in the project with a clear message, leaves running ones alone, and launches in other projects', async () => {
    harness = await startCostHarness(
      {
        ...FILES,
        'budgets/neuro.yaml': costBudget(
          'neuro-monthly',
          'neuro',
          5,
          '  period: { every: month }\n  actions: [ { atPercent: 95, do: block-launches } ]\n',
        ),
      },
      at(0),
    );
    await harness.reconcile(at(0));
    harness.write({
      'workstations/dee.yaml': costWorkstation('dee', 'neuro'),
      'workstations/eve.yaml': costWorkstation('eve', 'atmos'),
    });

    const blocked = await harness.reconcile(at(40));

    const percent = Math.floor(blocked.budgets!.statuses[0]!.spentPercent);
    expect(blocked.plan!.refusals).toEqual([
      {
        code: 'budget-blocked',
        message: `workstation dee: launch blocked by budget neuro-monthly at ${percent}% of $5 (project neuro)`,
        resource: { kind: 'Workstation', name: 'dee' },
      },
    ]);
    expect(blocked.plan!.actions.filter((a) => a.kind !== 'retag').map((a) => [a.kind, a.resource.name])).toEqual([
      ['create', 'eve'],
    ]);
    expect(await statesByName(harness)).toEqual({ ana: 'running', ben: 'running', cy: 'running', eve: 'running' });
  }, 60_000);

  it('notifies on actual spend (not the forecast) without touching anything', async () => {
    harness = await startCostHarness(
      {
        ...FILES,
        'budgets/neuro.yaml': costBudget(
          'neuro-monthly',
          'neuro',
          5,
          '  period: { every: month }\n  thresholds: []\n  actions: [ { atPercent: 90, do: notify } ]\n',
        ),
      },
      at(0),
    );
    const first = await harness.reconcile(at(0));

    const over = await harness.reconcile(at(40));

    const status = over.budgets!.statuses[0]!;
    expect(first.budgets!.statuses[0]!.forecastPercent).toBeGreaterThan(90);
    // The notify at 90% waits for actual spend; only the forecast overrun alerts at once (issue 17).
    expect(first.budgets!.statuses[0]!.newAlerts.map((a) => [a.percent, a.basis])).toEqual([[100, 'forecast']]);
    expect(status.newAlerts.map((a) => [a.percent, a.basis])).toEqual([[90, 'actual']]);
    expect(status.budget.notify).toEqual(['@pi']);
    expect(over.plan!.actions.filter((a) => a.kind !== 'retag')).toEqual([]);
  }, 60_000);
});
