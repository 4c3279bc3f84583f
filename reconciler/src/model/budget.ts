/**
 * Budgets as the budget planner sees them (every default settled), and what it concludes: the
 * spend, forecast and alerts of each budget's current period and the actions in force.
 */
import type { AlertRecord } from './record.js';
import type { SourceSplit } from '../cost/sources.js';
import type { ScheduleStorage } from '../cost/snapshot-storage.js';

/** Alert thresholds when a Budget names none (percent of the limit). */
export const DEFAULT_THRESHOLDS: readonly number[] = [50, 75, 90, 100];

/**
 * A budget action in force for a project, decided by the budget planner from spend and forecast.
 * `hibernate` and `stop` override the desired power state of the project's workstations;
 * `block-launches` keeps new workstations (and Job submissions) of the project from being created.
 */
export interface BudgetOverride {
  /** The `metadata.project` the budget covers. */
  project: string;
  action: 'hibernate' | 'stop' | 'block-launches';
  /** The rule text carried by the actions it causes, e.g. `budget neuro-fall at 101% of $5,000`. */
  rule: string;
  /** When it fired (ISO-8601); it stays in force for the rest of the period. @default undefined (fires this run) */
  since?: string;
}

/** One Budget spec, defaults applied. */
export interface DesiredBudget {
  name: string;
  /** The `metadata.project` (the `labops:project` tag value) whose spend counts. */
  project: string;
  limitUSD: number;
  /** Fixed dates (end inclusive) or a repeating calendar period in the Lab calendar's zone. */
  period: { start: string; end: string } | { every: 'month' | 'quarter' | 'year' };
  /** Percentages that alert once per period. @default [50, 75, 90, 100] */
  thresholds: number[];
  /** Enforcement at a percentage of actual spend, lowest first. @default [] */
  actions: { atPercent: number; do: 'notify' | 'hibernate' | 'stop' | 'block-launches' }[];
  /** GitHub handles to mention; the Lab's `notify` when the Budget names none. @default [] */
  notify: string[];
}

/** The current period of a budget: local calendar dates and the instants they span. */
export interface BudgetWindow {
  /** Record key: `2026-08-24..2026-12-18` for fixed periods, `2026-11`, `2026-Q4`, `2026` otherwise. */
  key: string;
  /** First day, `YYYY-MM-DD` (inclusive). */
  start: string;
  /** Last day, `YYYY-MM-DD` (inclusive). */
  end: string;
  /** Epoch ms of local midnight starting `start`, and of local midnight after `end`. */
  startMs: number;
  endMs: number;
}

/** Where a project's spend comes from: Cost Explorer and the estimate of what ran since. */
export interface SpendFigures {
  /** Cost Explorer actuals inside the period. */
  actualUSD: number;
  /** Observed instances and volumes × list price since Cost Explorer's data ends. */
  estimatedSinceUSD: number;
  /** Cumulative spend per day of the period so far (Cost Explorer daily figures). */
  daily: { date: string; usd: number }[];
}

/** What the budget planner concluded about one budget now. */
export interface BudgetStatus {
  budget: DesiredBudget;
  window: BudgetWindow;
  /** False when no Cost Explorer data could be had (status unknown; nothing enforced). */
  known: boolean;
  spend: SpendFigures;
  /** actual + estimated since. */
  spentUSD: number;
  /**
   * `spentUSD` by source (cost/sources.ts): Cost Explorer's actuals by usage type plus the estimate
   * since its data ends. Absent from records written before labops split costs.
   */
  spentBySource?: SourceSplit;
  /** `forecastUSD` by source: spent plus each source's planned spend to the end of the period. */
  forecastBySource?: SourceSplit;
  /** The project's snapshot storage per SnapshotSchedule and Region (copies apart), with its forecast to the end of the period. */
  schedules?: (ScheduleStorage & { toEndUSD: number })[];
  /** spent + planned run-hours to the end of the period at list price (desired workstations, schedules, actions in force). */
  forecastUSD: number;
  /** Cost Explorer actuals + GetCostForecast to the end of the period, when asked. */
  costExplorerForecastUSD?: number;
  /** Percent of the limit spent and forecast. */
  spentPercent: number;
  forecastPercent: number;
  /** Thresholds crossed now (actual or forecast), each once per period: the ones not alerted before. */
  newAlerts: AlertRecord[];
  /** Enforcement actions in force (actual spend at or past their percent). */
  actionsInForce: {
    atPercent: number;
    do: 'notify' | 'hibernate' | 'stop' | 'block-launches';
    rule: string;
    /** When it fired (ISO-8601): a `stop`, `hibernate` or `block-launches` holds from then to the end of the period. */
    since?: string;
  }[];
}
