/**
 * Simulated Cost Explorer (`AWSInsightsIndexService`, JSON 1.1, PascalCase members). It keeps no
 * state of its own: cost is read from the usage segments EC2 and Batch open and close, priced
 * at list price, and visible only up to now − `costLagHours`, as AWS billing data lags.
 */
import type { SimService } from '../core/contract.js';
import { getCostAndUsage } from './cost-and-usage.js';
import { getCostForecast } from './forecast.js';

/** The Cost Explorer service the sim core routes `CostExplorer.*` operations to. */
export const costExplorerService: SimService = {
  name: 'CostExplorer',
  operations: {
    GetCostAndUsage: getCostAndUsage,
    GetCostForecast: getCostForecast,
  },
};
