/**
 * Per-instance load profiles that CloudWatch reports: set through `POST /_sim/load`, each entry
 * holding from its `from` instant until the next entry for the same instance. An instance with
 * no entry (or before its first one) runs the default profile: a steady 40% CPU, busy enough
 * that idle detection only fires when a test sets a low load. The same profile holds how much the
 * instance writes to its EBS volumes (`ebsWriteGiBPerDay`), from which EBS snapshot billing counts
 * changed blocks: by default 2 GiB of distinct blocks per volume per day, an assumption for a
 * research workstation (new data, packages, scratch files overwritten in place count once).
 */
import type { SimState } from '../core/contract.js';
import { SimError } from '../core/contract.js';

/** What an instance does from one instant on. */
export interface LoadPoint {
  /** ISO-8601 instant this load starts. */
  from: string;
  /** Average CPUUtilization, 0–100. */
  cpuPercent: number;
  /** Bytes received per minute. @default cpuPercent × 50,000 */
  networkInBytesPerMinute: number;
  /** Bytes sent per minute. @default cpuPercent × 10,000 */
  networkOutBytesPerMinute: number;
  /** GiB of distinct blocks written per day to each attached EBS volume. @default {@link DEFAULT_EBS_WRITE_GIB_PER_DAY} */
  ebsWriteGiBPerDay?: number;
}

/** Changed blocks per volume per day when no profile says otherwise: 2 GiB, a workstation's data churn. */
export const DEFAULT_EBS_WRITE_GIB_PER_DAY = 2;

/** The CloudWatch slice of {@link SimState}: load profiles by instance id, sorted by `from`. */
export interface CloudWatchState {
  profiles: Record<string, LoadPoint[]>;
}

/** Load of a running instance no test has described. */
export const DEFAULT_LOAD: Omit<LoadPoint, 'from'> = {
  cpuPercent: 40,
  networkInBytesPerMinute: 2_000_000,
  networkOutBytesPerMinute: 400_000,
  ebsWriteGiBPerDay: DEFAULT_EBS_WRITE_GIB_PER_DAY,
};

/** A fresh, empty CloudWatch slice. */
export function initialCloudWatchState(): CloudWatchState {
  return { profiles: {} };
}

/** The CloudWatch slice of the state, created if the core has not made it yet. */
export function cloudWatchStateOf(state: SimState): CloudWatchState {
  const slice = state.cloudwatch as Partial<CloudWatchState> | undefined;
  if (!slice || typeof slice !== 'object' || typeof slice.profiles !== 'object') {
    state.cloudwatch = initialCloudWatchState();
  }
  return state.cloudwatch as CloudWatchState;
}

function invalid(message: string): SimError {
  return new SimError('InvalidParameterValue', message, 400);
}

function bytes(entry: Record<string, unknown>, name: string, fallback: number): number {
  const value = entry[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(`${name} must be a number of bytes, 0 or more.`);
  }
  return value;
}

function gibPerDay(entry: Record<string, unknown>): { ebsWriteGiBPerDay?: number } {
  const value = entry.ebsWriteGiBPerDay;
  if (value === undefined) return {};
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid('ebsWriteGiBPerDay must be a number of GiB per day, 0 or more.');
  }
  return { ebsWriteGiBPerDay: value };
}

function readEntry(item: unknown, now: string): { instanceId: string; point: LoadPoint } {
  if (!item || typeof item !== 'object' || Array.isArray(item)) throw invalid('Each load entry must be an object.');
  const entry = item as Record<string, unknown>;
  const instanceId = entry.instanceId;
  if (typeof instanceId !== 'string' || !/^i-[0-9a-zA-Z]+$/.test(instanceId)) {
    throw invalid('instanceId must be an instance id such as i-0123456789abcdef0.');
  }
  const cpu = entry.cpuPercent;
  if (typeof cpu !== 'number' || !Number.isFinite(cpu) || cpu < 0 || cpu > 100) {
    throw invalid('cpuPercent must be a number from 0 to 100.');
  }
  const from = entry.from ?? now;
  if (typeof from !== 'string' || Number.isNaN(Date.parse(from))) throw invalid('from must be an ISO-8601 instant.');
  return {
    instanceId,
    point: {
      from: new Date(from).toISOString(),
      cpuPercent: cpu,
      networkInBytesPerMinute: bytes(entry, 'networkInBytesPerMinute', cpu * 50_000),
      networkOutBytesPerMinute: bytes(entry, 'networkOutBytesPerMinute', cpu * 10_000),
      ...gibPerDay(entry),
    },
  };
}

/**
 * Records load profiles: `{ instanceId, cpuPercent, networkInBytesPerMinute?,
 * networkOutBytesPerMinute?, ebsWriteGiBPerDay?, from? }` or a list of them; `from` defaults to the simulated now.
 * An entry with the same `from` as an existing one replaces it. Nothing is stored unless every
 * entry is valid.
 * @throws SimError InvalidParameterValue on a malformed body
 */
export function setLoad(state: SimState, body: unknown): void {
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0) throw invalid('The load body must hold at least one entry.');
  const entries = items.map((item) => readEntry(item, state.clock));
  const slice = cloudWatchStateOf(state);
  for (const { instanceId, point } of entries) {
    const list = (slice.profiles[instanceId] ?? []).filter((p) => p.from !== point.from);
    list.push(point);
    list.sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
    slice.profiles[instanceId] = list;
  }
}

/** The load of an instance at an instant (epoch ms). */
export function loadAt(slice: CloudWatchState, instanceId: string, at: number): Omit<LoadPoint, 'from'> {
  let current: Omit<LoadPoint, 'from'> = DEFAULT_LOAD;
  for (const point of slice.profiles[instanceId] ?? []) {
    if (Date.parse(point.from) > at) break;
    current = point;
  }
  return current;
}

/**
 * GiB an instance wrote to one attached volume over `[from, to)` (epoch ms): its profile's
 * `ebsWriteGiBPerDay` integrated piece by piece (a point without it: the default).
 */
export function writtenGiB(slice: CloudWatchState, instanceId: string, from: number, to: number): number {
  const points = slice.profiles[instanceId] ?? [];
  let total = 0;
  let rate = DEFAULT_EBS_WRITE_GIB_PER_DAY;
  let at = from;
  for (const point of points) {
    const starts = Date.parse(point.from);
    if (starts >= to) break;
    if (starts > at) {
      total += (rate * (starts - at)) / 86_400_000;
      at = starts;
    }
    rate = point.ebsWriteGiBPerDay ?? DEFAULT_EBS_WRITE_GIB_PER_DAY;
  }
  if (to > at) total += (rate * (to - at)) / 86_400_000;
  return total;
}
