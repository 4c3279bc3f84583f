/**
 * Which source drives a project's spend to the end of a budget period, for naming it in a forecast
 * alert (issue 17). A deliberately simple attribution at list price, from now to the period's end:
 *
 * - `workstation compute`: the planned run-hours of the project's declared workstations (budget
 *   actions in force applied) and the compute of its undeclared running instances;
 * - `volumes`: their EBS volumes, whatever their power state;
 * - `snapshots of schedule S`: the project's snapshots of each schedule kept to the period's end,
 *   each at full size (an upper bound: EBS bills only the blocks each snapshot adds);
 * - `Batch jobs`: the estimates of Jobs not yet submitted.
 *
 * One function on purpose: a finer split of the spend by source can replace its body and keep the
 * alert as it is.
 */
import type { BudgetOverride, BudgetWindow } from '../model/budget.js';
import type { Desired } from '../model/desired.js';
import type { Observed } from '../model/observed.js';
import { SCHEDULE_TAG } from '../model/schedule.js';
import { TAG } from '../model/tags.js';
import { remainingHours } from '../model/budget-period.js';
import { observedHourlyUSD, workstationEstimate } from './estimates.js';
import { snapshotMonthlyUSD } from './monthly.js';
import { HOURS_PER_MONTH } from './prices/index.js';

/** One source of a project's spend to the period's end. */
export interface SpendSource {
  /** `workstation compute`, `volumes`, `snapshots of schedule nightly`, `Batch jobs`. */
  source: string;
  usd: number;
}

/** What the attribution reads. */
export interface DriverInputs {
  desired: Desired;
  observed: Observed;
  now: Date;
  /** Estimates of Jobs not yet submitted, by project. */
  plannedExtraUSD?: Readonly<Record<string, number>>;
  overrides: readonly BudgetOverride[];
}

/** The project's spend from now to the end of `win`, by source, biggest first (ties by name); sources of $0 left out. */
export function spendSources(inputs: DriverInputs, project: string, win: BudgetWindow): SpendSource[] {
  const from = Math.max(inputs.now.getTime(), win.startMs);
  const hours = remainingHours(win, from);
  const totals = new Map<string, number>();
  const add = (source: string, usd: number): void => {
    totals.set(source, (totals.get(source) ?? 0) + usd);
  };
  const declared = new Set(inputs.desired.workstations.map((w) => w.name));
  for (const ws of inputs.desired.workstations) {
    if (ws.project !== project) continue;
    const e = workstationEstimate(ws, inputs.desired.lab, from, win.endMs, inputs.overrides);
    add('workstation compute', e.computeUSD);
    add('volumes', e.storageUSD);
  }
  // A budget stop or hibernate in force stops undeclared instances too (plan/budget-power.ts).
  const off = inputs.overrides.some((o) => o.project === project && o.action !== 'block-launches');
  for (const instance of inputs.observed.instances) {
    if (instance.tags[TAG.project] !== project || declared.has(instance.tags[TAG.name] ?? '')) continue;
    const stopped = { ...instance, state: 'stopped' as const };
    const storage = observedHourlyUSD(stopped) * hours;
    if (!off) add('workstation compute', observedHourlyUSD(instance) * hours - storage);
    add('volumes', storage);
  }
  for (const snapshot of inputs.observed.snapshots) {
    const schedule = snapshot.tags[SCHEDULE_TAG.schedule];
    if (snapshot.tags[TAG.project] !== project || schedule === undefined) continue;
    add(
      `snapshots of schedule ${schedule}`,
      (snapshotMonthlyUSD(snapshot.region, snapshot.sizeGiB) * hours) / HOURS_PER_MONTH,
    );
  }
  add('Batch jobs', inputs.plannedExtraUSD?.[project] ?? 0);
  return [...totals]
    .filter(([, usd]) => usd > 0.005)
    .map(([source, usd]) => ({ source, usd }))
    .sort((a, b) => b.usd - a.usd || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}

const wholeUSD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/** `snapshots of schedule nightly (~$1,234 to the period's end)`: the biggest source, or undefined when nothing more is planned. */
export function spendDriver(inputs: DriverInputs, project: string, win: BudgetWindow): string | undefined {
  const top = spendSources(inputs, project, win)[0];
  return top === undefined ? undefined : `${top.source} (~${wholeUSD.format(top.usd)} to the period's end)`;
}
