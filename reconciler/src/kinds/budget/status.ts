/**
 * The pure budget planner: for each budget's current period, spend (Cost Explorer actuals plus an
 * estimate of what ran since its data ends), the forecast to the end of the period, the threshold
 * alerts not yet sent, and the enforcement actions in force as {@link BudgetOverride}s for the
 * workstation planner. No I/O: Cost Explorer figures come in through the cache record.
 *
 * - Actions apply at **actual** spend (spec: "when actual spend reaches a percentage"), or one
 *   reconcile interval early: a budget whose spend plus the project's current burn for one
 *   interval ({@link DEFAULT_INTERVAL_MS} unless the run knows its schedule) reaches the percent
 *   acts now, since the next run would be too late.
 * - A `stop`, `hibernate` or `block-launches` that fired stays in force for the rest of the period
 *   (the run record's `budgetActions`), unless the Budget's limit or the action's percent is
 *   raised past it. The record only ever adds an action: an entry it lacks, or one whose figures
 *   look raised, leaves the action to the spend, as without a record.
 * - Thresholds (and `notify` actions) alert once per period, on actual or forecast spend,
 *   whichever reaches them first; the alert remembers which.
 * - A forecast past 100% alerts at once, whether or not `thresholds` lists 100, naming the
 *   biggest source of the spend to the period's end (cost/spend-driver.ts).
 */
import type { BudgetStatus, BudgetWindow, DesiredBudget, SpendFigures } from '../../model/budget.js';
import type { Desired } from '../../model/desired.js';
import type { Observed } from '../../model/observed.js';
import type { AlertRecord, CostCacheRecord } from '../../model/record.js';
import { recordedTime } from '../../model/record-time.js';
import { TAG } from '../../model/tags.js';
import { budgetWindow, remainingHours } from '../../model/budget-period.js';
import { observedHourlyBySource, observedHourlyUSD, workstationEstimate } from '../../cost/estimates.js';
import type { BudgetOverride } from '../../model/budget.js';
import { projectCostSinceBySource } from '../../cost/spend-ledger.js';
import { COST_SOURCES, addSplits, emptySplit, splitTotal } from '../../cost/sources.js';
import type { SourceSplit } from '../../cost/sources.js';
import { scheduleStorage, snapshotCostSince, storageToEnd } from '../../cost/snapshot-storage.js';
import { HOURS_PER_MONTH } from '../../cost/prices/index.js';
import type { SpendLedger } from '../../cost/spend-ledger.js';
import { runningJobsHourlyUSD } from '../../cost/job-ledger.js';
import type { JobLedger } from '../../cost/job-ledger.js';
import type { FiredBudgetActionRecord } from '../../specs/generated/run-record.js';
import { spendDriver } from '../../cost/spend-driver.js';

/** How far ahead a budget looks when the run does not know when the next one is: one hour. */
export const DEFAULT_INTERVAL_MS = 3_600_000;

/** What the budget planner reads. */
export interface BudgetInputs {
  budgets: readonly DesiredBudget[];
  desired: Desired;
  observed: Observed;
  now: Date;
  /** Cost Explorer figures; `undefined` when none could be had (every budget is then unknown). */
  costs: CostCacheRecord | undefined;
  /** Epoch ms up to which Cost Explorer's figures are taken as complete (see run-budgets.ts). */
  dataUntilMs: number;
  /** Alerts already sent (from the run record). */
  alerts: readonly AlertRecord[];
  /** Other planned spend to the end of each project's periods (e.g. Batch jobs not yet run), by project. @default {} */
  plannedExtraUSD?: Readonly<Record<string, number>>;
  /** What each instance ran since the data end (the run record's `instanceRuns`, brought up to date). @default {} */
  ledger?: SpendLedger;
  /** What each of labops' Batch jobs ran since the data end (the run record's `jobRuns`, brought up to date). @default {} */
  jobLedger?: JobLedger;
  /** Budget actions fired before (the run record's `budgetActions`). @default [] */
  fired?: readonly FiredBudgetActionRecord[];
  /** Time to the next scheduled run. @default {@link DEFAULT_INTERVAL_MS} */
  intervalMs?: number;
  /** Each budget's last status (the run record's `resources["Budget/NAME"]`), untrusted. @default {} */
  previous?: Readonly<Record<string, unknown>>;
}

