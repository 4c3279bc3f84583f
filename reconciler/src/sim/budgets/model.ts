/**
 * The simulated AWS Budgets account slice, and the checks AWS documents for it (API reference,
 * AWS Budgets): a budget name is unique within an account, 1–100 characters without `:` or `\`
 * or the substring `/action/`; a budget has at most ten notifications; a notification has at least
 * one subscriber, at most one SNS and ten email subscribers.
 */
import type { SimState } from '../core/contract.js';
import { SimError, wireText } from '../core/contract.js';

/** One notification of a budget, with its subscribers and its alarm state. */
export interface SimNotification {
  NotificationType: 'ACTUAL' | 'FORECASTED';
  ComparisonOperator: 'GREATER_THAN' | 'LESS_THAN' | 'EQUAL_TO';
  Threshold: number;
  ThresholdType: 'PERCENTAGE' | 'ABSOLUTE_VALUE';
  NotificationState: 'OK' | 'ALARM';
  Subscribers: { SubscriptionType: 'EMAIL' | 'SNS'; Address: string }[];
}

/** One budget as the sim keeps it: the Budget object as sent (dates as ISO-8601), its notifications and tags. */
export interface SimBudget {
  budget: Record<string, unknown>;
  notifications: SimNotification[];
  tags: Record<string, string>;
}

/** An alert AWS would have emailed: a notification that went into ALARM. */
export interface SimBudgetAlert {
  /** Simulated time it fired (ISO-8601). */
  at: string;
  budgetName: string;
  notificationType: 'ACTUAL' | 'FORECASTED';
  threshold: number;
  thresholdType: 'PERCENTAGE' | 'ABSOLUTE_VALUE';
  /** Who AWS emails (and the SNS topic it publishes to). */
  subscribers: string[];
  /** The period it fired in, `YYYY-MM-DD..YYYY-MM-DD` (start inclusive, end exclusive). */
  period: string;
  limitUSD: number;
  actualUSD: number;
  forecastedUSD: number;
}

/** The Budgets slice of {@link SimState}, by budget name. */
export interface BudgetsState {
  budgets: Record<string, SimBudget>;
  /** Alerts sent, oldest first. */
  alerts: SimBudgetAlert[];
}

/** The Budgets slice, created on first use (states saved before Budgets existed have none). */
export function budgetsStateOf(state: SimState): BudgetsState {
  const slices = state as unknown as Record<string, unknown>;
  const slice = slices.budgets as Partial<BudgetsState> | undefined;
  if (slice === undefined || typeof slice !== 'object' || typeof slice.budgets !== 'object') {
    slices.budgets = { budgets: {}, alerts: [] } satisfies BudgetsState;
  }
  return slices.budgets as BudgetsState;
}

/** `InvalidParameterException`, AWS Budgets' code for a bad input value. */
export function invalid(message: string): SimError {
  return new SimError('InvalidParameterException', message, 400);
}

/** `NotFoundException`. */
export function budgetNotFound(message: string): SimError {
  return new SimError('NotFoundException', message, 404);
}

/** `CreationLimitExceededException`: "You've exceeded the notification or subscriber limit." */
export function overLimit(message: string): SimError {
  return new SimError('CreationLimitExceededException', message, 400);
}

/** Most notifications per budget: "A budget can have up to ten notifications." */
export const MAX_NOTIFICATIONS = 10;
/** "A notification can have one SNS subscriber and up to 10 email subscribers, for a total of 11 subscribers." */
export const MAX_EMAIL_SUBSCRIBERS = 10;
export const MAX_SNS_SUBSCRIBERS = 1;

/** The account a request names must be the caller's. */
export function checkAccount(input: Record<string, unknown>, accountId: string): void {
  const id = wireText(input.AccountId);
  if (!/^\d{12}$/.test(id)) throw invalid('AccountId must be a 12-digit account id.');
  if (id !== accountId)
    throw new SimError('AccessDeniedException', `Account ${id} is not the account of the credentials.`, 403);
}

/** A budget name as AWS checks it. */
export function checkBudgetName(value: unknown): string {
  const name = wireText(value);
  if (name.length < 1 || name.length > 100) throw invalid('BudgetName must be 1 to 100 characters long.');
  if (/[:\\]/.test(name) || name.includes('/action/'))
    throw invalid('BudgetName must not contain ":", "\\" or the substring "/action/".');
  return name;
}

/** A notification as sent (its state is the sim's). */
export function readNotification(value: unknown): Omit<SimNotification, 'Subscribers' | 'NotificationState'> {
  const n = (value ?? {}) as Record<string, unknown>;
  const type = wireText(n.NotificationType);
  const op = wireText(n.ComparisonOperator);
  const thresholdType = n.ThresholdType === undefined ? 'PERCENTAGE' : wireText(n.ThresholdType);
  if (type !== 'ACTUAL' && type !== 'FORECASTED') throw invalid('NotificationType must be ACTUAL or FORECASTED.');
  if (op !== 'GREATER_THAN' && op !== 'LESS_THAN' && op !== 'EQUAL_TO')
    throw invalid('ComparisonOperator must be GREATER_THAN, LESS_THAN or EQUAL_TO.');
  if (thresholdType !== 'PERCENTAGE' && thresholdType !== 'ABSOLUTE_VALUE')
    throw invalid('ThresholdType must be PERCENTAGE or ABSOLUTE_VALUE.');
  if (typeof n.Threshold !== 'number' || !Number.isFinite(n.Threshold) || n.Threshold < 0 || n.Threshold > 15e12)
    throw invalid('Threshold must be a number between 0 and 15000000000000.');
  return { NotificationType: type, ComparisonOperator: op, Threshold: n.Threshold, ThresholdType: thresholdType };
}

/** One subscriber as sent. */
export function readSubscriber(value: unknown): SimNotification['Subscribers'][number] {
  const s = (value ?? {}) as Record<string, unknown>;
  const type = wireText(s.SubscriptionType);
  const address = wireText(s.Address);
  if (type !== 'EMAIL' && type !== 'SNS') throw invalid('SubscriptionType must be EMAIL or SNS.');
  if (address.length < 1 || address.length > 2147483647) throw invalid('Subscriber Address must not be empty.');
  if (type === 'EMAIL' && !/^[^@\s]+@[^@\s]+$/.test(address)) throw invalid(`${address} is not an email address.`);
  return { SubscriptionType: type, Address: address };
}

/** Throws unless the subscribers keep within AWS's limits. */
export function checkSubscriberLimits(subscribers: SimNotification['Subscribers']): void {
  if (subscribers.length < 1) throw invalid('A notification must have at least one subscriber.');
  const emails = subscribers.filter((s) => s.SubscriptionType === 'EMAIL').length;
  if (emails > MAX_EMAIL_SUBSCRIBERS)
    throw overLimit(`A notification can have up to ${MAX_EMAIL_SUBSCRIBERS} email subscribers (got ${emails}).`);
  if (subscribers.length - emails > MAX_SNS_SUBSCRIBERS) throw overLimit(`A notification can have one SNS subscriber.`);
}

/** Whether two notifications are the same (type, operator, threshold and its type). */
export function sameNotification(
  a: Omit<SimNotification, 'Subscribers' | 'NotificationState'>,
  b: Omit<SimNotification, 'Subscribers' | 'NotificationState'>,
): boolean {
  return (
    a.NotificationType === b.NotificationType &&
    a.ComparisonOperator === b.ComparisonOperator &&
    a.Threshold === b.Threshold &&
    a.ThresholdType === b.ThresholdType
  );
}
