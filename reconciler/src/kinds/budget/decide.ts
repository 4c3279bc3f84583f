/**
 * The budget step of a run: get Cost Explorer figures (from the run record's cache while it is
 * fresh, otherwise one GetCostAndUsage plus a GetCostForecast per budget whose period ends in the
 * future), then assess every budget with the pure budget planner.
 *
 * - **Cache window: 8 hours.** Cost Explorer refreshes billing data up to three times a day, so a
 *   cached answer younger than {@link COST_CACHE_HOURS} is reused and costs nothing.
 * - **Data end.** Figures are taken as complete up to the call time minus
 *   {@link COST_DATA_LAG_HOURS}; what ran after that is estimated from the observed instances
 *   and volumes at list price ("estimated since").
 * - One GetCostAndUsage covers every budget (the union of their periods up to today, grouped by
 *   the `labops:project` tag and the usage type, which splits each project's spend by source:
 *   cost/sources.ts), so the calls do not grow with projects or resources.
 */
import type { CostsPort } from '../../aws/costs.js';
import { AwsError } from '../../aws/errors.js';
import type { BudgetStatus, DesiredBudget } from '../../model/budget.js';
import type { Desired } from '../../model/desired.js';
import type { Observed } from '../../model/observed.js';
import type { CostCacheRecord, RecordPatch, RunRecord } from '../../model/record.js';
import { TAG } from '../../model/tags.js';
import { addDays, budgetWindow, daysBetween } from '../../model/budget-period.js';
import { jobEstimate } from '../../cost/job-estimate.js';
import { assessBudgets, forecastKey } from './status.js';
import type { Plan } from '../../model/plan.js';
import { budgetImpacts, projectImpacts } from './impact.js';
import type { BudgetImpact, ProjectImpact } from './impact.js';
import type { BudgetOverride } from '../../model/budget.js';
import { updateLedger, withLedger } from '../../cost/spend-ledger.js';
import { updateJobLedger, withJobLedger } from '../../cost/job-ledger.js';

/** How long a Cost Explorer answer is reused. */
export const COST_CACHE_HOURS = 8;
/** How far behind the call time Cost Explorer's figures are taken to be complete. */
export const COST_DATA_LAG_HOURS = 8;
/** Cost Explorer keeps 13 months of history. */
const HISTORY_DAYS = 395;
const HOUR_MS = 3_600_000;

/** What the budget step reports about Cost Explorer. */
export interface CostExplorerUse {
  /** Requests made by this run (each $0.01). */
  callsThisRun: number;
  /** Requests made in all, from the run record. */
  callsInAll: number;
  /** When the figures used were fetched; absent when there are none. */
  fetchedAt?: string;
  fromCache: boolean;
  /** Why figures are missing or stale, e.g. `AccessDeniedException: …`. */
  error?: string;
  /**
   * Projects Cost Explorer would not forecast this run, each with AWS's code, e.g.
   * `neuro (DataUnavailableException)` for a project without history: their forecast is labops' own.
   */
  forecastUnavailable?: string[];
}

/** The budget step's result. */
export interface BudgetRun {
  statuses: BudgetStatus[];
  overrides: BudgetOverride[];
  costExplorer: CostExplorerUse;
}

/** The budget part of a run's result: the budget step plus what the plan does to each project and budget. */
export interface BudgetReport extends BudgetRun {
  projects: ProjectImpact[];
  impacts: BudgetImpact[];
}

/** Adds the plan's per-project totals and each budget's forecast before and after it. */
export function budgetReport(
  run: BudgetRun,
  plan: Plan,
  desired: Desired,
  observed: Observed,
  now: Date,
): BudgetReport {
  const projects = projectImpacts(plan, desired, observed);
  return { ...run, projects, impacts: budgetImpacts(run.statuses, projects, now) };
}

/**
 * Estimates of the Jobs not yet submitted (no submission of their spec and rerun in the record),
 * by project: spend the period will see that no instance shows yet.
 */