/** Statuses in budget-name order, and the overrides for `planWorkstations`. */
export interface BudgetAssessment {
  statuses: BudgetStatus[];
  overrides: BudgetOverride[];
}

const wholeUSD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/** `budget neuro-fall at 102% of $6,000`: the rule an enforcement action carries into the plan. */
export function budgetRule(name: string, percent: number, limitUSD: number): string {
  return `budget ${name} at ${Math.floor(percent)}% of ${wholeUSD.format(limitUSD)}`;
}

/** Cost Explorer actuals of a project inside the window, with the cumulative daily series. */
export function periodActuals(
  costs: CostCacheRecord | undefined,
  project: string,
  win: BudgetWindow,
  today: string,
): { actualUSD: number; daily: SpendFigures['daily'] } {
  const days = costs?.dailyByProject[project] ?? {};
  const daily: SpendFigures['daily'] = [];
  let total = 0;
  for (const date of Object.keys(days).sort()) {
    if (date < win.start || date > win.end || date > today) continue;
    total += days[date] ?? 0;
    daily.push({ date, usd: total });
  }
  return { actualUSD: total, daily };
}

/**
 * {@link periodActuals} by source, from the cache's `dailyBySource`. A cache written before labops
 * split costs has none: its actuals all count as `other`.
 */
export function periodActualsBySource(
  costs: CostCacheRecord | undefined,
  project: string,
  win: BudgetWindow,
  today: string,
): SourceSplit {
  const out = emptySplit();
  if (costs !== undefined && costs.dailyBySource === undefined) {
    out.other = periodActuals(costs, project, win, today).actualUSD;
    return out;
  }
  const split = costs?.dailyBySource?.[project] ?? {};
  for (const source of COST_SOURCES)
    for (const [date, usd] of Object.entries(split[source] ?? {}))
      if (date >= win.start && date <= win.end && date <= today) out[source] += usd;
  return out;
}

function projectInstances(observed: Observed, project: string) {
  return observed.instances.filter((i) => i.tags[TAG.project] === project);
}

/**
 * The project's instances × list price since Cost Explorer's data ends (within the window): every
 * stretch they ran and their volumes, from the ledger and EC2 (cost/spend-ledger.ts), its Batch
 * jobs' attempts as compute (cost/job-ledger.ts), and the
 * snapshots of the project stored meanwhile (at full size, cost/snapshot-storage.ts).
 */
function estimatedSince(inputs: BudgetInputs, project: string, win: BudgetWindow): SourceSplit {
  const from = Math.max(inputs.dataUntilMs, win.startMs);
  const to = Math.min(inputs.now.getTime(), win.endMs);
  const ec2 = projectCostSinceBySource(project, inputs.observed.instances, inputs.ledger, from, to, inputs.now, {
    jobs: inputs.observed.jobs,
    ledger: inputs.jobLedger,
  });
  const snapshots = to > from ? snapshotCostSince(project, inputs.observed.snapshots, from, to) : 0;
  return { ...emptySplit(), compute: ec2.compute, volumes: ec2.volumes, snapshots };
}

/**
 * The snapshot spend the last run reported for this budget's period (untrusted: 0 when the record
 * has none, another period, a time in the future or no finite figure).
 */
function previousSnapshotsUSD(inputs: BudgetInputs, budget: DesiredBudget, win: BudgetWindow): number {
  const entry = inputs.previous?.[`Budget/${budget.name}`] as
    | { observedAt?: unknown; budget?: { window?: { key?: unknown }; spentBySource?: { snapshots?: unknown } } }
    | undefined;
  if (typeof entry?.observedAt !== 'string' || recordedTime(entry.observedAt, inputs.now) === undefined) return 0;
  const usd = entry.budget?.spentBySource?.snapshots;
  if (entry.budget?.window?.key !== win.key || typeof usd !== 'number' || !Number.isFinite(usd)) return 0;
  return Math.max(0, usd);
}

