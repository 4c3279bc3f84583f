/**
 * AWS Budgets behaviours `labops sim` promises, each beside the AWS documentation it comes from
 * (URL and sentence), checked with the real @aws-sdk/client-budgets against the sim.
 */
import {
  CreateBudgetCommand,
  CreateNotificationCommand,
  CreateSubscriberCommand,
  DeleteBudgetCommand,
  DescribeBudgetCommand,
  DescribeBudgetsCommand,
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
  ListTagsForResourceCommand,
  UpdateBudgetCommand,
} from '@aws-sdk/client-budgets';
import type { Budget, BudgetsClient, Notification, NotificationWithSubscribers } from '@aws-sdk/client-budgets';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { amazonImage, answer, conformanceSim, outcome } from '../support/conformance.js';
import { startTestSim } from '../support/sim.js';

const aws = conformanceSim({ start: '2026-10-01T00:00:00Z' });
const ACCOUNT = '123456789012';
let budgets: BudgetsClient;

beforeEach(() => {
  budgets = aws.sim.budgets();
});

function costBudget(name: string, limit = '100', project = 'neuro'): Budget {
  return {
    BudgetName: name,
    BudgetType: 'COST',
    TimeUnit: 'MONTHLY',
    BudgetLimit: { Amount: limit, Unit: 'USD' },
    FilterExpression: { Tags: { Key: 'labops:project', Values: [project], MatchOptions: ['EQUALS'] } },
    Metrics: ['UnblendedCost'],
  };
}

const actual = (threshold: number): Notification => ({
  NotificationType: 'ACTUAL',
  ComparisonOperator: 'GREATER_THAN',
  Threshold: threshold,
  ThresholdType: 'PERCENTAGE',
});

function emailing(notification: Notification, ...addresses: string[]): NotificationWithSubscribers {
  return {
    Notification: notification,
    Subscribers: addresses.map((Address) => ({ SubscriptionType: 'EMAIL', Address })),
  };
}

const create = (budget: Budget, notifications: NotificationWithSubscribers[] = []): Promise<unknown> =>
  budgets.send(
    new CreateBudgetCommand({ AccountId: ACCOUNT, Budget: budget, NotificationsWithSubscribers: notifications }),
  );

describe('Budgets: names', () => {
  // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html
  // "The name of a budget. The name must be unique within an account. The : and \ characters, and
  // the "/action/" substring, aren't allowed in BudgetName." / "Length Constraints: Minimum length
  // of 1. Maximum length of 100."
  it.each([
    ['a colon', 'labops a:b', 'InvalidParameterException'],
    ['a backslash', 'labops a\\b', 'InvalidParameterException'],
    ['/action/', 'labops org/action/x', 'InvalidParameterException'],
    ['101 characters', 'x'.repeat(101), 'InvalidParameterException'],
    ['100 characters', 'x'.repeat(100), 'accepted'],
    ['spaces and one slash', 'labops org/lab neuro-fall', 'accepted'],
  ])('a name with %s: %s', async (_what, name, expected) => {
    expect(await outcome(create(costBudget(name)))).toBe(expected);
  });

  // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_CreateBudget.html
  // "DuplicateRecordException: The budget name already exists. Budget names must be unique within an account."
  it('refuses a second budget of the same name with DuplicateRecordException', async () => {
    await create(costBudget('labops org/lab a'));

    expect(await outcome(create(costBudget('labops org/lab a', '5')))).toBe('DuplicateRecordException');
  });

  // "NotFoundException: We can't locate the resource that you specified."
  it.each([
    ['DescribeBudget', () => budgets.send(new DescribeBudgetCommand({ AccountId: ACCOUNT, BudgetName: 'nope' }))],
    ['DeleteBudget', () => budgets.send(new DeleteBudgetCommand({ AccountId: ACCOUNT, BudgetName: 'nope' }))],
    [
      'UpdateBudget',
      () => budgets.send(new UpdateBudgetCommand({ AccountId: ACCOUNT, NewBudget: costBudget('nope') })),
    ],
    [
      'CreateNotification',
      () =>
        budgets.send(
          new CreateNotificationCommand({
            AccountId: ACCOUNT,
            BudgetName: 'nope',
            Notification: actual(50),
            Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'pi@uni.edu' }],
          }),
        ),
    ],
  ])('%s of a budget that does not exist: NotFoundException', async (_op, call) => {
    expect(await outcome(call())).toBe('NotFoundException');
  });
});

