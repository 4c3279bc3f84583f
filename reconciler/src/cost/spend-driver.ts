/**
 * Which source drives a project's spend to the end of a budget period, for naming it in a forecast
 * alert (issue 17). It reads the budget's own split by source (cost/sources.ts): what the forecast
 * adds to the spend so far, per source — compute, EBS volumes, Batch, other — with snapshot storage
 * named per schedule and Region (copies apart) from the schedule rows the forecast was built from;
 * snapshot spend no schedule accounts for stays `snapshots & images`.
 */
import { COST_SOURCES, SOURCE_LABEL } from './sources.js';
import type { SourceSplit } from './sources.js';
import type { ScheduleStorage } from './snapshot-storage.js';

/** One source of a project's spend to the period's end. */
export interface SpendSource {
  /** `compute`, `EBS volumes`, `snapshots of schedule nightly in us-west-2 (copies)`, `Batch`, … */
  source: string;
  usd: number;
}

/** What the attribution reads: a budget's split of spend so far and of its forecast, and its schedules' storage to the end. */
export interface DriverInputs {
  spentBySource: SourceSplit;
  forecastBySource: SourceSplit;
  schedules: readonly (ScheduleStorage & { toEndUSD: number })[];
}

/** The project's spend from now to the period's end, by source, biggest first (ties by name); sources under a cent left out. */
export function spendSources(inputs: DriverInputs): SpendSource[] {
  const out: SpendSource[] = [];
  let scheduled = 0;
  for (const row of inputs.schedules) {
    scheduled += row.toEndUSD;
    out.push({
      source: `snapshots of schedule ${row.schedule} in ${row.region}${row.copy ? ' (copies)' : ''}`,
      usd: row.toEndUSD,
    });
  }
  for (const source of COST_SOURCES) {
    const toEnd = inputs.forecastBySource[source] - inputs.spentBySource[source];
    out.push({ source: SOURCE_LABEL[source], usd: source === 'snapshots' ? toEnd - scheduled : toEnd });
  }
  return out
    .filter((s) => s.usd > 0.005)
    .sort((a, b) => b.usd - a.usd || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}

const wholeUSD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/** `snapshots of schedule nightly in us-east-1 (~$1,234 to the period's end)`: the biggest source, or undefined when nothing more is planned. */
export function spendDriver(inputs: DriverInputs): string | undefined {
  const top = spendSources(inputs)[0];
  return top === undefined ? undefined : `${top.source} (~${wholeUSD.format(top.usd)} to the period's end)`;
}