/**
 * Snapshot spend that never goes down within a period: the estimate since the data end prices
 * each snapshot at its volume's full size, an upper bound of what EBS bills (the blocks it adds),
 * so when Cost Explorer's data reaches that stretch its actual is lower. The figure stays at what
 * the last run reported until the actuals pass it; a record cannot raise it beyond what every
 * snapshot there now would cost at full size over the whole period so far.
 */
function snapshotsFloor(inputs: BudgetInputs, budget: DesiredBudget, win: BudgetWindow, usd: number): number {
  const now = Math.min(inputs.now.getTime(), win.endMs);
  const ceiling = usd + snapshotCostSince(budget.project, inputs.observed.snapshots, win.startMs, now);
  return Math.max(usd, Math.min(previousSnapshotsUSD(inputs, budget, win), ceiling));
}

/** The project's snapshot storage per schedule and Region, with its forecast from now to the end of the window. */
function projectSchedules(
  inputs: BudgetInputs,
  project: string,
  win: BudgetWindow,
): NonNullable<BudgetStatus['schedules']> {
  const from = Math.max(inputs.now.getTime(), win.startMs);
  return scheduleStorage(inputs.desired, inputs.observed.snapshots, inputs.now, win.endMs)
    .filter((row) => row.project === project)
    .map((row) => ({ ...row, toEndUSD: storageToEnd(row, from, win.endMs) }));
}

/**
 * What the project costs per hour now: its instances (compute of those running, every volume), its
 * Batch jobs running and its schedules' snapshots.
 */
function burnPerHour(inputs: BudgetInputs, project: string, schedules: NonNullable<BudgetStatus['schedules']>): number {
  const instances = projectInstances(inputs.observed, project).reduce((sum, i) => sum + observedHourlyUSD(i), 0);
  const jobs = runningJobsHourlyUSD(project, inputs.observed.jobs);
  return instances + jobs + schedules.reduce((sum, row) => sum + row.monthlyNowUSD / HOURS_PER_MONTH, 0);
}

/**
 * Planned spend from now to the end of the window, by source: desired workstations as planned
 * (compute and volumes), live instances no spec declares (stopped when a budget stop is in force),
 * Batch jobs not yet run, and the schedules' snapshot storage (cost/snapshot-storage.ts).
 */
function plannedToEnd(
  inputs: BudgetInputs,
  project: string,
  win: BudgetWindow,
  overrides: readonly BudgetOverride[],
  schedules: NonNullable<BudgetStatus['schedules']>,
): SourceSplit {
  const out = emptySplit();
  const from = Math.max(inputs.now.getTime(), win.startMs);
  if (from >= win.endMs) return out;
  const declared = new Set(inputs.desired.workstations.map((w) => w.name));
  out.batch += inputs.plannedExtraUSD?.[project] ?? 0;
  for (const ws of inputs.desired.workstations) {
    if (ws.project !== project) continue;
    const estimate = workstationEstimate(ws, inputs.desired.lab, from, win.endMs, overrides);
    out.compute += estimate.computeUSD;
    out.volumes += estimate.storageUSD;
  }
  // A budget stop or hibernate in force reaches undeclared instances too (plan/budget-power.ts): they stop costing compute.
  const off = overrides.some((o) => o.project === project && o.action !== 'block-launches');
  for (const instance of projectInstances(inputs.observed, project)) {
    if (declared.has(instance.tags[TAG.name] ?? '')) continue;
    const stopped = off && instance.state === 'running' ? { ...instance, state: 'stopped' as const } : instance;
    const hourly = observedHourlyBySource(stopped);
    out.compute += hourly.compute * remainingHours(win, from);
    out.volumes += hourly.volumes * remainingHours(win, from);
  }
  for (const row of schedules) out.snapshots += row.toEndUSD;
  return out;
}

