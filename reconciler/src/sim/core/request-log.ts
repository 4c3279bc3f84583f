/**
 * A per-request log of the AWS calls the simulator answered: operation, Region, the SDK's retry
 * headers (`amz-sdk-invocation-id` is one per SDK call, shared by its retries; `amz-sdk-request:
 * attempt=N; max=M`), the answer, and for mutations the decoded input, so a test can count
 * attempts per SDK call and SDK calls per mutation. Bounded: the oldest entries drop first.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** One request as the simulator answered it. */
export interface RequestLogEntry {
  /** 1-based order of arrival since the log was last cleared. */
  seq: number;
  /** `Service.Operation`, e.g. `EC2.RunInstances`. */
  operation: string;
  region: string;
  /** The SDK call this attempt belongs to (`amz-sdk-invocation-id`), when sent. */
  invocationId?: string;
  /** `attempt=N` of `amz-sdk-request`, when sent. */
  attempt?: number;
  /** `max=M` of `amz-sdk-request`, when sent. */
  maxAttempts?: number;
  /** HTTP status answered. */
  status: number;
  /** The error code answered, if any (injected faults included). */
  code?: string;
  /** Whether the error was injected by a fault rule. */
  injected?: boolean;
  /** The decoded input, for operations that are not reads (Describe/List/Get). */
  input?: Record<string, unknown>;
}

/** The log one simulator keeps. */
export interface RequestLog {
  add(entry: Omit<RequestLogEntry, 'seq'>): void;
  /** Entries kept, oldest first, and how many older ones were dropped. */
  read(): { requests: RequestLogEntry[]; dropped: number };
  clear(): void;
}

/** Entries kept before the oldest are dropped (a long-running `labops sim` must not grow forever). */
export const REQUEST_LOG_LIMIT = 100_000;

/** The SDK's retry headers of a request. */
export function sdkAttemptHeaders(
  headers: IncomingHttpHeaders,
): Pick<RequestLogEntry, 'invocationId' | 'attempt' | 'maxAttempts'> {
  const out: Pick<RequestLogEntry, 'invocationId' | 'attempt' | 'maxAttempts'> = {};
  const invocation = headers['amz-sdk-invocation-id'];
  if (typeof invocation === 'string' && invocation !== '') out.invocationId = invocation;
  const request = headers['amz-sdk-request'];
  if (typeof request === 'string') {
    const attempt = /attempt=(\d+)/.exec(request)?.[1];
    const max = /max=(\d+)/.exec(request)?.[1];
    if (attempt !== undefined) out.attempt = Number(attempt);
    if (max !== undefined) out.maxAttempts = Number(max);
  }
  return out;
}

/** Creates an empty log keeping at most `limit` entries. */
export function createRequestLog(limit = REQUEST_LOG_LIMIT): RequestLog {
  let entries: RequestLogEntry[] = [];
  let seq = 0;
  let dropped = 0;
  return {
    add(entry) {
      seq += 1;
      entries.push({ seq, ...entry });
      if (entries.length > limit) {
        const excess = entries.length - limit;
        entries = entries.slice(excess);
        dropped += excess;
      }
    },
    read: () => ({ requests: [...entries], dropped }),
    clear() {
      entries = [];
      seq = 0;
      dropped = 0;
    },
  };
}
