/** The run record's `provisionTimes` (kinds/workstation/provision-times.ts measures them): its bound. */
import type { ProvisionTimeRecord } from '../specs/generated/run-record.js';
import { compareText } from '../model/problem.js';

/** Most entries the record keeps (the newest by when they were read); the schema's `maxProperties`. */
export const MAX_PROVISION_TIMES = 500;

/** The record's measurements by instance id. */
export type ProvisionTimes = Readonly<Record<string, ProvisionTimeRecord>>;

/** The newest {@link MAX_PROVISION_TIMES} entries (by `at`, ties by instance id), or undefined when none. */
export function boundedProvisionTimes(times: ProvisionTimes): Record<string, ProvisionTimeRecord> | undefined {
  const entries = Object.entries(times)
    .sort(([a, x], [b, y]) => compareText(y.at, x.at) || compareText(a, b))
    .slice(0, MAX_PROVISION_TIMES);
  return entries.length === 0 ? undefined : Object.fromEntries(entries.sort(([a], [b]) => compareText(a, b)));
}
