/**
 * Simulated AWS Budgets (`AWSBudgetServiceGateway`, JSON 1.1, PascalCase members, global: its
 * endpoint is in us-east-1): budgets with their notifications, subscribers and tags, and the
 * alerts AWS would send as the simulated spend crosses their thresholds (`POST /_sim/budget-alerts`).
 */
import type { SimService } from '../core/contract.js';
import { budgetAlertsControl, checkBudgets } from './alerts.js';
import type { BudgetsState } from './model.js';
import { BUDGETS_OPERATIONS } from './operations.js';

export type { BudgetsState, SimBudget, SimBudgetAlert, SimNotification } from './model.js';

/** The Budgets service the sim core routes `Budgets.*` operations to; its slice is `state.budgets`. */
export const budgetsService: SimService = {
  name: 'Budgets',
  operations: BUDGETS_OPERATIONS,
  initialState: (): BudgetsState => ({ budgets: {}, alerts: [] }),
  advance: (state, _from, _to, ctx) => checkBudgets(state, ctx),
  control: { 'budget-alerts': budgetAlertsControl },
};
