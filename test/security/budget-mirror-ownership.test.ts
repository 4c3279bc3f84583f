/**
 * The AWS Budgets mirror never changes a budget it does not own: the name (`labops LAB-ID BUDGET`)
 * proves nothing, anyone can create a budget of that name. Before an update or a delete, apply
 * reads the budget's tags again and refuses unless `labops:repo` is this lab's id, and a create
 * that finds the name taken by someone else's budget fails without touching it. Each case is an
 * action handed straight to the executor (as a stale or forged plan would be), against `labops sim`.
 */
import {
  CreateBudgetCommand,
  DescribeBudgetCommand,
  DescribeNotificationsForBudgetCommand,
} from '@aws-sdk/client-budgets';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../reconciler/src/engine/apply/index.js';
import { desiredAwsBudget } from '../../reconciler/src/kinds/budget/mirror/desired.js';
import type { Action, Plan } from '../../reconciler/src/model/plan.js';
import { ACCOUNT, REPO, startReconcile } from '../integration/reconcile-harness.js';
import type { ReconcileHarness } from '../integration/reconcile-harness.js';

let h: ReconcileHarness;
afterEach(async () => {
  await h.close();
});

const mirror = desiredAwsBudget(
  {
    name: 'neuro-fall',
    project: 'neuro',
    limitUSD: 500,
    period: { every: 'month' },
    thresholds: [50],
    actions: [],
    notify: ['pi@uni.edu'],
  },
  { repo: REPO },
);

function action(details: Action['details']): Plan {
  return {
    now: '2026-10-01T00:00:00.000Z',
    refusals: [],
    monthlyDeltaUSD: 0,
    actions: [
      {
        id: `Budget/neuro-fall/${details.kind}`,
        kind: details.kind,
        resource: { kind: 'Budget', name: 'neuro-fall' },
        region: 'us-east-1',
        rule: 'prune',
        reason: 'test',
        monthlyDeltaUSD: 0,
        destructive: false,
        details,
        after: [],
      } as Action,
    ],
  };
}

describe('the AWS budget mirror and budgets it does not own', () => {
  it.each([
    ['no labops:repo tag', []],
    ['another lab id', [{ Key: 'labops:repo', Value: 'other-org/other-lab' }]],
  ])('refuses update-aws-budget and delete-aws-budget on a budget of the name with %s', async (_what, tags) => {
    // Arrange: someone else's budget under the mirror's name, with one notification.
    h = await startReconcile({});
    const budgets = h.sim.budgets();
    await budgets.send(
      new CreateBudgetCommand({
        AccountId: ACCOUNT,
        Budget: {
          BudgetName: mirror.name,
          BudgetType: 'COST',
          TimeUnit: 'MONTHLY',
          BudgetLimit: { Amount: '7', Unit: 'USD' },
        },
        NotificationsWithSubscribers: [
          {
            Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80 },
            Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'owner@elsewhere.org' }],
          },
        ],
        ResourceTags: tags,
      }),
    );
    const deps = {
      ec2: h.ports.ec2,
      budgets: h.ports.budgets,
      identity: h.ports.identity,
      expectedAccountId: ACCOUNT,
      sleep: async () => {},
    };
    await h.sim.control.resetCalls();

    // Act
    const update = await applyPlan(
      action({
        kind: 'update-aws-budget',
        accountId: ACCOUNT,
        repo: REPO,
        name: mirror.name,
        body: mirror,
        deleteNotifications: [{ type: 'ACTUAL', percent: 80, emails: [] }],
        createNotifications: [],
        subscribers: [],
      }),
      deps,
    );
    const remove = await applyPlan(
      action({ kind: 'delete-aws-budget', accountId: ACCOUNT, repo: REPO, name: mirror.name }),
      deps,
    );

    // Assert: both refused; the budget, its limit and its notification as they were; no mutation sent.
    expect([...update.results, ...remove.results].map((r) => [r.status, r.error?.code])).toEqual([
      ['failed', 'unexpected-state'],
      ['failed', 'unexpected-state'],
    ]);
    const { Budget } = await budgets.send(new DescribeBudgetCommand({ AccountId: ACCOUNT, BudgetName: mirror.name }));
    expect(Budget?.BudgetLimit).toEqual({ Amount: '7', Unit: 'USD' });
    const kept = await budgets.send(
      new DescribeNotificationsForBudgetCommand({ AccountId: ACCOUNT, BudgetName: mirror.name }),
    );
    expect(kept.Notifications?.map((n) => n.Threshold)).toEqual([80]);
    const calls = Object.keys(await h.sim.control.calls()).filter((c) => /Budgets\.(Create|Update|Delete)/.test(c));
    expect(calls).toEqual([]);
  });

  it('a create that finds the name taken by a budget without its tag fails and leaves it alone', async () => {
    h = await startReconcile({});
    const budgets = h.sim.budgets();
    await budgets.send(
      new CreateBudgetCommand({
        AccountId: ACCOUNT,
        Budget: {
          BudgetName: mirror.name,
          BudgetType: 'COST',
          TimeUnit: 'MONTHLY',
          BudgetLimit: { Amount: '7', Unit: 'USD' },
        },
      }),
    );

    const result = await applyPlan(action({ kind: 'create-aws-budget', accountId: ACCOUNT, budget: mirror }), {
      ec2: h.ports.ec2,
      budgets: h.ports.budgets,
      identity: h.ports.identity,
      expectedAccountId: ACCOUNT,
      sleep: async () => {},
    });

    expect(result.results.map((r) => [r.status, r.error?.code])).toEqual([['failed', 'unexpected-state']]);
    const { Budget } = await budgets.send(new DescribeBudgetCommand({ AccountId: ACCOUNT, BudgetName: mirror.name }));
    expect(Budget?.BudgetLimit).toEqual({ Amount: '7', Unit: 'USD' });
  });
});