export function pendingJobsUSD(desired: Desired, record: RunRecord): Record<string, number> {
  const out: Record<string, number> = {};
  for (const job of desired.jobs) {
    if (record.jobs.some((r) => r.name === job.name && r.specHash === job.specHash && r.rerun === job.rerun)) continue;
    const estimate = jobEstimate(job);
    if (estimate !== undefined) out[job.project] = (out[job.project] ?? 0) + estimate.usd;
  }
  return out;
}

/** Dates `[start, end)` one GetCostAndUsage must cover for these budgets now, or undefined when none has begun. */
export function costRange(
  budgets: readonly DesiredBudget[],
  now: Date,
  timeZone: string,
): { start: string; end: string } | undefined {
  const today = now.toISOString().slice(0, 10);
  const oldest = addDays(today, -HISTORY_DAYS);
  let start: string | undefined;
  for (const budget of budgets) {
    const win = budgetWindow(budget, now, timeZone);
    if (win.start > today) continue;
    const from = win.start < oldest ? oldest : win.start;
    if (start === undefined || from < start) start = from;
  }
  return start === undefined ? undefined : { start, end: addDays(today, 1) };
}

function cacheFresh(cache: CostCacheRecord | undefined, range: { start: string }, now: Date): cache is CostCacheRecord {
  if (cache === undefined) return false;
  const age = now.getTime() - Date.parse(cache.fetchedAt);
  // A cache from before labops split costs by source is fetched again once (dailyBySource).
  return (
    age >= 0 && age < COST_CACHE_HOURS * HOUR_MS && cache.start <= range.start && cache.dailyBySource !== undefined
  );
}

async function fetchCosts(
  costs: CostsPort,
  budgets: readonly DesiredBudget[],
  range: { start: string; end: string },
  now: Date,
  timeZone: string,
): Promise<{ cache: CostCacheRecord; forecastUnavailable: string[] }> {
  const daily = await costs.dailyCosts({ ...range, tagKey: TAG.project });
  const cache: CostCacheRecord = {
    fetchedAt: now.toISOString(),
    ...range,
    dailyByProject: daily.dailyByTag,
    dailyBySource: daily.dailyByTagSource,
    estimatedDates: daily.estimatedDates,
  };
  const today = now.toISOString().slice(0, 10);
  const forecasts: NonNullable<CostCacheRecord['forecastByProject']> = {};
  const forecastUnavailable: string[] = [];
  for (const budget of budgets) {
    const win = budgetWindow(budget, now, timeZone);
    const key = forecastKey(budget.project, win.end);
    // Only a period still running has a future to forecast; longer than 18 months is beyond Cost Explorer.
    if (forecasts[key] !== undefined || win.end < today || daysBetween(today, win.end) > 540) continue;
    try {
      const f = await costs.forecast({
        start: today,
        end: addDays(win.end, 1),
        tagKey: TAG.project,
        tagValue: budget.project,
      });
      forecasts[key] = {
        end: win.end,
        meanUSD: f.meanUSD,
        ...(f.lowUSD === undefined ? {} : { lowUSD: f.lowUSD }),
        ...(f.highUSD === undefined ? {} : { highUSD: f.highUSD }),
      };
    } catch (err) {
      // A forecast AWS cannot make (DataUnavailableException: too little history) leaves only labops' own forecast.
      if (!(err instanceof AwsError)) throw err;
      forecastUnavailable.push(`${budget.project} (${err.code})`);
    }
  }
  if (Object.keys(forecasts).length) cache.forecastByProject = forecasts;
  return { cache, forecastUnavailable };
}

/** Inputs of {@link runBudgets}. */
export interface BudgetRunInputs {
  budgets: readonly DesiredBudget[];
  desired: Desired;
  observed: Observed;
  now: Date;
  /** Read, never changed: what the run learns comes back as a patch. */
  record: RunRecord;
  costs: CostsPort;
  /** Other planned spend by project. @default {@link pendingJobsUSD} */
  plannedExtraUSD?: Record<string, number>;
  /** Time to the next scheduled run. @default 1 hour (status.ts DEFAULT_INTERVAL_MS) */
  intervalMs?: number;
}