describe('Budgets: notification and subscriber limits', () => {
  // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Notification.html
  // "A notification that's associated with a budget. A budget can have up to ten notifications.
  // Each notification must have at least one subscriber. A notification can have one SNS subscriber
  // and up to 10 email subscribers, for a total of 11 subscribers."
  // CreateBudget / CreateNotification: "CreationLimitExceededException: You've exceeded the
  // notification or subscriber limit."
  it.each([
    [10, 'accepted'],
    [11, 'CreationLimitExceededException'],
  ])('CreateBudget with %i notifications: %s', async (count, expected) => {
    const notifications = Array.from({ length: count }, (_, i) => emailing(actual(10 * (i + 1)), 'pi@uni.edu'));

    expect(await outcome(create(costBudget('labops org/lab n'), notifications))).toBe(expected);
  });

  it('CreateNotification past ten: CreationLimitExceededException', async () => {
    await create(
      costBudget('labops org/lab n'),
      Array.from({ length: 10 }, (_, i) => emailing(actual(10 * (i + 1)), 'pi@uni.edu')),
    );

    const result = await answer(
      budgets.send(
        new CreateNotificationCommand({
          AccountId: ACCOUNT,
          BudgetName: 'labops org/lab n',
          Notification: actual(150),
          Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'pi@uni.edu' }],
        }),
      ),
    );

    expect(result.name).toBe('CreationLimitExceededException');
  });

  it.each([
    [10, 'accepted'],
    [11, 'CreationLimitExceededException'],
  ])('a notification with %i email subscribers: %s', async (count, expected) => {
    const emails = Array.from({ length: count }, (_, i) => `p${i}@uni.edu`);

    expect(await outcome(create(costBudget('labops org/lab s'), [emailing(actual(50), ...emails)]))).toBe(expected);
  });

  it('the eleventh email subscriber added to a notification: CreationLimitExceededException', async () => {
    const emails = Array.from({ length: 10 }, (_, i) => `p${i}@uni.edu`);
    await create(costBudget('labops org/lab s'), [emailing(actual(50), ...emails)]);

    const result = await outcome(
      budgets.send(
        new CreateSubscriberCommand({
          AccountId: ACCOUNT,
          BudgetName: 'labops org/lab s',
          Notification: actual(50),
          Subscriber: { SubscriptionType: 'EMAIL', Address: 'eleventh@uni.edu' },
        }),
      ),
    );

    expect(result).toBe('CreationLimitExceededException');
  });

  it('a notification without subscribers: InvalidParameterException', async () => {
    expect(await outcome(create(costBudget('labops org/lab z'), [emailing(actual(50))]))).toBe(
      'InvalidParameterException',
    );
  });

  it('the same notification twice: DuplicateRecordException', async () => {
    await create(costBudget('labops org/lab d'), [emailing(actual(50), 'pi@uni.edu')]);

    const result = await outcome(
      budgets.send(
        new CreateNotificationCommand({
          AccountId: ACCOUNT,
          BudgetName: 'labops org/lab d',
          Notification: actual(50),
          Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'pi@uni.edu' }],
        }),
      ),
    );

    expect(result).toBe('DuplicateRecordException');
  });
});