/** The percent a budget action fires at, in dollars. */
function thresholdUSD(limitUSD: number, atPercent: number): number {
  return (limitUSD * atPercent) / 100;
}

/**
 * When `action` fired in this period, from the record: an entry of this budget, period and action
 * fired no later than now, whose threshold was no lower than today's (a raised limit or percent
 * lifts it). Undefined when none holds.
 */
export function firedAt(
  budget: DesiredBudget,
  win: BudgetWindow,
  action: DesiredBudget['actions'][number],
  inputs: Pick<BudgetInputs, 'fired' | 'now'>,
): string | undefined {
  const today = thresholdUSD(budget.limitUSD, action.atPercent);
  const held = (inputs.fired ?? [])
    .filter(
      (f) =>
        f.budget === budget.name &&
        f.period === win.key &&
        f.do === action.do &&
        thresholdUSD(f.limitUSD, f.atPercent) >= today - 1e-9 &&
        recordedTime(f.at, inputs.now) !== undefined,
    )
    .map((f) => f.at)
    .sort();
  return held[0];
}

const usd2 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });

/**
 * Enforcement actions in force: reached by actual spend, about to be (spend plus one interval of
 * the current burn), or fired before in the period and not lifted. A `notify` is in force on
 * actual spend only. Unknown spend enforces only what fired before.
 */
function actionsInForce(
  budget: DesiredBudget,
  win: BudgetWindow,
  spentUSD: number,
  burnUSDPerHour: number,
  known: boolean,
  inputs: BudgetInputs,
): BudgetStatus['actionsInForce'] {
  const spentPercent = (spentUSD / budget.limitUSD) * 100;
  const rule = budgetRule(budget.name, spentPercent, budget.limitUSD);
  const hours = (inputs.intervalMs ?? DEFAULT_INTERVAL_MS) / 3_600_000;
  const nextRunUSD = spentUSD + burnUSDPerHour * hours;
  const out: BudgetStatus['actionsInForce'] = [];
  for (const a of budget.actions) {
    const since = a.do === 'notify' ? undefined : firedAt(budget, win, a, inputs);
    const firesNow = a.do === 'notify' ? {} : { since: inputs.now.toISOString() };
    if (since !== undefined) out.push({ ...a, rule, since });
    else if (known && spentPercent >= a.atPercent) out.push({ ...a, rule, ...firesNow });
    else if (known && a.do !== 'notify' && nextRunUSD >= thresholdUSD(budget.limitUSD, a.atPercent))
      out.push({
        ...a,
        rule: `${rule}, reaching ${a.atPercent}% before the next run (burning ${usd2.format(burnUSDPerHour)}/h)`,
        ...firesNow,
      });
  }
  return out;
}

/** The forecast point every budget has, listed in `thresholds` or not: an overrun ahead alerts at once. */
const FORECAST_OVERRUN_PERCENT = 100;

/**
 * Alert points, each once per period: thresholds on actual or forecast spend, 100% on forecast
 * spend always, and `notify` actions (at a percent no threshold names) on actual spend only, as
 * actions are. A forecast alert names the source driving the spend (`driver`, asked only then).
 */
function newAlerts(
  budget: DesiredBudget,
  win: BudgetWindow,
  spentPercent: number,
  forecastPercent: number,
  inputs: BudgetInputs,
  driver: () => string | undefined,
): AlertRecord[] {
  const notifyOnly = budget.actions
    .filter((a) => a.do === 'notify' && !budget.thresholds.includes(a.atPercent))
    .map((a) => a.atPercent);
  const onForecastPoints = [...budget.thresholds, FORECAST_OVERRUN_PERCENT];
  const points = [...new Set([...onForecastPoints, ...notifyOnly])].sort((a, b) => a - b);
  const out: AlertRecord[] = [];
  for (const percent of points) {
    // An alert recorded as sent in the future is untrusted (model/record-time.ts): not sent, as far as we know.
    if (
      inputs.alerts.some(
        (a) =>
          a.budget === budget.name &&
          a.period === win.key &&
          a.percent === percent &&
          recordedTime(a.at, inputs.now) !== undefined,
      )
    )
      continue;
    const onForecast = onForecastPoints.includes(percent) && forecastPercent >= percent;
    const basis = spentPercent >= percent ? 'actual' : onForecast ? 'forecast' : undefined;
    if (basis === undefined) continue;
    const named = basis === 'forecast' ? driver() : undefined;
    out.push({
      budget: budget.name,
      period: win.key,
      percent,
      basis,
      at: inputs.now.toISOString(),
      ...(named === undefined ? {} : { driver: named }),
    });
  }
  return out;
}

