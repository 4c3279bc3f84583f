/**
 * EC2's request rate limits as token buckets, per account and Region as AWS keeps them ("Amazon
 * EC2 throttles EC2 API requests for each AWS account on a per-Region basis"), with the bucket
 * sizes and refill rates AWS documents for each API category, plus the resource buckets of
 * RunInstances/StartInstances/StopInstances/TerminateInstances (tokens = instances). Refill runs
 * on the clock given: wall-clock time by default (throttling is about request rate), or the
 * simulated clock for a client whose waits run in simulated time (a benchmark).
 */
import { SimError } from './contract.js';

interface Bucket {
  size: number;
  refillPerSecond: number;
  tokens: number;
  at: number;
}

const REQUEST_LIMITS: Record<string, [number, number]> = {
  RunInstances: [5, 2],
  StartInstances: [5, 2],
  TerminateInstances: [100, 5],
  CreateTags: [100, 10],
  DeleteTags: [100, 10],
  CreateSnapshot: [100, 5],
  CreateSnapshots: [100, 5],
  DeleteSnapshot: [100, 5],
  DeregisterImage: [100, 5],
  CreateVolume: [100, 5],
  DeleteVolume: [100, 5],
  CopyImage: [100, 1],
};

const RESOURCE_LIMITS: Record<string, [number, number]> = {
  RunInstances: [1000, 2],
  StartInstances: [1000, 2],
  StopInstances: [1000, 20],
  TerminateInstances: [1000, 20],
};

const UNFILTERED_LIMITED = new Set(['DescribeInstances', 'DescribeSnapshots', 'DescribeVolumes']);

function isNonMutating(operation: string): boolean {
  return /^(Describe|List|Get|Search)/.test(operation);
}

/** The bucket key and its [size, refill/s] for one call. */
function requestBucket(operation: string, input: Record<string, unknown>): [string, number, number] {
  const fixed = REQUEST_LIMITS[operation];
  if (fixed) return [operation, fixed[0], fixed[1]];
  if (!isNonMutating(operation)) return ['mutating', 50, 5];
  const filtered = Array.isArray(input.Filters) && input.Filters.length > 0;
  const paginated = input.MaxResults !== undefined || input.NextToken !== undefined;
  const byId = ['InstanceIds', 'VolumeIds', 'SnapshotIds'].some((k) => Array.isArray(input[k]) && input[k].length > 0);
  if (UNFILTERED_LIMITED.has(operation) && !filtered && !paginated && !byId) return [`${operation}:unfiltered`, 50, 10];
  return ['non-mutating', 100, 20];
}

function resourceCount(operation: string, input: Record<string, unknown>): number {
  if (operation === 'RunInstances') return Number(input.MaxCount ?? 1) || 1;
  return Array.isArray(input.InstanceIds) ? input.InstanceIds.length : 0;
}

/** Token buckets for one simulated account. */
export interface RateLimiter {
  /** Takes the tokens a call in `region` needs; returns the throttling error when a bucket is short. */
  take(operation: string, input: Record<string, unknown>, region: string): SimError | undefined;
}

/** Creates full buckets for every Region; `clock` (ms) is what refills them. @default wall-clock time */
export function createRateLimiter(clock: () => number = () => performance.now()): RateLimiter {
  const buckets = new Map<string, Bucket>();
  function bucket(key: string, size: number, refill: number): Bucket {
    let b = buckets.get(key);
    if (b === undefined) {
      b = { size, refillPerSecond: refill, tokens: size, at: clock() };
      buckets.set(key, b);
    }
    const now = clock();
    b.tokens = Math.min(b.size, b.tokens + ((now - b.at) / 1000) * b.refillPerSecond);
    b.at = now;
    return b;
  }
  return {
    take(operation, input, region) {
      const [key, size, refill] = requestBucket(operation, input);
      const request = bucket(`${region}|${key}`, size, refill);
      const resourceLimit = RESOURCE_LIMITS[operation];
      const resource = resourceLimit
        ? bucket(`${region}|${operation}:resource`, resourceLimit[0], resourceLimit[1])
        : undefined;
      const needed = resourceLimit ? resourceCount(operation, input) : 0;
      if (request.tokens < 1 || (resource !== undefined && resource.tokens < needed)) {
        return new SimError('RequestLimitExceeded', 'Request limit exceeded.', 503);
      }
      request.tokens -= 1;
      if (resource !== undefined) resource.tokens -= needed;
      return undefined;
    },
  };
}