describe('Budgets: what is read back', () => {
  // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_DescribeBudgets.html
  // "ShowFilterExpression: Specifies whether the response includes the filter expression associated
  // with the budgets. By showing the filter expression, you can see detailed filtering logic applied
  // to the budgets, such as Amazon Web Services services or tags that are being tracked."
  it('answers FilterExpression only when ShowFilterExpression is set', async () => {
    await create(costBudget('labops org/lab f'));

    const hidden = await budgets.send(new DescribeBudgetsCommand({ AccountId: ACCOUNT }));
    const shown = await budgets.send(new DescribeBudgetsCommand({ AccountId: ACCOUNT, ShowFilterExpression: true }));

    expect(hidden.Budgets?.[0]?.FilterExpression).toBeUndefined();
    expect(shown.Budgets?.[0]?.FilterExpression).toEqual({
      Tags: { Key: 'labops:project', Values: ['neuro'], MatchOptions: ['EQUALS'] },
    });
    expect(shown.Budgets?.[0]?.BudgetLimit).toEqual({ Amount: '100', Unit: 'USD' });
  });

  // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html (TimePeriod)
  // "If you create your budget and don't specify a start date, Amazon Web Services defaults to the
  // start of your chosen time period (DAILY, MONTHLY, QUARTERLY, ANNUALLY, or CUSTOM). … If you didn't
  // specify an end date, Amazon Web Services set your end date to 06/15/87 00:00 UTC."
  it('defaults TimePeriod to the start of the current period and 2087-06-15', async () => {
    await aws.sim.control.advance('240h');
    await create(costBudget('labops org/lab t'));

    const out = await budgets.send(new DescribeBudgetCommand({ AccountId: ACCOUNT, BudgetName: 'labops org/lab t' }));

    expect(out.Budget?.TimePeriod?.Start?.toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(out.Budget?.TimePeriod?.End?.toISOString()).toBe('2087-06-15T00:00:00.000Z');
  });

  // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_CreateBudget.html
  // "ResourceTags: An optional list of tags to associate with the specified budget. Each tag consists
  // of a key and a value, and each key must be unique for the resource."
  it('keeps ResourceTags, read back with ListTagsForResource on the budget ARN', async () => {
    await budgets.send(
      new CreateBudgetCommand({
        AccountId: ACCOUNT,
        Budget: costBudget('labops org/lab g'),
        ResourceTags: [{ Key: 'labops:repo', Value: 'org/lab' }],
      }),
    );

    const out = await budgets.send(
      new ListTagsForResourceCommand({ ResourceARN: `arn:aws:budgets::${ACCOUNT}:budget/labops org/lab g` }),
    );

    expect(out.ResourceTags).toEqual([{ Key: 'labops:repo', Value: 'org/lab' }]);
  });

  it('reads notifications and their subscribers separately', async () => {
    await create(costBudget('labops org/lab r'), [emailing(actual(50), 'pi@uni.edu', 'admin@uni.edu')]);

    const notifications = await budgets.send(
      new DescribeNotificationsForBudgetCommand({ AccountId: ACCOUNT, BudgetName: 'labops org/lab r' }),
    );
    const subscribers = await budgets.send(
      new DescribeSubscribersForNotificationCommand({
        AccountId: ACCOUNT,
        BudgetName: 'labops org/lab r',
        Notification: actual(50),
      }),
    );

    expect(notifications.Notifications).toEqual([{ ...actual(50), NotificationState: 'OK' }]);
    expect(subscribers.Subscribers?.map((s) => s.Address)).toEqual(['pi@uni.edu', 'admin@uni.edu']);
  });
});

describe('Budgets: alerts (what AWS would email)', () => {
  // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Notification.html
  // "For example, if you have a budget for 200 dollars and you want to be notified when you go over
  // 160 dollars, create a notification with the following parameters: A notificationType of ACTUAL,
  // A thresholdType of PERCENTAGE, A comparisonOperator of GREATER_THAN, A notification threshold of 80"
  // "NotificationState: Specifies whether this notification is in alarm. If a budget notification is
  // in the ALARM state, you passed the set threshold for the budget."
  it('sends one alert when the project spend passes the threshold, and the notification is in ALARM', async () => {
    // Arrange: a $2 monthly budget on project neuro, ACTUAL 50% to pi@uni.edu; one m6i.large
    // ($0.096/h, $0.005/h public IPv4) of project neuro, another of project other.
    await create(costBudget('labops org/lab neuro', '2'), [emailing(actual(50), 'pi@uni.edu')]);
    for (const project of ['neuro', 'other'])
      await aws.ec2.send(
        new RunInstancesCommand({
          ImageId: await amazonImage(aws.ec2),
          InstanceType: 'm6i.large',
          MinCount: 1,
          MaxCount: 1,
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'labops:project', Value: project }] }],
        }),
      );

    // Act: billing data lags 8 h: at 16 h it shows 8 h of neuro ($0.81), not yet past $1; at 26 h, 18 h ($1.82).
    await aws.sim.control.advance('16h');
    const before = await aws.sim.control.request('POST', 'budget-alerts', {});
    await aws.sim.control.advance('10h');
    const after = await aws.sim.control.request('POST', 'budget-alerts', {});
    await aws.sim.control.advance('10h');
    const later = await aws.sim.control.request('POST', 'budget-alerts', {});
    const state = await budgets.send(
      new DescribeNotificationsForBudgetCommand({ AccountId: ACCOUNT, BudgetName: 'labops org/lab neuro' }),
    );

    // Assert
    expect((before.body as { alerts: unknown[] }).alerts).toEqual([]);
    const alerts = (after.body as { alerts: Record<string, unknown>[] }).alerts;
    expect(alerts.map((a) => [a.budgetName, a.notificationType, a.threshold, a.subscribers])).toEqual([
      ['labops org/lab neuro', 'ACTUAL', 50, ['pi@uni.edu']],
    ]);
    expect(alerts[0]?.actualUSD).toBeGreaterThan(1);
    expect(alerts[0]?.actualUSD).toBeLessThan(2);
    expect((later.body as { alerts: unknown[] }).alerts).toHaveLength(1);
    expect(state.Notifications?.[0]?.NotificationState).toBe('ALARM');
  });

  it('a FORECASTED notification fires on the run rate before the spend gets there', async () => {
    // Arrange: $50 monthly; FORECASTED 100% to pi@uni.edu; an m6i.large runs all month ($72+).
    await create(costBudget('labops org/lab f', '50'), [
      emailing({ ...actual(100), NotificationType: 'FORECASTED' }, 'pi@uni.edu'),
    ]);
    await aws.ec2.send(
      new RunInstancesCommand({
        ImageId: await amazonImage(aws.ec2),
        InstanceType: 'm6i.large',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'labops:project', Value: 'neuro' }] }],
      }),
    );

    // Act
    await aws.sim.control.advance('12h');
    const out = await aws.sim.control.request('POST', 'budget-alerts', { budgetName: 'labops org/lab f' });

    // Assert: spent well under $50, forecast over it.
    const [alert] = (out.body as { alerts: { actualUSD: number; forecastedUSD: number; notificationType: string }[] })
      .alerts;
    expect(alert?.notificationType).toBe('FORECASTED');
    expect(alert?.actualUSD).toBeLessThan(5);
    expect(alert?.forecastedUSD).toBeGreaterThan(50);
  });
});

