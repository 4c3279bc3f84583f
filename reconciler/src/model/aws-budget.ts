/**
 * The AWS Budget each Budget spec is mirrored into, so a PI is alerted by AWS itself even when
 * labops (the Action, the container) is down: a COST budget of the same limit and period, filtered
 * on the `labops:project` cost allocation tag, with one ACTUAL notification per threshold and
 * action percent and one FORECASTED notification at 100%, each emailing the Budget's `notify`
 * entries that are addresses. GitHub handles are not AWS subscribers.
 */
import { createHash } from 'node:crypto';

/** AWS's rules (API reference, Budget and Notification), enforced by the planner and the sim alike. */
export const AWS_BUDGET_LIMITS = {
  /** "Length Constraints: Minimum length of 1. Maximum length of 100." */
  nameLength: 100,
  /** "A budget can have up to ten notifications." */
  notificationsPerBudget: 10,
  /** "A notification can have one SNS subscriber and up to 10 email subscribers, for a total of 11 subscribers." */
  emailSubscribersPerNotification: 10,
} as const;

/** AWS's names of a budget's period. */
export type AwsBudgetTimeUnit = 'MONTHLY' | 'QUARTERLY' | 'ANNUALLY' | 'CUSTOM';

/** One notification of a mirrored budget: spend (`ACTUAL`) or forecast (`FORECASTED`) above a percent of the limit. */
export interface AwsBudgetNotification {
  type: 'ACTUAL' | 'FORECASTED';
  /** Percent of the limit (`ThresholdType: PERCENTAGE`, `ComparisonOperator: GREATER_THAN`). */
  percent: number;
  /** Email subscribers, sorted. */
  emails: string[];
}

/** What an AWS budget labops mirrors is made of; compared field by field to plan an update. */
export interface AwsBudgetBody {
  /** `BudgetName`: see {@link awsBudgetName}. */
  name: string;
  limitUSD: number;
  timeUnit: AwsBudgetTimeUnit;
  /** `CUSTOM` only: first and last day (inclusive), `YYYY-MM-DD`. */
  period?: { start: string; end: string };
  /** The `labops:project` value its `FilterExpression` selects. */
  project: string;
}

/** The AWS budget one Budget spec asks for. */
export interface DesiredAwsBudget extends AwsBudgetBody {
  /** The Budget spec's name. */
  budget: string;
  /** Notifications, ACTUAL first then by percent; none when `notify` holds no address. */
  notifications: AwsBudgetNotification[];
  /** `notify` entries that are not addresses (GitHub handles): mentioned by labops, not subscribed in AWS. */
  notSubscribed: string[];
  /** Tags it carries: `labops:repo`, `labops:kind`, `labops:name`, `labops:project`. */
  tags: Record<string, string>;
  /** Why AWS would refuse it (too many notifications or subscribers), when it would. @default undefined */
  overLimit?: string;
}

/** An AWS budget as observed: its body as AWS holds it, its notifications and its tags. */
export interface ObservedAwsBudget {
  name: string;
  /** Undefined when AWS holds no USD limit (not a labops-shaped budget). */
  limitUSD?: number;
  timeUnit: string;
  /** `YYYY-MM-DD` days of its TimePeriod (start inclusive, end inclusive). */
  period?: { start: string; end: string };
  /** The `labops:project` value its filter selects, when its filter is exactly that. */
  project?: string;
  /** `COST`, `USAGE`, … */
  budgetType: string;
  notifications: AwsBudgetNotification[];
  tags: Record<string, string>;
}

/** The prefix of every budget name labops gives: `labops `. */
export const AWS_BUDGET_NAME_PREFIX = 'labops ';

/**
 * The AWS name of a lab's Budget: `labops OWNER/REPO BUDGET`. Lab ids and Budget names hold no
 * space, `:` or `\`, and the id's one `/` is followed by the repository name and a space, so the
 * name never holds `/action/` (all three refused by AWS). Longer than AWS's 100 characters, it is
 * cut to 91 and ends with `~` and 8 hex digits of its SHA-256, so it stays unique.
 */
export function awsBudgetName(labId: string, budget: string): string {
  const full = `${AWS_BUDGET_NAME_PREFIX}${labId} ${budget}`;
  if (full.length <= AWS_BUDGET_LIMITS.nameLength) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, AWS_BUDGET_LIMITS.nameLength - 9)}~${hash}`;
}

/** Whether a `notify` entry is an email address (the others are GitHub handles, `@login` or `@org/team`). */
export function isEmailAddress(entry: string): boolean {
  return !entry.startsWith('@') && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(entry);
}

/** `ACTUAL 50%`, `FORECASTED 100%`. */
export function notificationLabel(n: Pick<AwsBudgetNotification, 'type' | 'percent'>): string {
  return `${n.type} ${n.percent}%`;
}

/** The details of `create-aws-budget`: the budget to create, with its notifications and tags. */
export interface CreateAwsBudgetDetails {
  kind: 'create-aws-budget';
  accountId: string;
  budget: DesiredAwsBudget;
}

/** The details of `update-aws-budget`: the body to set (when it differs) and the notification changes. */
export interface UpdateAwsBudgetDetails {
  kind: 'update-aws-budget';
  accountId: string;
  /** The lab id its `labops:repo` tag must hold (checked again before any change). */
  repo: string;
  name: string;
  /** The new body, when limit, period or filter differ. @default undefined (unchanged) */
  body?: AwsBudgetBody;
  /** Notifications to delete (no longer desired). */
  deleteNotifications: AwsBudgetNotification[];
  /** Notifications to create, with their subscribers. */
  createNotifications: AwsBudgetNotification[];
  /** Subscribers to add to and remove from notifications kept. */
  subscribers: { notification: Pick<AwsBudgetNotification, 'type' | 'percent'>; add: string[]; remove: string[] }[];
}

/** The details of `delete-aws-budget`: the budget whose Budget spec was removed (prune). */
export interface DeleteAwsBudgetDetails {
  kind: 'delete-aws-budget';
  accountId: string;
  /** The lab id its `labops:repo` tag must hold (checked again before deleting). */
  repo: string;
  name: string;
}
