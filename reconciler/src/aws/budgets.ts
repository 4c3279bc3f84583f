/**
 * The AWS Budgets adapter: {@link BudgetsPort} on SDK v3 `BudgetsClient`s. AWS Budgets is global
 * and answers from us-east-1 whatever Region is configured (JSON 1.1,
 * `AWSBudgetServiceGateway.*`). Mirrored budgets select spend with a `FilterExpression` on the
 * `labops:project` tag (`CostFilters` is deprecated since 2025-04-18) and measure `UnblendedCost`,
 * the metric labops' own budget step reads from Cost Explorer. Reads go through a client the SDK
 * retries as usual; mutations (no idempotency token) through one retried only when throttled.
 */
import {
  CreateBudgetCommand,
  CreateNotificationCommand,
  CreateSubscriberCommand,
  DeleteBudgetCommand,
  DeleteNotificationCommand,
  DeleteSubscriberCommand,
  ListTagsForResourceCommand,
  UpdateBudgetCommand,
  paginateDescribeBudgets,
  paginateDescribeNotificationsForBudget,
  paginateDescribeSubscribersForNotification,
} from '@aws-sdk/client-budgets';
import type { Budget, BudgetsClient, Notification } from '@aws-sdk/client-budgets';
import type { AwsBudgetBody, AwsBudgetNotification, ObservedAwsBudget } from '../model/aws-budget.js';
import { TAG } from '../model/tags.js';
import { awsCall, toAwsError } from './errors.js';
import type { BudgetsPort } from './ports.js';

/** The Region of the Budgets endpoint: "AWS Budgets is a global service … us-east-1". */
export const BUDGETS_REGION = 'us-east-1';

/** Most budgets one DescribeBudgets page holds. */
const PAGE = 100;

const DAY_MS = 86_400_000;

/** `arn:aws:budgets::ACCOUNT:budget/NAME`, the ARN tagging takes. */
export function budgetArn(accountId: string, name: string): string {
  return `arn:aws:budgets::${accountId}:budget/${name}`;
}

/** The AWS notification of a mirror's notification. */
export function awsNotification(n: Pick<AwsBudgetNotification, 'type' | 'percent'>): Notification {
  return {
    NotificationType: n.type,
    ComparisonOperator: 'GREATER_THAN',
    Threshold: n.percent,
    ThresholdType: 'PERCENTAGE',
  };
}

/** The AWS budget of a mirror's body: COST, USD, UnblendedCost, filtered on the project tag. */
export function awsBudget(body: AwsBudgetBody): Budget {
  const budget: Budget = {
    BudgetName: body.name,
    BudgetType: 'COST',
    BudgetLimit: { Amount: String(body.limitUSD), Unit: 'USD' },
    TimeUnit: body.timeUnit,
    FilterExpression: { Tags: { Key: TAG.project, Values: [body.project], MatchOptions: ['EQUALS'] } },
    Metrics: ['UnblendedCost'],
  };
  // A fixed period: its first day, and the day after its last (AWS deletes a budget after its end).
  if (body.period !== undefined)
    budget.TimePeriod = {
      Start: new Date(`${body.period.start}T00:00:00Z`),
      End: new Date(Date.parse(`${body.period.end}T00:00:00Z`) + DAY_MS),
    };
  return budget;
}

function day(date: Date | undefined, shiftMs = 0): string | undefined {
  return date === undefined ? undefined : new Date(date.getTime() + shiftMs).toISOString().slice(0, 10);
}

/** The project a filter selects when it is exactly `labops:project` EQUALS one value. */
function filteredProject(budget: Budget): string | undefined {
  const tags = budget.FilterExpression?.Tags;
  const onlyTags =
    budget.FilterExpression !== undefined &&
    Object.entries(budget.FilterExpression).every(([k, v]) => k === 'Tags' || v === undefined);
  if (!onlyTags || tags?.Key !== TAG.project || tags.Values?.length !== 1) return undefined;
  const match = tags.MatchOptions ?? ['EQUALS'];
  return match.length === 1 && match[0] === 'EQUALS' ? tags.Values[0] : undefined;
}

/** A budget's body as labops compares it. */
function observedBody(budget: Budget): Omit<ObservedAwsBudget, 'notifications' | 'tags'> {
  const amount = budget.BudgetLimit?.Unit === 'USD' ? Number(budget.BudgetLimit.Amount) : Number.NaN;
  const project = filteredProject(budget);
  const out: Omit<ObservedAwsBudget, 'notifications' | 'tags'> = {
    name: budget.BudgetName ?? '',
    timeUnit: budget.TimeUnit ?? '',
    budgetType: budget.BudgetType ?? '',
  };
  if (Number.isFinite(amount)) out.limitUSD = amount;
  if (project !== undefined) out.project = project;
  if (budget.TimeUnit === 'CUSTOM') {
    const start = day(budget.TimePeriod?.Start);
    const end = day(budget.TimePeriod?.End, -DAY_MS);
    if (start !== undefined && end !== undefined) out.period = { start, end };
  }
  return out;
}

