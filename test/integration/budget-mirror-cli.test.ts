/**
 * The AWS Budgets mirror through the built CLI against `labops sim` (docs/budgets.md "AWS Budgets
 * mirror"): a Budget becomes an AWS budget (limit, period, `labops:project` filter, ACTUAL and
 * FORECASTED notifications emailing the `notify` addresses, tags); a second run changes nothing; a
 * changed limit and thresholds update it; a removed Budget (prune) deletes it; an AWS budget of the
 * same name without this lab's tag is never touched; and the sim shows the email AWS would send
 * when the project's spend passes a threshold. Needs `npm run build` first.
 */
import {
  CreateBudgetCommand,
  DescribeBudgetCommand,
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-budgets';
import type { BudgetsClient } from '@aws-sdk/client-budgets';
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../support/cli-run.js';
import { amazonImage, outcome } from '../support/conformance.js';
import { makeLab } from '../support/lab-fixture.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';
import { LAB_YAML } from './run-harness.js';

const REPO = 'lab-org/mirror-lab';
const ACCOUNT = '123456789012';
const OURS = `labops ${REPO} neuro-fall`;
const FOREIGN = `labops ${REPO} other`;
let sim: TestSim;
let budgets: BudgetsClient;
let lab: ReturnType<typeof makeLab>;

function budgetYaml(name: string, project: string, limit: number, thresholds: number[]): string {
  return [
    'apiVersion: labops/v1',
    'kind: Budget',
    `metadata: { name: ${name} }`,
    'spec:',
    `  project: ${project}`,
    `  limitUSD: ${limit}`,
    '  period: { every: month }',
    `  thresholds: [${thresholds.join(', ')}]`,
    '  actions: [ { atPercent: 100, do: stop } ]',
    '  notify: ["@pi-login", "pi@uni.edu"]',
    '',
  ].join('\n');
}

const labops = (args: string[]) => runBuiltCli([...args, '--repo', REPO, '--record', 'off'], lab.dir, sim.env());

/** Budgets calls that change something, counted by the sim since the last reset. */
async function budgetsMutations(): Promise<Record<string, number>> {
  const calls = await sim.control.calls();
  return Object.fromEntries(
    Object.entries(calls).filter(([op]) => op.startsWith('Budgets.') && !/\.(Describe|List)/.test(op)),
  );
}

async function notifications(name: string): Promise<string[]> {
  const out = await budgets.send(new DescribeNotificationsForBudgetCommand({ AccountId: ACCOUNT, BudgetName: name }));
  const rows: string[] = [];
  for (const n of out.Notifications ?? []) {
    const subs = await budgets.send(
      new DescribeSubscribersForNotificationCommand({ AccountId: ACCOUNT, BudgetName: name, Notification: n }),
    );
    rows.push(`${n.NotificationType} ${n.Threshold}% → ${(subs.Subscribers ?? []).map((s) => s.Address).join(',')}`);
  }
  return rows.sort();
}

beforeAll(async () => {
  sim = await startTestSim({ start: '2026-10-01T00:00:00Z', log: () => {} });
  budgets = sim.budgets();
  // Someone else's budget under the name the mirror of Budget "other" would take: no labops:repo tag.
  await budgets.send(
    new CreateBudgetCommand({
      AccountId: ACCOUNT,
      Budget: {
        BudgetName: FOREIGN,
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: '1', Unit: 'USD' },
      },
    }),
  );
  lab = makeLab(
    {
      'labops.yaml': LAB_YAML.replace('PRUNE', 'true'),
      'budgets/neuro-fall.yaml': budgetYaml('neuro-fall', 'neuro', 5, [50, 90]),
      'budgets/other.yaml': budgetYaml('other', 'other', 10, [80]),
    },
    null,
  );
});

afterAll(async () => {
  await sim.close();
  lab.cleanup();
});