describe('Budgets: persistence (labops sim --state)', () => {
  it('keeps budgets, their notifications and tags across a restart', async () => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), 'labops-budgets-state-'));
    const file = join(dir, 'state.json');
    const first = await startTestSim({ state: file, log: () => {} });
    await first.budgets().send(
      new CreateBudgetCommand({
        AccountId: ACCOUNT,
        Budget: costBudget('labops org/lab kept'),
        NotificationsWithSubscribers: [emailing(actual(50), 'pi@uni.edu')],
        ResourceTags: [{ Key: 'labops:repo', Value: 'org/lab' }],
      }),
    );
    await first.close();

    // Act
    const second = await startTestSim({ state: file, log: () => {} });
    const client = second.budgets();
    const budget = await client.send(
      new DescribeBudgetCommand({ AccountId: ACCOUNT, BudgetName: 'labops org/lab kept' }),
    );
    const tags = await client.send(
      new ListTagsForResourceCommand({ ResourceARN: `arn:aws:budgets::${ACCOUNT}:budget/labops org/lab kept` }),
    );
    const notes = await client.send(
      new DescribeNotificationsForBudgetCommand({ AccountId: ACCOUNT, BudgetName: 'labops org/lab kept' }),
    );
    await second.close();
    rmSync(dir, { recursive: true, force: true });

    // Assert
    expect(budget.Budget?.BudgetLimit).toEqual({ Amount: '100', Unit: 'USD' });
    expect(tags.ResourceTags).toEqual([{ Key: 'labops:repo', Value: 'org/lab' }]);
    expect(notes.Notifications?.map((n) => n.Threshold)).toEqual([50]);
  });
});