/** Builds the Budgets port over a client for reads and one whose calls are retried only when throttled. */
export function createBudgetsAdapter(client: BudgetsClient, once: BudgetsClient): BudgetsPort {
  async function tags(accountId: string, name: string): Promise<Record<string, string>> {
    const out = await awsCall('ListTagsForResource', name, () =>
      client.send(new ListTagsForResourceCommand({ ResourceARN: budgetArn(accountId, name) })),
    );
    return Object.fromEntries((out.ResourceTags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  }

  async function notifications(accountId: string, name: string): Promise<AwsBudgetNotification[]> {
    const found: Notification[] = [];
    try {
      const pages = paginateDescribeNotificationsForBudget(
        { client, pageSize: PAGE },
        { AccountId: accountId, BudgetName: name },
      );
      for await (const page of pages) found.push(...(page.Notifications ?? []));
    } catch (err: unknown) {
      throw toAwsError(err, 'DescribeNotificationsForBudget', name);
    }
    const out: AwsBudgetNotification[] = [];
    for (const n of found) {
      const emails: string[] = [];
      try {
        const pages = paginateDescribeSubscribersForNotification(
          { client, pageSize: PAGE },
          { AccountId: accountId, BudgetName: name, Notification: n },
        );
        for await (const page of pages)
          for (const s of page.Subscribers ?? []) if (s.SubscriptionType === 'EMAIL') emails.push(s.Address ?? '');
      } catch (err: unknown) {
        throw toAwsError(err, 'DescribeSubscribersForNotification', name);
      }
      const type = n.NotificationType === 'FORECASTED' ? 'FORECASTED' : 'ACTUAL';
      // Only GREATER_THAN on a percentage is a labops notification; any other shape is kept apart by its type.
      const labopsShaped =
        n.ComparisonOperator === 'GREATER_THAN' && (n.ThresholdType ?? 'PERCENTAGE') === 'PERCENTAGE';
      out.push({ type, percent: labopsShaped ? (n.Threshold ?? 0) : Number.NaN, emails: emails.sort() });
    }
    return out;
  }

  return {
    async observe(accountId, prefix, ownedBy) {
      const listed: Budget[] = [];
      try {
        const pages = paginateDescribeBudgets(
          { client, pageSize: PAGE },
          { AccountId: accountId, ShowFilterExpression: true },
        );
        for await (const page of pages) listed.push(...(page.Budgets ?? []));
      } catch (err: unknown) {
        throw toAwsError(err, 'DescribeBudgets', accountId);
      }
      const out: ObservedAwsBudget[] = [];
      for (const budget of listed) {
        const name = budget.BudgetName ?? '';
        if (!name.startsWith(prefix)) continue;
        const tagged = await tags(accountId, name);
        const owned = tagged[TAG.repo] === ownedBy;
        out.push({
          ...observedBody(budget),
          notifications: owned ? await notifications(accountId, name) : [],
          tags: tagged,
        });
      }
      return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async create(accountId, budget) {
      await awsCall('CreateBudget', budget.name, () =>
        once.send(
          new CreateBudgetCommand({
            AccountId: accountId,
            Budget: awsBudget(budget),
            NotificationsWithSubscribers: budget.notifications.map((n) => ({
              Notification: awsNotification(n),
              Subscribers: n.emails.map((Address) => ({ SubscriptionType: 'EMAIL', Address })),
            })),
            ResourceTags: Object.entries(budget.tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        ),
      );
    },
    async update(accountId, body) {
      await awsCall('UpdateBudget', body.name, () =>
        once.send(new UpdateBudgetCommand({ AccountId: accountId, NewBudget: awsBudget(body) })),
      );
    },
    async createNotification(accountId, name, n) {
      await awsCall('CreateNotification', name, () =>
        once.send(
          new CreateNotificationCommand({
            AccountId: accountId,
            BudgetName: name,
            Notification: awsNotification(n),
            Subscribers: n.emails.map((Address) => ({ SubscriptionType: 'EMAIL', Address })),
          }),
        ),
      );
    },
    async deleteNotification(accountId, name, n) {
      await awsCall('DeleteNotification', name, () =>
        once.send(
          new DeleteNotificationCommand({ AccountId: accountId, BudgetName: name, Notification: awsNotification(n) }),
        ),
      );
    },
    async createSubscriber(accountId, name, n, email) {
      await awsCall('CreateSubscriber', name, () =>
        once.send(
          new CreateSubscriberCommand({
            AccountId: accountId,
            BudgetName: name,
            Notification: awsNotification(n),
            Subscriber: { SubscriptionType: 'EMAIL', Address: email },
          }),
        ),
      );
    },
    async deleteSubscriber(accountId, name, n, email) {
      await awsCall('DeleteSubscriber', name, () =>
        once.send(
          new DeleteSubscriberCommand({
            AccountId: accountId,
            BudgetName: name,
            Notification: awsNotification(n),
            Subscriber: { SubscriptionType: 'EMAIL', Address: email },
          }),
        ),
      );
    },
    tags,
    async delete(accountId, name) {
      await awsCall('DeleteBudget', name, () =>
        once.send(new DeleteBudgetCommand({ AccountId: accountId, BudgetName: name })),
      );
    },
  };
}