// Two built-CLI runs a test: each a Node start, on a machine shared with other suites.
describe('the AWS Budgets mirror, through the built CLI', { timeout: 120_000 }, () => {
  it('plans the create, names who AWS emails and who it does not, and refuses to mirror over a foreign budget', async () => {
    const plan = await labops(['plan', '.']);

    expect(plan.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(plan.stdout).toMatch(/\+\$\s+Budget\/neuro-fall\s+create-aws-budget/);
    expect(plan.stdout).toContain(
      `AWS budget "${OURS}": $5.00 MONTHLY on labops:project=neuro; ACTUAL 50/90/100%, FORECASTED 100% → pi@uni.edu; @pi-login not AWS subscriber(s)`,
    );
    expect(plan.stdout).toContain(
      `! budget: Budget other: an AWS budget named "${FOREIGN}" exists with no labops:repo tag`,
    );
    expect(plan.stdout).toContain('1 AWS budget(s) to create');
  });

  it('apply creates the AWS budget: limit, period, project filter, notifications, subscribers, tags', async () => {
    const applied = await labops(['apply', '.']);

    expect(applied.status).toBe(0);
    const { Budget } = await budgets.send(
      new DescribeBudgetCommand({ AccountId: ACCOUNT, BudgetName: OURS, ShowFilterExpression: true }),
    );
    expect([Budget?.BudgetType, Budget?.TimeUnit, Budget?.BudgetLimit]).toEqual([
      'COST',
      'MONTHLY',
      { Amount: '5', Unit: 'USD' },
    ]);
    expect(Budget?.FilterExpression).toEqual({
      Tags: { Key: 'labops:project', Values: ['neuro'], MatchOptions: ['EQUALS'] },
    });
    expect(await notifications(OURS)).toEqual([
      'ACTUAL 100% → pi@uni.edu',
      'ACTUAL 50% → pi@uni.edu',
      'ACTUAL 90% → pi@uni.edu',
      'FORECASTED 100% → pi@uni.edu',
    ]);
    const tags = await budgets.send(
      new ListTagsForResourceCommand({ ResourceARN: `arn:aws:budgets::${ACCOUNT}:budget/${OURS}` }),
    );
    expect(Object.fromEntries((tags.ResourceTags ?? []).map((t) => [t.Key, t.Value]))).toEqual({
      'labops:repo': REPO,
      'labops:kind': 'Budget',
      'labops:name': 'neuro-fall',
      'labops:project': 'neuro',
    });
  });

  it('converges: the next plan has no mirror action and the next apply makes no Budgets change', async () => {
    await sim.control.resetCalls();

    const plan = await labops(['plan', '.', '--format', 'json']);
    const applied = await labops(['apply', '.']);

    const run = JSON.parse(plan.stdout) as { plan: { actions: { kind: string }[]; counts: Record<string, number> } };
    expect(run.plan.actions.map((a) => a.kind)).toEqual([]);
    expect([run.plan.counts['create-aws-budget'], run.plan.counts['update-aws-budget']]).toEqual([0, 0]);
    expect(applied.status).toBe(0);
    expect(await budgetsMutations()).toEqual({});
  });

  it("the sim emails the mirror's subscribers once when the project's spend passes 50%", async () => {
    // Arrange: an m6i.large of project neuro ($0.101/h with its public IPv4); billing data lags 8 h.
    const ec2 = sim.ec2('us-east-1');
    await ec2.send(
      new RunInstancesCommand({
        ImageId: await amazonImage(ec2),
        InstanceType: 'm6i.large',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'labops:project', Value: 'neuro' }] }],
      }),
    );

    // Act: 36 h later Cost Explorer shows 28 h ($2.83 > 50% of $5).
    await sim.control.advance('36h');
    const out = await sim.control.request('POST', 'budget-alerts', { budgetName: OURS });

    // Assert
    const alerts = (out.body as { alerts: { notificationType: string; threshold: number; subscribers: string[] }[] })
      .alerts;
    expect(alerts.map((a) => [a.notificationType, a.threshold, a.subscribers])).toContainEqual([
      'ACTUAL',
      50,
      ['pi@uni.edu'],
    ]);
    expect(alerts.filter((a) => a.notificationType === 'ACTUAL' && a.threshold === 50)).toHaveLength(1);
  });

  it('a changed limit and thresholds update the AWS budget in place', async () => {
    writeFileSync(`${lab.dir}/budgets/neuro-fall.yaml`, budgetYaml('neuro-fall', 'neuro', 8, [50, 75]));

    const plan = await labops(['plan', '.']);
    const applied = await labops(['apply', '.']);

    expect(plan.stdout).toMatch(/~\$\s+Budget\/neuro-fall\s+update-aws-budget/);
    expect(plan.stdout).toContain('limit $5.00 → $8.00; remove ACTUAL 90%; add ACTUAL 75%');
    expect(applied.status).toBe(0);
    const { Budget } = await budgets.send(new DescribeBudgetCommand({ AccountId: ACCOUNT, BudgetName: OURS }));
    expect(Budget?.BudgetLimit).toEqual({ Amount: '8', Unit: 'USD' });
    expect(await notifications(OURS)).toEqual([
      'ACTUAL 100% → pi@uni.edu',
      'ACTUAL 50% → pi@uni.edu',
      'ACTUAL 75% → pi@uni.edu',
      'FORECASTED 100% → pi@uni.edu',
    ]);
  });

  it('a removed Budget (prune) deletes its AWS budget; the foreign one of the same prefix is untouched', async () => {
    rmSync(`${lab.dir}/budgets/neuro-fall.yaml`);

    const plan = await labops(['plan', '.']);
    const applied = await labops(['apply', '.']);

    expect(plan.stdout).toMatch(/-\$\s+Budget\/neuro-fall\s+delete-aws-budget/);
    expect(applied.status).toBe(0);
    expect(await outcome(budgets.send(new DescribeBudgetCommand({ AccountId: ACCOUNT, BudgetName: OURS })))).toBe(
      'NotFoundException',
    );
    const foreign = await budgets.send(new DescribeBudgetCommand({ AccountId: ACCOUNT, BudgetName: FOREIGN }));
    expect(foreign.Budget?.BudgetLimit).toEqual({ Amount: '1', Unit: 'USD' });
    const tags = await budgets.send(
      new ListTagsForResourceCommand({ ResourceARN: `arn:aws:budgets::${ACCOUNT}:budget/${FOREIGN}` }),
    );
    expect(tags.ResourceTags).toEqual([]);
  });
});