/**
 * Runs the budget step. A Cost Explorer failure falls back to the cached figures (any age), else
 * leaves budgets unknown. `record` is what the step teaches the run record (the Cost Explorer cache
 * and call count); the alerts are the apply's to record (kinds/budget/record.ts).
 */
export async function runBudgets(inputs: BudgetRunInputs): Promise<{ run: BudgetRun; record: RecordPatch }> {
  const { record, now } = inputs;
  const timeZone = inputs.desired.lab.calendar.timezone;
  const range = inputs.budgets.length ? costRange(inputs.budgets, now, timeZone) : undefined;
  let callsThisRun = 0;
  let fromCache = false;
  let error: string | undefined;
  let forecastUnavailable: string[] = [];
  let cache = record.costCache;
  let fetchedCache: CostCacheRecord | undefined;
  if (range !== undefined && cacheFresh(cache, range, now)) fromCache = true;
  else if (range !== undefined) {
    // Every request sent is billed, SDK retries and failed requests included: count what the port sent.
    const sentBefore = inputs.costs.requestsSent();
    try {
      const fetched = await fetchCosts(inputs.costs, inputs.budgets, range, now, timeZone);
      forecastUnavailable = fetched.forecastUnavailable;
      cache = fetched.cache;
      fetchedCache = cache;
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      error = `${err.code}: ${err.message}`;
      fromCache = cache !== undefined;
    }
    callsThisRun = inputs.costs.requestsSent() - sentBefore;
  }
  const usable = range === undefined ? (cache ?? emptyCache(now)) : cache;
  const dataUntilMs =
    usable === undefined ? now.getTime() : Date.parse(usable.fetchedAt) - COST_DATA_LAG_HOURS * HOUR_MS;
  // What each budgeted project's instances ran since the data end: kept so the estimate never forgets it.
  const budgeted = new Set(inputs.budgets.map((b) => b.project));
  const ledger = updateLedger(
    record.instanceRuns,
    inputs.observed.instances.filter((i) => budgeted.has(i.tags[TAG.project] ?? '')),
    now,
    dataUntilMs,
  );
  const jobLedger = updateJobLedger(record.jobRuns, inputs.observed.jobs, budgeted, now, dataUntilMs);
  const assessment = assessBudgets({
    budgets: inputs.budgets,
    desired: inputs.desired,
    observed: inputs.observed,
    now,
    costs: usable,
    dataUntilMs,
    alerts: record.alerts,
    plannedExtraUSD: inputs.plannedExtraUSD ?? pendingJobsUSD(inputs.desired, record),
    ledger,
    jobLedger,
    fired: record.budgetActions ?? [],
    previous: record.resources,
    ...(inputs.intervalMs === undefined ? {} : { intervalMs: inputs.intervalMs }),
  });
  const costExplorer: CostExplorerUse = {
    callsThisRun,
    callsInAll: record.costExplorerCalls + callsThisRun,
    fromCache,
    ...(usable?.fetchedAt ? { fetchedAt: usable.fetchedAt } : {}),
    ...(error ? { error } : {}),
    ...(forecastUnavailable.length ? { forecastUnavailable } : {}),
  };
  const patch: RecordPatch = (r) =>
    withJobLedger(
      withLedger(
        {
          ...r,
          costExplorerCalls: r.costExplorerCalls + callsThisRun,
          ...(fetchedCache === undefined ? {} : { costCache: fetchedCache }),
        },
        ledger,
      ),
      jobLedger,
    );
  return { run: { ...assessment, costExplorer }, record: patch };
}

/** Budgets whose periods have not begun need no figures: nothing has been spent in them. */
function emptyCache(now: Date): CostCacheRecord {
  const today = now.toISOString().slice(0, 10);
  return {
    fetchedAt: now.toISOString(),
    start: today,
    end: today,
    dailyByProject: {},
    dailyBySource: {},
    estimatedDates: [],
  };
}