/** Assesses every budget; statuses and overrides in budget-name order (stable). */
export function assessBudgets(inputs: BudgetInputs): BudgetAssessment {
  const timeZone = inputs.desired.lab.calendar.timezone;
  const today = new Date(inputs.now.getTime()).toISOString().slice(0, 10);
  const known = inputs.costs !== undefined;
  const budgets = [...inputs.budgets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const partial = budgets.map((budget) => {
    const win = budgetWindow(budget, inputs.now, timeZone);
    const { actualUSD, daily } = periodActuals(inputs.costs, budget.project, win, today);
    const since = estimatedSince(inputs, budget.project, win);
    const estimated = addSplits(periodActualsBySource(inputs.costs, budget.project, win, today), since);
    const spentBySource = { ...estimated, snapshots: snapshotsFloor(inputs, budget, win, estimated.snapshots) };
    const held = spentBySource.snapshots - estimated.snapshots;
    const spend: SpendFigures = { actualUSD, estimatedSinceUSD: splitTotal(since) + held, daily };
    const spentUSD = spend.actualUSD + spend.estimatedSinceUSD;
    const spentPercent = (spentUSD / budget.limitUSD) * 100;
    const schedules = projectSchedules(inputs, budget.project, win);
    const burn = burnPerHour(inputs, budget.project, schedules);
    const actions = actionsInForce(budget, win, spentUSD, burn, known, inputs);
    return { budget, win, spend, spentUSD, spentBySource, schedules, spentPercent, actions };
  });
  const overrides: BudgetOverride[] = [];
  for (const p of partial) {
    for (const a of p.actions)
      if (a.do !== 'notify')
        overrides.push({
          project: p.budget.project,
          action: a.do,
          rule: a.rule,
          ...(a.since === undefined ? {} : { since: a.since }),
        });
  }
  const statuses = partial.map((p): BudgetStatus => {
    const forecastBySource = addSplits(
      p.spentBySource,
      plannedToEnd(inputs, p.budget.project, p.win, overrides, p.schedules),
    );
    const forecastUSD = p.spentUSD + splitTotal(forecastBySource) - splitTotal(p.spentBySource);
    const forecastPercent = (forecastUSD / p.budget.limitUSD) * 100;
    const ce = inputs.costs?.forecastByProject?.[forecastKey(p.budget.project, p.win.end)];
    return {
      budget: p.budget,
      window: p.win,
      known,
      spend: p.spend,
      spentUSD: p.spentUSD,
      spentBySource: p.spentBySource,
      forecastUSD,
      forecastBySource,
      schedules: p.schedules,
      ...(ce === undefined ? {} : { costExplorerForecastUSD: p.spend.actualUSD + ce.meanUSD }),
      spentPercent: p.spentPercent,
      forecastPercent,
      newAlerts: known
        ? newAlerts(p.budget, p.win, p.spentPercent, forecastPercent, inputs, () =>
            spendDriver({ spentBySource: p.spentBySource, forecastBySource, schedules: p.schedules }),
          )
        : [],
      actionsInForce: p.actions,
    };
  });
  return { statuses, overrides };
}

/** Key of a GetCostForecast result in the cache: `project@last-day`. */
export function forecastKey(project: string, end: string): string {
  return `${project}@${end}`;
}
