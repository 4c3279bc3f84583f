/**
 * The AWS budget mirror: each Budget also exists as an AWS Budget, so AWS alerts the PI even when
 * labops is not running. A kind of its own beside the Budget decider (which plans no actions):
 * its actions are the Budget spec's, `Budget/NAME/create-aws-budget` and so on.
 */
import type { Kind } from '../../../engine/kind.js';
import { AWS_BUDGET_ACTIONS } from './actions.js';
import { runCreateAwsBudget, runDeleteAwsBudget, runUpdateAwsBudget } from './apply.js';
import { desiredAwsBudgets } from './desired.js';
import { observeAwsBudgets } from './observe.js';
import type { ObservedAwsBudgets } from './observe.js';
import { planAwsBudgets } from './plan.js';

/** AWS Budgets mirroring the lab's Budgets: created, updated and (prune) deleted like every resource. */
export const awsBudgetMirror: Kind<
  (typeof AWS_BUDGET_ACTIONS)[number]['kind'],
  ReturnType<typeof desiredAwsBudgets>,
  ObservedAwsBudgets
> = {
  name: 'Budget',
  actions: AWS_BUDGET_ACTIONS,
  steps: {
    'create-aws-budget': runCreateAwsBudget,
    'update-aws-budget': runUpdateAwsBudget,
    'delete-aws-budget': runDeleteAwsBudget,
  },
  desired: desiredAwsBudgets,
  observe: observeAwsBudgets,
  unobserved: () => ({ awsBudgets: [] }),
  plan: ({ desired, observed }) => planAwsBudgets(desired, observed),
};
