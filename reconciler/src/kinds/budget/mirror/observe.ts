/**
 * What a run reads for the AWS budget mirror: the account's budgets named `labops …` (one
 * paginated DescribeBudgets), their tags, and the notifications of those tagged with this lab's id.
 * Read only when the lab has Budget specs (valid or not) or prunes (so the mirror of a removed last
 * Budget is still deleted); a lab with neither makes no Budgets call.
 */
import type { Observation, ObserveInputs } from '../../../engine/kind.js';
import { AWS_BUDGET_NAME_PREFIX } from '../../../model/aws-budget.js';
import type { Observed } from '../../../model/observed.js';

/** The mirror's slice of Observed. */
export type ObservedAwsBudgets = Pick<Observed, 'awsBudgets'>;

/** Whether this run needs to read AWS Budgets. */
export function readsBudgets(desired: ObserveInputs['desired']): boolean {
  return desired.awsBudgets.length > 0 || desired.unknownBudgets.length > 0 || desired.lab.prune;
}

/** The `labops …` budgets of the account, or none when the run need not read them. */
export async function observeAwsBudgets({ desired, ports }: ObserveInputs): Promise<Observation<ObservedAwsBudgets>> {
  if (!readsBudgets(desired)) return { observed: { awsBudgets: [] } };
  return {
    observed: {
      awsBudgets: await ports.budgets.observe(desired.lab.accountId, AWS_BUDGET_NAME_PREFIX, desired.lab.repo),
    },
  };
}
