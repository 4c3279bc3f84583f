/**
 * The AWS budget mirror's steps. Update and delete first read the budget's tags again and refuse
 * unless `labops:repo` is this lab's (the name alone proves nothing); a create that finds the name
 * taken (a previous run created it before its record was saved, or someone else did) succeeds only
 * when the budget there carries this lab's tag, and the next run reconciles its notifications.
 */
import type { BudgetsPort } from '../../../aws/ports.js';
import { hasAwsCode } from '../../../aws/errors.js';
import { budgetsOf } from '../../../engine/apply/context.js';
import type { ActionContext } from '../../../engine/apply/context.js';
import { ApplyError } from '../../../engine/apply/errors.js';
import type { StepResult } from '../../../engine/apply/steps.js';
import type {
  CreateAwsBudgetDetails,
  DeleteAwsBudgetDetails,
  UpdateAwsBudgetDetails,
} from '../../../model/aws-budget.js';
import { TAG } from '../../../model/tags.js';

/** Throws unless the budget named carries `labops:repo` = `repo`. */
async function checkOwned(
  budgets: BudgetsPort,
  accountId: string,
  name: string,
  repo: string,
  id: string,
): Promise<void> {
  const tags = await budgets.tags(accountId, name);
  if (tags[TAG.repo] !== repo)
    throw new ApplyError(
      'unexpected-state',
      `${id}: AWS budget "${name}" is not tagged ${TAG.repo}=${repo}; left alone`,
      {
        resource: name,
      },
    );
}

/** CreateBudget with its notifications, subscribers and tags. */
export async function runCreateAwsBudget(ctx: ActionContext, details: CreateAwsBudgetDetails): Promise<StepResult> {
  const budgets = budgetsOf(ctx);
  const repo = details.budget.tags[TAG.repo] ?? '';
  try {
    await budgets.create(details.accountId, details.budget);
  } catch (err: unknown) {
    if (!hasAwsCode(err, 'DuplicateRecordException')) throw err;
    await checkOwned(budgets, details.accountId, details.budget.name, repo, ctx.action.id);
    return { detail: `AWS budget "${details.budget.name}" already existed (this lab's): reconciled on the next run` };
  }
  return { detail: `AWS budget "${details.budget.name}" created` };
}

/** UpdateBudget when the body differs, then the notification and subscriber changes. */
export async function runUpdateAwsBudget(ctx: ActionContext, details: UpdateAwsBudgetDetails): Promise<StepResult> {
  const budgets = budgetsOf(ctx);
  const { accountId, name } = details;
  await checkOwned(budgets, accountId, name, details.repo, ctx.action.id);
  if (details.body !== undefined) await budgets.update(accountId, details.body);
  for (const n of details.deleteNotifications) await budgets.deleteNotification(accountId, name, n);
  for (const n of details.createNotifications) await budgets.createNotification(accountId, name, n);
  for (const s of details.subscribers) {
    const n = { ...s.notification, emails: [] };
    for (const email of s.add) await budgets.createSubscriber(accountId, name, n, email);
    for (const email of s.remove) await budgets.deleteSubscriber(accountId, name, n, email);
  }
  return { detail: `AWS budget "${name}" updated` };
}

/** DeleteBudget of a budget this lab made; one already gone is done. */
export async function runDeleteAwsBudget(ctx: ActionContext, details: DeleteAwsBudgetDetails): Promise<StepResult> {
  const budgets = budgetsOf(ctx);
  try {
    await checkOwned(budgets, details.accountId, details.name, details.repo, ctx.action.id);
    await budgets.delete(details.accountId, details.name);
  } catch (err: unknown) {
    if (!hasAwsCode(err, 'NotFoundException')) throw err;
    return { detail: `AWS budget "${details.name}" was already gone` };
  }
  return { detail: `AWS budget "${details.name}" deleted` };
}
